"""One run of a job: capture what is new, then audit by policy, and report.

Safe to kill at any moment: packages appear whole or not at all; the audit log
gains whole entries; the next run removes half-built temporaries, indexes any
package that was moved into place but not yet recorded, and goes on. A full disk
stops a run the same way, with an error (NoSpace) that names the file and holds the
report so far.
"""

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archivekit._internal.limits import Limits
from archivekit._internal.software import __version__

from archivekit._internal import strictjson
from archivekit.collection.audit import AuditPolicy, AuditSummary, audit_collection
from archivekit.collection.batch import IngestBatch, recover_packages
from archivekit.collection.store import Collection
from archivekit.errors import ArchivekitError, NoSpace, UsageError
from archivekit._internal.fsutil import atomic_write_bytes, folder_stamp
from archivekit.trust.home import Home
from archivekit.collection.inbox import InboxScan
from archivekit.collection.jobs import JobManifest
from archivekit.package.contents import read_descriptor
from archivekit.trust.signer import Signer, resolve_signer
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.verify import Verifier

if TYPE_CHECKING:   # loaded by the capture that needs it (a run with nothing new never does)
    from archivekit.collection.ingest import Ingested
    from archivekit.package.writer import PackageSpec


@dataclass
class RunReport:
    """What one run (or audit) of a collection did: what it captured, skipped, amended and
    failed to capture, what it recovered from an interrupted run, the packages it audited
    and those that failed, and its notes."""
    job: str
    collection: str
    started: str
    finished: str | None = None
    captured: list[dict] = field(default_factory=list)
    skipped: int = 0          # sources already in the collection: a count, not a line each
    amended: list[dict] = field(default_factory=list)   # known sources whose catalog changed
    failed: list[dict] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    audited: int = 0          # packages audited: a count; the failures by name
    audit_failures: list[dict] = field(default_factory=list)   # {"package", "errors"}
    withdrawn: list[dict] = field(default_factory=list)   # {"package", "withdrawn"}: proven
    notes: list[str] = field(default_factory=list)
    stopped: str | None = None   # why the run stopped before its end (a full disk)

    @property
    def ok(self) -> bool:
        """Whether the run's outcome is "ok"."""
        return self.outcome == "ok"

    @property
    def outcome(self) -> str:
        """"damaged": a package failed its audit (what matters most); "stopped": the
        run stopped before its end (`stopped` says why); "sources failed": the audit
        passed but some sources could not be captured; "ok": none of these."""
        if self.audit_failures:
            return "damaged"
        if self.stopped:
            return "stopped"
        return "sources failed" if self.failed else "ok"

    def note(self, text: str) -> None:
        """Add a note, once."""
        if text not in self.notes:
            self.notes.append(text)

    def to_dict(self) -> dict:
        """The report as written to the collection's reports/ (JSON-ready)."""
        return {"software": f"archivekit/{__version__}", "job": self.job,
                "collection": self.collection, "started": self.started,
                "finished": self.finished, "ok": self.ok, "outcome": self.outcome,
                "captured": self.captured, "skipped": self.skipped, "amended": self.amended,
                "failed": self.failed, "recovered": self.recovered, "audited": self.audited,
                "audit_failures": self.audit_failures, "withdrawn": self.withdrawn,
                "notes": self.notes, "stopped": self.stopped}


def home_verifier(home: Home) -> Verifier:
    """A verifier that believes the trust store of the configuration home."""
    from archivekit.trust.truststore import TrustStore
    return Verifier(TrustStore.load(home.trust_path))


def recover(collection: Collection, home: Home, operator, report: RunReport) -> None:
    """Finish what an interrupted run left: temporaries, unindexed and unlogged packages.
    An entry of packages/ that cannot be read as a package is an audit failure."""
    index = collection.index()
    try:
        removed, indexed, refused = recover_packages(collection, index, home_verifier(home),
                                                     operator)
        for name in removed:
            report.notes.append(f"removed half-built {name} left by an interrupted run")
        for path, why, damaged in refused:
            if damaged:   # what an audit is for: counted as looked at, and failed
                report.audited += 1
                report.audit_failures.append({"package": path, "unreadable": True, "errors": [
                    f"{why}; repair it from a copy, or move it out of the collection"]})
            else:
                report.notes.append(f"{path} is not indexed or audited: {why}; rename or "
                                    "remove it")
        report.recovered += indexed
    finally:
        index.close()


