"""Write a sealed package atomically: built in a temporary directory beside the
destination, fsynced, then renamed into place. A crash leaves no package or a
whole one, never half of one."""

import hashlib
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from archivekit._internal.software import SOFTWARE

from archivekit._internal.software import __version__


from archivekit._internal import strictjson
from archivekit.errors import ArchivekitError, CaptureFailed, NoSpace, PackageExists, no_space
from archivekit._internal.fsutil import TEMP_PREFIX, flush_tree, fsync_dir
from archivekit.trust.sealer import Sealer
from archivekit.trust.signer import Signer
from archivekit.extract.metadata import ClippingMetadata, Extraction
from archivekit.formats import layout
from archivekit.formats.premis import make_event
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.formats.warc import ClippingWarcWriter

CONTAINERS = ("dir", "zip", "tar")


class HashingFile:
    """A write-only file that computes the manifest digests as bytes go by."""

    def __init__(self, handle):
        self.handle = handle
        self.hashes = {alg: hashlib.new(alg) for alg in layout.ALGORITHMS}
        self.size = 0

    def write(self, data: bytes) -> None:
        """Write `data`, adding it to every digest the manifests need."""
        self.handle.write(data)
        for digest in self.hashes.values():
            digest.update(data)
        self.size += len(data)

    def flush(self) -> None:
        """Flush the file beneath."""
        self.handle.flush()


@dataclass
class PackageSpec:
    """Everything a package says besides the source bytes. The capture pipeline fills in
    `metadata` from what it extracts (None: nothing extracted); callers give the rest."""
    sealer: Sealer
    metadata: ClippingMetadata | None = None
    catalog: dict = field(default_factory=dict)
    collection: str | None = None
    operator: str | None = None
    organization: str | None = None
    container: str = "dir"

    @classmethod
    def sealed_by(cls, signer: Signer, tsa_url: str | None = None, *,
                  organization: str | None = None, **fields) -> "PackageSpec":
        """A spec sealed by `signer` (timestamped by the authority at `tsa_url`, if given)
        that names `organization`, else the signer's: a package captured without saying
        whom it is for is for whom its key speaks. The one home of that rule; an amendment
        keeps its original's organization and builds its spec itself."""
        return cls(sealer=Sealer(signer, tsa_url),
                   organization=organization or signer.organization or None, **fields)


def write_package(out_dir: Path, package_id: str, spec: PackageSpec, write_sources,
                  write_payload=None) -> Path:
    """Build, seal and move a package into `out_dir`.

    `write_sources(warc, date)` writes the source records and returns
    (sources entries, the record id the metadata record describes, capture events).
    `write_payload(payload)`, when given, first writes payload files of its own beside
    the WARC (a web archive the user brought): `payload.create("data/...")` gives a
    file to write to, hashed for the manifests as it is written.
    """
    return _write(out_dir, package_id, spec,
                  lambda bag: _build_bag(bag, package_id, spec, write_sources, write_payload))


def write_amendment(out_dir: Path, package_id: str, spec: PackageSpec, original,
                    descriptor_for) -> Path:
    """A new version of the package at `original`: its payload copied byte for byte,
    the descriptor `descriptor_for(created)` returns (the package events to come are
    appended to its `events`), sealed anew by `spec.sealer`."""
    return _write(out_dir, package_id, spec,
                  lambda bag: _amend_bag(bag, package_id, spec, original, descriptor_for))


