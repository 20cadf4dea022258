"""Auditing a collection: choose packages by policy, verify them in batches (in parallel
processes, or on a Dask cluster), and record each batch as it comes back.

Each audited package gets two events in the audit log — fixity check and digital
signature validation — and its outcome in the catalog index. A batch's events are
appended in one write and one fsync, its outcomes in one SQLite transaction. Memory
holds the batches in flight, never the whole audit; an audit killed partway keeps every
batch it recorded, and the next audit resumes: what the interrupted one already checked
is not checked again.
"""

import hashlib
import math
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from itertools import chain, islice
from datetime import datetime, timedelta
from pathlib import Path

from archivekit.collection.catalog import AuditQueue
from archivekit.collection.store import Collection
from archivekit.errors import InputError, UsageError
from archivekit._internal.lifeline import daemon_context, die_with
from archivekit._internal.limits import Limits
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.trust.truststore import TrustStore
from archivekit.verify import Grounds, VerificationPolicy, Verifier
from archivekit.verify.parallel import default_workers
from archivekit.verify.checks import verify_package

POLICIES = ("all", "fraction", "stale")
BATCH = 32           # packages per task: large enough that bookkeeping is per batch
MAX_FINDINGS = 20    # per event: a badly damaged package must not make a huge entry
MAX_DAYS = 365_000   # "not checked for more days than this" (a thousand years) chooses
                     # only packages never checked, as any more would; the calendar ends
                     # a little past it (a larger --days overflowed)


@dataclass(frozen=True)
class AuditPolicy:
    """Which packages an audit verifies."""
    mode: str = "all"          # all | fraction | stale
    fraction: float = 1.0      # with "fraction": this share, least recently checked first
    days: int = 30             # with "stale": packages not checked for this many days

    @classmethod
    def of(cls, collection_policy: dict, mode: str | None = None,
           fraction: float | None = None, days: int | None = None) -> "AuditPolicy":
        """The collection's policy (collection.yaml `policy`: audit, fraction, days), with
        what a job manifest or the command line gives instead, where it gives it."""
        mode = mode or collection_policy.get("audit", "all")
        if mode not in POLICIES:
            raise UsageError(f"audit policy {mode!r}: must be one of {', '.join(POLICIES)}")
        said = {"fraction": fraction, "days": days}
        fraction = fraction if fraction is not None else collection_policy.get("fraction", 1)
        days = days if days is not None else collection_policy.get("days", 30)

        def refuse(name, value, rule):
            where = "" if said[name] is not None else " (the policy in collection.yaml)"
            return UsageError(f"audit {name} {value!r}{where}: must be {rule}")
        # NaN passes any range check (every comparison is false) and crashed the audit;
        # a fraction of -1 audited nothing and called that a success.
        if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) \
                or not 0 < fraction <= 1:
            raise refuse("fraction", fraction, "a number more than 0 and at most 1")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise refuse("days", days, "a whole number, 0 or more")
        return cls(mode, float(fraction), min(days, MAX_DAYS))

    def choose(self, index, now, resumed_since: str | None = None,
               done: int = 0) -> AuditQueue:
        """(id, path) to audit, least recently checked first. `resumed_since`: an
        interrupted audit began then and checked `done` packages; they are left out."""
        stale_before = format_time(now - timedelta(days=self.days)) if self.mode == "stale" \
            else None
        limit = None
        if self.mode == "fraction":
            limit = max(0, math.ceil(index.count() * self.fraction) - done)
        return index.audit_queue(stale_before, resumed_since, limit)


@dataclass(frozen=True)
class Outcome:
    """One package's audit, small enough to send back from a worker process or machine."""
    package_id: str
    path: str
    verified: bool
    errors: tuple[str, ...] = ()       # "CODE message", every error
    fixity: tuple[str, ...] = ()       # the errors of fixity (AK1xx-AK4xx), at most 20
    seals: tuple[str, ...] = ()        # the errors of seals (AK5xx-AK6xx), at most 20
    signers: str = ""                  # who sealed it, for the signature event
    missing: bool = False


@dataclass
class AuditSummary:
    """What an audit did: counts, the packages that failed (by name, with why) and the
    withdrawn ones whose signed tombstones were checked (a withdrawal is never "missing")."""
    audited: int = 0
    failures: list[dict] = field(default_factory=list)   # {"package", "errors"}
    withdrawn: list[dict] = field(default_factory=list)  # {"package", "withdrawn"}: proven
    resumed: str | None = None         # when the interrupted audit it finished began
    skipped_as_done: int = 0           # packages that audit had already checked


