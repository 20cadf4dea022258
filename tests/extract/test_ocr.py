"""OCR of scanned clippings, end to end through extract(): real Tesseract on small
images drawn for the test (tests/support/scans.py) (about a second each)."""

import io

import pytest
from PIL import Image

from archivekit.extract import extract
from archivekit.extract.reading import NO_TEXT

from support import scans

pytestmark = pytest.mark.skipif(not __import__("shutil").which("tesseract"),
                                reason="Tesseract is not installed (see scripts/setup.sh)")


def _read(data: bytes, media_type: str = "image/png"):
    result = extract(data, media_type)
    assert result.extraction.method in ("ocr", "pdf"), result.extraction
    return result


def _assert_clipping(result):
    assert result.headline == scans.HEADLINE
    assert [a.name for a in result.authors] == ["Jane Doe", "Omar Reyes"]
    assert result.publisher == {"name": "The New York Times"}
    assert (result.print.date, result.print.section, result.print.page) == ("2023-12-28", "A", "1")
    assert result.print.dateline == "WASHINGTON"
    assert result.print.continued == ["Continued on Page A12"]
    # Two columns, read in order; the jump line is not article text.
    first, second = result.body.split("\n\n")
    assert first.startswith("WASHINGTON — The city library board voted on Wednesday night")
    assert second.startswith("Students had asked for the change") and "Continued" not in second


def test_a_300_dpi_scan_gives_the_clipping_and_keeps_the_reading():
    result = _read(scans.encoded(scans.clipping(), dpi=300))
    _assert_clipping(result)
    reading = result.reading
    assert (reading.engine, reading.language) == ("tesseract", "eng")
    assert reading.version[0].isdigit()
    assert [(p.page, p.method) for p in reading.pages] == [(1, "ocr")]
    assert reading.pages[0].confidence > 85
    assert scans.FOLIO.split(",")[0] in reading.text and "Continued on Page A12" in reading.text
    assert result.to_dict()["reading"].keys() >= {"engine", "version", "language", "pages", "sha256"}
    assert "text" not in result.to_dict()["reading"]   # the conversion record holds it


def test_a_150_dpi_colour_scan_turned_1_5_degrees_reads_the_same():
    scan = scans.clipping(scale=0.5, colour=True, skew=1.5).convert("RGB")
    _assert_clipping(_read(scans.encoded(scan, "JPEG", dpi=150, quality=90), "image/jpeg"))


def test_every_page_of_a_multipage_tiff_is_read():
    second = Image.new("L", (1400, 300), 255)
    from PIL import ImageDraw
    ImageDraw.Draw(second).text((60, 100), "Continued from Page A1", font=scans.font(40), fill=0)
    data = scans.encoded(scans.clipping().convert("L"), "TIFF", save_all=True,
                         append_images=[second], compression="tiff_deflate")
    result = _read(data, "image/tiff")
    assert [p.page for p in result.reading.pages] == [1, 2]
    first, second = result.print.continued      # OCR may read this page's A1 as Al
    assert first == "Continued on Page A12" and second.startswith("Continued from Page A")
    assert "\f" in result.reading.text


def test_a_photograph_gives_a_warning_never_an_error():
    photo = Image.radial_gradient("L").resize((600, 400)).convert("RGB")
    result = extract(scans.encoded(photo, "JPEG", dpi=300), "image/jpeg")
    assert result.extraction.warnings == [NO_TEXT]
    assert result.reading is None and result.headline is None


def test_a_pdf_without_a_text_layer_is_read_by_ocr():
    out = io.BytesIO()
    scans.clipping().convert("L").save(out, "PDF", resolution=300)
    result = _read(out.getvalue(), "application/pdf")
    _assert_clipping(result)
    assert [(p.method, p.confidence > 85) for p in result.reading.pages] == [("ocr", True)]
