"""Verification speed and memory, against the floor and the anchors, in one run.

    .venv/bin/python benchmarks/verify.py [--size-mib 1024] [--small 50000] [--keep DIR]

Builds test packages (one of --size-mib with large records; one with --small small
records; several medium ones for the multi-package audit), then measures in this run:
  floor     a bare loop that reads the bytes once and feeds sha256 + sha512; a bare loop
            that inflates the WARC and hashes each record; and both in one loop, with
            zlib and with ISA-L (the inflater archivekit uses)
  anchors   bagit.py --validate, and warcio check, on the same package
  ours      archivekit verify with 1 and 2 workers (cores), and with ARCHIVEKIT_INFLATE=zlib;
            a multi-package audit with 1 and 2 workers
and prints seconds, MB/s, peak RSS and ratios. Goals (issue 6): archivekit >= 0.8x the
combined floor on one core; >= 3x faster than bagit-python + warcio check back to back;
>= 1.7x from 1 to 2 workers on a multi-package audit; peak RSS < 100 MiB on 1 GiB.
"""

import argparse
import os
import shutil
import sys
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import VENV_BIN, measure, python_snippet, table  # noqa: E402

from archivekit.trust.home import Home  # noqa: E402
from archivekit.trust.identity import generate_trusted_key  # noqa: E402
from archivekit.trust.keyring import Keyring  # noqa: E402
from archivekit.extract.metadata import ClippingMetadata, Extraction  # noqa: E402
from archivekit.package.writer import PackageSpec, write_package  # noqa: E402
from archivekit.trust.sealer import Sealer  # noqa: E402
from archivekit.trust.signer import Signer  # noqa: E402
from archivekit.formats.premis import make_event  # noqa: E402

FLOOR_HASH = """
import hashlib, sys
a, b = hashlib.sha256(), hashlib.sha512()
with open(sys.argv[1], 'rb', buffering=0) as f:
    while chunk := f.read(1 << 20):
        a.update(chunk); b.update(chunk)
"""
# The inflating floors read 32 KiB at a time: the inflater copies the unused rest of its
# input after every member, and with 1 MiB reads that copying dominates for small records.
# They run with the standard library's zlib and with ISA-L's (what archivekit uses).
FLOOR_INFLATE = """
import hashlib, sys
from {module} import decompressobj
with open(sys.argv[1], 'rb', buffering=0) as f:
    d = decompressobj(31); h = hashlib.sha256()
    while chunk := f.read(32 << 10):
        while chunk:
            h.update(d.decompress(chunk))
            if d.eof:
                chunk = d.unused_data; d = decompressobj(31); h = hashlib.sha256()
            else:
                chunk = b''
"""
FLOOR_BOTH = """
import hashlib, sys
from {module} import decompressobj
a, b = hashlib.sha256(), hashlib.sha512()
with open(sys.argv[1], 'rb', buffering=0) as f:
    d = decompressobj(31); h = hashlib.sha256()
    while chunk := f.read(32 << 10):
        a.update(chunk); b.update(chunk)
        while chunk:
            h.update(d.decompress(chunk))
            if d.eof:
                chunk = d.unused_data; d = decompressobj(31); h = hashlib.sha256()
            else:
                chunk = b''
"""
INFLATERS = {"zlib": "zlib", "isal": "isal.isal_zlib"}


def _text_block(size: int = 4 << 20) -> bytes:
    """News-like text (deflates about 3:1, as HTML and text clippings do)."""
    import random
    rng = random.Random(7)
    vocabulary = ["".join(rng.choice("etaoinshrdlucmfwypvbgkjqxz") for _ in range(rng.randint(2, 11)))
                  for _ in range(5000)]
    words = []
    total = 0
    while total < size:
        word = rng.choice(vocabulary)
        words.append(word)
        total += len(word) + 1
    return " ".join(words).encode()[:size]


_TEXT = None


class _Blob:
    """A readable stream of `size` bytes of news-like text."""

    def __init__(self, size: int, seed: int):
        global _TEXT
        _TEXT = _TEXT or _text_block()
        self.size, self.sent = size, 0
        self.block = _TEXT
        self.seed = seed

    def read(self, amount=-1):
        if amount is None or amount < 0:
            amount = self.size - self.sent
        amount = min(amount, self.size - self.sent, len(self.block))
        start = (self.sent * 7 + self.seed) % (len(self.block) - amount + 1)
        self.sent += amount
        return self.block[start:start + amount]

    def tell(self):
        return self.sent

    def seek(self, position, whence=0):
        self.sent = position
        return position


