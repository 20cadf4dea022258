"""Handing a package over (to a patron, another institution) as one file.

The package is verified first; the copy carries its seals, timestamps and, when the
package sits in a collection, inclusion proofs against the collection's latest
transparency-log checkpoint; the file is verified again before it appears, whole or
not at all. A new format is one entry in EXPORTERS: a function that writes the bag
folder it is given as one file and returns its path.
"""

import os
import shutil
import tempfile
from pathlib import Path

from archivekit._internal.fsutil import TEMP_PREFIX, fsync_dir
from archivekit._internal.suggest import did_you_mean
from archivekit.collection.store import CONFIG, Collection
from archivekit.errors import InputError, NotVerified, PackageExists, UsageError
from archivekit.package.contents import read_descriptor
from archivekit.package.reader import open_package
from archivekit.package.writer import serialize
from archivekit.verify import Verifier

EXPORTERS = {
    "zip": lambda bag: serialize(bag, "zip"),
    "tar": lambda bag: serialize(bag, "tar"),
}


class ExportRefused(NotVerified):
    """The package (or the file made from it) does not verify: nothing is handed over."""


def export_package(location, as_format: str, out_dir, verifier: Verifier) -> Path:
    """Write PACKAGE as one `as_format` file in `out_dir`; return its path."""
    if as_format not in EXPORTERS:
        raise UsageError(f"cannot export as {as_format!r}{did_you_mean(as_format, EXPORTERS)}; "
                         f"formats: {', '.join(EXPORTERS)}")
    location, out_dir = Path(location), Path(out_dir)
    if not os.path.lexists(location):
        raise InputError(f"{location}: no such package")
    report = verifier.verify(location)
    if not report.verified:
        raise ExportRefused(f"{location} does not verify ({len(report.errors)} error(s)); "
                            "it is not handed over", remedy="verify", subject=str(location))
    package_id = read_descriptor(location)["id"]
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out_dir))
    try:
        bag = work / package_id
        _copy_bag(location, bag)
        _refresh_proofs(location, bag)
        made = EXPORTERS[as_format](bag)
        final = out_dir / made.name
        checked = verifier.verify(made)
        if not checked.verified:
            raise ExportRefused(f"the {as_format} file made from {location} does not verify "
                                f"({checked.errors[0].code} {checked.errors[0].message}); "
                                "nothing was written")
        try:
            os.link(made, final)   # never overwrites
        except FileExistsError:
            raise PackageExists(f"{final} already exists; choose another folder") from None
        fsync_dir(out_dir)
        return final
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _copy_bag(location: Path, bag: Path) -> None:
    """Every file of the package (a folder, .zip or .tar) into the folder `bag`."""
    with open_package(location) as reader:
        for name in reader.files():
            target = bag / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with reader.open(name) as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
                os.fchmod(copy.fileno(), 0o644)


def _refresh_proofs(location: Path, bag: Path) -> None:
    """Inclusion proofs against the collection's latest checkpoint, for seals in its log."""
    root = location.resolve().parent.parent
    if not (root / CONFIG).exists():
        return
    from archivekit.trust.tlog import seal_digest, seals_of, write_proof
    log = Collection.open(root).transparency_log
    latest = log.latest()
    if latest is None:
        return
    with log.state(write=False) as state:     # no lock held: the log's files stay as they are
        for seal_path, envelope in seals_of(bag):
            digest = seal_digest(envelope)
            if digest in state.find([digest]):
                write_proof(state, bag, seal_path, digest, latest)
