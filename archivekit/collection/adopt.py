"""Adding a package made elsewhere (capture --out, another institution's export) to a
collection: verified first, copied in whole or not at all, indexed, its ingestion in
the audit log and its seals in the transparency log, so it is never "recovered" later."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.fsutil import TEMP_PREFIX, flush_tree, fsync_dir
from archivekit.collection.batch import recover_packages
from archivekit.collection.ingest import finished_after_recovery, log_seals_of, record_ingestion
from archivekit.collection.store import Collection
from archivekit.errors import NoSpace, NotVerified, no_space
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


def add_packages(collection: Collection, locations, verifier: Verifier, signer: Signer,
                 operator: str | None = None, wait_seconds: float = 60.0) -> Iterator[Added]:
    """Each package at `locations` verified and copied into the collection, under its
    lock, once what an interrupted run, capture or addition left is finished: one a full
    disk kept from being recorded is recorded (added again, it is "added", not "already
    in the collection" without its seals logged). A full disk is a NoSpace naming the
    package and the collection."""
    with collection.lock(wait_seconds), collection.stops_on_full_disk("collection add"):
        index = collection.index()
        try:
            _, recovered, _ = recover_packages(collection, index, verifier, operator)
        finally:
            index.close()
        for location in locations:
            yield finished_after_recovery(
                collection, add_package(collection, location, verifier, signer, operator),
                recovered, signer)


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
        try:
            _copy_in(location, final)
        except OSError as exc:
            if no_space(exc):
                raise NoSpace(f"copying {location} to {final}: {exc.strerror}; nothing was "
                              "kept", subject=str(location)) from None
            raise
        seal = next((s for s in report.facts.get("seals", []) if s.get("valid")), {})
        record_ingestion(collection, index, final, descriptor,
                         {"signer": seal.get("signer"), "sealed_at": seal.get("sealed_at")},
                         f"added from {location}, verified: sealed by {seal.get('signer')} "
                         f"({seal.get('key_id')})", operator)
    finally:
        index.close()
    log_seals_of(collection, final, signer)
    return Added(descriptor["id"], final, False)


def _copy_in(location: Path, final: Path) -> None:
    """The package (a folder or one file) copied to `final` whole or not at all. Folder
    by folder, not shutil.copytree: it gathers every failure into one shutil.Error
    without an errno, and a full disk must be known as one."""
    work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=final.parent))
    try:
        copy = work / final.name
        if location.is_dir():
            for folder, _, files in os.walk(location):
                into = copy / Path(folder).relative_to(location)
                into.mkdir()
                for name in files:
                    shutil.copy2(Path(folder) / name, into / name)
            flush_tree(copy)
        else:
            shutil.copy2(location, copy)
            flush_tree(work)
        os.rename(copy, final)
        fsync_dir(final.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