# --- in a worker: verify a batch ---------------------------------------------------------

_trust_cache: dict[str, TrustStore] = {}


def _trust(trust_text: bytes) -> TrustStore:
    """The trust store from its bytes (workers on other machines have no home), loaded
    once per process."""
    digest = hashlib.sha256(trust_text).hexdigest()
    if digest not in _trust_cache:
        _trust_cache[digest] = TrustStore.loads(trust_text.decode("utf-8"))
    return _trust_cache[digest]


def check_batch(root: str, batch: list[tuple[str, str]], trust_text: bytes, now: datetime,
                policy: VerificationPolicy) -> list[Outcome]:
    """Verify the packages of `batch` ((id, path relative to `root`)) on the driver's
    grounds: its trust store (as text), its moment and `policy`. Runs in a worker
    process, here or on another machine that sees the collection at `root`."""
    grounds = Grounds(_trust(trust_text), now, policy)
    return [_check(Path(root), package_id, path, grounds) for package_id, path in batch]


def _check(root: Path, package_id: str, path: str, grounds: Grounds) -> Outcome:
    location = root / path
    if not os.path.lexists(location):
        message = "AK100 package is missing from the collection"
        return Outcome(package_id, path, False, (message,), (message,), missing=True)
    report = verify_package(location, grounds, parallel_hashing=False)
    errors = [f for f in report.findings if f.severity == "error"]
    words = lambda found: tuple(f"{f.code} {f.message}" for f in found)  # noqa: E731
    signers = ", ".join(f"{s.get('signer')} ({s.get('key_id')})"
                        for s in report.facts.get("seals", []) if s.get("valid"))
    return Outcome(package_id, path, report.verified, words(errors),
                   words([f for f in errors if f.code[2] in "1234"][:MAX_FINDINGS]),
                   words([f for f in errors if f.code[2] in "56"][:MAX_FINDINGS]), signers)


# --- in the driver: schedule batches, record them as they come --------------------------

def audit_collection(collection: Collection, policy: AuditPolicy, verifier: Verifier,
                     workers: int = 0, operator: str | None = None, progress=None,
                     scheduler: str | None = None, limits: Limits | None = None,
                     summary: AuditSummary | None = None) -> AuditSummary:
    """Verify the chosen packages with `verifier` and record every outcome. The caller
    holds the lock. `scheduler`: the address of a Dask scheduler (tcp://HOST:PORT) whose
    workers see the collection at the same path; else `workers` local processes.
    `summary`: the caller's, filled in as batches are recorded (an audit stopped
    partway leaves in it what it recorded)."""
    # Workers get the trust store as its text: one on another machine has no home.
    trust_text = verifier.trust.dumps().encode("utf-8")
    now, requirements = verifier.clock(), VerificationPolicy(limits=limits or Limits())
    index = collection.index()
    summary = summary if summary is not None else AuditSummary()
    try:
        interrupted = index.audit_in_progress()
        if interrupted:
            summary.resumed = interrupted
            summary.skipped_as_done = index.audited_since(interrupted)
        chosen = policy.choose(index, utc_now(), interrupted, summary.skipped_as_done)
        if not interrupted:
            index.begin_audit(_start_time(index))
        total = len(chosen)
        run = _on_dask if scheduler else _on_processes
        batches = chosen.batches(BATCH)
        for outcomes in run(batches, str(collection.root), trust_text, now, requirements,
                            scheduler or workers or default_workers()):
            _record(collection, index, outcomes, operator, summary)
            if progress:
                progress(summary.audited, total)
        _check_withdrawals(collection, index, verifier.trust, operator, summary)
        index.end_audit()
        return summary
    finally:
        index.close()


def _start_time(index) -> str:
    """When this audit begins, as the catalog writes times (whole seconds), once no
    package has that time as its last audit. Resumed after an interruption, an audit
    skips the packages checked at or after its start: one checked in the same second by
    the audit just before (a run's, then `archivekit audit`) would be skipped unchecked.
    Waits 1.5 s at most (a last audit dated later, by a clock ahead, is not waited for)."""
    deadline = time.monotonic() + 1.5
    started = format_time(utc_now())
    while index.audited_since(started) and time.monotonic() < deadline:
        time.sleep(0.05)
        started = format_time(utc_now())
    return started


