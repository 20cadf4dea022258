"""Adopting a BagIt bag (`capture BAG`) and verifying the package, against the anchors,
in one run.

    .venv/bin/python benchmarks/bag_adoption.py [--size-mib 100] [--files 400] [--keep DIR]

Makes a bag with bagit-python (md5 and sha256 manifests, --files files of random bytes,
--size-mib in all), then measures in this run:
  floor     cp -r of the bag (one read and one write of every byte)
  anchors   bagit.py --validate of the bag (one read, its own algorithms)
  ours      archivekit verify --bagit (the RFC 8493 check alone); archivekit capture BAG
            (check, hash, copy, check nothing twice: three reads and one write of every
            byte); archivekit verify of the package (our manifests, then the bag inside
            in its own terms: two reads); bagit.py --validate of the package
and prints seconds, MB/s, peak RSS and ratios to bagit.py --validate of the bag.
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, measure, table  # noqa: E402


def make_bag(folder: Path, size: int, files: int) -> None:
    import bagit
    folder.mkdir(parents=True)
    each = size // files
    for number in range(files):
        sub = folder / f"box-{number % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"clipping-{number:05d}.bin").write_bytes(os.urandom(each))
    bagit.make_bag(str(folder), {"External-Description": "benchmark bag"},
                   checksums=["md5", "sha256"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=100)
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bag-bench-", dir=args.keep))
    try:
        bag = work / "bag"
        make_bag(bag, args.size_mib << 20, args.files)
        size = sum(p.stat().st_size for p in bag.rglob("*") if p.is_file())
        env = dict(os.environ, ARCHIVEKIT_HOME=str(work / "home"), PYTHONPATH=str(ROOT))
        ak = [sys.executable, "-m", "archivekit"]
        bagit_py = [sys.executable, "-m", "bagit", "--validate", "--quiet"]
        baseline = measure(bagit_py + [bag], env)
        rows = [("floor: cp -r", measure(["cp", "-r", bag, work / "copy"], env)),
                ("anchor: bagit.py --validate BAG", baseline),
                ("archivekit verify --bagit BAG", measure(ak + ["verify", "--bagit", bag], env)),
                ("archivekit capture BAG", measure(ak + ["capture", bag, "--out", work / "out"],
                                                   env))]
        package = next((work / "out").iterdir())
        rows += [("archivekit verify PACKAGE", measure(ak + ["verify", package], env)),
                 ("bagit.py --validate PACKAGE", measure(bagit_py + [package], env))]
        print(f"bag: {args.files} files, {size / 2**20:.0f} MiB; ratio = bagit.py --validate "
              "BAG's seconds / these")
        table(rows, size, baseline["seconds"])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
