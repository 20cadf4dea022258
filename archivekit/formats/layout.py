"""Names and constants of the `archivekit-package/1` format (docs/format.md)."""

import hashlib
import json
import re
from pathlib import Path

from archivekit._internal.fsutil import atomic_write_bytes
from archivekit.formats import bagit

FORMAT = "archivekit-package/1"
WARC_PATH = "data/clipping.warc.gz"
DESCRIPTOR_PATH = "archivekit/package.json"
BAGIT_PATH = "bagit.txt"
BAG_INFO_PATH = "bag-info.txt"
ALGORITHMS = ("sha256", "sha512")
SIGNATURES_DIR = "signatures/"
SEAL_NAME = re.compile(r"^signatures/(\d+)-ed25519-([0-9a-f]{16})\.dsse\.json$")
# Beside a seal: its RFC 3161 token and its transparency-log inclusion proof.
SEAL_COMPANION = re.compile(r"^signatures/(\d+)-ed25519-([0-9a-f]{16})\.(tsr|tlog\.json)$")


# Metadata fields stored once, in the WARC metadata record; the descriptor refers to each
# by {"sha256": <hex of its compact JSON in UTF-8>, "bytes": <its length>}.
LARGE_METADATA = ("body", "boilerplate")


def text_reference(value) -> dict:
    """How the descriptor refers to a large metadata field stored in the WARC: the SHA-256
    and length of its compact JSON."""
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def is_text_reference(value) -> bool:
    """Whether a descriptor's metadata value is such a reference, not the value itself."""
    return isinstance(value, dict) and set(value) == {"sha256", "bytes"}


def descriptor_metadata(metadata: dict) -> dict:
    """The WARC metadata record's content as the descriptor holds it: large fields by
    digest (they are stored once, in the WARC); a field already a reference stays one."""
    return {key: text_reference(value) if key in LARGE_METADATA and value and
            not is_text_reference(value) else value for key, value in metadata.items()}


def companion(seal: str, kind: str) -> str:
    """'signatures/1-ed25519-ab.dsse.json', 'tsr' -> 'signatures/1-ed25519-ab.tsr'."""
    return seal[: -len(".dsse.json")] + "." + kind


# A web archive a user brings is kept whole as its own payload file, with a CDXJ index,
# in the folders a WACZ uses, so that replay tools find its pages (DESIGN §2).
ARCHIVE_DIR = "data/archive/"
INDEX_DIR = "data/indexes/"
WEB_ARCHIVE_SUFFIXES = (".warc.gz", ".warc", ".arc.gz", ".arc", ".wacz")
# A BagIt bag another tool made, adopted whole: every file of it, tag files included,
# byte for byte below this folder, so that it is still a bag of its own there.
BAG_DIR = "data/bag/"


def archive_path(filename: str) -> str:
    """Where a web archive the user brought is kept: data/archive/<filename>."""
    return ARCHIVE_DIR + filename


def index_path(filename: str) -> str:
    """The CDXJ index of that web archive: data/indexes/<filename>.cdxj."""
    return f"{INDEX_DIR}{filename}.cdxj"


def is_web_archive(path: str) -> bool:
    """Whether a payload path is a kept web archive (directly in data/archive/, a WARC, ARC
    or WACZ name)."""
    return (path.startswith(ARCHIVE_DIR) and "/" not in path[len(ARCHIVE_DIR):]
            and path.lower().endswith(WEB_ARCHIVE_SUFFIXES))


BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


def manifest_path(algorithm: str) -> str:
    """The payload manifest of a digest algorithm."""
    return f"manifest-{algorithm}.txt"


def tagmanifest_path(algorithm: str) -> str:
    """The tag manifest of a digest algorithm."""
    return f"tagmanifest-{algorithm}.txt"


def seal_path(number: int, key_id: str) -> str:
    # ':' is not portable in file names; the key id's hex part names the file.
    """The path of seal `number`, named by the hex part of the signer's key id."""
    return f"{SIGNATURES_DIR}{number}-ed25519-{key_id.split(':', 1)[1]}.dsse.json"


def seal_number(path: str) -> int:
    """A seal's number: 1 for the capture's own seal, then each countersignature."""
    return int(SEAL_NAME.match(path).group(1))


def seal_paths(package: Path) -> list[str]:
    """The seals of a folder package ('signatures/…dsse.json'), in number order."""
    folder = Path(package) / SIGNATURES_DIR
    if not folder.is_dir():
        return []
    found = (f"{SIGNATURES_DIR}{p.name}" for p in folder.iterdir())
    return sorted((path for path in found if SEAL_NAME.match(path)), key=seal_number)


def is_tag_manifest(path: str) -> bool:
    """Whether a path is a tag manifest (ours, or another algorithm's at the bag's top)."""
    return path in {tagmanifest_path(a) for a in ALGORITHMS} or (
        path.startswith("tagmanifest-") and path.endswith(".txt") and "/" not in path)


def manifest_text(digests: dict[str, str]) -> bytes:
    """`<hex digest>  <path>` lines, sorted by path."""
    lines = [f"{digest}  {bagit.encode_path(path)}\n" for path, digest in sorted(digests.items())]
    return "".join(lines).encode("utf-8")


def bag_info_text(fields: list[tuple[str, str]]) -> bytes:
    """bag-info.txt from (name, value) pairs, each value folded onto one line."""
    lines = []
    for name, value in fields:
        value = " ".join(str(value).split())  # one line per field; no stray newlines
        lines.append(f"{name}: {value}\n")
    return "".join(lines).encode("utf-8")


def add_signature_file(package: Path, relative: str, data: bytes, overwrite: bool = False) -> Path:
    """Write a seal, token or proof into a sealed folder package, atomically. The
    temporary file lives beside the package, not in it: one left by a killed process
    must not become a stray file inside a sealed package."""
    package = Path(package)
    target = package / relative
    atomic_write_bytes(target, data, overwrite=overwrite, temp_dir=package.parent)
    return target
