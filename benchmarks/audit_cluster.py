"""A full audit on a Dask cluster against local worker processes: the same collection,
the same machine, rounds alternating so that each method meets the same load.

    nice -n 10 .venv/bin/python benchmarks/audit_cluster.py COLLECTION --home HOME [--rounds 2]

Each round runs, each in a fresh process, `archivekit audit COLLECTION --policy all`
with `--workers 1`, `--workers 2`, and `--scheduler ADDRESS` on a LocalCluster of 2
single-threaded worker processes on 127.0.0.1 started for it (Dask's default settings;
inheriting this process's niceness and PYTHONPATH: this tree's archivekit). For each: wall time; the CPU of the command and its own worker processes
(user + system); on a cluster also the CPU of its workers (their rusage read before
and after) and of its scheduler (it runs in this process, otherwise idle); the
command's peak RSS (on a cluster, the driver's). The audit writes its outcomes into the
collection's logs, as a nightly audit does.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, measure  # noqa: E402


def worker_cpu() -> float:
    """CPU seconds this process has used (run on each cluster worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("collection", type=Path)
    parser.add_argument("--home", type=Path, required=True, help="the archivekit home "
                        "whose trust store verifies the collection's seals")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", nargs="+", choices=["1", "2", "dask"],
                        default=["1", "2", "dask"],
                        help="which audits each round runs, in this order")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(ROOT)        # this tree, in the cluster's workers too
    env = dict(os.environ, ARCHIVEKIT_HOME=str(args.home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)    # as deployed: bytecode compiled once
    packages = sum(1 for _ in (args.collection / "packages").iterdir())
    command = [sys.executable, "-m", "archivekit", "audit", args.collection, "--policy", "all",
               "--wait", "600"]
    print(f"{packages:,} packages in {args.collection}")
    for round_number in range(1, args.rounds + 1):
        for name in args.only:
            load = open("/proc/loadavg").read().split()[0]
            if name == "dask":
                result, cluster_cpu = on_cluster(command, env)
                extra = f" + cluster {cluster_cpu:6.1f} s (workers and scheduler)"
            else:
                result, cluster_cpu, extra = measure(command + ["--workers", name], env), 0, ""
            per_package = (result["cpu_seconds"] + cluster_cpu) / packages * 1000
            print(f"round {round_number} audit {name:>10}: {result['seconds']:7.1f} s wall, "
                  f"{result['cpu_seconds']:6.1f} s CPU{extra}; {per_package:5.2f} ms CPU a "
                  f"package; {result['rss_mib']:4.0f} MiB; exit {result['code']}; load {load}",
                  flush=True)


def on_cluster(command: list, env: dict) -> tuple[dict, float]:
    """The audit on a LocalCluster of 2 single-threaded worker processes started for it:
    (its measurement, the CPU seconds of the cluster's workers and scheduler while it
    ran)."""
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        workers = sum(client.run(worker_cpu).values())
        scheduler = time.process_time()   # the scheduler runs in this process (and a client)
        result = measure(command + ["--scheduler", cluster.scheduler_address], env)
        workers = sum(client.run(worker_cpu).values()) - workers
        return result, workers + time.process_time() - scheduler


if __name__ == "__main__":
    main()
