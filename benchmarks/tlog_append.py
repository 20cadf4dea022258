"""What adding 100 seals to a collection's transparency log costs as the log grows.

    .venv/bin/python benchmarks/tlog_append.py [--sizes 1000 10000 100000 1000000]

For each size it builds a log of that many leaves (shaped like a run's: package id,
seal path, seal digest, key id, time), caught up and signed, then measures in fresh
processes (CPU time, and peak RSS):
  ours       what a run now does with 100 new seals: look them up (not logged), append
             them, bring the index and stored tree up (TransparencyLog.state: the new
             leaves only), sign a checkpoint, make the 100 inclusion proofs
  baseline   what a run did before (LogSnapshot): every leaf read, hashed, parsed into a
             seal -> leaf dict, and the whole tree's root computed, before the same work
The goal (issue 16): +100 costs the same at 1,000 and 1,000,000 leaves.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import measure, python_snippet  # noqa: E402

SETUP = """
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from archivekit.trust.keys import SigningKey
from archivekit.trust.tlog import TransparencyLog
KEY = SigningKey("bench", Ed25519PrivateKey.generate())

def entry(n):
    return {"package_id": f"2026-12-02-clipping-{n:08d}", "seal_sha256": f"{n:064x}",
            "seal": "signatures/1-ed25519-0123456789abcdef.dsse.json",
            "key_id": "ed25519:0123456789abcdef", "sealed_at": "2026-12-02T00:00:00Z"}
"""

BUILD = SETUP + """
import sys
log = TransparencyLog(sys.argv[1], "bench")
size = int(sys.argv[2])
for start in range(0, size, 100_000):
    log.append([entry(n) for n in range(start, min(size, start + 100_000))])
log.sign(KEY, "bench")
"""

PLUS_100 = SETUP + """
import json, sys
from archivekit.formats import merkle
log = TransparencyLog(sys.argv[1], "bench")
size, baseline = int(sys.argv[2]), sys.argv[3] == "baseline"
new = [entry(n) for n in range(size, size + 100)]
if baseline:                                   # LogSnapshot, as every run built it
    leaves = log.leaves()
    tree = merkle.MerkleTree([merkle.leaf_hash(leaf) for leaf in leaves])
    index = {json.loads(leaf).get("seal_sha256"): i for i, leaf in enumerate(leaves)}
    tree.root()
    assert not any(e["seal_sha256"] in index for e in new)
with log.state() as state:
    assert not state.find([e["seal_sha256"] for e in new])
log.append(new)
with log.state() as state:
    text = log.sign(KEY, "bench", state)
    for n in range(size, size + 100):
        state.proof_document(n, text)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    args = parser.parse_args()
    print(f"{'leaves':>10} {'ours CPU':>10} {'RSS':>8} {'baseline CPU':>13} {'RSS':>8}")
    rows = []
    for size in args.sizes:
        work = Path(tempfile.mkdtemp(prefix="ak-tlog-append-"))
        try:
            measure(python_snippet(BUILD) + [work / "ours", size])
            shutil.copytree(work / "ours", work / "baseline")
            ours = measure(python_snippet(PLUS_100) + [work / "ours", size, "ours"])
            base = measure(python_snippet(PLUS_100) + [work / "baseline", size, "baseline"])
        finally:
            shutil.rmtree(work, ignore_errors=True)
        assert ours["code"] == 0 and base["code"] == 0, (ours, base)
        rows.append((size, ours, base))
        print(f"{size:>10,} {ours['cpu_seconds']:>9.3f}s {ours['rss_mib']:>6.0f}Mi "
              f"{base['cpu_seconds']:>12.3f}s {base['rss_mib']:>6.0f}Mi", flush=True)
    first, last = rows[0], rows[-1]
    print(f"\n+100 at {last[0]:,} against {first[0]:,} leaves: ours "
          f"{last[1]['cpu_seconds'] / first[1]['cpu_seconds']:.2f}x, baseline "
          f"{last[2]['cpu_seconds'] / first[2]['cpu_seconds']:.2f}x")


if __name__ == "__main__":
    main()
