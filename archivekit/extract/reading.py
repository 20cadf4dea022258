"""Scans and PDFs: read their pages (OCR, or a PDF's text layer), keep that reading as a
DerivedReading for the package's conversion record, and make the clipping metadata
from it. Never raises: every problem becomes a warning, and the original is kept
whatever the reading gives."""

import hashlib

from archivekit._internal.software import __version__
from archivekit.extract import images, ocr, pdf
from archivekit.extract.layout import Page
from archivekit.extract.metadata import ClippingMetadata, DerivedReading, Extraction, PageReading
from archivekit.extract.printed import read_printed

# A page read with less confidence than this is flagged for a person to check.
LOW_CONFIDENCE = 70
NO_TEXT = ("no text found: the image may be a photograph or a blank page; "
           "the original is kept, without a reading")


def extract_image(data: bytes, url: str | None = None) -> ClippingMetadata:
    """A scan read by OCR, page by page, then by the print conventions; a refused image
    or a missing OCR engine is a warning."""
    warnings, pages = [], []
    try:
        for scan in images.pages(data):
            pages.append(ocr.read_page(scan))
    except images.ImageRefused as exc:
        warnings.append(f"image refused: {exc}")
    except ocr.OcrUnavailable as exc:
        warnings.append(f"not read: {exc}")
    return _from_pages(pages, "ocr", warnings, url)


def extract_pdf(data: bytes, url: str | None = None) -> ClippingMetadata:
    """A PDF read by its text layer, its pages without one by OCR, then by the print
    conventions; a refused PDF or page image is a warning."""
    warnings, pages = [], []
    try:
        pages = pdf.read_pages(data, warnings)
    except pdf.PdfRefused as exc:
        warnings.append(f"PDF refused: {exc}")
    except images.ImageRefused as exc:
        warnings.append(f"page image refused: {exc}")
    except ocr.OcrUnavailable as exc:
        warnings.append(f"pages without a text layer not read: {exc}")
    return _from_pages(pages, "pdf", warnings, url)


def _from_pages(pages: list[Page], method: str, warnings: list[str],
                url: str | None) -> ClippingMetadata:
    for page in pages:
        if not page.lines and len(pages) > 1:
            warnings.append(f"no text found on page {page.number}")
        elif page.confidence is not None and page.confidence < LOW_CONFIDENCE:
            warnings.append(f"page {page.number} read with low OCR confidence "
                            f"({page.confidence}%): check the reading against the original")
    if not any(page.lines for page in pages):
        if not warnings or pages:
            warnings.append(NO_TEXT)
        return ClippingMetadata(Extraction(method, __version__, warnings))
    result = read_printed(pages, url)
    result.extraction.method = method
    result.extraction.warnings[:0] = warnings
    result.reading = derived_reading(pages)
    return result


def derived_reading(pages: list[Page]) -> DerivedReading:
    """The reading as the conversion record keeps it: each page's lines as read, pages
    separated by a form feed."""
    text = "\f".join(page.text() for page in pages) + "\n"
    engines = []
    if any(page.method == "text layer" for page in pages):
        engines.append(("pdfminer.six", pdf.engine_version()))
    if any(page.method == "ocr" for page in pages):
        engines.append((ocr.ENGINE, ocr.version() or "unknown"))
    encoded = text.encode("utf-8")
    return DerivedReading(
        engine="+".join(name for name, _ in engines),
        version="+".join(version for _, version in engines),
        language=ocr.LANGUAGE if any(page.method == "ocr" for page in pages) else None,
        sha256=hashlib.sha256(encoded).hexdigest(), characters=len(text),
        pages=[PageReading(page.number, page.method, page.confidence,
                           sum(len(line.text) for line in page.lines)) for page in pages],
        text=text)
