"""One source into a collection, the way a run does it: captured, sealed, indexed, its
ingestion in the audit log and its seal in the transparency log. The caller holds the lock."""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from archivekit.capture.files import FileSource, read_file_source
from archivekit.collection.store import Collection
from archivekit.package.build import capture_file, capture_source, capture_web
from archivekit.package.contents import read_descriptor
from archivekit.package.writer import PackageSpec
from archivekit.trust.signer import Signer

if TYPE_CHECKING:   # read_source's modules load only when a capture needs them
    from archivekit.capture.web import WebOptions
    from archivekit.verify.intake import Intake


@dataclass(frozen=True)
class Ingested:
    """A source taken into the collection: the package's id and path, and whether the same
    bytes were there already (nothing made then)."""
    package_id: str
    path: Path
    already: bool     # the same bytes were already in the collection: nothing was made


def ingest_file(collection: Collection, path: Path, signer: Signer, *, url: str | None = None,
                catalog: dict | None = None, operator: str | None = None) -> Ingested:
    """A local file (a text clipping, saved page, scan or PDF) into the collection."""
    return _ingest_file(collection, read_file_source(path, url), signer, catalog, operator)


def ingest(collection: Collection, intake: "Intake", signer: Signer, *,
           web: "WebOptions | None" = None, catalog: dict | None = None,
           operator: str | None = None) -> Ingested:
    """A source read and checked by verify.intake.read_source into the collection, whatever
    its kind: a web page is fetched now (with `web`'s options, default WebOptions()); a
    bag's or web archive's recorded findings go into its package."""
    from archivekit.capture.web import WebOptions, fetch
    if intake.kind == "web":
        return ingest_web(collection, fetch(intake.source, web or WebOptions()), signer,
                          catalog=catalog, operator=operator)
    if intake.kind == "file":
        return _ingest_file(collection, intake.source, signer, catalog, operator)
    return ingest_kept_whole(collection, intake.source, list(intake.recorded), signer,
                             catalog=catalog, operator=operator)


def _ingest_file(collection, source: FileSource, signer, catalog, operator) -> Ingested:
    return _ingest(collection, signer, catalog, operator, source.sha256,
                   f"{source.filename} ({source.size} bytes, sha256 {source.sha256})",
                   lambda out, spec: capture_file(source, out, spec))


def ingest_web(collection: Collection, capture, signer: Signer, *, catalog: dict | None = None,
               operator: str | None = None) -> Ingested:
    """A fetched web page (archivekit.capture.web.fetch), its exchanges recorded as WARC."""
    return _ingest(collection, signer, catalog, operator, capture.sha256,
                   f"{capture.final.url} ({len(capture.content)} bytes, sha256 {capture.sha256})",
                   lambda out, spec: capture_web(capture, out, spec))


def ingest_kept_whole(collection: Collection, source, findings: list[dict], signer: Signer,
                      *, catalog: dict | None = None, operator: str | None = None) -> Ingested:
    """A BagIt bag (capture/bags.py) or a web archive (capture/webarchive.py) another tool
    made, already checked, kept whole; `findings`: what the check found and the package
    records (a bag's warnings, a web archive's accepted damage)."""
    if source.kind == "bag":
        what = f"the BagIt bag {source.filename} ({len(source.files)} files, "
    else:
        what = f"the web archive {source.filename} ({source.format}, "
    return _ingest(collection, signer, catalog, operator, source.sha256,
                   f"{what}{source.size} bytes, sha256 {source.sha256})",
                   lambda out, spec: capture_source(source, out, spec, findings))


def _ingest(collection, signer, catalog, operator, sha256, described, build) -> Ingested:
    index = collection.index()
    try:
        existing = index.package_for_digest(sha256)
        if existing:
            path = index.db.execute("SELECT path FROM packages WHERE id = ?", (existing,)).fetchone()[0]
            return Ingested(existing, collection.root / path, True)
        spec = PackageSpec.sealed_by(signer, collection.config["policy"].get("tsa"),
                                     organization=collection.config.get("organization"),
                                     collection=collection.name, operator=operator,
                                     catalog=dict(catalog or {}))
        package = build(collection.packages_dir, spec)
        descriptor = read_descriptor(package)
        record_ingestion(collection, index, package, descriptor,
                         {"signer": signer.name, "sealed_at": descriptor["created"]},
                         f"captured {described} and sealed by {signer.key.key_id}", operator)
    finally:
        index.close()
    log_seals_of(collection, package, signer)
    return Ingested(descriptor["id"], package, False)


def record_ingestion(collection: Collection, index, package: Path, descriptor: dict,
                     seal: dict, detail: str, operator: str | None) -> None:
    """A package now in packages/: indexed, its ingestion in the audit log, then marked
    ingested. Killed before the mark, the next run's recovery finds the line past the log
    position noted with the index row and only marks it (without the position it wrote
    a second line)."""
    index.note_log_position(collection.audit_log.last_seq())    # committed with the add
    index.add(descriptor, str(package.relative_to(collection.root)), seal)
    collection.audit_log.append("ingestion", "success", detail, package=descriptor["id"],
                          operator=operator)
    index.mark_ingested(descriptor["id"])


def finished_after_recovery(collection: Collection, made, recovered: list[str],
                            signer: Signer):
    """`made` (an Ingested, an adopt.Added) as it ends when recovery, just before, recorded
    its package (`recovered`: their ids) and it was then found already there: the same
    capture or addition stopped by a full disk once its package was in place, asked
    again. It ends as if not stopped: its seals logged now (not at the next run), told
    as made, not as already in the collection."""
    if not (made.already and made.package_id in recovered):
        return made
    log_seals_of(collection, made.path, signer)
    return replace(made, already=False)


def log_seals_of(collection: Collection, package: Path, signer: Signer) -> None:
    """The package's seals into the collection's transparency log, and the catalog told
    which are logged (the next run would read them again)."""
    from archivekit.trust.tlog import log_unlogged_seals
    logged = log_unlogged_seals(collection.transparency_log, [package], signer.key, signer.name,
                                read_seals=seals_in).logged
    package_id = package.name.rsplit(".", 1)[0] if package.is_file() else package.name
    index = collection.index()
    try:
        index.mark_logged([(digest, package_id) for _, digest in logged])
    finally:
        index.close()


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