def build(out: Path, name: str, records: list[tuple[str, object, int]], signer) -> Path:
    """A sealed package whose WARC holds the given resource records."""
    metadata = ClippingMetadata(Extraction("none", "bench"), headline=name)
    spec = PackageSpec(sealer=Sealer(signer), metadata=metadata, operator="bench")

    def write_sources(warc, date):
        entries = []
        for uri, stream, size in records:
            entry = warc.resource(uri, date, "application/octet-stream", stream, size)
            entries.append({"kind": "file", "uri": uri, "retrieved": date,
                            "media_type": "application/octet-stream", "bytes": size,
                            "sha256": entry["payload_digest"].split(":", 1)[1],
                            "record_id": entry["id"]})
        return entries, entries[0]["record_id"], [make_event("capture", date, "benchmark")]
    return write_package(out, name, spec, write_sources)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--small", type=int, default=50_000)
    parser.add_argument("--audit-packages", type=int, default=8)
    parser.add_argument("--keep", help="build here and keep (default: a temporary folder)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="ak-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    home = Home(work / "home")
    env = dict(os.environ, ARCHIVEKIT_HOME=str(home.root))
    if not Keyring(home).names():
        generate_trusted_key(home, "bench")
    signer = Signer(Keyring(home).load("bench"), "bench")
    archivekit = [str(VENV_BIN / "archivekit")]
    try:
        large = work / "large"
        if not large.exists():
            print(f"building {args.size_mib} MiB package (64 MiB records)...", file=sys.stderr)
            count = max(1, args.size_mib // 64)
            build(work, "large", [(f"urn:bench:{i}", _Blob(64 << 20, i), 64 << 20)
                                  for i in range(count)], signer)
        small = work / "small"
        if not small.exists():
            print(f"building package with {args.small} small records...", file=sys.stderr)
            texts = [(f"urn:bench:s{i}", BytesIO(b"Clipping %d " % i * 40), len(b"Clipping %d " % i * 40))
                     for i in range(args.small)]
            build(work, "small", texts, signer)
        audit_dir = work / "audit"
        if not audit_dir.exists():
            audit_dir.mkdir()
            for number in range(args.audit_packages):
                build(audit_dir, f"pkg-{number}", [(f"urn:bench:a{number}", _Blob(96 << 20, number),
                                                    96 << 20)], signer)
        for label, package in (("large records", large), ("small records", small)):
            warc = package / "data/clipping.warc.gz"
            size = warc.stat().st_size
            print(f"\n{label}: {package.name}, WARC {size / 2**20:.0f} MiB, "
                  f"{sum(1 for _ in open(package / 'archivekit/package.json'))} descriptor lines")
            floors = [
                ("floor: read once, sha256 + sha512", measure(python_snippet(FLOOR_HASH) + [warc], repeat=2)),
                ("floor: inflate (zlib), sha256 each record",
                 measure(python_snippet(FLOOR_INFLATE.format(module="zlib")) + [warc], repeat=2))]
            for name, module in INFLATERS.items():
                floors.append((f"floor: both in one loop ({name})",
                               measure(python_snippet(FLOOR_BOTH.format(module=module)) + [warc], repeat=2)))
            anchors = [("bagit.py --validate", measure([VENV_BIN / "bagit.py", "--validate", package])),
                       ("warcio check", measure([VENV_BIN / "warcio", "check", warc]))]
            ours = [("archivekit verify --workers 1 (one core)",
                     measure(archivekit + ["verify", "--workers", "1", package], env=env, repeat=2)),
                    ("archivekit verify --workers 2",
                     measure(archivekit + ["verify", "--workers", "2", package], env=env, repeat=2)),
                    ("archivekit verify --workers 1, zlib inflater",
                     measure(archivekit + ["verify", "--workers", "1", package],
                             env=dict(env, ARCHIVEKIT_INFLATE="zlib")))]
            floor_zlib, floor_isal = floors[2][1]["seconds"], floors[3][1]["seconds"]
            table(floors + anchors + ours, size, baseline=floor_zlib)
            anchor_seconds = sum(result["seconds"] for _, result in anchors)
            one_core, two_cores = ours[0][1]["seconds"], ours[1][1]["seconds"]
            print(f"  archivekit on one core vs combined floor: {floor_zlib / one_core:.2f}x with "
                  f"zlib, {floor_isal / one_core:.2f}x with ISA-L (goal >= 0.8)")
            print(f"  archivekit vs bagit.py + warcio check: {anchor_seconds / one_core:.2f}x faster "
                  f"on one core, {anchor_seconds / two_cores:.2f}x on two (goal >= 3)")
        packages = sorted(str(p) for p in audit_dir.iterdir() if not p.name.startswith("."))
        total = sum((Path(p) / "data/clipping.warc.gz").stat().st_size for p in packages)
        one = measure(archivekit + ["verify", "--workers", "1", *packages], env=env, repeat=2)
        two = measure(archivekit + ["verify", "--workers", "2", *packages], env=env, repeat=2)
        print(f"\nmulti-package audit: {len(packages)} packages, {total / 2**20:.0f} MiB "
              f"({os.cpu_count()} cores)")
        table([("archivekit verify --workers 1", one), ("archivekit verify --workers 2", two)],
              total, baseline=one["seconds"])
        print(f"  speed-up 1 -> 2 workers: {one['seconds'] / two['seconds']:.2f}x (goal >= 1.7)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
