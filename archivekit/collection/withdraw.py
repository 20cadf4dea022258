"""Withdrawing a package (a takedown request, a duplicate, a mistake), with provenance.

Each version of the package gets a signed tombstone in withdrawn/ that says why, when
and by whom; its content moves to quarantine/ (or is removed, for a takedown); the
audit log records a PREMIS deaccession event; the index marks it withdrawn, so search
hides it and audits check its tombstone instead of reporting it missing.
"""

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.fsutil import atomic_write_bytes, fsync_dir
from archivekit._internal.timeutil import format_time, parse_time, utc_now
from archivekit.collection.store import Collection
from archivekit.errors import ArchivekitError, UsageError
from archivekit.formats import layout
from archivekit.formats.seal import SealFormatError
from archivekit.formats.withdrawal import make_tombstone, read_tombstone
from archivekit.package.reader import PackageUnreadable, open_package
from archivekit.trust.truststore import TrustStore
from archivekit.trust.signer import Signer


@dataclass(frozen=True)
class Withdrawn:
    """One withdrawn version: its id, its tombstone, and whether its content was quarantined
    (and where) or removed."""
    package_id: str
    tombstone: Path
    content: str                # quarantined | removed
    quarantine: Path | None     # where the content now is, when kept


def withdraw(collection: Collection, package_id: str, reason: str, signer: Signer, *,
             remove_content: bool = False, operator: str | None = None,
             wait_seconds: float = 60.0) -> list[Withdrawn]:
    """Withdraw `package_id` and every other version of it (newest first)."""
    if not (reason or "").strip():
        raise UsageError("a withdrawal needs a reason (it is signed into the tombstone)")
    with collection.lock(wait_seconds), collection.stops_on_full_disk("withdraw"):
        index = collection.index()
        try:
            collection.current_version(index, package_id)   # known, and not withdrawn yet
            versions = [row for row in reversed(index.history(package_id))
                        if row["state"] != "withdrawn"]
            return [_withdraw_one(collection, index, row, reason.strip(), signer,
                                  remove_content, operator) for row in versions]
        finally:
            index.close()


def _withdraw_one(collection, index, row, reason, signer, remove_content, operator) -> Withdrawn:
    package_id, location = row["id"], collection.root / row["path"]
    content = "removed" if remove_content else "quarantined"
    when = format_time(utc_now())
    tombstone = collection.tombstone_path(package_id)
    try:
        atomic_write_bytes(tombstone, make_tombstone(
            package_id, when, reason, content, _sealed_tags(location), signer.key,
            signer.name, signer.organization), overwrite=False)
    except FileExistsError:
        pass   # an interrupted withdrawal signed it already: finish that one
    moved = None
    if os.path.lexists(location):
        if remove_content:
            shutil.rmtree(location) if location.is_dir() else location.unlink()
        else:
            collection.quarantine_dir.mkdir(exist_ok=True)
            moved = collection.quarantine_dir / location.name
            os.rename(location, moved)
            fsync_dir(collection.quarantine_dir)
        fsync_dir(location.parent)
    record = {"withdrawn_at": when, "reason": reason, "by": signer.name, "content": content,
              "tombstone": str(tombstone.relative_to(collection.root))}
    index.mark_withdrawn(package_id, record,
                         str(moved.relative_to(collection.root)) if moved else None)
    collection.audit_log.append("deaccession", "success",
                          f"withdrawn: {reason}; content {content}; tombstone signed by "
                          f"{signer.key.key_id}", package=package_id, operator=operator,
                          extra={"content": content})
    return Withdrawn(package_id, tombstone, content, moved)


def _sealed_tags(location: Path) -> str | None:
    """SHA-256 of the tag manifest the package's seal covers: names exactly what went."""
    try:
        with open_package(location) as reader:
            return hashlib.sha256(reader.read(layout.tagmanifest_path("sha256"))).hexdigest()
    except (PackageUnreadable, ArchivekitError, OSError, KeyError):
        return None


def tombstone_problem(collection: Collection, package_id: str, trust: TrustStore) -> str | None:
    """Why the withdrawal of `package_id` is not proven by a trusted signed tombstone,
    or None when it is."""
    path = collection.tombstone_path(package_id)
    try:
        envelope, statement = read_tombstone(path.read_bytes())
    except FileNotFoundError:
        return "withdrawn in the index, but it has no tombstone"
    except (OSError, SealFormatError) as exc:
        return f"its tombstone cannot be read: {exc}"
    if statement["package_id"] != package_id:
        return f"its tombstone names another package ({statement['package_id']})"
    message = envelope.signed_message
    for key in trust.keys:
        if any(key.verifies(signature, message) for _, signature in envelope.signatures):
            revoked = key.revoked_at
            if revoked and revoked <= parse_time(statement["withdrawn_at"]):
                return f"its tombstone was signed by {key.name} after that key was revoked"
            return None
    return "its tombstone is not signed by a trusted key"
