"""File sources: a text clipping, a saved HTML page, a PDF, an image."""

import hashlib
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from archivekit.capture.mediatype import sniff, with_charset
from archivekit.errors import InputError, no_space
from archivekit._internal.fsutil import shown_path
from archivekit._internal.timeutil import utc_now

CHUNK = 1 << 20
EXTRACTABLE_LIMIT = 64 << 20  # bytes read into memory for metadata extraction


@dataclass
class FileSource:
    """A local file to capture, read and hashed once (read_file_source): its path, size,
    SHA-256, sniffed media type, when it was read, and the article's address if given."""
    path: Path
    size: int
    sha256: str          # lowercase hex
    media_type: str
    retrieved: datetime
    url: str | None = None

    kind = "file"

    @property
    def filename(self) -> str:
        """The file's own name, without its folder."""
        return self.path.name

    @property
    def target_uri(self) -> str:
        """The WARC target URI: the article's address, else a name made of the content
        (never a local path)."""
        return self.url or f"urn:archivekit:source:sha256:{self.sha256}"

    def open(self):
        """The file, opened for reading bytes."""
        return open(self.path, "rb")

    def read_for_extraction(self) -> bytes:
        """The file's first EXTRACTABLE_LIMIT bytes: what metadata is read from."""
        with self.open() as handle:
            return handle.read(EXTRACTABLE_LIMIT)


def read_file_source(path: str | os.PathLike, url: str | None = None) -> FileSource:
    """Check the file and take its digest; raise InputError naming the problem."""
    path = Path(path)
    if shown_path(path) != str(path):
        raise InputError(f"{shown_path(path)}: its name is not valid UTF-8, which a package "
                         "records as text; rename the file")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a folder without bagit.txt, so not a BagIt bag: name "
                         "the files in it to capture (a bag's folder is captured whole)")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file")
    digest = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
            digest.update(head)
            size += len(head)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if size == 0:
        raise InputError(f"{path}: file is empty; there is nothing to preserve")
    media_type = with_charset(sniff(head, path.name), head)
    return FileSource(path, size, digest.hexdigest(), media_type, utc_now(), url)


def write_file_records(source: FileSource, warc, date: str) -> dict:
    """Write the resource record; return the descriptor's `sources` entry."""
    try:
        with source.open() as handle:
            entry = warc.resource(source.target_uri, date, source.media_type, handle, source.size)
    except OSError as exc:
        if no_space(exc):
            raise   # writing the WARC, not reading the source, failed: the writer says so
        raise InputError(f"{source.path}: cannot read: {exc.strerror}") from None
    # warcio hashes the stream as it reads it; a different digest means the file changed.
    if entry["payload_digest"] != f"sha256:{source.sha256}":
        raise InputError(f"{source.path}: the file changed while it was being captured")
    return {
        "kind": source.kind, "uri": source.target_uri, "filename": source.filename,
        "retrieved": date, "media_type": source.media_type, "bytes": source.size,
        "sha256": source.sha256, "record_id": entry["id"],
    }

