"""What a clipping page shows, read from the package itself (never from the index alone):
the descriptor, the full metadata record (with the body text), and the original bytes."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archivekit.errors import ArchivekitError
from archivekit.formats import layout
from archivekit.package.contents import read_descriptor
from archivekit.package.reader import open_package

# A clipping page reads at most this much of a source into memory; larger sources are
# offered for download only.
SHOWN_SOURCE_LIMIT = 16 << 20


@dataclass
class Source:
    """One source record of a package (its original bytes), as a clipping page lists it."""
    index: int
    filename: str
    media_type: str
    size: int
    sha256: str
    uri: str
    record_id: str
    kind: str = ""           # "webarchive" and "bag" are payload files, not WARC records
    payload_path: str = ""   # a web archive's file in the package


@dataclass
class Clipping:
    """A package as its clipping page shows it, read from the package itself."""
    package_id: str
    path: Path
    descriptor: dict
    metadata: dict = field(default_factory=dict)   # the WARC metadata record: body included
    sources: list[Source] = field(default_factory=list)
    problem: str | None = None      # why the package could not be read at all

    @property
    def media_type(self) -> str:
        """The media type of the clipping's first source, without parameters ('' when none)."""
        return self.sources[0].media_type.split(";")[0].strip() if self.sources else ""


def read_clipping(path: Path) -> Clipping:
    """What the page shows; a package that cannot be read still gets a page saying why
    (and its "verify now" button lists every finding)."""
    try:
        descriptor = read_descriptor(path)
    except (ArchivekitError, OSError, ValueError) as exc:
        return Clipping(path.name, path, {}, problem=getattr(exc, "message", None) or str(exc))
    sources = []
    for i, s in enumerate(descriptor.get("sources") or []):
        if isinstance(s, dict):
            sources.append(Source(i, str(s.get("filename") or s.get("uri") or f"source-{i + 1}"),
                                  str(s.get("media_type") or "application/octet-stream"),
                                  int(s.get("bytes") or 0) if str(s.get("bytes", "0")).isdigit() else 0,
                                  str(s.get("sha256") or ""), str(s.get("uri") or ""),
                                  str(s.get("record_id") or ""), str(s.get("kind") or ""),
                                  str((s.get("archive") or {}).get("path") or "")
                                  if isinstance(s.get("archive"), dict) else ""))
    clipping = Clipping(str(descriptor.get("id") or path.name), path, descriptor,
                        dict(descriptor.get("metadata") or {}), sources)
    try:
        full = _metadata_record(path)
    except (ArchivekitError, OSError, ValueError):
        full = None   # the descriptor's copy is shown; "verify now" says what is wrong
    if isinstance(full, dict):
        clipping.metadata = full
    return clipping


def _records(path: Path):
    with open_package(path) as reader:
        if layout.WARC_PATH not in reader.entries:
            return
        with reader.open(layout.WARC_PATH) as stream:
            yield from ArchiveIterator(stream)


def _metadata_record(path: Path):
    for record in _records(path):
        if record.rec_type == "metadata":
            data = record.content_stream().read(SHOWN_SOURCE_LIMIT + 1)
            if len(data) > SHOWN_SOURCE_LIMIT:
                return None
            return json.loads(data)
    return None


def source_bytes(clipping: Clipping, index: int) -> bytes | None:
    """The original bytes of source `index`, checked against the recorded sha256; None when
    they do not match, cannot be read, or are too large to hold (the download is refused)."""
    if not 0 <= index < len(clipping.sources):
        return None
    wanted = clipping.sources[index]
    try:
        return _checked_bytes(clipping.path, wanted)
    except (ArchivekitError, OSError, ValueError):
        return None   # damaged: the page's "verify now" says how


def _checked_bytes(path: Path, wanted: Source) -> bytes | None:
    if wanted.kind == "webarchive":   # kept whole as its own payload file
        with open_package(path) as reader:
            if wanted.payload_path not in reader.entries:
                return None
            with reader.open(wanted.payload_path) as stream:
                return _checked(stream, wanted)
    for record in _records(path):
        if record.rec_headers.get_header("WARC-Record-ID") == wanted.record_id:
            body = record.raw_stream if record.rec_type == "resource" else record.content_stream()
            return _checked(body, wanted)
    return None


def _checked(stream, wanted: Source) -> bytes | None:
    data = stream.read(SHOWN_SOURCE_LIMIT + 1)
    if len(data) > SHOWN_SOURCE_LIMIT or hashlib.sha256(data).hexdigest() != wanted.sha256:
        return None
    return data
