"""PDF clippings: the text layer where a page has one, OCR where it has none.

pdfminer.six (MIT) reads the text layer: unlike pypdf it gives each character's box
and size, which the headline (type size) and the paragraphs (line ends) need. We take
the characters in content-stream order, the order PDF writers put text in, and skip
pdfminer's own layout analysis: it splits justified lines at their wide spaces.
Pages without text are rasterised by poppler's `pdftoppm` (Debian: poppler-utils)
and read like a scan.
"""

import io
import shutil
import subprocess
from importlib import metadata

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from archivekit.extract import images, ocr
from archivekit.extract.layout import Line, Page

PAGE_LIMIT = 100
MIN_TEXT = 20                 # characters: a page with fewer is read by OCR
RASTER_DPI = 300
RASTER_TIMEOUT = 60
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "\u00ad": ""})


def engine_version() -> str:
    """The version of pdfminer.six, recorded with a reading so that it can be reproduced."""
    return metadata.version("pdfminer.six")


class PdfRefused(Exception):
    """The PDF cannot be read; the message says why, for a person."""


def read_pages(data: bytes, warnings: list[str]) -> list[Page]:
    """Each page's lines: from the text layer, else by OCR. Problems with one page
    become warnings; a PDF that cannot be opened raises PdfRefused."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    try:
        for number, pdf_page in enumerate(PDFPage.get_pages(io.BytesIO(data)), 1):
            if number > PAGE_LIMIT:
                warnings.append(f"more than {PAGE_LIMIT} pages: only the first {PAGE_LIMIT} read")
                break
            interpreter.process_page(pdf_page)
            layout = device.get_result()
            page = Page(number, "text layer", _lines(_chars(layout), layout.bbox[3]))
            if sum(len(line.text) for line in page.lines) < MIN_TEXT:
                page = _ocr_page(data, number, layout.bbox, warnings) or page
            pages.append(page)
    except (ocr.OcrUnavailable, images.ImageRefused):
        raise
    except Exception as exc:   # pdfminer raises many kinds on a damaged file
        if not pages:
            raise PdfRefused(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from None
        warnings.append(f"the PDF is damaged after page {len(pages)}: "
                        f"{type(exc).__name__}: {exc}")
    return pages


def _chars(container):
    for item in container:
        if isinstance(item, LTChar):
            yield item
        elif isinstance(item, LTContainer):   # text inside a form XObject
            yield from _chars(item)


def _lines(chars, page_height: float) -> list[Line]:
    """Characters in stream order -> lines; a line ends where the baseline moves or the
    text goes back left; a column ends where the text goes back up."""
    lines, text, box, size = [], [], None, 0.0
    block, last = 0, None
    for char in chars:
        glyph = char.get_text().translate(_LIGATURES)
        height = char.size or (char.y1 - char.y0)
        if last is not None:
            same_line = abs(char.y0 - last.y0) < 0.3 * max(height, size) and \
                char.x0 > last.x1 - 0.5 * height
            if not same_line:
                lines.append(_line(text, box, size, block, page_height))
                if char.y1 > last.y1 + height:        # back up the page: a new column
                    block += 1
                text, box, size = [], None, 0.0
            elif char.x0 - last.x1 > 0.2 * height and text and text[-1] != " " and glyph != " ":
                text.append(" ")
        text.append(glyph)
        box = (char.x0, char.y0, char.x1, char.y1) if box is None else (
            min(box[0], char.x0), min(box[1], char.y0), max(box[2], char.x1), max(box[3], char.y1))
        size = max(size, height)
        last = char
    if text:
        lines.append(_line(text, box, size, block, page_height))
    return [line for line in lines if line.text]


def _line(text, box, size, block, page_height) -> Line:
    x0, y0, x1, y1 = box
    return Line(" ".join("".join(text).split()), x0, page_height - y1, x1, page_height - y0,
                size=size, block=block)


def _ocr_page(data: bytes, number: int, bbox, warnings: list[str]) -> Page | None:
    program = shutil.which("pdftoppm")
    if program is None:
        warnings.append(f"page {number} has no text layer and cannot be rasterised for OCR: "
                        "install poppler (Debian: apt-get install poppler-utils)")
        return None
    width, height = (bbox[2] - bbox[0]) / 72, (bbox[3] - bbox[1]) / 72   # inches
    dpi = RASTER_DPI
    while dpi > 75 and width * dpi * height * dpi > images.PAGE_PIXEL_LIMIT:
        dpi //= 2
    try:
        # PGM, not PNG: compressing a 300 dpi page cost pdftoppm 1.2 s of CPU, more than
        # a third of the page's whole reading.
        done = subprocess.run([program, "-f", str(number), "-l", str(number), "-r", str(dpi),
                               "-gray", "-"],
                              input=data, capture_output=True, timeout=RASTER_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        warnings.append(f"page {number} could not be rasterised for OCR: {exc}")
        return None
    if done.returncode != 0 or not done.stdout:
        warnings.append(f"page {number} could not be rasterised for OCR "
                        f"(pdftoppm exit {done.returncode})")
        return None
    scan = next(images.pages(done.stdout, dpi=dpi, formats=["PPM"]))
    scan.number = number
    return ocr.read_page(scan)
