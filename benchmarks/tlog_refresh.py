"""Refreshing stored inclusion proofs: the stored tree against re-proving from the leaves.

    .venv/bin/python benchmarks/tlog_refresh.py [--packages 100000] [--baseline-sample 20] [--keep DIR]

Builds a collection-shaped folder of --packages packages (a seal and its stored proof
each; the seal bytes are stand-ins, as refreshing reads only the proofs) whose log has
one leaf per seal, proves every seal against a checkpoint, then grows the log by 1%
and signs a new checkpoint, so every stored proof is out of date. Then measures, in
this run and in fresh processes:
  ours       refresh_proofs (what 'archivekit log refresh' and every run do): the proofs
             from tlog/tree, written back in atomic batches
  ours, CPU  the same proofs computed from tlog/tree without writing them
  CPU time   the proofs alone, in this process: CPU seconds (not wall), which a busy
             machine does not inflate, against a tree rebuilt from the leaf hashes per proof
  baseline   'archivekit log prove' as it was: each package's proof from a tree built
             from every leaf (O(N) per package), timed on --baseline-sample packages and
             scaled to all of them
Goal (issue 14): refreshing proofs for 100,000 packages takes seconds, not days.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import measure, python_snippet  # noqa: E402

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from archivekit.formats import merkle  # noqa: E402
from archivekit.trust.keys import SigningKey  # noqa: E402
from archivekit.trust.tlog import TransparencyLog, refresh_proofs, seal_digest  # noqa: E402

ORIGIN = "archivekit.local/bench"
KEY_HEX = "0123456789abcdef"

REFRESH = """
import sys
from pathlib import Path
from archivekit.trust.tlog import TransparencyLog, refresh_proofs
root = Path(sys.argv[1])
packages = sorted(p for p in (root / "packages").iterdir() if p.is_dir())
result = refresh_proofs(TransparencyLog(root / "tlog", "{origin}"), packages)
assert result.refreshed == len(packages), result
"""

PROOFS_ONLY = """
import json, sys
from pathlib import Path
from archivekit.trust.tlog import TransparencyLog, parse_checkpoint
root = Path(sys.argv[1])
log = TransparencyLog(root / "tlog", "{origin}")
size = parse_checkpoint(log.latest())[0].size
tree = log.tree
for package in sorted(p for p in (root / "packages").iterdir() if p.is_dir()):
    proof = next(package.glob("signatures/*.tlog.json"))
    index = json.loads(proof.read_bytes())["index"]
    tree.inclusion_proof(index, size)
"""

PROVE_FROM_LEAVES = """
import json, sys
from pathlib import Path
from archivekit.formats import layout, merkle
from archivekit.trust.tlog import TransparencyLog, parse_checkpoint, proof_document, seal_digest, seals_of
root = Path(sys.argv[1])
log = TransparencyLog(root / "tlog", "{origin}")
latest = log.latest()
size = parse_checkpoint(latest)[0].size
for package in sorted(p for p in (root / "packages").iterdir() if p.is_dir())[:int(sys.argv[2])]:
    leaves = log.leaves()                # what 'log prove' once did for each package:
    tree = merkle.MerkleTree([merkle.leaf_hash(leaf) for leaf in leaves])   # every leaf
    index = {{json.loads(leaf)["seal_sha256"]: i for i, leaf in enumerate(leaves)}}
    for path, envelope in seals_of(package):
        number = index[seal_digest(envelope)]
        document = proof_document(log.origin, number, leaves[number],
                                  tree.inclusion_proof(number, size), latest, size)
        layout.add_signature_file(package, layout.companion(path, "tlog.json"),
                                  json.dumps(document).encode(), overwrite=True)
"""


def build(root: Path, count: int) -> None:
    key = SigningKey("bench", Ed25519PrivateKey.generate())
    log = TransparencyLog(root / "tlog", ORIGIN)
    (root / "packages").mkdir(parents=True)
    leaves = []
    for number in range(count):
        package = root / "packages" / f"package-{number:07d}"
        (package / "signatures").mkdir(parents=True)
        envelope = b'{"stand-in seal": %d}\n' % number
        (package / "signatures" / f"1-ed25519-{KEY_HEX}.dsse.json").write_bytes(envelope)
        leaves.append({"package_id": package.name, "seal": f"signatures/1-ed25519-{KEY_HEX}.dsse.json",
                       "seal_sha256": seal_digest(envelope), "key_id": f"ed25519:{KEY_HEX}",
                       "sealed_at": "2026-12-01T00:00:00Z"})
    log.append(leaves)
    log.sign(key, "bench")
    refresh_proofs(log, sorted((root / "packages").iterdir()))      # every seal proved
    log.append([{"package_id": f"later-{i}", "seal": "signatures/x", "seal_sha256": f"{i:064x}",
                 "key_id": f"ed25519:{KEY_HEX}", "sealed_at": "2026-12-02T00:00:00Z"}
                for i in range(max(1, count // 100))])
    log.sign(key, "bench")                                           # every proof now stale


def cpu_time(root: Path, sample: int) -> None:
    log = TransparencyLog(root / "tlog", ORIGIN)
    tree = log.tree
    size = tree.size
    started = time.process_time()
    for index in range(size):
        tree.inclusion_proof(index, size)
    ours = time.process_time() - started
    leaves = [merkle.leaf_hash(leaf) for leaf in log.leaves()]
    started = time.process_time()
    for index in range(0, size, max(1, size // sample)):
        merkle.MerkleTree(leaves).inclusion_proof(index)
    baseline = (time.process_time() - started) / len(range(0, size, max(1, size // sample)))
    print(f"  CPU time: {size} proofs from tlog/tree {ours:.2f} s ({ours / size * 1e6:.0f} us each); "
          f"a tree from the leaf hashes per proof {baseline * 1e3:.0f} ms each "
          f"({baseline * size / ours:.0f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=100_000)
    parser.add_argument("--baseline-sample", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="Build here and keep it.")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ak-tlog-bench-"))
    try:
        started = time.perf_counter()
        build(root, args.packages)
        print(f"built {args.packages} packages and their log in {time.perf_counter() - started:.0f} s "
              f"at {root}")
        cpu = measure(python_snippet(PROOFS_ONLY.format(origin=ORIGIN)) + [root])
        ours = measure(python_snippet(REFRESH.format(origin=ORIGIN)) + [root])
        sample = min(args.baseline_sample, args.packages)
        baseline = measure(python_snippet(PROVE_FROM_LEAVES.format(origin=ORIGIN))
                           + [root, sample])        # rewrites proofs ours made: same work
        scaled = baseline["seconds"] / sample * args.packages
        for result in (cpu, ours, baseline):
            assert result["code"] == 0, result
        print(f"\n  {'what':60} {'seconds':>10} {'peak RSS':>9} {'vs baseline':>12}")
        rows = [("ours: refresh_proofs, proofs from tlog/tree, written", ours["seconds"], ours),
                ("ours, CPU only: the proofs from tlog/tree, not written", cpu["seconds"], cpu),
                (f"baseline: re-prove from every leaf ({sample} measured, scaled)", scaled, baseline)]
        for label, seconds, result in rows:
            print(f"  {label:60} {seconds:10.1f} {result['rss_mib']:7.0f}Mi {scaled / seconds:11.0f}x")
        print(f"\n  per proof: ours {ours['seconds'] / args.packages * 1e6:.0f} us, "
              f"baseline {baseline['seconds'] / sample * 1e3:.0f} ms")
        cpu_time(root, sample)
        print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
