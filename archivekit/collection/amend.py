"""Correcting a cataloguing mistake with provenance: an amendment is a new sealed
version of the package that names the one it supersedes.

The original stays sealed, in place and verifiable; the new version carries the same
payload byte for byte (the same WARC, the same extracted metadata), the corrected
catalog, an `amendment` record ({supersedes, supersedes_tagmanifest_sha256, reason,
changed, previous_catalog}) and a PREMIS "metadata modification" event. It is sealed
by the amending key (timestamped when a TSA is given), recorded in the audit log and
in the collection's transparency log, and the index marks the old version superseded.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from archivekit.collection.batch import recover_packages
from archivekit.collection.ingest import log_seals_of
from archivekit.collection.store import Collection
from archivekit.errors import NotVerified, UsageError
from archivekit.formats import layout
from archivekit.formats.premis import PACKAGE_EVENT_ORDER, make_event
from archivekit.package.contents import read_descriptor
from archivekit.package.reader import open_package
from archivekit.package.writer import PackageSpec, write_amendment
from archivekit.trust.sealer import Sealer
from archivekit.trust.signer import Signer
from archivekit.verify import Verifier


class AmendRefused(NotVerified):
    """The package cannot be amended as asked (it does not verify, or is withdrawn)."""


@dataclass(frozen=True)
class Amended:
    """A new version made by amending a catalog: its id and path, the version it supersedes,
    and the catalog fields that changed."""
    package_id: str          # the new version
    path: Path
    supersedes: str
    changed: tuple[str, ...]  # catalog fields that differ


def amend_catalog(collection: Collection, package_id: str, catalog: dict, signer: Signer,
                  verifier: Verifier, *, reason: str | None = None,
                  operator: str | None = None, tsa_url: str | None = None,
                  wait_seconds: float = 60.0) -> Amended:
    """Make a new version of `package_id` (any version: the current one is amended)
    with `catalog` as its catalog, once what an interrupted run, capture or amendment
    left is finished. A full disk is a NoSpace naming the file; the same amendment
    asked again then finishes the one it stopped (sealed whole, not yet recorded)
    instead of being refused as already there or as changing nothing."""
    with collection.lock(wait_seconds), collection.stops_on_full_disk("amend"):
        index = collection.index()
        try:
            _, recovered, _ = recover_packages(collection, index, verifier, operator)
            row = collection.current_version(index, package_id)
            finished = _stopped_amendment(collection, index, row, catalog, recovered)
            if finished is None:
                return amend_locked(collection, index, package_id, catalog, signer, verifier,
                                    reason=reason, operator=operator, tsa_url=tsa_url)
            if row["id"] in recovered:   # stopped before its line was written
                collection.audit_log.append(
                    "metadata modification", "success",
                    f"catalog amended ({', '.join(finished.changed)}): new version "
                    f"{finished.package_id} supersedes {finished.supersedes} (recorded after "
                    "the amendment that made it was stopped)", package=finished.package_id,
                    operator=operator, extra={"supersedes": finished.supersedes,
                                              "changed": list(finished.changed)})
            log_seals_of(collection, finished.path, signer)
            return finished
        finally:
            index.close()


def _stopped_amendment(collection, index, row, catalog, recovered) -> Amended | None:
    """The current version (`row`) when it is an amendment giving `catalog` that an
    `amend` stopped before its end: recovery has just recorded it, or its seals are not
    yet in the transparency log."""
    if row["id"] not in recovered and row["id"] not in dict(index.unlogged()):
        return None
    path = collection.root / row["path"]
    descriptor = read_descriptor(path)
    amendment = descriptor.get("amendment")
    if not isinstance(amendment, dict) or descriptor.get("catalog") != catalog:
        return None
    return Amended(row["id"], path, amendment["supersedes"], tuple(amendment["changed"]))


def amend_locked(collection, index, package_id, catalog, signer, verifier, *, reason=None,
                 operator=None, tsa_url=None) -> Amended:
    """As amend_catalog, for a caller that holds the lock and the index (a run)."""
    row = collection.current_version(index, package_id)
    old_id, old_path = row["id"], collection.root / row["path"]
    checked = verifier.verify(old_path)
    if not checked.verified:
        raise AmendRefused(
            f"{old_id} does not verify ({len(checked.errors)} error(s)); a package is amended "
            "only from a sound original", remedy="verify", subject=str(old_path))
    old = read_descriptor(old_path)
    changed = tuple(sorted(k for k in set(old["catalog"]) | set(catalog)
                           if old["catalog"].get(k) != catalog.get(k)))
    if not changed:
        raise UsageError(f"{old_id}: the catalog is unchanged; there is nothing to amend")
    with open_package(old_path) as reader:
        sealed_tags = hashlib.sha256(reader.read(layout.tagmanifest_path("sha256"))).hexdigest()
    spec = PackageSpec(sealer=Sealer(signer, tsa_url), collection=old.get("collection"),
                       operator=operator, organization=(old.get("agent") or {}).get("organization"),
                       container=_container(old_path))

    def descriptor_for(created: str) -> dict:
        detail = f"catalog amended ({', '.join(changed)}); supersedes {old_id}"
        event = make_event("metadata modification", created,
                           detail + (f"; reason: {reason}" if reason else ""), operator=operator)
        captured = [e for e in old["events"] if isinstance(e, dict)   # capture, derivation
                    and e.get("type") not in PACKAGE_EVENT_ORDER[1:]]
        return dict(old, catalog=catalog, events=captured + [event],
                    agent={"operator": operator, "organization": spec.organization},
                    amendment={"supersedes": old_id, "supersedes_tagmanifest_sha256": sealed_tags,
                               "reason": reason, "changed": list(changed),
                               "previous_catalog": old["catalog"]})

    path = write_amendment(collection.packages_dir, next_version_id(old_id), spec, old_path,
                           descriptor_for)
    descriptor = read_descriptor(path)
    index.note_log_position(collection.audit_log.last_seq())     # committed with the add
    index.add(descriptor, str(path.relative_to(collection.root)),
              {"signer": signer.name, "sealed_at": descriptor["created"]})
    index.mark_superseded(old_id, descriptor["id"])
    collection.audit_log.append(
        "metadata modification", "success",
        f"catalog amended ({', '.join(changed)}): new version {descriptor['id']} supersedes "
        f"{old_id}, sealed by {signer.key.key_id}" + (f"; reason: {reason}" if reason else ""),
        package=descriptor["id"], operator=operator,
        extra={"supersedes": old_id, "changed": list(changed)})
    # Marked once its line is written: a run killed before the line leaves the new
    # version unmarked, and the next run's recovery logs its arrival (marked first, it
    # had none); killed after it, recovery finds the line past the position noted with
    # the add and only marks it.
    index.mark_ingested(descriptor["id"])
    log_seals_of(collection, path, signer)
    return Amended(descriptor["id"], path, old_id, changed)


def next_version_id(package_id: str) -> str:
    """clipping-7e8f69cc -> clipping-7e8f69cc-v2 -> clipping-7e8f69cc-v3."""
    match = re.fullmatch(r"(.+)-v(\d+)", package_id)
    return f"{match[1]}-v{int(match[2]) + 1}" if match else f"{package_id}-v2"


def _container(path: Path) -> str:
    return path.suffix[1:] if path.is_file() and path.suffix in (".zip", ".tar") else "dir"
