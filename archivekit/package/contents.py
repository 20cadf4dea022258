"""Reading what a package holds: its descriptor, and the original source bytes."""

import hashlib
import os
import re
import tempfile
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archivekit._internal import strictjson
from archivekit.errors import ArchivekitError, InputError
from archivekit._internal.fsutil import fsync_dir
from archivekit.formats import layout
from archivekit.package.reader import PackageUnreadable, open_package


class UnpackFailed(ArchivekitError):
    exit_code = 1   # the package does not hold what it says: a verification failure


def read_descriptor(location) -> dict:
    try:
        with open_package(location) as reader:
            if layout.DESCRIPTOR_PATH not in reader.entries:
                raise InputError(f"{location}: no {layout.DESCRIPTOR_PATH}; not an archivekit package")
            data = reader.read(layout.DESCRIPTOR_PATH)
    except PackageUnreadable as exc:
        raise InputError(f"{location}: {exc}") from None
    try:
        descriptor = strictjson.loads(data)
    except strictjson.StrictJSONError as exc:
        raise UnpackFailed(f"{location}: package.json is damaged: {exc}") from None
    if not isinstance(descriptor, dict):
        raise UnpackFailed(f"{location}: package.json is not an object")
    return descriptor


def _safe_filename(name, index: int, media_type: str) -> str:
    name = os.path.basename(str(name or "")).strip()
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).lstrip(".")
    if name:
        return name
    extension = {"text/html": ".html", "application/pdf": ".pdf", "image/png": ".png",
                 "image/jpeg": ".jpg", "text/plain": ".txt"}.get(media_type.split(";")[0], "")
    return f"source-{index + 1}{extension}"


def unpack(location, out_dir) -> list[Path]:
    """Write each source's original bytes to out_dir, after checking their sha256."""
    descriptor = read_descriptor(location)
    listed = [(i, s) for i, s in enumerate(descriptor.get("sources", [])) if isinstance(s, dict)]
    # A web archive the user brought is its own payload file; the rest are WARC records.
    kept_whole = [(i, s) for i, s in listed if s.get("kind") == "webarchive"]
    sources = {s.get("record_id"): (i, s) for i, s in listed if s.get("kind") != "webarchive"}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with open_package(location) as reader:
        for index, source in kept_whole:
            path = (source.get("archive") or {}).get("path")
            if not isinstance(path, str) or not layout.is_web_archive(path) or \
                    path not in reader.entries:
                raise UnpackFailed(f"{location}: the web archive {path!r} is missing")
            name = _safe_filename(source.get("filename"), index, "")
            with reader.open(path) as stream:
                written.append(_write_checked(stream, out_dir / name, source.get("sha256")))
        if layout.WARC_PATH not in reader.entries:
            raise UnpackFailed(f"{location}: {layout.WARC_PATH} is missing")
        with reader.open(layout.WARC_PATH) as stream:
            try:
                for record in ArchiveIterator(stream):
                    record_id = record.rec_headers.get_header("WARC-Record-ID")
                    if record_id not in sources:
                        continue
                    index, source = sources.pop(record_id)
                    name = _safe_filename(source.get("filename"), index, source.get("media_type", ""))
                    body = record.raw_stream if record.rec_type == "resource" else record.content_stream()
                    written.append(_write_checked(body, out_dir / name, source.get("sha256")))
            except ArchivekitError:
                raise
            except Exception as exc:
                raise UnpackFailed(f"{location}: the WARC cannot be read: {exc}") from None
    if sources:
        raise UnpackFailed(f"{location}: {len(sources)} source record(s) not found in the WARC")
    return written


def _write_checked(stream, target: Path, sha256: str | None) -> Path:
    if target.exists():
        raise InputError(f"{target} already exists; unpack into an empty folder")
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if digest.hexdigest() != sha256:
            raise UnpackFailed(f"{target.name}: the stored bytes do not match the recorded "
                               f"sha256 ({sha256}); not written")
        os.link(tmp, target)
        fsync_dir(target.parent)
        return target
    finally:
        os.unlink(tmp)
