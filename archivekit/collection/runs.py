"""One run of a job: capture what is new, then audit by policy, and report.

Safe to kill at any moment: packages appear whole or not at all; the audit log
gains whole entries; the next run removes half-built temporaries, indexes any
package that was moved into place but not yet recorded, and goes on.
"""

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from archivekit._internal.limits import Limits
from archivekit._internal.software import __version__

from archivekit._internal import strictjson
from archivekit.collection.audit import AuditPolicy, audit_collection
from archivekit.capture.files import read_file_source
from archivekit.package.build import capture_file
from archivekit.collection.store import Collection
from archivekit.errors import ArchivekitError
from archivekit._internal.fsutil import atomic_write_bytes
from archivekit.trust.home import Home
from archivekit.trust.identity import resolve_signer
from archivekit.collection.jobs import JobManifest
from archivekit.package.contents import read_descriptor
from archivekit.package.writer import PackageSpec
from archivekit.trust.signer import Signer
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.verify import VerificationPolicy
from archivekit.verify.verifier import verify_package


@dataclass
class RunReport:
    job: str
    collection: str
    started: str
    finished: str | None = None
    captured: list[dict] = field(default_factory=list)
    skipped: int = 0          # sources already in the collection: a count, not a line each
    failed: list[dict] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    audited: int = 0          # packages audited: a count; the failures by name
    audit_failures: list[dict] = field(default_factory=list)   # {"package", "errors"}
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.audit_failures

    def to_dict(self) -> dict:
        return {"software": f"archivekit/{__version__}", "job": self.job,
                "collection": self.collection, "started": self.started,
                "finished": self.finished, "ok": self.ok, "captured": self.captured,
                "skipped": self.skipped, "failed": self.failed, "recovered": self.recovered,
                "audited": self.audited, "audit_failures": self.audit_failures,
                "notes": self.notes}


def seal_facts(home: Home):
    """For the index: who sealed a package (the first valid seal), checked, not claimed."""
    from archivekit.trust.keys import TrustStore
    policy = VerificationPolicy(TrustStore.load(home.trust_path))

    def facts(path):
        seals = verify_package(path, policy).facts.get("seals", [])
        return next((s for s in seals if s["valid"]), seals[0] if seals else None)
    return facts


def recover(collection: Collection, home: Home, operator, report: RunReport) -> None:
    """Finish what an interrupted run left: temporaries, unindexed and unlogged packages."""
    index = collection.index()
    try:
        removed, indexed = collection.recover(index, seal_facts(home))
        for name in removed:
            report.notes.append(f"removed half-built {name} left by an interrupted run")
        report.recovered += indexed
        for package_id in index.not_ingested():
            collection.log.append("ingestion", "success",
                                  "package found in place after an interrupted run; ingested",
                                  package=package_id, operator=operator)
            index.mark_ingested(package_id)
    finally:
        index.close()


def capture_sources(manifest: JobManifest, collection: Collection, signer: Signer,
                    operator, report: RunReport, progress=None) -> None:
    options = PackageSpec(
        signer=signer, collection=collection.name, operator=operator,
        container=manifest.container,
        organization=manifest.organization or collection.config.get("organization")
        or signer.organization or None,
        tsa_url=manifest.tsa or collection.config["policy"].get("tsa"))
    index = collection.index()
    known = index.known_files()
    remembered = []      # inbox files now known to be in the collection
    try:
        for number, spec in enumerate(manifest.sources, 1):
            if progress:
                progress(number, len(manifest.sources))
            try:
                stat = os.stat(spec.path)
            except OSError:
                stat = None      # read_file_source names the problem
            identity = stat and (stat.st_size, stat.st_mtime_ns, stat.st_ino)
            if identity and known.get(str(spec.path)) == identity:
                report.skipped += 1   # the same file as when it was captured: not re-read
                continue
            sha256 = _capture_one(spec, replace(options, catalog=spec.catalog), collection,
                                  index, signer, operator, report)
            if sha256 and identity:
                remembered.append((str(spec.path), *identity, sha256))
    finally:
        index.remember_files(remembered)
        index.close()


def _capture_one(spec, options: PackageSpec, collection: Collection, index, signer: Signer,
                 operator, report: RunReport) -> str | None:
    """Capture one source unless its content is in the collection; its sha256 if it is
    in the collection now."""
    try:
        source = read_file_source(spec.path, spec.url)
    except ArchivekitError as exc:
        return _capture_failed(collection, spec, exc.message, operator, report)
    if index.package_for_digest(source.sha256):
        report.skipped += 1
        return source.sha256
    try:
        path = capture_file(source, collection.packages_dir, options)
    except ArchivekitError as exc:
        return _capture_failed(collection, spec, exc.message, operator, report)
    descriptor = read_descriptor(path)
    seal = {"signer": signer.name, "sealed_at": descriptor["created"]}
    index.add(descriptor, str(path.relative_to(collection.root)), seal)
    collection.log.append(
        "ingestion", "success",
        f"captured {spec.path.name} ({source.size} bytes, sha256 {source.sha256}) "
        f"and sealed by {signer.key.key_id}", package=descriptor["id"], operator=operator)
    index.mark_ingested(descriptor["id"])
    report.captured.append({"source": str(spec.path), "package": descriptor["id"],
                            "sha256": source.sha256})
    return source.sha256


