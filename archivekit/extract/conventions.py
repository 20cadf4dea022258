"""Publisher conventions: the lines a clipping uses to say where it ran, who made its
pictures, how to get reprints. Each works on one line of text, whether that line
came from a plain-text copy or from an HTML page.
"""

import re

from archivekit.extract import names
from archivekit.extract.dates import human_date
from archivekit.extract.publishers import is_agency
from archivekit.extract.metadata import Credit, PrintInfo, Reprint

# --- print-edition lines ---------------------------------------------------------------

_NYT_PRINT = re.compile(
    r"(?:A version of this article appears|This article appeared) in print on"
    r"\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})?\s*,?\s*(?:on\s+)?"
    r"(?:Section (?P<section>[A-Z0-9]{1,3}),?\s*)?"
    r"(?:Page (?P<page>[A-Z]{0,3}\d+))?"
    r"(?:\s+of the (?P<where>[^.]+?))?"
    r"\s+with the headline:\s*(?P<headline>.+?)\s*(?:\.\s*)?(?=Order Reprints|$)")
_WSJ_PRINT = re.compile(
    r"Appeared in the (?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4}),? print edition"
    r"(?: as [‘'\"“](?P<headline>.+?)[’'\"”](?=\.?\s*$|\.\s))?")
_ECONOMIST_PRINT = re.compile(
    r"This article appeared in the (?P<section>.+?) section of the print edition"
    r"(?: of (?P<date>[^,]+?\d{4}))?"
    r"(?: under the headline:? [‘'\"“](?P<headline>.+?)[’'\"”])?")
PRINT_PUBLISHERS = {"nyt": "The New York Times", "wsj": "The Wall Street Journal",
                    "economist": "The Economist"}


def print_line(line: str) -> tuple[PrintInfo, str] | None:
    """A print-edition line -> (PrintInfo, the convention's publisher key)."""
    match = _NYT_PRINT.search(line)
    if match:
        info = PrintInfo(date=human_date(match["date"] or ""), raw=_raw(line, match))
        page = match["page"]
        if page:
            letters = page.rstrip("0123456789")
            info.page = page[len(letters):]
            info.section = match["section"] or letters or None
        else:
            info.section = match["section"]
        where = (match["where"] or "").strip()
        if where.lower().endswith(" edition"):
            info.edition = where[: -len(" edition")].strip()
        elif where:
            info.section = where if not info.section else f"{where}, Section {info.section}"
        info.headline = match["headline"].strip().rstrip(".").strip() or None
        return info, "nyt"
    match = _WSJ_PRINT.search(line)
    if match:
        return PrintInfo(date=human_date(match["date"]), headline=match["headline"],
                         raw=_raw(line, match)), "wsj"
    match = _ECONOMIST_PRINT.search(line)
    if match:
        return PrintInfo(date=human_date(match["date"] or ""), section=match["section"],
                         headline=match["headline"], raw=_raw(line, match)), "economist"
    return None


def _raw(line: str, match) -> str:
    return line[match.start():match.end()].strip()


# --- reprints, rights, comments ----------------------------------------------------------

_REPRINT = re.compile(r"Order Reprints(?:\s*\|\s*[^|]+?)*\s*$")
_COPYRIGHT = re.compile(r"(?:Copyright\s*)?(?:©|\(c\)|Copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?"
                        r"\s*[^|]{2,120}", re.I)
_COMMENTS = re.compile(r"^(?:Comments|Show Comments|View Comments)\s*\(?(\d[\d,]*)\)?$", re.I)


def reprint_line(line: str) -> Reprint | None:
    """The reprint offer a page prints ('Order Reprints | Today's Paper | Subscribe'), with
    each offer apart; None when the line has none."""
    match = _REPRINT.search(line)
    if not match:
        return None
    raw = match.group(0).strip()
    return Reprint(raw=raw, offers=[part.strip() for part in raw.split("|") if part.strip()])


def copyright_line(line: str) -> str | None:
    """The copyright notice in `line` ('© 2023 The New York Times Company'), cut before the
    site links that often follow it; None when the line has none."""
    if "©" not in line and not re.match(r"^\s*Copyright\b", line, re.I):
        return None
    match = _COPYRIGHT.search(line)
    if not match:
        return None
    text = match.group(0).strip()
    text = re.split(r"\s{2,}|\s(?=Home\b|Help\b|Contact\b|Privacy\b|Terms\b|Site Map\b)", text)[0]
    return text.strip(" .|") or None


def comments_count(line: str) -> int | None:
    """The number of reader comments a line such as 'Comments (1,204)' announces, else None."""
    match = _COMMENTS.match(line.strip())
    return int(match.group(1).replace(",", "")) if match else None


# --- site chrome -------------------------------------------------------------------------

# One alternation: a single search per line, not one per pattern.
_CHROME = re.compile("|".join(f"(?:{p})" for p in (
    r"^Skip to (?:content|main content|site index|navigation)", r"Skip to Comments$",
    r"^Advertisement$", r"^SKIP ADVERTISEMENT$", r"^Supported by$",
    r"^Subscribe to The Times to read as many articles as you like\.?$",
    r"^The comments section is closed\.", r"^Share full article$", r"^Listen to this article",
    r"^Read in app$", r"^Continue reading the main story$", r"^Site Index$",
    r"^Site Information Navigation$", r"^Log in$", r"^Give this article$",
    r"^(?:Today’s|Today's) Paper$", r"^Already a subscriber\?", r"^Sign up for",
    r"^See more on:", r"^Related Content$", r"^More in ",
)), re.I)