def capture_sources(manifest: JobManifest, collection: Collection, signer: Signer,
                    operator, report: RunReport, progress=None,
                    verifier: Verifier | None = None, rescan: bool = False) -> bool:
    """Capture every new source; return whether every package in packages/ is indexed
    (it was before, as recovery found it, and no capture failed). A source seen before
    whose catalog changed is amended (verified first, by `verifier`) when the manifest
    says on_change: amend. An inbox file the catalog knows (same path, size, mtime,
    inode, ctime and catalog as when it was settled) is counted as skipped unread,
    and a folder known to be as it was is not listed (inbox.py: how a file rewritten in
    place is still found; `rescan`: every file checked now)."""
    # Made for the first source to read: a run with nothing new does not load capture's
    # modules (a third of its CPU time).
    options = None
    index = collection.index()
    inbox = InboxScan(manifest, index, rescan)
    batch = IngestBatch(collection, index, inbox, operator, report,
                        lambda spec, message: _capture_failed(collection, spec, message,
                                                              operator, report))
    indexed_all = index.packages_stamp() == folder_stamp(collection.packages_dir)
    failures = len(report.failed)
    total = inbox.total() if progress else 0
    for entry in manifest.sources:   # a glob's catalog warnings: noted each run
        for warning in getattr(entry.catalog, "warnings", ()):
            report.note(warning)
    try:
        for found in inbox.found():
            spec, identity = found.spec, found.identity
            batch.flush_if_due()
            if progress:
                progress(found.number, total)
            for warning in spec.warnings:
                report.note(warning)
            if spec.problem:
                _capture_failed(collection, spec, spec.problem, operator, report)
                continue
            options = options or _package_spec(manifest, collection, signer, operator)
            sha256 = _capture_one(spec, replace(options, catalog=spec.catalog), collection,
                                  batch, signer, operator, report, manifest.on_change, verifier)
            if sha256:
                batch.settle(str(spec.path), identity, sha256)
        batch.flush()
        for note in inbox.notes:
            report.note(note)
    finally:
        batch.abandon()    # stopped partway: what was not committed is recovered next run
        report.skipped += inbox.skipped
        inbox.remember()
        index.close()
    return indexed_all and len(report.failed) == failures


def _package_spec(manifest: JobManifest, collection: Collection, signer: Signer, operator):
    from archivekit.package.writer import PackageSpec
    return PackageSpec.sealed_by(
        signer, manifest.tsa or collection.config["policy"].get("tsa"),
        organization=manifest.organization or collection.config.get("organization"),
        collection=collection.name, operator=operator, container=manifest.container)


def _capture_one(spec, options: "PackageSpec", collection: Collection, batch: IngestBatch,
                 signer: Signer, operator, report: RunReport, on_change="skip",
                 verifier=None) -> str | None:
    """Capture one source unless its content is in the collection (or in `batch`, to be
    recorded); its sha256 when it is settled (in the collection, its catalog dealt with),
    else None (it is read again next run)."""
    from archivekit.capture.files import read_file_source
    from archivekit.package.build import capture_file
    try:
        source = read_file_source(spec.path, spec.url)
    except ArchivekitError as exc:
        return _capture_failed(collection, spec, exc.message, operator, report)
    existing = batch.index.package_for_digest(source.sha256)   # staged ones too
    if existing:
        change = _catalog_change(spec, options, existing, collection, batch, signer,
                                 operator, report, on_change, verifier)
        if change in (None, "noted"):
            report.skipped += 1
        return source.sha256 if change in (None, "amended") else None
    try:
        path = capture_file(source, collection.packages_dir, options)
    except NoSpace:
        raise   # the run stops: every source after this one would fail alike
    except ArchivekitError as exc:
        return _capture_failed(collection, spec, exc.message, operator, report)
    descriptor = read_descriptor(path)
    seal = {"signer": signer.name, "sealed_at": descriptor["created"]}
    detail = (f"captured {spec.path.name} ({source.size} bytes, sha256 {source.sha256}) "
              f"and sealed by {signer.key.key_id}")
    return source.sha256 if batch.add(spec, source, descriptor, path, seal, detail) else None


