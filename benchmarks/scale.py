"""Collections at scale: what each collection command costs per package, and its peak
memory, at 1,000 and 10,000 packages (and 100,000 with --big).

    .venv/bin/python benchmarks/scale.py [--sizes 1000 10000] [--big] [--keep DIR]
                                         [--container zip] [--daily-folders [--starstar]]

For each size it writes that many synthetic text clippings (the sample article, each
one numbered so every source is distinct) into an inbox and captures them through the
real pipeline: `archivekit run` on a job manifest that globs the inbox. Then, each in a
fresh process, with wall time and peak RSS:

    capture       the first run (per package captured)
    no-op --rescan  the same run again, every inbox file checked (per package present)
    no-op run     and again: the inbox folder known to be as it was, not listed
    +100 run      100 new sources dropped in the inbox (per new source): the folder
                  listed again, the files known by name and inode not statted
    audit 1 / 2   `audit --workers 1` and `--workers 2` of every package
    audit dask    `audit --scheduler` on a LocalCluster of 2 worker processes
                  (when the `distributed` package is installed)
    list          `list` of the whole catalog
    search        `search` (when the command exists)
    log --verify  the audit log's chain, every entry

The job's audit policy is `fraction` with a share that picks one package, so a run's
audit is the same small cost at every size. Per-item figures are CPU time (user +
system, of the command and its workers): on a machine shared with other work, wall time
varies several-fold between runs and CPU time far less. Wall time is printed as it goes
and gives the speed-up from 1 to 2 workers. Per-item costs that stay flat across sizes
mean the work grows with the collection; a no-op run whose per-package cost falls as
the collection grows means the work is fixed. Sizes and bytes on disk close the table.
With --daily-folders the inbox is folders of 1,000 (`inbox/from-NNNNNNN/`, as a day's
folder), the job globs `inbox/*/*.txt`, and the +100 run's sources are a new folder;
with --starstar too, the job globs `inbox/**/*.txt` (as manifests/nightly.yaml does).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archivekit._internal.fsutil import RACY_NS  # noqa: E402
from benchmarks.common import ROOT, measure  # noqa: E402

SEED = ROOT / "samples/nyt-2023-12-28-chinese-spy-agency.txt"
PLUS = 100
DAY = 1000      # clippings a folder with --daily-folders


def write_clippings(inbox: Path, start: int, count: int) -> None:
    seed = SEED.read_text()
    for number in range(start, start + count):
        (inbox / f"clip-{number:07d}.txt").write_text(
            seed.replace("Chinese Spy Agency", f"Chinese Spy Agency {number}"))


def day_folder(inbox: Path, start: int) -> Path:
    """The folder of a day's clippings numbered from `start` (--daily-folders)."""
    folder = inbox / f"from-{start:07d}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def archivekit(*args) -> list[str]:
    return [sys.executable, "-m", "archivekit", *map(str, args)]


def has_command(env: dict, name: str) -> bool:
    help_text = subprocess.run(archivekit("--help"), env=env, capture_output=True, text=True)
    return f"  {name} " in help_text.stdout


def has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


def disk_use(folder: Path) -> tuple[int, int]:
    """(bytes allocated, inodes) under `folder`, folders included."""
    allocated, inodes = 0, 0
    for path in [folder, *folder.rglob("*")]:
        stat = path.lstat()
        allocated += stat.st_blocks * 512
        inodes += 1
    return allocated, inodes


def bench_size(size: int, work: Path, env: dict, dask_address: str | None,
               container: str = "dir", build_workers: int = 0,
               build_only: bool = False, daily: bool = False,
               starstar: bool = False) -> list[tuple]:
    """[(step, per how many, measurement)] for a collection of `size` packages. A
    collection kept from an earlier call (`work` holds it, built) is measured again
    as it is, not rebuilt."""
    inbox, collection, manifest = work / "inbox", work / "collection", work / "job.yaml"
    rows = []

    def step(label, per, command):
        result = measure(command, env)
        rows.append((label, per, result))
        print(f"  {size:>7} {label:14} {result['seconds']:8.2f} s {result['cpu_seconds']:8.2f} s CPU "
              f"{result['cpu_seconds'] / per * 1000:8.3f} ms CPU/item {result['rss_mib']:6.0f} MiB"
              f"{'' if result['code'] in (0, None) else '  exit ' + str(result['code'])}",
              flush=True)
    step("start-up", 1, archivekit("--version"))      # the fixed cost every command pays
    built = work / "built"
    if not built.exists():
        shutil.rmtree(work, ignore_errors=True)
        inbox.mkdir(parents=True)
        for start in range(0, size, DAY if daily else size):
            write_clippings(day_folder(inbox, start) if daily else inbox, start,
                            min(DAY, size - start) if daily else size)
        manifest.write_text(json.dumps({
            "collection": str(collection), "name": f"scale-{size}", "key": "bench",
            "container": container,
            "sources": [{"glob": str(inbox / ("**/*.txt" if daily and starstar else
                                              "*/*.txt" if daily else "*.txt"))}],
            "audit": {"policy": "fraction", "fraction": 0.5 / (size + PLUS)}}))
        if build_workers:   # made on several processes, recorded in batches (scale_build.py)
            step("capture", size, [sys.executable, str(Path(__file__).parent / "scale_build.py"),
                                   manifest, "--workers", build_workers])
        else:
            step("capture", size, archivekit("run", manifest, "--workers", 1))
        built.touch()
    if build_only:
        return rows
    present = len(list(inbox.glob("*/*.txt" if daily else "*.txt")))
    step("no-op --rescan", present, archivekit("run", manifest, "--workers", 1, "--rescan"))
    step("no-op run", present, archivekit("run", manifest, "--workers", 1))
    write_clippings(day_folder(inbox, present) if daily else inbox, present, PLUS)
    time.sleep(RACY_NS / 1e9 + 1)   # written before the run, as a night's inbox is
    step("+100 run", PLUS, archivekit("run", manifest, "--workers", 1))
    total = present + PLUS
    step("audit 1", total, archivekit("audit", collection, "--policy", "all", "--workers", 1))
    step("audit 2", total, archivekit("audit", collection, "--policy", "all", "--workers", 2))
    if dask_address and "--scheduler" in subprocess.run(
            archivekit("audit", "--help"), env=env, capture_output=True, text=True).stdout:
        step("audit dask", total, archivekit("audit", collection, "--policy", "all",
                                             "--scheduler", dask_address))
    step("list", total, archivekit("list", collection))
    if has_command(env, "search"):
        step("search", total, archivekit("search", collection, "spy"))
    step("log --verify", total, archivekit("log", collection, "--verify"))
    allocated, inodes = disk_use(collection / "packages")
    first = "*/clip-0000000.txt" if daily else "clip-0000000.txt"
    clipping = next(inbox.glob(first)).stat().st_size
    log_bytes = sum(p.stat().st_size for p in [collection / "audit.jsonl",
                                                *collection.glob("audit/*")] if p.exists())
    print(f"  {size:>7} on disk: {allocated / total / 1024:.1f} KiB and {inodes / total:.1f} "
          f"inodes per package (clipping {clipping / 1024:.1f} KiB); audit log "
          f"{log_bytes / 2**20:.1f} MiB", flush=True)
    rows.append(("bytes/package", 1, {"seconds": 0, "cpu_seconds": 0, "rss_mib": 0, "code": 0,
                                      "kib": allocated / total / 1024,
                                      "inodes": inodes / total}))
    return rows