def is_chrome(line: str) -> bool:
    """A line of the site rather than the article: skip links, advertisement labels,
    subscription prompts."""
    return _CHROME.search(line) is not None


# --- corrections --------------------------------------------------------------------------

_CORRECTION = re.compile(r"^(?:Correction|Corrections|Clarification)\s*:|"
                         r"^An earlier version of this (?:article|story|report)", re.I)


def is_correction(line: str) -> bool:
    """The start of a correction or clarification the publisher appended."""
    return bool(_CORRECTION.search(line))


# --- credits ------------------------------------------------------------------------------

_ROLE_WORDS = {
    "photograph": "photograph", "photographs": "photograph", "photo": "photograph",
    "photos": "photograph", "photography": "photograph", "illustration": "illustration",
    "illustrations": "illustration", "video": "video", "videos": "video",
    "graphic": "graphic", "graphics": "graphic", "map": "graphic", "chart": "graphic",
    "animation": "video",
}
_ROLE_PREFIX = re.compile(r"^(?P<role>[A-Za-z]+)\s+by\s+", re.I)
_CREDIT_LEAD = re.compile(r"(?:Credit(?:\.\.\.|…|:|\s)?)+\s*(?P<rest>.+)$")
_LABELLED = re.compile(r"\b(?P<role>Photograph|Photo|Illustration|Video|Graphic|Composite)s?"
                       r"\s*:\s*(?P<rest>.+)$")
_PARENTHESISED = re.compile(r"\((?P<rest>[^()]*(?:/[^()]*|Reuters|AP|AFP|Getty Images))\)\s*$")


def credit_text(line: str) -> tuple[str, str] | None:
    """Find the credit part of a caption or credit line -> (default role, text)."""
    line = " ".join(line.split())
    at = line.find("Credit")
    if at >= 0:
        match = _CREDIT_LEAD.match(line[at:])
        if match and match["rest"][:1].isupper():
            return "photograph", match["rest"]
    match = _LABELLED.search(line)
    if match:
        return _ROLE_WORDS.get(match["role"].lower(), "other"), match["rest"]
    match = _PARENTHESISED.search(line)
    if match:
        return "photograph", match["rest"]
    return None


def parse_credits(text: str, default_role: str = "photograph") -> list[Credit]:
    """'Illustration by X; Photographs by A/Agency, B for Paper, Getty Images, and AP'."""
    credits = []
    for clause in (c.strip() for c in text.split(";")):
        role = default_role
        match = _ROLE_PREFIX.match(clause)
        if match and match["role"].lower() in _ROLE_WORDS:
            role = _ROLE_WORDS[match["role"].lower()]
            clause = clause[match.end():]
        items = []
        for item in re.split(r",\s*(?:and\s+)?|\s+and\s+", clause):
            item = item.strip(" .")
            if not item:
                continue
            if item.lower().startswith("via ") and items:
                items[-1] += ", " + item
            else:
                items.append(item)
        credits.extend(_credit(role, item) for item in items)
    return credits


def _credit(role: str, item: str) -> Credit:
    raw = item
    item = re.sub(r"\s*[—–]\s*", "/", item)
    via = None
    if ", via " in item:
        item, via = item.split(", via ", 1)
    name, agency = item, None
    if " for " in item:
        name, agency = item.split(" for ", 1)
    elif "/" in item:
        name, agency = item.split("/", 1)
    name, agency = name.strip(), (agency or "").strip().strip("/") or None
    if via:
        agency = f"{agency}, via {via}" if agency else f"via {via}"
    if agency is None and is_agency(name):
        name, agency = None, name
    return Credit(role=role, name=names.tidy(name) if name else None, agency=agency, raw=raw)


# --- wire-service lines -----------------------------------------------------------------

_REPORTING = re.compile(r"^(?P<additional>Additional )?Reporting by (?P<who>[^;]+)", re.I)
# Who helped without being in the byline: 'Editing by Y', 'Additional reporting by Z'.
_HELPED = re.compile(r"(?P<role>Editing|Additional reporting) by (?P<who>[^;.]+)", re.I)
# 'Jane Doe in London and John Roe in New York' -> the people, not the places
_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?(?=\s*(?:,|\band\b|$))")


def wire_line(line: str) -> tuple[list[str], list[Credit]] | None:
    """Reuters-style 'Reporting by X in Place; Editing by Y' -> (reporters, credits). The
    reporters are authors; editors and 'Additional reporting by' contributors are not
    (they are not in the byline) and are kept as credits."""
    line = line.strip().strip("()")
    match = _REPORTING.match(line)
    if not match:
        return None
    credits = [Credit(role="other", name=n, agency=None, raw=words.group(0).strip())
               for words in _HELPED.finditer(line) for n in _people(words["who"])]
    return ([] if match["additional"] else _people(match["who"])), credits


def _people(who: str) -> list[str]:
    return names.split_byline(_IN_PLACE.sub("", who.strip()))
