"""Verifying many packages at once: one process per worker (hashing and inflating are
CPU-bound; threads would share one core under the GIL)."""

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from archivekit.keys import TrustStore
from archivekit.verify.findings import Report
from archivekit.verify.policy import VerificationPolicy
from archivekit.verify.verifier import verify_package

_policy = None   # one per worker process, loaded once


def _load_policy(trust_path: str | None, parallel_hashing: bool = True,
                 log_checkpoint: str | None = None) -> None:
    global _policy
    _policy = VerificationPolicy(TrustStore.load(Path(trust_path)) if trust_path
                                 else TrustStore(None), parallel_hashing=parallel_hashing,
                                 log_checkpoint=log_checkpoint)


def _verify(path: str) -> Report:
    return verify_package(path, _policy)


def verify_many(paths: list[str], trust_path, workers: int = 1, progress=None,
                log_checkpoint: str | None = None) -> list[Report]:
    """Reports in the order of `paths`."""
    trust = str(trust_path) if trust_path else None
    if workers <= 1 or len(paths) <= 1:
        _load_policy(trust, True, log_checkpoint)
        reports = []
        for path in paths:
            reports.append(_verify(path))
            if progress:
                progress(len(reports), len(paths))
        return reports
    with ProcessPoolExecutor(max_workers=workers, initializer=_load_policy,
                             initargs=(trust, False, log_checkpoint)) as pool:
        reports = []
        for report in pool.map(_verify, paths):
            reports.append(report)
            if progress:
                progress(len(reports), len(paths))
        return reports
