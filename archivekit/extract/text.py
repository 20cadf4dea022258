"""Plain-text clippings: an article page copied from a browser.

Each line is classified (chrome, credit, print line, reprint offer, rights, comments,
correction, author bio, byline) and what is left, in order, is the headline, the dek
and the body.
"""

import re

from archivekit._internal.software import __version__
from archivekit.extract import conventions, language, names
from archivekit.extract.publishers import from_url
from archivekit.extract.dates import date_from_url
from archivekit.extract.metadata import Author, ClippingMetadata, Extraction, Reprint

METHOD = "text"
_MORE_ABOUT = re.compile(r"\s*More about (?P<name>[A-Z][\w'’. -]{2,60}?)\s*$")
# A person's name inside prose: 'Julian E. Barnes', never across a sentence end.
_NAME_IN_PROSE = re.compile(r"[A-Z][\w'’-]+(?: [A-Z]\.)*(?: [A-Z][\w'’-]+)+")
HEADLINE_MAX = 200
DEK_MAX = 500


def extract(text: str, url: str | None = None) -> ClippingMetadata:
    result = ClippingMetadata(Extraction(METHOD, __version__), url=url)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        result.extraction.warnings.append("empty text: nothing to extract")
        return result
    content = _classify(lines, result)
    _read_front_matter(content, result)
    _fill_publication_facts(text, result)
    if not result.headline:
        result.extraction.warnings.append("no headline found")
    return result


def _classify(lines: list[str], result: ClippingMetadata) -> list[str]:
    """Take out every line that is not article text; return the rest in order."""
    content = []
    bios = []
    for line in lines:
        printed = conventions.print_line(line)
        if printed:
            result.print, key = printed
            result.publisher = result.publisher or {"name": conventions.PRINT_PUBLISHERS[key]}
        reprint = conventions.reprint_line(line)
        if reprint:
            result.reprint = _merge_reprint(result.reprint, reprint)
        if printed or reprint:
            continue
        credit = conventions.credit_text(line) if line.startswith(("Credit", "Photograph:",
                                                                   "Illustration:")) else None
        if credit:
            result.credits.extend(conventions.parse_credits(credit[1], credit[0]))
            continue
        rights = conventions.copyright_line(line)
        if rights and len(line) < 200:
            result.reprint = _merge_reprint(result.reprint, Reprint(rights=rights))
            result.boilerplate.append(line)
            continue
        count = conventions.comments_count(line)
        if count is not None:
            result.comments = {"count": count}
            result.boilerplate.append(line)
            continue
        if conventions.is_chrome(line):
            result.boilerplate.append(line)
            continue
        if conventions.is_correction(line):
            result.corrections.append(line)
            continue
        wire = conventions.wire_line(line)
        if wire:
            result.authors += [Author(n) for n in wire[0] if n not in _names(result)]
            result.credits += wire[1]
            continue
        more = _MORE_ABOUT.search(line)
        if more and len(line) > len(more.group(0)) + 20:
            name = more["name"].strip()
            if all(b.name != name for b in bios):   # a page pasted twice lists each bio twice
                bios.append(Author(name, bio=line[: more.start()].strip()))
            continue
        content.append(line)
    result.authors += bios   # ordered later by the byline
    return content


def _names(result):
    return [a.name for a in result.authors]


def _merge_reprint(old: Reprint | None, new: Reprint) -> Reprint:
    if old is None:
        return new
    return Reprint(raw=old.raw or new.raw, offers=old.offers or new.offers,
                   rights=old.rights or new.rights)


def _is_byline(line: str, known: list[str]) -> bool:
    if len(line) > 160:
        return False
    if re.match(r"^By\s+[A-Z]", line):
        return True
    if line.endswith(" and") or any(k in line for k in known):
        return bool(names.split_byline(line, known)) and not line.endswith(".")
    found = names.split_byline(line, known)
    return bool(found) and sum(len(n) for n in found) >= 0.7 * len(line.replace(" and ", ""))


def _read_front_matter(content: list[str], result: ClippingMetadata) -> None:
    known = _names(result)
    index = 0
    if content and len(content[0]) <= HEADLINE_MAX:
        result.headline = content[0]
        index = 1
    if index < len(content) - 1 and 40 <= len(content[index]) <= DEK_MAX and \
            _is_byline(content[index + 1], known):
        result.description = content[index]
        index += 1
    byline_at = next((i for i in range(index, min(index + 3, len(content)))
                      if _is_byline(content[i], known)), None)
    if byline_at is not None:
        byline = content[byline_at]
        ordered = names.split_byline(byline, known)
        index = byline_at + 1
        # A line right after the byline that speaks of the authors is the author note.
        if index < len(content) and len(content[index]) < 600 and \
                sum(name in content[index] for name in ordered + known) >= 1 and \
                re.search(r"\b(report|reports|covers|is|are|contributed|writes)\b", content[index]):
            note = content[index]
            index += 1
            for candidate in _NAME_IN_PROSE.findall(note):
                if names.looks_like_name(candidate) and candidate not in ordered:
                    ordered.append(candidate)
        by_name = {a.name: a for a in result.authors}
        result.authors = [by_name.pop(n, None) or Author(n) for n in ordered] + list(by_name.values())
    result.body = "\n\n".join(content[index:]) or None


def _fill_publication_facts(text: str, result: ClippingMetadata) -> None:
    url_publisher = from_url(result.url)
    if url_publisher:
        result.publisher = {"name": url_publisher}
    result.published = date_from_url(result.url)
    result.language = language.guess(text)
