"""Reading what a package holds: its descriptor, and the original source bytes."""

import hashlib
import os
import zlib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from archivekit._internal import strictjson
from archivekit.errors import ArchivekitError, InputError, NotVerified
from archivekit._internal.fsutil import flush_tree, fsync_dir
from archivekit._internal.limits import LimitExceeded, Limits
from archivekit.formats import layout
from archivekit.package.reader import PackageUnreadable, open_package


class UnpackFailed(NotVerified):
    """The package does not hold what it says: a source's bytes differ from its digest."""


def read_descriptor(location, limits: Limits | None = None) -> dict:
    """The package's descriptor, its large metadata fields (stored once, in the WARC
    metadata record: docs/format.md) read back from there. A field that cannot be read
    back, or whose digest does not match, stays the reference it is (the verifier says
    why)."""
    descriptor = _stored_descriptor(location, limits)
    metadata = descriptor.get("metadata")
    if isinstance(metadata, dict) and any(layout.is_text_reference(metadata.get(name))
                                          for name in layout.LARGE_METADATA):
        whole = _metadata_record(location, descriptor, limits or Limits()) or {}
        descriptor["metadata"] = {
            key: whole[key] if key in layout.LARGE_METADATA and key in whole and
            layout.is_text_reference(value) and layout.text_reference(whole[key]) == value
            else value for key, value in metadata.items()}
    return descriptor


def _metadata_record(location, descriptor: dict, limits: Limits) -> dict | None:
    """The clipping metadata record's content, read from its own gzip member of the WARC
    (the descriptor's inventory says where); None when it cannot be read."""
    entries = [e for e in descriptor.get("records") or [] if isinstance(e, dict) and
               e.get("type") == "metadata" and
               str(e.get("target_uri", "")).startswith("urn:archivekit:metadata:")]
    if not entries:
        return None
    try:
        offset, length = int(entries[-1]["offset"]), int(entries[-1]["length"])
        if not (0 <= offset and 0 < length <= limits.kept_block_bytes):
            return None
        with open_package(location, limits) as reader, reader.open(layout.WARC_PATH) as warc:
            warc.seek(offset)
            member = warc.read(length)
        record = zlib.decompressobj(wbits=31).decompress(member, limits.kept_block_bytes)
        head, _, block = record.partition(b"\r\n\r\n")
        size = re.search(rb"(?im)^content-length:[ \t]*(\d+)", head)
        document = strictjson.loads(block[:int(size.group(1))]) if size else None
    except (ArchivekitError, PackageUnreadable, OSError, ValueError, KeyError, TypeError,
            AttributeError, zlib.error, strictjson.StrictJSONError):
        return None
    return document if isinstance(document, dict) else None


def _stored_descriptor(location, limits: Limits | None = None) -> dict:
    try:
        with open_package(location, limits) as reader:
            if layout.DESCRIPTOR_PATH not in reader.entries:
                raise InputError(f"{location}: no {layout.DESCRIPTOR_PATH}; not an archivekit package")
            data = reader.read(layout.DESCRIPTOR_PATH)
    except PackageUnreadable as exc:
        raise InputError(f"{location}: {exc}") from None
    except ArchivekitError:
        raise
    except Exception as exc:   # a bad CRC, a header that disagrees, a method not read...
        raise UnpackFailed(f"{location}: cannot read {layout.DESCRIPTOR_PATH}: {exc}") from None
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


@dataclass
class Unpacked:
    """What `unpack` wrote, and a message for each source it did not."""
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)   # one message per source not written


def unpack(location, out_dir, limits: Limits | None = None, mode: int = 0o644) -> Unpacked:
    """Write each source's original bytes to out_dir: never more bytes than the
    descriptor declares, each file checked against its sha256 as it is written, and one
    that fails removed and named in `failed`. Verify the package first: this trusts
    the descriptor to say what the sources are."""
    descriptor = read_descriptor(location, limits)
    sources, kept_whole = {}, []
    result = Unpacked()
    for index, source in enumerate(descriptor.get("sources") or []):
        if not (isinstance(source, dict) and isinstance(source.get("record_id"), str)
                and isinstance(source.get("sha256"), str)
                and type(source.get("bytes")) is int and source["bytes"] >= 0):
            result.failed.append(f"sources[{index}]: no record_id, sha256 and bytes; not written")
        elif source.get("kind") in ("webarchive", "bag"):   # its own payload, not a record
            kept_whole.append((index, source))
        else:
            sources[source["record_id"]] = (index, source)
    from warcio.archiveiterator import ArchiveIterator    # only unpacking parses the WARC
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with open_package(location, limits) as reader:
            for index, source in kept_whole:
                unpack_kept = _unpack_bag if source.get("kind") == "bag" else _unpack_web_archive
                unpack_kept(reader, index, source, out_dir, result, mode)
            if layout.WARC_PATH not in reader.entries:
                raise UnpackFailed(f"{location}: {layout.WARC_PATH} is missing")
            with reader.open(layout.WARC_PATH) as stream:
                for record in ArchiveIterator(stream):
                    record_id = record.rec_headers.get_header("WARC-Record-ID")
                    if record_id not in sources:
                        continue
                    index, source = sources.pop(record_id)
                    name = _safe_filename(source.get("filename"), index,
                                          str(source.get("media_type", "")))
                    body = (record.raw_stream if record.rec_type == "resource"
                            else record.content_stream())
                    try:
                        result.written.append(_write_checked(body, out_dir / name, source,
                                                             mode))
                    except UnpackFailed as exc:
                        result.failed.append(exc.message)
    except ArchivekitError:
        raise
    except PackageUnreadable as exc:
        raise InputError(f"{location}: {exc}") from None
    except LimitExceeded as exc:
        raise UnpackFailed(f"{location}: {exc}") from None
    except Exception as exc:   # a damaged WARC or container: warcio and zipfile raise many kinds
        raise UnpackFailed(f"{location}: the WARC cannot be read: {exc}") from None
    for index, _source in sources.values():
        result.failed.append(f"sources[{index}]: its record is not in the WARC; not written")
    return result


