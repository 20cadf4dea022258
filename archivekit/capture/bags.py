"""A BagIt bag another tool made (bagit-python, Bagger, a repository's export), brought
whole: recognised by its bagit.txt, its files listed and hashed without following a link,
and what it says about itself (bag-info.txt, in its declared encoding) read.

Whether the bag is valid is the verifier's question (verify/rfc8493.py), asked before
capture; here we only list, hash and read.
"""

import hashlib
import os
import stat
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from pathlib import Path

from archivekit._internal.fsutil import describe_mode, open_regular, read_regular
from archivekit._internal.timeutil import utc_now
from archivekit.capture.files import EXTRACTABLE_LIMIT
from archivekit.capture.mediatype import with_charset
from archivekit.errors import InputError
from archivekit.extract import extract
from archivekit.extract.metadata import ClippingMetadata
from archivekit.formats import bagit, layout

CHUNK = 1 << 20
TAG_LIMIT = 1 << 20          # bagit.txt and bag-info.txt are read whole, up to this size
MEDIA_TYPE = "inode/directory"   # a folder: what file(1) and freedesktop call one
# bag-info.txt labels that say what the bag holds, best first: its headline in our metadata.
TITLE_FIELDS = ("Title", "External-Description", "External-Identifier")
# The payload files a bag's clipping may be read from (by name: a bag says what it holds).
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class BagFile:
    """One file of a bag (tag files included): its path in the bag, size and SHA-256."""
    path: str        # relative to the bag, '/'-separated
    size: int
    sha256: str


@dataclass
class BagSource:
    """A BagIt bag another tool made, read by read_bag: every file and folder, what
    bagit.txt declares and what bag-info.txt says."""
    path: Path
    files: list[BagFile]
    folders: list[str]                        # every folder, so that empty ones are kept
    version: str | None                       # what bagit.txt declares, when it can be read
    encoding: str | None
    info: list[tuple[str, str]] = field(default_factory=list)   # bag-info.txt, in order
    retrieved: datetime = field(default_factory=utc_now)

    kind = "bag"

    @property
    def filename(self) -> str:
        """The bag folder's own name."""
        return self.path.resolve().name

    @property
    def size(self) -> int:
        """Bytes in all its files, tag files included."""
        return sum(f.size for f in self.files)

    @cached_property
    def sha256(self) -> str:
        """The bag's digest: SHA-256 of a sha256 manifest of every file in it, tag files
        included (`<hex>  <path>` lines sorted by path, as `sha256sum -c` reads them)."""
        return hashlib.sha256(layout.manifest_text({f.path: f.sha256 for f in self.files})
                              ).hexdigest()

    @property
    def target_uri(self) -> str:
        """The bag's name in the package: a URN of its digest (never a local path)."""
        return f"urn:archivekit:bag:sha256:{self.sha256}"

    def field(self, label: str) -> str | None:
        """The first value of a bag-info.txt field, or None."""
        values = bagit.field(self.info, label)
        return values[0] if values else None

    def open(self, item: BagFile):
        """One of its files, opened for reading bytes (a link is refused)."""
        return open_regular(self.path / item.path, follow_links=False)

    def describe(self) -> dict:
        """The source entry's `bag`: what the bag says about itself, as it says it."""
        manifests = sorted(f.path for f in self.files if bagit.manifest_algorithm(f.path))
        return {"path": layout.BAG_DIR, "version": self.version, "encoding": self.encoding,
                "made_by": self.field("Bag-Software-Agent"),
                "bagging_date": self.field("Bagging-Date"), "info": [list(f) for f in self.info],
                "manifests": manifests, "files": len(self.files),
                "clipping": getattr(clipping_in(self), "path", None),
                "payload_files": sum(f.path.startswith("data/") for f in self.files)}


def is_bag(path) -> bool:
    """A folder with a bagit.txt: a bag, valid or not."""
    path = Path(path)
    return path.is_dir() and (path / "bagit.txt").is_file()