def log_seals(collection: Collection, home: Home, signer: Signer, report: RunReport) -> None:
    """Every verified seal into the collection's transparency log, with a fresh
    checkpoint. A package that does not verify is left out, and said so: the log key
    must not vouch for it. Only packages the catalog does not know to be logged are
    read: a run with nothing new reads no seal and not the log."""
    from archivekit.trust.keys import TrustStore
    from archivekit.trust.tlog import log_unlogged_seals
    index = collection.index()
    try:
        unlogged = index.unlogged()
        packages = {collection.root / path: package_id for package_id, path in unlogged}
        if not packages and collection.tlog.latest() is not None:
            return
        policy = VerificationPolicy(TrustStore.load(home.trust_path))

        def verified(package) -> bool:
            if verify_package(package, policy).verified:
                return True
            report.notes.append(f"{package.name} does not verify; its seals are not logged")
            return False
        result = log_unlogged_seals(collection.tlog, sorted(packages), signer.key, signer.name,
                                    verified, seals_in)
        index.mark_logged([(digest, packages[package]) for package, digest in result.logged])
    finally:
        index.close()
    if result.added:
        report.notes.append(f"{len(result.added)} seal(s) added to the transparency log "
                            f"{collection.tlog.origin}")


def seals_in(package: Path) -> list[tuple[str, bytes]]:
    """(seal path, envelope) of a package of any container; none from one that cannot be
    read (the audit reports it)."""
    from archivekit.formats import layout
    from archivekit.package.reader import PackageUnreadable, open_package
    from archivekit.trust.tlog import seals_of
    if package.is_dir():
        return seals_of(package)
    try:
        with open_package(package) as reader:
            return [(path, reader.read(path, 1 << 20)) for path in reader.files()
                    if layout.SEAL_NAME.match(path)]
    except (PackageUnreadable, OSError, ValueError):
        return []


def _capture_failed(collection, spec, message, operator, report) -> None:
    collection.log.append("capture failure", "failure", message, operator=operator,
                          extra={"source": str(spec.path)})
    report.failed.append({"source": str(spec.path), "error": message})


def run_job(manifest: JobManifest, home: Home, passphrase, operator: str | None,
            workers: int = 0, wait_seconds: float = 60.0, progress=None,
            audit_policy: AuditPolicy | None = None, limits: Limits | None = None) -> RunReport:
    collection = Collection.open_or_init(manifest.collection, manifest.name,
                                         manifest.organization)
    report = RunReport(str(manifest.file), str(collection.root), format_time(utc_now()))
    signer, created = resolve_signer(home, manifest.key, passphrase)
    if created:
        report.notes.append(f"made signing key '{created.name}' ({created.key_id}) at "
                            f"{created.path}; trusted in {created.trust_path}")
    with collection.lock(wait_seconds):
        recover(collection, home, operator, report)
        capture_sources(manifest, collection, signer, operator, report,
                        progress and (lambda i, n: progress("capture", i, n)))
        log_seals(collection, home, signer, report)
        policy = audit_policy or AuditPolicy(manifest.audit.get("policy", "all"),
                                             float(manifest.audit.get("fraction", 1)),
                                             int(manifest.audit.get("days", 30)))
        _audit_and_report(collection, home, policy, workers or manifest.audit.get("workers", 0),
                          operator, progress, report, "run", limits)
        seal_audit_segment(collection, signer, report)
    return report


SEGMENT_ENTRIES = 100_000    # entries in a sealed segment of the audit log (the default)


def seal_audit_segment(collection: Collection, signer: Signer, report: RunReport) -> None:
    """Close the audit log's open segment with a signed checkpoint once it holds the
    collection's `segment_entries` (collection.yaml), so verifying never reads more than
    that at once and an outside party can verify only what is new."""
    limit = int(collection.config.get("segment_entries", SEGMENT_ENTRIES))
    if collection.log.open_entries() >= limit:
        collection.log.seal(collection.tlog.origin, signer.key, signer.name)
        report.notes.append(f"audit log segment {collection.log.segments()[-1].number} sealed")


def _audit_and_report(collection, home, policy, workers, operator, progress, report, kind,
                      limits=None, scheduler=None):
    summary = audit_collection(collection, policy, home.trust_path, workers, operator,
                               progress and (lambda i, n: progress("audit", i, n)), scheduler,
                               limits)
    if summary.skipped_as_done:
        report.notes.append(f"resumed the audit interrupted after it began at "
                            f"{summary.resumed}: {summary.skipped_as_done} package(s) it had "
                            "checked were not checked again")
    report.audited, report.audit_failures = summary.audited, summary.failures
    report.finished = format_time(utc_now())
    write_report(collection, report.to_dict(), kind)


def write_report(collection: Collection, document: dict, kind: str) -> Path:
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
    with collection.lock(wait_seconds):
        recover(collection, home, operator, report)
        _audit_and_report(collection, home, policy, workers, operator, progress, report, "audit",
                          limits, scheduler)
    return report
