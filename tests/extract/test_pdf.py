"""PDF clippings read from their text layer (no OCR involved)."""

from hypothesis import given, settings, strategies as st

from archivekit.extract import extract, pdf
from conftest import SAMPLES


def test_the_text_layer_gives_headline_byline_and_the_reading():
    result = extract((SAMPLES / "library-board-clipping.pdf").read_bytes(), "application/pdf")
    assert result.headline == "Library Board Approves Extended Hours"
    assert [a.name for a in result.authors] == ["Jane Doe"]
    assert result.reading.engine == "pdfminer.six"
    assert [(p.method, p.confidence) for p in result.reading.pages] == [("text layer", None)]
    assert result.reading.text.startswith("Library Board Approves Extended Hours\n")
    assert result.extraction.warnings == []


def test_a_damaged_pdf_gives_a_warning():
    data = (SAMPLES / "library-board-clipping.pdf").read_bytes()
    result = extract(data[:200], "application/pdf")
    assert result.reading is None
    assert any("PDF" in w or "no text" in w for w in result.extraction.warnings), \
        result.extraction.warnings


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_after_a_pdf_header_are_read_or_refused(rest):
    warnings = []
    try:
        pages = pdf.read_pages(b"%PDF-1.4\n" + rest, warnings)
    except pdf.PdfRefused as refused:
        assert str(refused).startswith("the PDF cannot be read")
    else:
        assert all(page.method in ("text layer", "ocr") for page in pages)


def test_a_real_pdf_cut_short_or_bitflipped_never_raises_from_extract():
    data = (SAMPLES / "library-board-clipping.pdf").read_bytes()
    for changed in (data[:-40], data.replace(b"/Font", b"/Fnot"), data.replace(b"Tj", b"jT")):
        result = extract(changed, "application/pdf")
        assert result.extraction.method == "pdf"