def read_bag(path) -> BagSource:
    """List and hash every file of the bag at `path`; read its declaration and bag-info.
    InputError naming the problem when it cannot be read, or holds a link or a device."""
    path = Path(path)
    files, folders = [], []
    _walk(path, "", files, folders)
    version = encoding = None
    info: list[tuple[str, str]] = []
    declaration, _ = bagit.parse_declaration(_read(path, "bagit.txt") or b"")
    if declaration is not None:
        version, encoding = declaration.version_text, declaration.encoding
        for name in bagit.BAG_INFO_NAMES:
            data = _read(path, name)
            if data is not None:
                try:
                    info, _ = bagit.parse_fields(bagit.decode_tag_file(data, encoding))
                except UnicodeDecodeError:
                    pass   # the check before capture says so
                break
    return BagSource(path, files, folders, version, encoding, info)


def _walk(root: Path, prefix: str, files: list, folders: list) -> None:
    try:
        children = sorted(os.scandir(root / prefix), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"{root / prefix}: cannot list: {exc.strerror}") from None
    for child in children:
        relative = prefix + child.name
        try:
            mode = child.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            raise InputError(f"{root / relative}: cannot read: {exc.strerror}") from None
        if stat.S_ISDIR(mode):
            folders.append(relative)
            _walk(root, relative + "/", files, folders)
        elif stat.S_ISREG(mode):
            files.append(BagFile(relative, *_hash(root / relative)))
        else:
            what = "a symbolic link" if stat.S_ISLNK(mode) else describe_mode(mode)
            raise InputError(f"{root / relative}: is {what}; a bag to capture holds only "
                             "files and folders")


def _hash(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    try:
        with open_regular(path, follow_links=False) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return size, digest.hexdigest()


def _read(root: Path, name: str) -> bytes | None:
    try:
        return read_regular(root / name, TAG_LIMIT)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{root / name}: cannot read: {exc.strerror}") from None


def clipping_in(source: BagSource) -> BagFile | None:
    """The one clipping the bag's payload holds, to read metadata from: its only HTML page,
    else its only text file. None when it holds none, or several (one of many would
    describe them all)."""
    payload = [f for f in source.files if f.path.startswith("data/")]
    for suffixes in (HTML_SUFFIXES, TEXT_SUFFIXES):
        found = [f for f in payload if f.path.lower().endswith(suffixes)]
        if found:
            return found[0] if len(found) == 1 else None
    return None


def bag_metadata(source: BagSource) -> ClippingMetadata:
    """The clipping metadata of a bag: read from the one clipping it holds (clipping_in),
    if any; its headline from bag-info.txt's Title, else the clipping's, else bag-info's
    External-Description, External-Identifier, else the folder's name; its description
    from External-Description when the clipping gave none. Every bag-info field stays in
    the source entry's `bag.info` as written."""
    clipping = clipping_in(source)
    if clipping is None:
        metadata = extract(b"", "text/plain", None)
    else:
        with source.open(clipping) as handle:
            head = handle.read(EXTRACTABLE_LIMIT)
        html = clipping.path.lower().endswith(HTML_SUFFIXES)
        metadata = extract(head, "text/html" if html else with_charset("text/plain", head),
                           captured=source.retrieved)
        for origin in metadata.provenance.values():   # which of the bag's files said it
            origin["from"] = f"{clipping.path}: {origin['from']}"
    label = "Title" if source.field("Title") else None
    if label is None and metadata.headline:
        metadata.provenance.setdefault("headline", {"by": "extractor", "from": clipping.path})
    else:
        label = label or next((name for name in TITLE_FIELDS if source.field(name)), None)
        metadata.headline = " ".join(source.field(label).split()) if label else source.filename
        metadata.found("headline", f"bag-info.txt {label}" if label else "the bag's folder name")
    description = source.field("External-Description")
    if description and label != "External-Description" and not metadata.description:
        metadata.description = " ".join(description.split())
        metadata.found("description", "bag-info.txt External-Description")
    return metadata