def _on_processes(batches, root, trust_text, now, policy, workers):
    """Outcomes as batches finish: every finished batch at once, after the pool is given
    new batches, so the workers go on verifying while the driver records (an fsync and a
    commit: tens of milliseconds on a busy disk, longer than a worker takes for a batch);
    at most four batches per process in flight (results do not pile up in memory)."""
    batches = iter(batches)
    first = list(islice(batches, 2))
    queue = chain(first, batches)
    if workers <= 1 or len(first) <= 1:   # one batch: not worth starting processes
        for batch in queue:
            yield check_batch(root, batch, trust_text, now, policy)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=daemon_context(),
                             initializer=die_with, initargs=(os.getpid(),)) as pool:
        pending = set()

        def top_up():
            for batch in islice(queue, 4 * workers - len(pending)):
                pending.add(pool.submit(check_batch, root, batch, trust_text, now, policy))
        top_up()
        while pending:
            done = wait(pending, return_when=FIRST_COMPLETED).done
            pending.difference_update(done)
            top_up()     # before the driver records
            yield [outcome for future in done for outcome in future.result()]


def _on_dask(batches, root, trust_text, now, policy, address):
    """The same on a Dask cluster: each batch a task; results as they complete."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("auditing on a Dask cluster needs the 'distributed' package: "
                         "pip install 'archivekit[cluster]'") from None
    try:
        client = Client(address, timeout=10)
    except OSError as exc:
        raise InputError(f"{address}: no Dask scheduler answered ({exc})") from None
    with client:
        trust_future = client.scatter(trust_text, broadcast=True)
        queue = iter(batches)
        window = 2 * max(1, len(client.nthreads()))
        futures = as_completed([client.submit(check_batch, root, batch, trust_future, now,
                                              policy, pure=False)
                                for batch in islice(queue, window)])
        for future in futures:
            yield future.result()
            future.release()
            batch = next(queue, None)
            if batch is not None:
                futures.add(client.submit(check_batch, root, batch, trust_future, now,
                                          policy, pure=False))


def _record(collection, index, outcomes: list[Outcome], operator, summary: AuditSummary):
    """A batch into the audit log (one write) and the catalog (one transaction)."""
    events = []
    for outcome in outcomes:
        events.append(dict(
            event_type="fixity check", outcome="failure" if outcome.fixity else "success",
            detail="; ".join(outcome.fixity) or
            "every manifest digest, WARC record digest and gzip member checked",
            package=outcome.package_id, operator=operator))
        if not outcome.missing:
            events.append(dict(
                event_type="digital signature validation",
                outcome="failure" if outcome.seals else "success",
                detail="; ".join(outcome.seals) or f"sealed by {outcome.signers}",
                package=outcome.package_id, operator=operator))
        if not outcome.verified:
            summary.failures.append({"package": outcome.package_id,
                                     "errors": list(outcome.errors)})
    collection.audit_log.append_many(events)
    when = format_time(utc_now())
    index.record_audits([(o.package_id, when, "success" if o.verified else "failure")
                         for o in outcomes])
    summary.audited += len(outcomes)


def _check_withdrawals(collection, index, trust: TrustStore, operator,
                       summary: AuditSummary) -> None:
    """A withdrawn package is not missing: its signed tombstone is checked instead (one
    signature each; withdrawals are few)."""
    from archivekit.collection.withdraw import tombstone_problem
    outcomes = []
    for row in index.withdrawn():
        problem = tombstone_problem(collection, row["id"], trust)
        withdrawal = row["withdrawal"] or {}
        entry = {"package": row["id"], "withdrawn": f"on {withdrawal.get('withdrawn_at', '?')}: "
                                                    f"{withdrawal.get('reason', '')}"}
        if problem:   # success is already in the log, as the deaccession event
            collection.audit_log.append("validation", "failure", problem, package=row["id"],
                                  operator=operator)
            summary.failures.append(entry | {"errors": [f"AK100 {problem}"]})
        else:
            summary.withdrawn.append(entry)
        outcomes.append((row["id"], format_time(utc_now()), "failure" if problem else "success"))
    index.record_audits(outcomes)
    summary.audited += len(outcomes)