def _catalog_change(spec, options, existing, collection, batch, signer, operator, report,
                    on_change, verifier) -> str | None:
    """What became of a known source's catalog when it differs from its current
    version's: "amended", "failed" (recorded), or "noted" (with on_change: skip the
    difference is a note and the source is skipped as usual); None when it does not
    differ."""
    try:
        current = collection.current_version(batch.index, existing)
    except ArchivekitError:
        return None   # withdrawn: it stays withdrawn
    if not options.catalog or options.catalog == current["catalog"]:
        return None   # no catalog given is not a wish to empty it
    if on_change != "amend" or verifier is None:
        report.note(f"{spec.path}: its catalog differs from that of {current['id']}; not "
                    "amended (on_change: skip; set on_change: amend to amend it)")
        return "noted"
    from archivekit.collection.amend import amend_locked
    batch.flush()   # the batch's ingestion lines before the amendment's
    try:
        made = amend_locked(collection, batch.index, current["id"], options.catalog, signer,
                            verifier, operator=operator, tsa_url=options.sealer.tsa_url,
                            reason=f"catalog changed beside {spec.path.name} (on_change: amend)")
    except NoSpace:
        raise
    except ArchivekitError as exc:
        _capture_failed(collection, spec, exc.message, operator, report)
        return "failed"
    report.amended.append({"source": str(spec.path), "package": made.package_id,
                           "supersedes": made.supersedes, "changed": list(made.changed)})
    return "amended"


def log_seals(collection: Collection, home: Home, signer: Signer, report: RunReport,
              refresh_all: bool = False) -> None:
    """Every verified seal into the collection's transparency log, with a fresh
    checkpoint, and every stored proof brought up to it when the log's key changed
    (or, with `refresh_all`, whenever the checkpoint did). A package that does not
    verify is left out, and said so: the log key must not vouch for it. Only packages
    the catalog does not know to be logged are read: a run with nothing new (its proofs
    as fresh as the mode asks, its key the one that signed last) reads no seal and not
    the log."""
    from archivekit.trust.identity import handover_keys
    from archivekit.trust.tlog import log_unlogged_seals, refresh_proofs, signed_by
    index = collection.index()
    try:
        packages = {collection.root / path: package_id for package_id, path in index.unlogged()}
        latest = collection.transparency_log.latest()
        if not packages and latest is not None and signed_by(latest, signer.key) and \
                _refresh_due(collection, refresh_all, index) is None:
            index.note_logged()
            return
        from archivekit.collection.ingest import seals_in   # loads capture's modules
        verifier = home_verifier(home)

        def verified(package) -> bool:
            if verifier.verify(package).verified:
                return True
            report.notes.append(f"{package.name} does not verify; its seals are not logged")
            return False
        result = log_unlogged_seals(collection.transparency_log, sorted(packages), signer.key, signer.name,
                                    verified, handover_keys(home), read_seals=seals_in)
        index.mark_logged([(digest, packages[package]) for package, digest in result.logged])
        index.note_logged()
        due = _refresh_due(collection, refresh_all, index)
        if due is not None:
            older = [p for p in collection.package_paths() if p.is_dir() and p not in packages]
            refresh_proofs(collection.transparency_log, older)   # brought up to the new checkpoint
            index.mark_proofs_refreshed(due)
    finally:
        index.close()
    if result.added:
        report.notes.append(f"{len(result.added)} seal(s) added to the transparency log "
                            f"{collection.transparency_log.origin}")


PROOFS = ("on request", "each run")


