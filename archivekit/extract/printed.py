"""Printed clippings: the lines a newspaper page prints around an article (folio, section
and page markers, jump lines, photo credits, wire credits, datelines), and how the
lines of a scanned or PDF page become clipping metadata.

What is article text goes to the copied-text reader (extract/text.py), which applies
every convention a copied page has; this module takes out what only print has, and
adds what only print knows: which line is the headline, by its type size.
"""

import re
import string

from archivekit.extract import conventions, text as text_reader
from archivekit.extract.dates import human_date
from archivekit.extract.layout import Page, body_size, headline_span, paragraphs
from archivekit.extract.metadata import Author, ClippingMetadata, PrintInfo
from archivekit.extract.names import split_byline

_WEEKDAY = r"(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY"
_PAGE = r"[A-Z]{0,2}[0-9Il]{1,3}"       # OCR reads 1 as I or l now and then
_DATE = r"[A-Za-z]{3,9}\.?\s+\d{1,2}(?:,\s*|\s+)\d{4}"   # OCR may lose the space
# 'THE NEW YORK TIMES, THURSDAY, DECEMBER 28, 2023 A1', or with the page first on a
# left-hand page: 'A12 THE NEW YORK TIMES, THURSDAY, DECEMBER 28, 2023'.
_FOLIO = re.compile(
    rf"^(?:(?P<before>{_PAGE})\s+)?(?P<paper>[A-Za-z][A-Za-z.&'’ -]{{2,60}}?)[,.]?\s+"
    rf"(?P<weekday>{_WEEKDAY})[,.]?\s+(?P<date>{_DATE})(?:\s+(?P<after>{_PAGE}))?$", re.I)
_MARKER = re.compile(rf"^(?:SECTION\s+(?P<section>[A-Z])\b\W*)?PAGE\s+(?P<page>{_PAGE})$", re.I)
_JUMP = re.compile(rf"^(?:\(?\s*(?:Continued|Cont'd\.?)\s+(?:on|from)\s+(?:Page\s+)?{_PAGE}"
                   rf"|See\s+[A-Z][A-Z ]+,?\s+(?:Page\s+)?{_PAGE})\b.{{0,40}}$", re.I)
# An all-capitals credit under a picture: 'CHANG W. LEE/THE NEW YORK TIMES'.
_PHOTO_CREDIT = re.compile(r"^[A-Z][A-Z.'’ -]{2,40}/\s?[A-Z][A-Z.&'’ -]{1,40}$")
_PICTURE_BY = re.compile(r"^(?:Photo|Photograph|Photographs|Illustration|Graphic)s?\s+by\s+\S", re.I)
_WIRES = {"associated press": "The Associated Press", "ap": "The Associated Press",
          "reuters": "Reuters", "agence france-presse": "Agence France-Presse",
          "afp": "Agence France-Presse", "bloomberg news": "Bloomberg News",
          "bloomberg": "Bloomberg News", "united press international": "United Press International",
          "upi": "United Press International"}
_WIRE_NAMES = "|".join(sorted((re.escape(k) for k in _WIRES if len(k) > 3), key=len, reverse=True))
_WIRE_BYLINE = re.compile(rf"^(?:By\s+)?(?:The\s+)?(?P<wire>{_WIRE_NAMES})\.?$", re.I)
# 'WASHINGTON —', 'TAIPEI, Taiwan —', 'NEW YORK (AP) —', 'WASHINGTON, Dec. 27 —'.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?)"
    r"(?:, (?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?\s*(?:\((?P<wire>[A-Za-z ]{2,30})\))?\s*[—–-]{1,2}\s")


_PAGE_ONLY = re.compile(rf"^{_PAGE}$")
_CAPS_BYLINE = re.compile(r"^BY\s+[A-Z][A-Z.'’ ,-]+$")


def folio(line: str) -> tuple[PrintInfo, str] | None:
    """A folio line -> (PrintInfo with date, section and page; the paper's name)."""
    match = _FOLIO.match(line.strip(" -—–_|.,'"))   # specks read as marks at the ends
    if not match:
        return None
    date = human_date(re.sub(r",(?=\d)", ", ", match["date"]))
    if not date:
        return None
    section, page = _section_page(match["after"] or match["before"])
    paper = _paper_name(match["paper"])
    return PrintInfo(date=date, section=section, page=page, raw=line.strip()), paper


def page_marker(line: str) -> PrintInfo | None:
    """'Section B Page 4', 'PAGE A12' -> PrintInfo(section, page)."""
    match = _MARKER.match(line.strip())
    if not match:
        return None
    section, page = _section_page(match["page"])
    return PrintInfo(section=match["section"] or section, page=page, raw=line.strip())


def is_jump(line: str) -> bool:
    """'Continued on Page A12', 'Continued from Page A1', 'See SPY, Page A12'."""
    return bool(_JUMP.match(line.strip()))


def picture_credit(line: str):
    """A credit line printed under a picture -> Credits, or None."""
    line = line.strip()
    if _PHOTO_CREDIT.match(line) or _PICTURE_BY.match(line):
        return conventions.parse_credits(line)
    return None


