"""The rules of RFC 8493 (BagIt) for any bag, whoever made it: the text of bagit.txt,
tag-file encodings, `Label: value` fields, manifest and fetch.txt lines, Payload-Oxum.

Parsers here return what they read and a list of `Problem`s (plain words, no finding
codes): the verifier decides what each problem means for a bag.
"""

import codecs
import hashlib
import re
from dataclasses import dataclass

# RFC 8493 §2.4 names these; sha224 and sha384 are in the wild (bagit-python writes them).
ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")
BAG_INFO_NAMES = ("bag-info.txt", "package-info.txt")   # the latter before BagIt 0.96
MANIFEST_NAME = re.compile(r"^(tag)?manifest-([a-z0-9]+)\.txt$")
_VERSION_LINE = re.compile(r"^BagIt-Version: ([0-9]+)\.([0-9]+)$")
_ENCODING_LINE = re.compile(r"^Tag-File-Character-Encoding: (\S+)$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_OXUM = re.compile(r"^([0-9]+)\.([0-9]+)$")
# Files an operating system leaves behind, which copying tools often drop.
SYSTEM_FILES = re.compile(r"(^|/)(\.DS_Store|Thumbs\.db|desktop\.ini|\._[^/]*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Something wrong with a tag file's text: what, and where (the line, and the text
    found) when it is one line."""
    message: str
    line: int | None = None
    found: str | None = None


@dataclass(frozen=True)
class Declaration:
    """What bagit.txt declares."""
    version: tuple[int, int]
    encoding: str

    @property
    def version_text(self) -> str:
        """The version as bagit.txt writes it: 'M.N'."""
        return f"{self.version[0]}.{self.version[1]}"


@dataclass(frozen=True)
class ManifestLine:
    """One line of a manifest: its number, the digest, the path as read and as written."""
    line: int
    digest: str          # lowercase hex
    path: str            # bag-relative, percent-decoded, without a leading './'
    written: str         # the path as the line wrote it


@dataclass(frozen=True)
class FetchLine:
    """One line of fetch.txt: its number, the URL, the length in octets (None for '-') and
    the path."""
    line: int
    url: str
    length: int | None   # None for '-'
    path: str


def split_lines(text: str) -> list[str]:
    """Lines ended by CR, LF or CRLF (RFC 8493 §2.1.1 allows all three)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_declaration(data: bytes) -> tuple[Declaration | None, list[Problem]]:
    """bagit.txt: exactly two lines, `BagIt-Version: M.N` and
    `Tag-File-Character-Encoding: ENCODING`, in UTF-8 without a byte-order mark."""
    if data.startswith(codecs.BOM_UTF8):
        return None, [Problem("bagit.txt begins with a byte-order mark (RFC 8493 §2.1.1 "
                              "forbids one)")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem("bagit.txt is not UTF-8")]
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != 2:
        return None, [Problem(f"bagit.txt must have exactly two lines, it has {len(lines)}",
                              found=text[:200])]
    version = _VERSION_LINE.match(lines[0])
    encoding = _ENCODING_LINE.match(lines[1])
    problems = []
    if not version:
        problems.append(Problem("bagit.txt line 1 is not 'BagIt-Version: M.N'", 1, lines[0][:100]))
    if not encoding:
        problems.append(Problem("bagit.txt line 2 is not 'Tag-File-Character-Encoding: "
                                "ENCODING'", 2, lines[1][:100]))
    elif not _codec(encoding.group(1)):
        problems.append(Problem(f"bagit.txt declares an unknown encoding "
                                f"{encoding.group(1)[:40]!r}", 2))
    if problems:
        return None, problems
    return Declaration((int(version.group(1)), int(version.group(2))), encoding.group(1)), []


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_tag_file(data: bytes, encoding: str) -> str:
    """Decode a tag file in the bag's declared encoding; raise UnicodeDecodeError. A
    byte-order mark the encoding allows (UTF-16's, UTF-8's) is not part of the text."""
    name = _codec(encoding) or encoding
    if name == "utf-8":
        name = "utf-8-sig"
    return data.decode(name)


def parse_fields(text: str) -> tuple[list[tuple[str, str]], list[Problem]]:
    """`Label: value` lines (bag-info.txt and its older names); a line starting with
    whitespace continues the value above it. Labels may repeat and keep their order."""
    fields, problems = [], []
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        if line[:1] in (" ", "\t"):
            if fields:
                fields[-1] = (fields[-1][0], fields[-1][1] + " " + line.strip())
            else:
                problems.append(Problem(f"line {number} continues a field that does not "
                                        "exist", number, line[:100]))
            continue
        label, sep, value = line.partition(":")
        if not sep or not label.strip():
            problems.append(Problem(f"line {number} is not 'Label: value'", number, line[:100]))
            continue
        fields.append((label.strip(), value.strip()))
    return fields, problems


def field(fields: list[tuple[str, str]], name: str) -> list[str]:
    """Every value of a label, compared without regard to case (RFC 8493 §2.2.2)."""
    return [v for k, v in fields if k.lower() == name.lower()]


def manifest_algorithm(name: str) -> tuple[str, str] | None:
    """'tagmanifest-sha256.txt' -> ('tagmanifest', 'sha256'); None for other names."""
    match = MANIFEST_NAME.match(name)
    if not match:
        return None
    return ("tagmanifest" if match.group(1) else "manifest"), match.group(2)


def digest_length(algorithm: str) -> int | None:
    """Hex digits in a digest of `algorithm`; None for an algorithm hashlib does not
    know."""
    try:
        return hashlib.new(algorithm).digest_size * 2
    except ValueError:
        return None


def decode_path(text: str) -> str:
    """RFC 8493 §2.1.3: CR, LF and % in a file name are percent-encoded."""
    return re.sub(r"%(0[DdAa]|25)", lambda m: chr(int(m.group(1), 16)), text)


def encode_path(path: str) -> str:
    """A path as a manifest writes it: %, CR and LF percent-encoded (RFC 8493 §2.1.3)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def parse_manifest(text: str, algorithm: str) -> tuple[list[ManifestLine], list[Problem]]:
    """`<hex digest> <path>` lines; whitespace between them may be any run of spaces or
    tabs. The `*` that md5sum's binary mode puts before a path is read but reported."""
    size = digest_length(algorithm)
    entries, problems = [], []
    starred = False
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        parts = re.split(r"[ \t]+", line, maxsplit=1)
        digest, written = parts[0], parts[1] if len(parts) > 1 else ""
        if written.startswith("*"):
            written, starred = written[1:], True
        if not written or not _HEX.match(digest) or (size and len(digest) != size):
            problems.append(Problem(f"line {number} is not '<{algorithm} hex digest> <path>'",
                                    number, line[:200]))
            continue
        path = decode_path(written)
        path = path[2:] if path.startswith("./") else path
        entries.append(ManifestLine(number, digest.lower(), path, written))
    if starred:
        problems.append(Problem("paths are marked '*' (md5sum's binary mode), which is not "
                                "BagIt syntax; read without it"))
    return entries, problems


def parse_fetch(text: str) -> tuple[list[FetchLine], list[Problem]]:
    """fetch.txt: `URL LENGTH FILEPATH`, LENGTH a number of octets or '-'."""
    entries, problems = [], []
    for number, line in enumerate(split_lines(text), 1):
        if not line.strip():
            continue
        parts = re.split(r"[ \t]+", line, maxsplit=2)
        if len(parts) != 3 or not (parts[1] == "-" or parts[1].isdigit()):
            problems.append(Problem(f"line {number} is not 'URL LENGTH FILEPATH'",
                                    number, line[:200]))
            continue
        url, length, written = parts
        path = decode_path(written)
        path = path[2:] if path.startswith("./") else path
        entries.append(FetchLine(number, url, None if length == "-" else int(length), path))
    return entries, problems


def parse_oxum(value: str) -> tuple[int, int] | None:
    """Payload-Oxum `OctetCount.StreamCount`."""
    match = _OXUM.match(value.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None
