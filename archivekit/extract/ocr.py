"""Optical character recognition with Tesseract (Debian: tesseract-ocr, tesseract-ocr-eng).

We run the `tesseract` program ourselves rather than through a wrapper library
(pytesseract): one subprocess call with the page on stdin and TSV on stdout, our own
timeout and thread limit, no temporary files, one dependency fewer. TSV gives every
word's box and confidence, so we know each line's height (the headline by type size)
and each page's confidence.
"""

import functools
import io
import os
import shutil
import statistics
import subprocess

from archivekit.extract.images import ScanPage
from archivekit.extract.layout import Line, Page

ENGINE = "tesseract"
LANGUAGE = "eng"
PAGE_TIMEOUT = 120           # seconds for one page
# Page segmentation 3: fully automatic, columns found and read in order.
PAGE_SEGMENTATION = "3"
# A mark the engine is this unsure of and that holds no letter or digit is a speck or a
# rule, not text. (Real words can score low, 'DJIA' 9 in a justified line: kept.)
MIN_MARK_CONFIDENCE = 50
INSTALL_HINT = "install Tesseract (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)"


class OcrUnavailable(Exception):
    """The OCR engine is missing or failed; the message says what to do."""


def executable() -> str | None:
    """Where the tesseract program is on PATH, or None when it is not installed."""
    return shutil.which("tesseract")


@functools.cache
def version() -> str | None:
    """'5.3.0', or None when Tesseract is not installed."""
    program = executable()
    if program is None:
        return None
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    first = (done.stdout or done.stderr).splitlines()[:1]
    return first[0].split()[-1] if first else None


def read_page(scan: ScanPage, language: str = LANGUAGE) -> Page:
    """Recognise one prepared page; raise OcrUnavailable if the engine cannot run."""
    program = executable()
    if program is None or version() is None:
        raise OcrUnavailable(f"no OCR engine: {INSTALL_HINT}")
    image = io.BytesIO()
    scan.image.save(image, "PPM")      # uncompressed: quickest to write and to read
    command = [program, "stdin", "stdout", "-l", language, "--psm", PAGE_SEGMENTATION]
    if scan.dpi:
        command += ["--dpi", str(scan.dpi)]
    # One thread: Tesseract's OpenMP threads cost more than they give on a shared machine.
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(command + ["tsv"], input=image.getvalue(), capture_output=True,
                              timeout=PAGE_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise OcrUnavailable(f"OCR of page {scan.number} took longer than "
                             f"{PAGE_TIMEOUT} s and was stopped") from None
    except OSError as exc:
        raise OcrUnavailable(f"tesseract could not be started: {exc.strerror}") from None
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
        raise OcrUnavailable(f"tesseract failed on page {scan.number}: "
                             f"{said[0] if said else f'exit {done.returncode}'}")
    return parse_tsv(done.stdout.decode("utf-8", "replace"), scan.number)


def parse_tsv(tsv: str, number: int) -> Page:
    """Tesseract's TSV (level, page, block, paragraph, line, word, box, conf, text) ->
    a Page of lines in the engine's reading order."""
    lines: dict[tuple, dict] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12:
            continue
        level, _, block, paragraph, line_no, _, left, top, width, height, conf, text = cells
        try:
            box = int(left), int(top), int(width), int(height)
            confidence = float(conf)
        except ValueError:
            continue
        key = (int(block), int(paragraph), int(line_no))
        if level == "4":
            lines[key] = {"box": box, "words": []}
        elif level == "5" and key in lines and _is_word(text.strip(), confidence):
            lines[key]["words"].append((text.strip(), confidence, box))
    page = Page(number, "ocr")
    confidences = []
    for (block, _, _), found in lines.items():
        if not found["words"]:
            continue
        words = [word for word, _, _ in found["words"]]
        scores = [score for _, score, _ in found["words"]]
        boxes = [box for _, _, box in found["words"]]
        confidences += scores
        # The line's box and type size from its words: the engine's line box takes in
        # specks and rules beside the text. The median word height is the type size.
        page.lines.append(Line(" ".join(words), min(b[0] for b in boxes), min(b[1] for b in boxes),
                               max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes),
                               size=statistics.median(b[3] for b in boxes), block=block,
                               confidence=sum(scores) / len(scores)))
    if confidences:
        page.confidence = round(sum(confidences) / len(confidences))
    return page


def _is_word(text: str, confidence: float) -> bool:
    # A bar alone is a column rule or a speck read as a letter-height mark, not print:
    # noise put one inside a headline ("Paradise Valley | Residence").
    if not text or confidence < 0 or not text.strip("|¦"):
        return False
    return confidence >= MIN_MARK_CONFIDENCE or any(c.isalnum() for c in text)
