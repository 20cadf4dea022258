"""Scanned images opened within limits: damaged and oversized files are refused with a
clear reason before their pixels are decoded; skew is found and undone."""

import io
import json
import struct
import subprocess
import sys
import zlib

import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from archivekit.extract import extract, images
from conftest import ROOT, SAMPLES

from support import scans


def _png(width: int, height: int, rows: bytes = b"") -> bytes:
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def _tiff(width: int, height: int, strip: bytes) -> bytes:
    """A one-page 8-bit grey TIFF, deflate-compressed, with the size it claims."""
    entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 8), (262, 3, 1),
               (273, 4, 0), (277, 3, 1), (278, 4, height), (279, 4, len(strip))]
    ifd_size = 2 + 12 * len(entries) + 4
    data_at = 8 + ifd_size
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        value = data_at if tag == 273 else value
        ifd += struct.pack("<HHI", tag, kind, 1) + (struct.pack("<HH", value, 0) if kind == 3
                                                     else struct.pack("<I", value))
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0) + strip


def _refusal(data: bytes) -> str:
    with pytest.raises(images.ImageRefused) as refused:
        list(images.pages(data))
    return str(refused.value)


def test_a_truncated_png_is_refused_as_damaged():
    data = (SAMPLES / "scan-clipping.png").read_bytes()
    assert "damaged or truncated" in _refusal(data[: len(data) // 2])


def test_a_30000_pixel_square_png_is_refused_before_decoding():
    assert "million pixels" in _refusal(_png(30000, 30000, b"\0" * 30001 * 4))
    # Between our limit and Pillow's own: our check, naming the size.
    assert "11000x10000 pixels" in _refusal(_png(11000, 10000, b"\0" * 11001 * 4))


def test_tiff_bombs_are_refused():
    # 40000 x 40000 zero pixels deflate to a few hundred kilobytes.
    squeezed = zlib.compress(b"\0" * (40000 * 400), 9)
    assert "million pixels" in _refusal(_tiff(40000, 40000, squeezed))
    pages = [Image.new("L", (8, 8), 255) for _ in range(images.PAGE_LIMIT + 1)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:])
    assert f"more than {images.PAGE_LIMIT} pages" in _refusal(out.getvalue())


@pytest.mark.parametrize("name,data", [
    ("huge.png", _png(30000, 30000, b"\0" * 30001 * 4)),
    ("bomb.tif", _tiff(40000, 40000, zlib.compress(b"\0" * (40000 * 400), 9))),
])
def test_the_cli_refuses_bad_images_in_bounded_memory(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    # A fresh wrapper process, so RUSAGE_CHILDREN holds the command's peak alone.
    code = ("import json, resource, subprocess, sys\n"
            "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
            "print(json.dumps({'out': done.stdout, 'code': done.returncode,\n"
            "  'kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))")
    run = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "archivekit",
                          "metadata", str(path), "--json"], capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    report = json.loads(run.stdout)
    assert report["code"] == 0
    warnings = json.loads(report["out"])["extraction"]["warnings"]
    assert len(warnings) == 1 and warnings[0].startswith("image refused: ")
    assert report["kib"] < 200 * 1024, f"peak {report['kib'] // 1024} MiB"


def test_skew_is_measured_and_undone():
    straight = scans.clipping().convert("L")
    turned = straight.rotate(-2.0, resample=Image.BICUBIC, expand=True, fillcolor=255)
    assert images.skew_angle(turned) == pytest.approx(2.0, abs=0.25)
    assert images.skew_angle(straight) == 0.0
    page = next(images.pages(scans.encoded(turned, dpi=300)))
    assert page.skew == pytest.approx(2.0, abs=0.25)


def test_scans_far_from_300_dpi_are_rescaled_and_marked():
    at_300 = next(images.pages(scans.encoded(scans.clipping(), dpi=300)))
    page = next(images.pages(scans.encoded(scans.clipping(scale=0.5), dpi=150)))
    assert (page.dpi, page.image.mode) == (300, "L")
    assert page.image.size == pytest.approx(at_300.image.size, abs=6)
    page = next(images.pages(scans.encoded(scans.clipping(), dpi=72)))   # 72: 'unknown'
    assert (page.dpi, page.image.size) == (None, at_300.image.size)


def test_blank_margins_are_cropped_to_the_ink():
    sheet = Image.new("L", (2000, 1500), 255)
    sheet.paste(Image.new("L", (300, 100), 0), (800, 700))
    page = next(images.pages(scans.encoded(sheet, dpi=300)))
    assert page.image.size == (300 + 2 * 24, 100 + 2 * 24)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"\xff\xd8\xff", b"GIF89a"]),
       st.binary(max_size=400))
def test_any_bytes_either_decode_or_are_refused(magic, rest):
    try:
        for page in images.pages(magic + rest):
            assert page.image.mode == "L"
    except images.ImageRefused as refused:
        assert str(refused)


def test_extract_turns_a_refusal_into_a_warning():
    result = extract(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    assert result.reading is None
    assert [w.split(":")[0] for w in result.extraction.warnings] == ["image refused"]
