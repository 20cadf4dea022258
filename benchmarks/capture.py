"""Capture speed: 1,000 small text clippings captured and sealed, against bare warcio.

    .venv/bin/python benchmarks/capture.py [--count 1000]

Baseline, in the same run: bare warcio writing the same records (warcinfo, resource
with the clipping, a JSON metadata record) for each clipping into its own .warc.gz,
with warcio's defaults. archivekit does more per clipping (metadata extraction, BagIt
manifests in two algorithms, descriptor, Ed25519 seal, fsync and atomic rename), so
the ratio says what that costs.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, VENV_BIN  # noqa: E402

SEED = ROOT / "samples/nyt-2023-12-28-chinese-spy-agency.txt"

BARE_WARCIO = """
import json, sys
from io import BytesIO
from pathlib import Path
from warcio.warcwriter import WARCWriter
out = Path(sys.argv[1])
for path in sorted(Path(sys.argv[2]).iterdir()):
    data = path.read_bytes()
    with open(out / (path.stem + '.warc.gz'), 'wb') as handle:
        writer = WARCWriter(handle, gzip=True, warc_version='1.1')
        writer.write_record(writer.create_warcinfo_record(path.name, {'software': 'bench'}))
        resource = writer.create_warc_record('urn:x:' + path.name, 'resource',
            payload=BytesIO(data), length=len(data), warc_content_type='text/plain')
        writer.write_record(resource)
        meta = json.dumps({'headline': data.split(b'\\n', 1)[0].decode()}).encode()
        writer.write_record(writer.create_warc_record('urn:x:' + path.name, 'metadata',
            payload=BytesIO(meta), length=len(meta), warc_content_type='application/json',
            warc_headers_dict={'WARC-Refers-To': resource.rec_headers.get_header('WARC-Record-ID')}))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="also print a cProfile summary")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ak-capture-bench-"))
    try:
        inbox = work / "inbox"
        inbox.mkdir()
        seed = SEED.read_text()
        for number in range(args.count):
            (inbox / f"clip-{number:04d}.txt").write_text(
                seed.replace("Chinese Spy Agency", f"Chinese Spy Agency {number}"))
        env = dict(os.environ, ARCHIVEKIT_HOME=str(work / "home"))
        subprocess.run([VENV_BIN / "archivekit", "keys", "generate", "bench"], env=env,
                       check=True, capture_output=True)
        (work / "bare").mkdir()
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BARE_WARCIO, work / "bare", inbox], check=True)
        bare = time.perf_counter() - started
        files = sorted(str(p) for p in inbox.iterdir())
        command = [str(VENV_BIN / "archivekit"), "capture", *files, "--out", str(work / "archive")]
        if args.profile:
            command = [sys.executable, "-m", "cProfile", "-s", "cumtime", "-m", "archivekit",
                       *command[1:]]
        started = time.perf_counter()
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        ours = time.perf_counter() - started
        if result.returncode:
            sys.exit(result.stderr)
        if args.profile:
            print("\n".join(line for line in result.stdout.splitlines()
                            if not line.startswith(str(work)))[:6000])
        print(f"{args.count} text clippings ({os.path.getsize(files[0])} bytes each)")
        print(f"  bare warcio, records only      {bare:7.2f} s  {args.count / bare:7.1f} per second")
        print(f"  archivekit capture, sealed     {ours:7.2f} s  {args.count / ours:7.1f} packages per second")
        print(f"  ratio (archivekit / warcio)    {ours / bare:7.2f}x the time")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
