"""Adding a package made elsewhere (capture --out, another institution's export) to a
collection: verified first, copied in whole or not at all, indexed, its ingestion in
the audit log and its seals in the transparency log, so it is never "recovered" later."""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.fsutil import TEMP_PREFIX, flush_tree, fsync_dir
from archivekit.collection.ingest import log_seals_of, record_ingestion
from archivekit.collection.store import Collection
from archivekit.errors import NotVerified
from archivekit.package.contents import read_descriptor
from archivekit.trust.signer import Signer
from archivekit.verify import Verifier


class AddRefused(NotVerified):
    """The package does not verify: it does not enter the collection."""


@dataclass(frozen=True)
class Added:
    """A package added to the collection: its id, where it now is, and whether it was there
    already (nothing copied then)."""
    package_id: str
    path: Path
    already: bool    # a package with this id was in the collection: nothing was copied


def add_package(collection: Collection, location, verifier: Verifier, signer: Signer,
                operator: str | None = None) -> Added:
    """Verify the package at `location` and copy it into the collection. The caller
    holds the collection's lock."""
    location = Path(location)
    report = verifier.verify(location)
    if not report.verified:
        raise AddRefused(f"{location} does not verify ({len(report.errors)} error(s)); it was "
                         "not added", remedy="verify", subject=str(location))
    descriptor = read_descriptor(location)
    name = location.name if location.is_file() else descriptor["id"]
    final = collection.packages_dir / name
    index = collection.index()
    try:
        if index.get(descriptor["id"]) or os.path.lexists(final):
            return Added(descriptor["id"], final, True)
        work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=collection.packages_dir))
        try:
            copy = work / name
            if location.is_dir():
                shutil.copytree(location, copy)
                flush_tree(copy)
            else:
                shutil.copy2(location, copy)
                flush_tree(work)
            os.rename(copy, final)
            fsync_dir(collection.packages_dir)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        seal = next((s for s in report.facts.get("seals", []) if s.get("valid")), {})
        record_ingestion(collection, index, final, descriptor,
                         {"signer": seal.get("signer"), "sealed_at": seal.get("sealed_at")},
                         f"added from {location}, verified: sealed by {seal.get('signer')} "
                         f"({seal.get('key_id')})", operator)
    finally:
        index.close()
    log_seals_of(collection, final, signer)
    return Added(descriptor["id"], final, False)
