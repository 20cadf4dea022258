"""A printed page as positioned lines, whoever read it (the OCR engine or a PDF's text
layer): paragraphs put back together, and the headline found by its type size."""

import re
import statistics
from dataclasses import dataclass, field


@dataclass
class Line:
    """A printed line and where it stands on the page, in the reader's units (pixels for
    OCR, points for a PDF)."""
    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float               # type size: the line's height (OCR) or font size (PDF)
    block: int = 0            # a column or region, in reading order
    confidence: float | None = None

    @property
    def height(self) -> float:
        """The line's height on the page."""
        return self.bottom - self.top


@dataclass
class Page:
    """A printed page as read: its lines in reading order, by OCR or from a PDF's text layer
    (`method`), and OCR's mean confidence when it was read so."""
    number: int
    method: str               # "ocr" or "text layer"
    lines: list[Line] = field(default_factory=list)
    confidence: int | None = None

    def text(self) -> str:
        """The page as read: a line per printed line, a blank line between blocks."""
        out, block = [], None
        for line in self.lines:
            if block is not None and line.block != block:
                out.append("")
            out.append(line.text)
            block = line.block
        return "\n".join(out)


# Type this much larger than the body's is display type: a headline.
HEADLINE_RATIO = 1.45
_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
_HYPHENATED = re.compile(r"[a-z]-$")


def body_size(lines: list[Line]) -> float:
    """The type size most of the text is set in (by characters, not lines)."""
    sizes = [line.size for line in lines for _ in range(min(len(line.text), 200))]
    return statistics.median(sizes) if sizes else 0.0


def headline_span(lines: list[Line], body: float) -> tuple[int, int] | None:
    """(start, end) of the first run of display-type lines near the top, if any."""
    limit = max(6, len(lines) // 3)
    for start, line in enumerate(lines[:limit]):
        if body and line.size >= HEADLINE_RATIO * body and any(c.isalpha() for c in line.text):
            end = start + 1
            while end < len(lines) and lines[end].size >= HEADLINE_RATIO * body and \
                    abs(lines[end].size - line.size) <= 0.35 * line.size:
                end += 1
            return start, end
    return None


def paragraphs(lines: list[Line]) -> list[str]:
    """Join printed lines into paragraphs. A paragraph goes on, across a column break
    too, while a line runs to its column's edge; it ends at a short line, a first-line
    indent, a wider gap or a change of type size."""
    edges = _column_edges(lines)
    out: list[str] = []
    previous = None
    for line in lines:
        if previous is not None and _continues(previous, line, edges):
            out[-1] = _join(out[-1], line.text)
        else:
            out.append(line.text)
        previous = line
    return out


def _column_edges(lines: list[Line]) -> dict[int, tuple[float, float]]:
    edges = {}
    for block in {line.block for line in lines}:
        members = [line for line in lines if line.block == block]
        edges[block] = (min(line.left for line in members), max(line.right for line in members))
    return edges


def _continues(previous: Line, line: Line, edges) -> bool:
    size = max(previous.size, line.size)
    # A text layer gives font sizes; OCR gives line heights, which vary with ascenders
    # and descenders (OCR lines carry a confidence): there only a larger change counts.
    tolerance = 0.1 if previous.confidence is None and line.confidence is None else 0.3
    if abs(previous.size - line.size) > tolerance * size:
        return False
    left, right = edges[line.block]
    if line.left - left > 0.6 * line.height:                 # first-line indent
        return False
    _, previous_right = edges[previous.block]
    if previous_right - previous.right > 1.5 * previous.height and \
            _SENTENCE_END.search(previous.text):            # a short last line
        return False
    if line.block == previous.block and line.top - previous.bottom > 0.9 * previous.height:
        return False                                         # a gap between paragraphs
    if line.block != previous.block and line.top >= previous.bottom:
        # A region below: the same column split in two by the engine (the line before
        # runs to this column's edge, no gap) or a new region (a byline, a caption).
        return line.top - previous.bottom <= 0.9 * previous.height and \
            right - previous.right <= 1.5 * previous.height
    return True


def _join(text: str, more: str) -> str:
    if _HYPHENATED.search(text) and more[:1].islower():
        return text[:-1] + more        # a word broken at the line's end
    return f"{text} {more}"