def _write(out_dir: Path, package_id: str, spec: PackageSpec, build) -> Path:
    if spec.container not in CONTAINERS:
        raise ArchivekitError(f"unknown container {spec.container!r}")
    out_dir = Path(out_dir)
    final = out_dir / (package_id if spec.container == "dir" else f"{package_id}.{spec.container}")
    if final.exists() or final.is_symlink():
        raise PackageExists(f"{final} already exists: a sealed package is never overwritten")
    try:
        if not out_dir.is_dir():   # a stat: mkdir of a folder that exists is a slower failure
            out_dir.mkdir(parents=True, exist_ok=True)
        workdir = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out_dir))
    except OSError as exc:
        error = NoSpace if no_space(exc) else CaptureFailed
        raise error(f"{out_dir}: cannot write: {exc.strerror}") from None
    try:
        bag = workdir / package_id
        build(bag)
        flush_tree(bag)
        built = bag if spec.container == "dir" else serialize(bag, spec.container)
        _move_into_place(built, final)
        return final
    except OSError as exc:
        error = NoSpace if no_space(exc) else CaptureFailed
        raise error(f"writing {final}: {exc.strerror or exc}; nothing was kept") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class PayloadFiles:
    """Payload files beside the WARC, each hashed for the manifests as it is written."""

    def __init__(self, bag: Path):
        self.bag = bag
        self.written: dict[str, HashingFile] = {}

    @contextmanager
    def create(self, relative: str):
        """A new payload file at `relative` (below data/, not the WARC's own path, no '..'),
        hashed as it is written; a name not allowed or already written is an
        ArchivekitError."""
        if not self._allowed(relative) or relative in self.written:
            raise ArchivekitError(f"payload file {relative!r} cannot be written")
        target = self.bag / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "xb") as raw:
            self.written[relative] = HashingFile(raw)
            yield self.written[relative]

    def folder(self, relative: str) -> None:
        """A payload folder, even an empty one."""
        if not self._allowed(relative):
            raise ArchivekitError(f"payload folder {relative!r} cannot be made")
        (self.bag / relative).mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _allowed(relative: str) -> bool:
        return relative.startswith("data/") and relative != layout.WARC_PATH and \
            ".." not in relative.split("/")


def _build_bag(bag: Path, package_id: str, spec: PackageSpec, write_sources,
               write_payload=None) -> None:
    created = format_time(utc_now())
    if spec.metadata is None:   # a caller that extracted nothing: say so in the package
        spec = replace(spec, metadata=ClippingMetadata(Extraction("none", __version__)))
    metadata = spec.metadata.to_dict()
    _make_folders(bag)
    others = PayloadFiles(bag)
    if write_payload:
        write_payload(others)
    with open(bag / layout.WARC_PATH, "wb") as raw:
        payload = HashingFile(raw)
        warc = ClippingWarcWriter(payload)
        warc.warcinfo(created, {
            "operator": spec.operator, "isPartOf": spec.collection,
            "description": spec.metadata.headline,
        })
        sources, described_id, capture_events = write_sources(warc, created)
        warc.metadata(created, described_id, metadata)
    descriptor = {
        "format": layout.FORMAT, "id": package_id, "created": created,
        "collection": spec.collection, "software": dict(SOFTWARE),
        "agent": {"operator": spec.operator, "organization": spec.organization},
        "sources": sources, "metadata": metadata, "catalog": spec.catalog,
        "records": warc.inventory, "events": list(capture_events),
    }
    _seal_bag(bag, descriptor, spec, {layout.WARC_PATH: payload, **others.written}, created)


def _make_folders(bag: Path) -> None:
    bag.mkdir()
    for folder in ("data", "archivekit", "signatures"):
        (bag / folder).mkdir()


def _amend_bag(bag: Path, package_id: str, spec: PackageSpec, original, descriptor_for) -> None:
    from archivekit.package.reader import open_package
    created = format_time(utc_now())
    _make_folders(bag)
    written = {}
    with open_package(original) as reader:   # every payload file, byte for byte
        for path in sorted(p for p, e in reader.entries.items()
                           if p.startswith("data/") and e.kind == "file"):
            (bag / path).parent.mkdir(parents=True, exist_ok=True)
            with reader.open(path) as source, open(bag / path, "xb") as raw:
                written[path] = HashingFile(raw)
                while chunk := source.read(1 << 20):
                    written[path].write(chunk)
    descriptor = dict(descriptor_for(created), id=package_id, created=created,
                      software=dict(SOFTWARE))
    _seal_bag(bag, descriptor, spec, written, created)


