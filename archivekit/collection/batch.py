"""A run's captured packages recorded a batch at a time, in the order that makes
recovery exact: package in place, indexed, its ingestion line, marked ingested.

Each package is indexed as it is captured, uncommitted (the run's own lookups see it: a
second inbox file with the same bytes finds it); the batch is committed every
BATCH_PACKAGES packages or BATCH_SECONDS, so a long run commits as it goes. Then the
batch's ingestion lines are appended with one fsync, and the packages marked ingested in
one transaction. A commit per package cost ~1.5 ms at 3,000 packages and ~3.2 ms at
100,000 (the rollback journal and an FTS5 segment per transaction), and marking each
~0.85 ms more.

A run killed partway (or stopped by a full disk, runs.py) loses nothing: a package
not committed is found in packages/ by the next run's recovery and indexed; one
committed but not marked has its ingestion line appended then (recover_packages), unless
the killed run had written it (the catalog keeps where in the audit log the batch's
lines begin). An inbox file is settled only once the package holding its bytes is
committed: remembered sooner, a batch that failed would leave it skipped as known with
its package unindexed.
"""

import sqlite3
import time

from archivekit.errors import no_space

BATCH_PACKAGES = 200    # packages recorded in one transaction at most
BATCH_SECONDS = 1.0     # ... or those captured in about this long


class IngestBatch:
    """The packages a run captured and has not yet recorded, and the inbox files to
    settle once they are. `fail(spec, message)` records a source's failure (runs.py)."""

    def __init__(self, collection, index, inbox, operator, report, fail):
        self.collection, self.index, self.inbox = collection, index, inbox
        self.operator, self.report, self.fail = operator, report, fail
        self.pending: list[tuple] = []   # (spec, source, descriptor, path, detail) staged
        self.waiting: list[tuple] = []   # (path, identity, sha256) to settle once committed
        self.started = 0.0

    def add(self, spec, source, descriptor: dict, path, seal: dict, detail: str) -> bool:
        """Index a captured package (uncommitted); whether it is still on its way to
        being recorded (False: its failure is recorded; the next run indexes it)."""
        self.flush_if_due()
        try:
            self.index.stage(descriptor, str(path.relative_to(self.collection.root)), seal)
        except sqlite3.Error as exc:   # every package staged is forgotten
            if no_space(exc):
                raise   # the run stops (runs.py); the next run indexes the packages
            self.pending.append((spec, source, descriptor, path, detail))
            self._failed(exc)
            return False
        if not self.pending:
            self.started = time.monotonic()
        self.pending.append((spec, source, descriptor, path, detail))
        if len(self.pending) >= BATCH_PACKAGES:
            return self.flush()
        return True

    def settle(self, path: str, identity, sha256: str) -> None:
        """Settle an inbox file whose bytes are in the collection, once every package
        staged is committed (it may be the one holding them)."""
        self.waiting.append((path, identity, sha256))
        if not self.pending:
            self.flush()

    def flush_if_due(self) -> None:
        """Record the batch if it is BATCH_SECONDS old, or if another write committed
        it meanwhile (its ingestion lines are then due)."""
        if self.pending and (not self.index.uncommitted() or
                             time.monotonic() - self.started >= BATCH_SECONDS):
            self.flush()

    def flush(self) -> bool:
        """Commit the staged packages, append their ingestion lines (one fsync), mark
        them ingested (one transaction), and settle the inbox files waiting; whether it
        went through (else each package's failure is recorded)."""
        if self.pending:
            try:
                self.index.stage_log_position(self.collection.audit_log.last_seq())
                self.index.commit()
            except sqlite3.Error as exc:
                if no_space(exc):
                    raise   # as in add()
                self._failed(exc)
                return False
            log_ingestions(self.collection, self.index, [
                (descriptor["id"], detail) for _, _, descriptor, _, detail in self.pending],
                self.operator)
            self.report.captured += [{"source": str(spec.path), "package": descriptor["id"],
                                      "sha256": source.sha256}
                                     for spec, source, descriptor, _, _ in self.pending]
            self.pending = []
        for waiting in self.waiting:
            self.inbox.settle(*waiting)
        self.waiting = []
        return True

    def abandon(self) -> None:
        """A run stopped partway: forget what was staged and not committed (recovery
        indexes those packages next run; their inbox files are read again)."""
        if self.index.uncommitted():
            self.index.rollback()
        self.pending, self.waiting = [], []

    def _failed(self, error: sqlite3.Error) -> None:
        """The catalog could not record the batch: each package's source fails, named."""
        self.index.rollback()
        for spec, _, _, path, _ in self.pending:
            self.fail(spec, f"captured as {path.name}, but the catalog could not record it "
                            f"({error}); the next run will")
        self.pending, self.waiting = [], []


def log_ingestions(collection, index, details: list[tuple[str, str]], operator) -> None:
    """The ingestion lines of committed packages ((package id, detail) each) appended with
    one fsync, then the packages marked ingested in one transaction; the caller noted
    the log's position first (stage_log_position, committed)."""
    collection.audit_log.append_many([
        dict(event_type="ingestion", outcome="success", detail=detail, package=package_id,
             operator=operator) for package_id, detail in details])
    index.mark_ingested(*(package_id for package_id, _ in details))


def recover_packages(collection, index, verifier, operator):
    """Finish what an interrupted run, capture or amendment left in packages/
    (Collection.recover: temporaries removed, packages found in place indexed, the
    index told who sealed each, checked by `verifier`), each with its ingestion line.
    Returns Collection.recover's (removed, indexed, refused)."""
    def seal_of(path):   # the first valid seal, checked, not claimed
        seals = verifier.verify(path).facts.get("seals", [])
        return next((s for s in seals if s["valid"]), seals[0] if seals else None)
    removed, indexed, refused = collection.recover(index, seal_of)
    recover_ingestions(collection, index, indexed, operator)
    return removed, indexed, refused


def recover_ingestions(collection, index, indexed_now: list[str], operator) -> None:
    """After an interrupted run: the ingestion line of each package indexed but not
    marked ingested (`indexed_now`: those recovery just indexed), unless the run wrote it
    before it was killed (or, for an amended version, its metadata modification line)."""
    waiting = index.not_ingested()
    if not waiting:
        return
    position, logged = index.log_position(), set()
    if position is not None and set(waiting) - set(indexed_now):
        logged = collection.audit_log.packages_after(position, "ingestion",
                                                     "metadata modification")
    index.stage_log_position(collection.audit_log.last_seq())
    index.commit()
    log_ingestions(collection, index, [
        (package_id, "package found in place after an interrupted run; ingested")
        for package_id in waiting if package_id not in logged], operator)
    if logged & set(waiting):   # their lines were written: only the mark was missing
        index.mark_ingested(*(logged & set(waiting)))