def _unpack_web_archive(reader, index: int, source: dict, out_dir: Path, result,
                        mode: int) -> None:
    path = (source.get("archive") or {}).get("path")
    if not isinstance(path, str) or not layout.is_web_archive(path) or \
            path not in reader.entries:
        result.failed.append(f"sources[{index}]: the web archive {path!r} is missing; "
                             "not written")
        return
    name = _safe_filename(source.get("filename"), index, "")
    with reader.open(path) as stream:
        try:
            result.written.append(_write_checked(stream, out_dir / name, source, mode))
        except UnpackFailed as exc:
            result.failed.append(exc.message)


def _unpack_bag(reader, index: int, source: dict, out_dir: Path, result, mode: int) -> None:
    """An adopted bag, back as the folder it was: every file below data/bag/ written under
    the bag's name, kept only if the bag's digest and size are the recorded ones."""
    target = out_dir / _safe_filename(source.get("filename"), index, "")
    if os.path.lexists(target):
        raise InputError(f"{target} already exists; unpack into an empty folder")
    prefix = layout.BAG_DIR
    inside = {p[len(prefix):]: e for p, e in reader.entries.items()
              if p.startswith(prefix) and len(p) > len(prefix)}
    folder_mode = mode | (mode & 0o444) >> 2   # folders readable by whom files are: 644 -> 755
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=out_dir))
    try:
        digests, written = {}, 0
        for name in sorted(p for p, e in inside.items() if e.kind == "dir"):
            (work / name).mkdir(folder_mode, parents=True, exist_ok=True)
        for name in sorted(p for p, e in inside.items() if e.kind == "file"):
            digest = hashlib.sha256()
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            with reader.open(prefix + name) as stream, open(work / name, "xb") as handle:
                while chunk := stream.read(1 << 20):
                    written += len(chunk)
                    if written > source["bytes"]:
                        break
                    digest.update(chunk)
                    handle.write(chunk)
            os.chmod(work / name, mode)
            digests[name] = digest.hexdigest()
        found = hashlib.sha256(layout.manifest_text(digests)).hexdigest()
        if written != source["bytes"] or found != source["sha256"]:
            result.failed.append(f"{target.name}: the stored bag does not match the recorded "
                                 f"size and sha256 ({source['bytes']} bytes, "
                                 f"{source['sha256']}); not written")
            return
        os.chmod(work, folder_mode)
        flush_tree(work)
        os.rename(work, target)
        fsync_dir(out_dir)
        result.written.append(target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _write_checked(stream, target: Path, source: dict, mode: int) -> Path:
    """Write at most the declared bytes; keep the file only if size and sha256 match.
    The file gets `mode` (mkstemp makes 0600: not what a patron's copy should be)."""
    if os.path.lexists(target):
        raise InputError(f"{target} already exists; unpack into an empty folder")
    declared, sha256 = source["bytes"], source["sha256"]
    digest = hashlib.sha256()
    written = 0
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            while chunk := stream.read(min(1 << 20, declared + 1 - written)):
                written += len(chunk)
                if written > declared:
                    raise UnpackFailed(f"{target.name}: the record holds more than the "
                                       f"{declared} bytes the descriptor declares; not written")
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if written != declared or digest.hexdigest() != sha256:
            raise UnpackFailed(f"{target.name}: the stored bytes do not match the recorded "
                               f"size and sha256 ({declared} bytes, {sha256}); not written")
        os.link(tmp, target)
        fsync_dir(target.parent)
        return target
    finally:
        os.unlink(tmp)