def start_cluster():
    """A LocalCluster of 2 single-threaded worker processes on 127.0.0.1."""
    from distributed import LocalCluster
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                        host="127.0.0.1", dashboard_address=":0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--big", action="store_true", help="also 100,000 packages (long)")
    parser.add_argument("--keep", type=Path, help="keep the collections in this folder")
    parser.add_argument("--container", choices=["dir", "zip"], default="dir",
                        help="how the collection stores packages")
    parser.add_argument("--build-workers", type=int, default=0,
                        help="capture on this many processes (benchmarks/scale_build.py), "
                             "then index with a run; 0: capture with the run itself")
    parser.add_argument("--daily-folders", action="store_true",
                        help="an inbox of folders of 1,000, globbed inbox/*/*.txt")
    parser.add_argument("--starstar", action="store_true",
                        help="with --daily-folders: globbed inbox/**/*.txt instead")
    parser.add_argument("--no-dask", action="store_true", help="no audit on a Dask cluster")
    parser.add_argument("--build-only", action="store_true",
                        help="build (and keep, with --keep) the collections, measure nothing more")
    args = parser.parse_args()
    sizes = args.sizes + ([100_000] if args.big else [])
    base = args.keep or Path(tempfile.mkdtemp(prefix="ak-scale-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    home = base / "home"
    os.environ["PYTHONPATH"] = str(ROOT)      # this tree's archivekit, in the workers too
    env = dict(os.environ, ARCHIVEKIT_HOME=str(home))
    # As deployed: modules compiled once to bytecode. With PYTHONDONTWRITEBYTECODE set
    # (this machine sets it) every command compiles ~150 modules from source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not (home / "keys").is_dir():    # a kept folder has its key already
        subprocess.run(archivekit("keys", "generate", "bench"), env=env, check=True,
                       capture_output=True)
    cluster = start_cluster() if has_dask() and not (args.build_only or args.no_dask) else None
    results = {}
    try:
        for size in sizes:
            work = base / f"n{size}"
            results[size] = bench_size(size, work, env, cluster and cluster.scheduler_address,
                                       args.container, args.build_workers, args.build_only,
                                       args.daily_folders, args.starstar)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
    finally:
        if cluster:
            cluster.close()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    summary(results)


def summary(results: dict) -> None:
    sizes = list(results)
    print("\nCPU per item (ms: user + system, the command and its workers) and peak RSS "
          "(MiB);\nlast column: largest size against smallest (1.00x: the cost grows with the "
          "items)")
    print(f"  {'step':14}" + "".join(f"{n:>18,}" for n in sizes) + f"{'ratio':>9}")
    labels = [label for label, _, _ in results[sizes[0]]]
    for label in labels:
        cells, first, last = [], None, None
        for size in sizes:
            found = [(per, r) for name, per, r in results[size] if name == label]
            if not found:
                cells.append(f"{'-':>18}")
                continue
            per, result = found[0]
            if label == "bytes/package":
                cells.append(f"{result['kib']:8.1f}K {result['inodes']:5.1f}ino")
                continue
            value = result["cpu_seconds"] / per * 1000
            first = value if first is None else first
            last = value
            cells.append(f"{value:9.3f} {result['rss_mib']:6.0f}Mi")
        ratio = f"{last / first:8.2f}x" if first and last and len(sizes) > 1 else ""
        print(f"  {label:14}" + "".join(cells) + f"{ratio:>9}")
    for size in sizes:
        runs = {label: r for label, _, r in results[size]}
        if "audit 1" in runs and "audit 2" in runs:
            print(f"  {size:,}: audit speed-up 1 -> 2 workers "
                  f"{runs['audit 1']['seconds'] / runs['audit 2']['seconds']:.2f}x"
                  + (f", 1 worker -> dask (2 processes) "
                     f"{runs['audit 1']['seconds'] / runs['audit dask']['seconds']:.2f}x"
                     if "audit dask" in runs else ""))


if __name__ == "__main__":
    main()
