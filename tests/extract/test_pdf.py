"""PDF clippings read from their text layer (no OCR involved)."""

from conftest import SAMPLES

from archivekit.extract import extract


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