def wire_byline(line: str) -> str | None:
    """'By The Associated Press', 'REUTERS' -> the agency's name."""
    match = _WIRE_BYLINE.match(line.strip())
    return _WIRES[match["wire"].lower()] if match else None


def dateline(paragraph: str) -> tuple[str, str | None] | None:
    """The dateline opening an article -> (place, wire agency or None)."""
    match = _DATELINE.match(paragraph)
    if not match or sum(c.isupper() for c in match["place"]) < 3:
        return None
    wire = _WIRES.get((match["wire"] or "").strip().lower())
    return match["place"].strip(), wire


def byline_case(line: str) -> str:
    """'BY JON C. OGG AND PAUL AUSICK' -> 'By Jon C. Ogg and Paul Ausick': bylines are
    often set in capitals, and the copied-text reader knows bylines as people write them."""
    if not _CAPS_BYLINE.match(line):
        return line
    words = [w.lower() if w in ("AND", "BY") else string.capwords(w, "-") for w in line.split()]
    return " ".join(words).replace("by", "By", 1).replace(" ,", ",")


def _section_page(token: str | None) -> tuple[str | None, str | None]:
    if not token:
        return None, None
    letters = token.rstrip("0123456789Il")
    digits = token[len(letters):].replace("I", "1").replace("l", "1")
    return letters.upper() or None, digits or None


def _article(body: list[str], byline: str | None, result: ClippingMetadata) -> str | None:
    """On a printed page the article is everything set under its byline, less what the
    copied-text reader took out (credits, rights, corrections, the dek)."""
    start = next((i + 1 for i, p in enumerate(body[:3]) if byline and p.startswith(byline)), 0)
    taken = set(result.boilerplate) | set(result.corrections) | {result.description}
    taken |= {credit.raw for credit in result.credits}
    kept = [p for p in body[start:] if p not in taken]
    return "\n\n".join(kept) or None


def _page_beside(folio_line, lines, info: PrintInfo) -> None:
    """The page number printed at the far end of the folio's row, read as a line of its own."""
    for line in lines:
        if _PAGE_ONLY.match(line.text) and abs(line.top - folio_line.top) < folio_line.height:
            info.section, info.page = _section_page(line.text)
            info.raw = f"{info.raw} {line.text}" if line.left > folio_line.left else \
                f"{line.text} {info.raw}"
            lines.remove(line)
            return


def _paper_name(raw: str) -> str:
    name = " ".join(raw.split()).strip(" ,.")
    known = {value.lower(): value for value in conventions.PRINT_PUBLISHERS.values()}
    return known.get(name.lower()) or (string.capwords(name) if name.isupper() else name)


# --- a printed page's lines -> clipping metadata -------------------------------------------

def read_printed(pages: list[Page], url: str | None = None) -> ClippingMetadata:
    """Clipping metadata from the lines of printed pages (OCR or a PDF text layer)."""
    lines = [line for page in pages for line in page.lines]
    printed, jumps, credits, wires, kept = None, [], [], [], []
    folio_line = None
    for line in lines:
        found = folio(line.text)
        if found:
            if printed is None:
                printed, folio_line = found, line
            continue
        marker = page_marker(line.text)
        if marker:
            printed = printed or (marker, None)
            continue
        if is_jump(line.text):
            jumps.append(line.text.strip())
            continue
        credit = picture_credit(line.text)
        if credit:
            credits += credit
            continue
        wire = wire_byline(line.text)
        if wire:
            wires.append(wire)
            continue
        kept.append(line)
    if folio_line is not None and printed[0].page is None:
        _page_beside(folio_line, kept, printed[0])
    for line in kept:
        line.text = byline_case(line.text)
    span = headline_span(kept, body_size(kept))
    headline = None
    if span:
        start, end = span
        headline = " ".join(line.text for line in kept[start:end])
        # Lines above the headline (a kicker, a section label) are not the article's start.
        kicker = [line.text for line in kept[:start]]
        kept = kept[end:]
    else:
        kicker = []
    # Print sets the byline right under the headline; a short clipping may have no prose
    # for the copied-text reader to find it by.
    byline = next((line.text for line in kept[:3] if line.text.startswith("By ")), None)
    body = paragraphs(kept)
    place = dateline(next((p for p in body if len(p) > 60), "")) if body else None
    result = text_reader.extract("\n".join(([headline] if headline else []) + body), url)
    if headline:
        result.headline = headline
        result.extraction.warnings = [w for w in result.extraction.warnings
                                      if w != "no headline found"]
    result.boilerplate[:0] = kicker
    result.credits[:0] = credits
    if byline and not result.authors:
        result.authors = [Author(name) for name in split_byline(byline)]
    result.body = _article(body, byline, result) or result.body
    names = [author.name for author in result.authors]
    result.authors += [Author(wire) for wire in dict.fromkeys(wires) if wire not in names]
    if printed:
        info, paper = printed
        if result.print is None:
            result.print = info
        # The folio's date is the day this printed page was published.
        result.published = result.published or info.date
        if paper and not result.publisher:
            result.publisher = {"name": paper}
    if place or jumps:
        result.print = result.print or PrintInfo()
        result.print.continued = jumps
        if place:
            result.print.dateline = place[0]
            if place[1] and place[1] not in [a.name for a in result.authors]:
                result.authors.append(Author(place[1]))
    return result
