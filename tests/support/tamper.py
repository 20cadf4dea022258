"""Ways to change a sealed package's bytes, shared by the tamper suite and the worker tests."""

import gzip
import json
import zipfile

from archivekit.formats import layout

WARC = layout.WARC_PATH


def members(path):
    """Split a gzip file into its members' bytes (we write one member per record)."""
    data = path.read_bytes()
    descriptor = json.loads((path.parent.parent / layout.DESCRIPTOR_PATH).read_text())
    return [data[r["offset"]: r["offset"] + r["length"]] for r in descriptor["records"]]


def rewrite_member(bag, index, change):
    parts = members(bag / WARC)
    record = gzip.decompress(parts[index])
    parts[index] = gzip.compress(change(record), 6)
    (bag / WARC).write_bytes(b"".join(parts))


def edit_descriptor(bag, change):
    path = bag / layout.DESCRIPTOR_PATH
    descriptor = json.loads(path.read_text())
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False, sort_keys=True) + "\n")


def flip_compressed_byte(bag, cli=None):
    """One bit inside the resource record's deflate data (not its gzip header, whose
    timestamp bytes no inflater checks: the manifests alone catch those)."""
    record = json.loads((bag / layout.DESCRIPTOR_PATH).read_text())["records"][1]
    data = bytearray((bag / WARC).read_bytes())
    data[record["offset"] + record["length"] // 2] ^= 0x01
    (bag / WARC).write_bytes(bytes(data))


def corrupt_zip_entry(archive, name):
    """Flip a byte in the middle of a zip entry's stored data: its CRC fails on reading."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(name)
    data = bytearray(archive.read_bytes())
    header = info.header_offset
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + \
        int.from_bytes(data[header + 28:header + 30], "little")
    data[start + info.compress_size // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
