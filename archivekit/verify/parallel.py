"""Verifying many packages at once: one process per worker (hashing and inflating are
CPU-bound; threads would share one core under the GIL).

`workers` is the number of cores verification may use. Packages are spread over that
many processes; a process that has a core to spare (one package, two workers) hashes on
a second thread beside its WARC scan.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archivekit._internal.limits import Limits
from archivekit.trust.keys import TrustStore
from archivekit.verify.findings import Report
from archivekit.verify.policy import VerificationPolicy
from archivekit.verify.verifier import verify_package

_policy = None   # one per worker process, loaded once


def default_workers() -> int:
    """The machine's cores, at most 4 (beyond that, disks rather than cores set the pace)."""
    return min(os.cpu_count() or 1, 4)


def plan(workers: int, packages: int) -> tuple[int, bool]:
    """(processes, whether each hashes on a second thread) for `workers` cores."""
    processes = max(1, min(workers, packages))
    return processes, workers >= 2 * processes


def _load_policy(trust_path: str | None, parallel_hashing: bool,
                 log_checkpoint: str | None = None, limits: Limits | None = None) -> None:
    global _policy
    _policy = VerificationPolicy(TrustStore.load(Path(trust_path)) if trust_path
                                 else TrustStore(None), parallel_hashing=parallel_hashing,
                                 log_checkpoint=log_checkpoint, limits=limits or Limits())


def _verify(path: str) -> Report:
    return verify_package(path, _policy)


def verify_many(paths: list[str], trust_path, workers: int = 1, progress=None,
                log_checkpoint: str | None = None, limits: Limits | None = None) -> list[Report]:
    """Reports in the order of `paths`."""
    trust = str(trust_path) if trust_path else None
    processes, threaded = plan(workers, len(paths))
    if processes == 1:
        _load_policy(trust, threaded, log_checkpoint, limits)
        reports = []
        for path in paths:
            reports.append(_verify(path))
            if progress:
                progress(len(reports), len(paths))
        return reports
    with ProcessPoolExecutor(max_workers=processes, initializer=_load_policy,
                             initargs=(trust, threaded, log_checkpoint, limits)) as pool:
        reports = []
        for report in pool.map(_verify, paths):
            reports.append(report)
            if progress:
                progress(len(reports), len(paths))
        return reports
