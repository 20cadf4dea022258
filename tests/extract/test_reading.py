"""Scans and PDFs to metadata: refusals and pages that read badly become warnings, never
errors; the reading is kept as the conversion record holds it (pages split by a form
feed, its digest, its engines), and no reading is made up when nothing was read."""

import hashlib
from importlib import metadata

import pytest

from archivekit.extract import ocr, reading
from archivekit.extract.layout import Line, Page

def _page(number, texts, method="text layer", confidence=None):
    lines = [Line(text, 0, 12 * n, 300, 12 * n + 10, 10.0,
                  confidence=None if confidence is None else float(confidence))
             for n, text in enumerate(texts)]
    return Page(number, method, lines, confidence)


STORY = ["Board Keeps Branch Open", "The library board voted on Wednesday to keep it open."]


@pytest.mark.parametrize("read, data, warning", [
    (reading.extract_image, b"not an image at all", "image refused: "),
    (reading.extract_pdf, b"not a PDF at all", "PDF refused: "),
])
def test_a_refused_source_is_a_warning_and_no_reading(read, data, warning):
    result = read(data, "https://paper.example/a")
    assert result.extraction.method == ("ocr" if read is reading.extract_image else "pdf")
    assert len(result.extraction.warnings) == 1
    assert result.extraction.warnings[0].startswith(warning)        # not also 'no text found'
    assert result.reading is None and result.headline is None


def test_the_reading_is_kept_page_by_page_with_its_engine_and_digest():
    pages = [_page(1, STORY), _page(2, ["Continued text on the second page."])]
    result = reading._from_pages(pages, "pdf", [], None)
    kept = result.reading
    assert kept.text == "\n".join(STORY) + "\f" + "Continued text on the second page.\n"
    assert kept.sha256 == hashlib.sha256(kept.text.encode()).hexdigest()
    assert kept.characters == len(kept.text)
    assert (kept.engine, kept.version, kept.language) == (
        "pdfminer.six", metadata.version("pdfminer.six"), None)
    assert [(p.page, p.method, p.confidence, p.characters) for p in kept.pages] == [
        (1, "text layer", None, sum(map(len, STORY))), (2, "text layer", None, 34)]
    assert result.extraction.method == "pdf" and result.extraction.warnings == []


def test_pages_read_by_ocr_and_by_text_layer_name_both_engines():
    pages = [_page(1, STORY), _page(2, ["Scanned page."], "ocr", 91)]
    kept = reading._from_pages(pages, "pdf", [], None).reading
    assert kept.engine == "pdfminer.six+tesseract" and kept.language == ocr.LANGUAGE
    assert kept.version.split("+")[1] == (ocr.version() or "unknown")


def test_a_blank_page_among_others_and_a_page_read_with_low_confidence_are_named():
    pages = [_page(1, STORY, "ocr", reading.LOW_CONFIDENCE), _page(2, [], "ocr", None),
             _page(3, ["Faint words."], "ocr", reading.LOW_CONFIDENCE - 1)]
    result = reading._from_pages(pages, "ocr", ["told before"], None)
    warnings = result.extraction.warnings
    assert warnings[:3] == ["told before", "no text found on page 2",
                            "page 3 read with low OCR confidence (69%): check the reading "
                            "against the original"]
    assert not any("page 1" in w for w in warnings)
    assert result.reading is not None


@pytest.mark.parametrize("count", [1, 2])
def test_pages_with_no_text_give_no_reading_and_say_so_once(count):
    result = reading._from_pages([_page(n + 1, [], "ocr", None) for n in range(count)],
                                 "ocr", [], None)
    assert result.reading is None and result.extraction.method == "ocr"
    named = [f"no text found on page {n + 1}" for n in range(count)] if count > 1 else []
    assert result.extraction.warnings == named + [reading.NO_TEXT]