def _seal_bag(bag: Path, descriptor: dict, spec: PackageSpec, written: dict,
              created: str) -> None:
    """The tag files, manifests and seal of a bag whose payload files are `written`
    (bag-relative path -> HashingFile)."""
    package_id = descriptor["id"]
    payload_digests = {alg: {path: f.hashes[alg].hexdigest() for path, f in written.items()}
                       for alg in layout.ALGORITHMS}
    payload_oxum = f"{sum(f.size for f in written.values())}.{len(written)}"
    signed_at = created
    descriptor["events"] = list(descriptor["events"]) + [
        make_event("message digest calculation", created,
                   "sha256 and sha512 of every payload file; sha256 of every WARC record",
                   operator=spec.operator),
        make_event("information package creation", created,
                   f"BagIt 1.0 bag in format {layout.FORMAT}", operator=spec.operator),
        make_event("digital signature generation", signed_at,
                   f"DSSE Ed25519 seal by {spec.sealer.key_id}", operator=spec.operator),
    ]
    # The large metadata fields are in the WARC metadata record: here, by digest.
    descriptor["metadata"] = layout.descriptor_metadata(descriptor.get("metadata") or {})
    headline = descriptor["metadata"].get("headline")
    files = {
        layout.BAGIT_PATH: layout.BAGIT_TXT,
        layout.BAG_INFO_PATH: layout.bag_info_text(
            _bag_info(package_id, spec, created, payload_oxum, headline)),
        layout.DESCRIPTOR_PATH: strictjson.dumps(descriptor),
    }
    for alg in layout.ALGORITHMS:
        files[layout.manifest_path(alg)] = layout.manifest_text(payload_digests[alg])
    tag_manifests = {
        layout.tagmanifest_path(alg): layout.manifest_text(
            {path: hashlib.new(alg, data).hexdigest() for path, data in files.items()})
        for alg in layout.ALGORITHMS
    }
    files.update(tag_manifests)
    sealed = spec.sealer.seal(package_id, signed_at, tag_manifests, payload_oxum)
    seal_file = layout.seal_path(1, spec.sealer.key_id)
    files[seal_file] = sealed.envelope
    if sealed.token is not None:
        files[layout.companion(seal_file, "tsr")] = sealed.token
    for path, data in files.items():
        (bag / path).write_bytes(data)


def _bag_info(package_id, spec: PackageSpec, created: str, payload_oxum: str, headline):
    fields = [
        ("Bagging-Date", created[:10]),
        ("Payload-Oxum", payload_oxum),
        ("Bag-Software-Agent", f"archivekit/{__version__}"),
        ("External-Identifier", package_id),
    ]
    if headline:
        fields.append(("External-Description", headline))
    if spec.organization:
        fields.append(("Source-Organization", spec.organization))
    if spec.operator:
        fields.append(("Contact-Name", spec.operator))
    if spec.collection:
        fields.append(("Bag-Group-Identifier", spec.collection))
    return fields


def serialize(bag: Path, container: str) -> Path:
    """One .zip or .tar file with the bag directory at its top."""
    target = bag.parent / f"{bag.name}.{container}"
    paths = sorted(p for p in bag.rglob("*") if p.is_file())
    if container == "zip":
        with zipfile.ZipFile(target, "w") as archive:
            for path in paths:
                name = f"{bag.name}/{path.relative_to(bag).as_posix()}"
                method = zipfile.ZIP_STORED if path.suffix == ".gz" else zipfile.ZIP_DEFLATED
                archive.write(path, name, compress_type=method)
    else:
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
            for path in paths:
                info = archive.gettarinfo(path, f"{bag.name}/{path.relative_to(bag).as_posix()}")
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                info.mode = 0o644
                with open(path, "rb") as handle:
                    archive.addfile(info, handle)
    flush_tree(target.parent)
    return target


def _move_into_place(built: Path, final: Path) -> None:
    if final.exists() or final.is_symlink():
        raise PackageExists(f"{final} already exists: a sealed package is never overwritten")
    if built.is_dir():
        os.rename(built, final)
    else:
        os.link(built, final)  # fails rather than overwrite a file that appeared meanwhile
    fsync_dir(final.parent)
