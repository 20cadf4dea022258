"""BagIt bags made by other tools, for `capture BAG` and its verification."""

import hashlib
from pathlib import Path

import bagit

BAG_INFO = {"Source-Organization": "Springfield Public Library",
            "External-Description": "Clippings of the 1998 flood, from the Springfield Herald",
            "External-Identifier": "spl-flood-1998"}


def make_bag(folder: Path, info: dict | None = None) -> Path:
    """A bag as bagit-python makes one (md5 and sha1 manifests): two clippings, a
    sub-folder, an empty folder; `info` for bag-info.txt (default BAG_INFO)."""
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "front.html").write_text(
        "<html><head><title>River crests at 31 feet</title></head><body>Flood</body></html>")
    (folder / "clipping.txt").write_text("RIVER CRESTS AT 31 FEET\n\nBy Ann Reporter\n")
    (folder / "empty").mkdir()
    bagit.make_bag(str(folder), dict(BAG_INFO if info is None else info),
                   checksums=["md5", "sha1"])
    return folder


def make_utf16_bag(folder: Path, title: str) -> Path:
    """A bag whose tag files are UTF-16 (with a byte-order mark), as RFC 8493 allows
    (bagit-python cannot make one: its make_bag fails reading it back)."""
    (folder / "data").mkdir(parents=True)
    clipping = "HOCHWASSER: PEGEL BEI 9 METERN\n".encode()
    (folder / "data" / "hochwasser.txt").write_bytes(clipping)
    (folder / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n")
    (folder / "bag-info.txt").write_bytes(
        f"Title: {title}\nSource-Organization: Stadtarchiv\nPayload-Oxum: {len(clipping)}.1\n"
        .encode("utf-16"))
    (folder / "manifest-sha256.txt").write_bytes(
        f"{hashlib.sha256(clipping).hexdigest()}  data/hochwasser.txt\n".encode("utf-16"))
    return folder