def _refresh_due(collection: Collection, refresh_all: bool, index) -> str | None:
    """What every stored proof must be brought up to, if it is not yet (the catalog
    remembers: a run killed partway finishes next time): with `refresh_all`, the latest
    checkpoint; else its signing key, so a run that gives the log a new key brings the
    proofs up once (a proof whose checkpoint only the replaced key signed would not be
    believed once that key is revoked as compromised)."""
    from archivekit.trust.tlog import last_signer
    latest = collection.transparency_log.latest()
    if latest is None:
        return None
    due = _digest(latest if refresh_all else last_signer(latest))
    return None if due == index.proofs_refreshed_for() else due


def _proofs_refreshed_each_run(collection: Collection) -> bool:
    """collection.yaml `proofs`: "on request" (the default) brings every stored proof up
    only when the log's key changes (and 'archivekit log refresh', and export, do it on
    request), so what a run costs does not grow with the collection; a package whose
    proof is older verifies with a warning (AK533) naming the remedy, its seal shown in
    the current tree through a consistency proof from the collection's log. "each run"
    brings every proof up to each new checkpoint, reading and rewriting one file per
    package (~0.45 ms each here: 45 s a run at 100,000)."""
    mode = collection.config.get("proofs", PROOFS[0])
    if mode not in PROOFS:
        raise UsageError(f"{collection.root / 'collection.yaml'}: proofs: {mode!r}; "
                         f"expected {' or '.join(repr(m) for m in PROOFS)}")
    return mode == "each run"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _capture_failed(collection, spec, message, operator, report) -> None:
    collection.audit_log.append("capture failure", "failure", message, operator=operator,
                          extra={"source": str(spec.path)})
    report.failed.append({"source": str(spec.path), "error": message})


def run_job(manifest: JobManifest, home: Home, passphrase, operator: str | None,
            workers: int = 0, wait_seconds: float = 60.0, progress=None,
            audit_policy: AuditPolicy | None = None, limits: Limits | None = None,
            rescan: bool = False) -> RunReport:
    """One run of a job manifest, under the collection's lock: finish what an interrupted
    run left, capture the inbox's new sources, log their seals, audit, and seal an audit-log
    segment when one is full; the report is also written to reports/. `rescan`: check
    every inbox file now, also in folders known to be as they were."""
    collection = Collection.open_or_init(manifest.collection, manifest.name,
                                         manifest.organization)
    report = RunReport(str(manifest.file), str(collection.root), format_time(utc_now()))
    refresh_all = _proofs_refreshed_each_run(collection)   # a bad value stops before any work
    policy = audit_policy or AuditPolicy.of(      # so does a bad audit policy
        collection.config["policy"], manifest.audit.get("policy"),
        manifest.audit.get("fraction"), manifest.audit.get("days"))
    signer, created = resolve_signer(home, manifest.key, passphrase)
    if created:
        report.notes.append(f"made signing key '{created.name}' ({created.key_id}) at "
                            f"{created.path}; trusted in {created.trust_path}")
    with _stopped_by_full_disk(collection, report, "run"), collection.lock(wait_seconds):
        # Watched from before recovery looks at packages/'s stamp until the stamp is
        # recorded: a stranger's change meanwhile is in the watch's events.
        with collection.watch_packages() as watch:
            recover(collection, home, operator, report)
            indexed = capture_sources(manifest, collection, signer, operator, report,
                                      progress and (lambda i, n: progress("capture", i, n)),
                                      home_verifier(home), rescan)
            log_seals(collection, home, signer, report, refresh_all)
            if indexed:     # the run's last change of packages/ (proofs' temporaries):
                collection.note_indexed(watch)   # the next run need not list it
        _audit_and_report(collection, home, policy, workers or manifest.audit.get("workers", 0),
                          operator, progress, report, "run", limits)
        seal_audit_segment(collection, signer, report)
    return report


@contextmanager
def _stopped_by_full_disk(collection: Collection, report: RunReport, kind: str):
    """Collection.stops_on_full_disk for a run (or audit): its NoSpace holds the report
    so far (`done`: it could not be written to reports/)."""
    try:
        with collection.stops_on_full_disk(kind):
            yield
    except NoSpace as error:
        report.stopped, report.finished = error.stopped, format_time(utc_now())
        error.done = report
        raise


