"""Verifying many packages at once: one process per worker (hashing and inflating are
CPU-bound; threads would share one core under the GIL).

`workers` is the number of cores verification may use. Packages are spread over that
many processes; a process that has a core to spare (one package, two workers) hashes on
a second thread beside its WARC scan. Every process verifies on the same grounds (trust
store, moment, policy), sent to it once, intact.
"""

import os
from concurrent.futures import ProcessPoolExecutor

from archivekit._internal.lifeline import daemon_context, die_with
from archivekit.verify.findings import Report
from archivekit.verify.policy import Grounds
from archivekit.verify.checks import verify_package

_worker = None   # (grounds, parallel_hashing) in a worker process, set once at its start


def default_workers() -> int:
    """The machine's cores, at most 4 (beyond that, disks rather than cores set the pace)."""
    return min(os.cpu_count() or 1, 4)


def plan(workers: int, packages: int) -> tuple[int, bool]:
    """(processes, whether each hashes on a second thread) for `workers` cores."""
    processes = max(1, min(workers, packages))
    return processes, workers >= 2 * processes


def _start_worker(parent: int, grounds: Grounds, parallel_hashing: bool) -> None:
    global _worker
    die_with(parent)
    _worker = (grounds, parallel_hashing)


def _verify(path: str) -> Report:
    grounds, parallel_hashing = _worker
    return verify_package(path, grounds, parallel_hashing)


def verify_many(paths: list[str], grounds: Grounds, workers: int = 1,
                progress=None) -> list[Report]:
    """Reports in the order of `paths`."""
    processes, threaded = plan(workers, len(paths))
    reports = []
    if processes == 1:
        for path in paths:
            reports.append(verify_package(path, grounds, threaded))
            if progress:
                progress(len(reports), len(paths))
        return reports
    with ProcessPoolExecutor(max_workers=processes, mp_context=daemon_context(),
                             initializer=_start_worker,
                             initargs=(os.getpid(), grounds, threaded)) as pool:
        for report in pool.map(_verify, paths):
            reports.append(report)
            if progress:
                progress(len(reports), len(paths))
    return reports