@dataclass
class Capturing:
    """A collection locked for captures, what recovering it found (`notes`; `recovered`:
    the packages it recorded), and how each capture ends (`finish`)."""
    collection: Collection
    notes: list[str]
    recovered: list[str]

    def finish(self, made: "Ingested", signer: Signer) -> "Ingested":
        """A capture as it ends (ingest.finished_after_recovery): one a full disk stopped
        once its package was in place, asked again, as if it had not been stopped."""
        from archivekit.collection.ingest import finished_after_recovery
        return finished_after_recovery(self.collection, made, self.recovered, signer)


@contextmanager
def capturing_into(collection: Collection, home: Home, operator, wait_seconds: float = 60.0):
    """The collection locked for captures (`archivekit capture --into`, the reading room),
    once what an interrupted run or capture left is finished, as a run does first: a
    package a full disk kept from being recorded is recorded, and the capture asked again
    ends with Capturing.finish. A full disk is a NoSpace, as in a run."""
    report = RunReport("(capture)", str(collection.root), format_time(utc_now()))
    with collection.stops_on_full_disk("capture"), collection.lock(wait_seconds):
        recover(collection, home, operator, report)
        damaged = [f"{f['package']}: {f['errors'][0]}" for f in report.audit_failures]
        yield Capturing(collection, report.notes + damaged, report.recovered)


SEGMENT_ENTRIES = 100_000    # entries in a sealed segment of the audit log (the default)


def seal_audit_segment(collection: Collection, signer: Signer, report: RunReport) -> None:
    """Close the audit log's open segment with a signed checkpoint once it holds the
    collection's `segment_entries` (collection.yaml), so verifying never reads more than
    that at once and an outside party can verify only what is new."""
    limit = int(collection.config.get("segment_entries", SEGMENT_ENTRIES))
    if collection.audit_log.open_entries() >= limit:
        collection.audit_log.seal(collection.transparency_log.origin, signer.key, signer.name)
        report.notes.append(f"audit log segment {collection.audit_log.segments()[-1].number} sealed")


def _audit_and_report(collection, home, policy, workers, operator, progress, report, kind,
                      limits=None, scheduler=None):
    summary = AuditSummary()
    try:
        audit_collection(collection, policy, home_verifier(home), workers, operator,
                         progress and (lambda i, n: progress("audit", i, n)), scheduler,
                         limits, summary)
    finally:   # an audit stopped by a full disk: what it found is in the report
        report.audited += summary.audited     # after what recovery found damaged
        report.audit_failures += summary.failures
        report.withdrawn = summary.withdrawn
    if summary.skipped_as_done:
        report.notes.append(f"resumed the audit interrupted after it began at "
                            f"{summary.resumed}: {summary.skipped_as_done} package(s) it had "
                            "checked were not checked again")
    report.finished = format_time(utc_now())
    write_report(collection, report.to_dict(), kind)


def write_report(collection: Collection, document: dict, kind: str) -> Path:
    """Write a run's or audit's report into the collection's reports/, named by its start
    and digest; return its path."""
    stamp = document.get("started", format_time(utc_now())).replace(":", "")
    data = strictjson.dumps(document)
    digest = hashlib.sha256(data).hexdigest()[:8]
    path = collection.root / "reports" / f"{kind}-{stamp}-{digest}.json"
    atomic_write_bytes(path, data)
    return path


def run_audit(collection: Collection, home: Home, policy: AuditPolicy, operator: str | None,
              workers: int = 0, wait_seconds: float = 60.0, progress=None,
              limits: Limits | None = None, scheduler: str | None = None) -> RunReport:
    """The audit part of a run alone (`archivekit audit DIR`); `scheduler`: a Dask
    scheduler's address, to verify on its workers."""
    report = RunReport("(audit)", str(collection.root), format_time(utc_now()))
    with _stopped_by_full_disk(collection, report, "audit"), collection.lock(wait_seconds):
        recover(collection, home, operator, report)
        _audit_and_report(collection, home, policy, workers, operator, progress, report, "audit",
                          limits, scheduler)
    return report
