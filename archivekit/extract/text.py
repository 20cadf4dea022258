"""Plain-text clippings: an article page copied from a browser.

Each line is classified (chrome, credit, print line, reprint offer, rights, comments,
correction, author bio, byline) and what is left, in order, is the headline, the dek
and the body.
"""

import re
from datetime import datetime

from archivekit._internal.software import __version__
from archivekit.extract import article, byline, conventions, dates, headline, language, names, span as spans
from archivekit.extract.publishers import from_url
from archivekit.extract.dates import date_from_url
from archivekit.extract.page_dates import PageDates
from archivekit.extract.metadata import Author, ClippingMetadata, Extraction, Reprint

METHOD = "text"
_MORE_ABOUT = re.compile(r"\s*More about (?P<name>[A-Z][\w'’. -]{2,60}?)\s*$")
# A person's name inside prose: 'Julian E. Barnes', never across a sentence end.
_NAME_IN_PROSE = re.compile(r"[A-Z][\w'’-]+(?: [A-Z]\.)*(?: [A-Z][\w'’-]+)+")
HEADLINE_MAX = 200
DEK_MAX = 500
LATE_BYLINE_MAX = 100
BYLINE_OVER_ARTICLE = 15   # lines over the first paragraph where a byline may stand
BYLINE_UNDER_HEADLINE = 4  # lines into the article where the byline by the headline may stand
BYLINE_UNDER_ARTICLE = 8   # lines under the article where its byline may stand


def extract(text: str, url: str | None = None, captured: datetime | None = None
            ) -> ClippingMetadata:
    """`captured`: when the clipping was taken, to resolve 'Updated 2 hours ago'."""
    result = ClippingMetadata(Extraction(METHOD, __version__), url=url)
    numbered = _numbered_lines(text)
    if not numbered:
        result.extraction.warnings.append("empty text: nothing to extract")
        return result
    content, numbers = _classify(numbered, result)
    result.language = language.guess(text)     # the dates read by it
    _read_front_matter(content, result, numbers, captured)
    _fill_publication_facts(text, result)
    if not result.headline:
        result.extraction.warnings.append("no headline found")
    return result


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    numbered = [(number, " ".join(line.split()))
                for number, line in enumerate(text.splitlines(), start=1)]
    return [(number, line) for number, line in numbered if line]


def headline_page(text: str) -> headline.Page | None:
    """The page as the headline ranker sees it (for benchmarks/train_headline.py)."""
    result = ClippingMetadata(Extraction(METHOD, __version__))
    content, numbers = _classify(_numbered_lines(text), result)
    if not content:
        return None
    known, ordinary = _names(result), lowercase_words(content)

    def byline_kind(line):
        return _byline(line, known, ordinary)[0]
    span = spans.find(span_page(content, numbers, byline_kind))
    return None if span is None else _page(content, numbers, span, byline_kind)


def span_page(content: list[str], numbers: list[int], byline_kind) -> spans.Page:
    """The page as the span chooser sees it (also for benchmarks/train_span.py)."""
    return spans.Page(content, _paragraphs(numbers), byline_kind, _date_in)


def byline_page(text: str) -> tuple[list[str], list, byline.Place, list[str]] | None:
    """The page as the byline chooser sees it (for benchmarks/train_byline.py): the
    lines, the candidates, where the article stands, the authors the page gave elsewhere."""
    result = ClippingMetadata(Extraction(METHOD, __version__))
    content, numbers = _classify(_numbered_lines(text), result)
    seen = []

    def rules(candidates, place, lines):
        seen.append((candidates, place, _names(result)))
        return next((c for c in candidates if c.index in (place.rule, place.late)), None)
    if content:
        _read_front_matter(content, result, numbers, choose=rules)
    return (content, *seen[0]) if seen else None


def densest_prose(text: str) -> list[str]:
    """The lines of the text's densest run of prose, by the rules alone (no line
    classified, no chooser): a cheap first guess at where the article is."""
    numbered = _numbered_lines(text)
    span = article.body_span([line for _, line in numbered],
                             _paragraphs([number for number, _ in numbered]))
    return [line for _, line in numbered[span[0]:span[1]]] if span else []


def _paragraphs(numbers: list[int]) -> list[bool]:
    """Whether each line had a blank (or a dropped) line before and after it."""
    ends = [-1, *numbers, numbers[-1] + 2] if numbers else []
    return [ends[i] < numbers[i] - 1 and ends[i + 2] > numbers[i] + 1 for i in range(len(numbers))]


def _page(content: list[str], numbers: list[int], span: tuple[int, int],
          byline_kind) -> headline.Page:
    gaps = [after - before - 1 for before, after in zip(numbers, numbers[1:])] + [0]
    return headline.Page(content, span, byline_kind, _date_in, gaps)


def _classify(numbered: list[tuple[int, str]], result: ClippingMetadata
              ) -> tuple[list[str], list[int]]:
    """Take out every line that is not article text; return the rest in order, with
    their line numbers in the clipping."""
    content, numbers = [], []
    bios = []
    for number, line in numbered:
        printed = conventions.print_line(line)
        if printed:
            result.print, key = printed
            if not result.publisher:
                result.publisher = {"name": conventions.PRINT_PUBLISHERS[key]}
                result.found("publisher", f"text line {number} (print line)")
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
        numbers.append(number)
    result.authors += bios   # ordered later by the byline
    return content, numbers


def _names(result):
    return [a.name for a in result.authors]


def _merge_reprint(old: Reprint | None, new: Reprint) -> Reprint:
    if old is None:
        return new
    return Reprint(raw=old.raw or new.raw, offers=old.offers or new.offers,
                   rights=old.rights or new.rights)


# 'By X', 'Posted by X', 'Author: X', or 'By X' after a line's first words (a
# contributor box that repeats the name before it), or another language's lead after a
# separator ('Le Monde | 04.05.2015 | Par Martin Untersinger').
_BY = re.compile(r"^(?:(?:written|posted|words|story|text|reported)\s+)?by\b[:\s]*(?=\S)|"
                 r"^(?:author|authors|byline|curator|written by)\s*[:/]\s*|"
                 r"(?<=\s)(?-i:By|(?<=[|•·] )(?:Par|Por|Von|Door))\s+(?=[A-Z])", re.I)
STRONG, NAMES_ONLY = 2, 1
# A byline in Chinese, Japanese or Korean: a role and a name of a few characters, no
# spaces in the name to split it by ('編集委員　中沢克二', '记者 张三', '文／王小明',
# 'ワシントン＝中村亮', '김철수 기자'). The roles: senior and editorial writers,
# correspondents, reporters; '文' (text by). A space or a mark stands between role and
# name: '記者会見' (a press conference) and '文部科学省' (a ministry) are no bylines.
_CJK_NAME = r"[\u4e00-\u9fff々]{2,4}|[\uac00-\ud7a3]{2,4}"
_CJK_ROLE = r"編集委員|論説委員|解説委員|特派員|記者|记者|特约记者|撰文|文|기자|특파원|논설위원"
_CJK_BYLINE = re.compile(rf"(?:(?:{_CJK_ROLE})(?:\s*[/／:：]\s*|\s+)|"
                         rf"[\u4e00-\u9fff\u30a0-\u30ff]{{1,8}}＝)(?P<name>{_CJK_NAME})|"
                         rf"(?P<before>{_CJK_NAME})\s+(?:{_CJK_ROLE})")


def is_by_line(line: str) -> bool:
    """Whether the line leads with 'By' (or 'Posted by', 'Author:', '| Par'): it says it
    names the writer, as a line of names alone does not."""
    return len(line) <= 160 and bool(_BY.search(line))


# Addresses and handles: 'dan.goodin@arstechnica.com', '@rebleber', 'http://...'.
_ADDRESSES = re.compile(r"[\w.+-]{1,64}@[\w-]+\.[\w.]+|@\w+|\b[A-Za-z][\w+.-]{0,30}://\S*")
# What follows a name in a byline without being one: 'Follow @x', 'Email x@y', '• 8h'.
_AFTER_NAMES = re.compile(r"\s+[|—–/•·-](?:\s+|$)|\s*•|\d|"
                          r"\s(?:Follow|Email|E-mail|Become a fan|Twitter)\b")
# A line beside a line of names that says it is a byline: a handle, a role, a reading
# time or an age ('@citycalfe', 'Games Editor', '14 min read', '8h', 'před 2 hodinami').
_BESIDE_NAMES = re.compile(
    r"^(?:@\w+|[\w.+-]{1,64}@[\w-]+\.[\w.]+|follow\b.*|e-?mail\b.*|"
    rf"(?:\w+\s+){{0,2}}(?:{names.WRITING_ROLES}|commentator|staff|curator)s?\b.{{0,40}}|"
    r"\d+\s*min(?:ute)?s? read|(?:•\s*)?\d+\s*[hmd]|.{0,20}\b\d+\s*(?:hours?|days?|minutes?|"
    r"hodin\w*|heures?|horas?|stunden?)\b.{0,10})$", re.I)
# A label over a line of names: 'Written on Mar 27 by', 'WRITTEN BY', 'Curator:'.
_NAMES_BELOW = re.compile(r"(?:\bby|\bauthor|\bcurator|\bwriter)\s*:?$", re.I)


def lowercase_words(lines: list[str]) -> set[str]:
    """Words the page writes in lower case: ordinary words, so not parts of a name."""
    return {w for line in lines
            for w in re.findall(r"\b[a-z][a-z'’-]{2,}\b", _ADDRESSES.sub(" ", line))}


def _byline(line: str, known: list[str], ordinary: set[str] = frozenset()) -> tuple[int, list[str]]:
    """(kind, names): STRONG for 'By ...' or names we already know, NAMES_ONLY for a line
    of names alone (weak: section labels and title-cased headlines look like names too,
    so a line whose words the page also writes in lower case, in `ordinary`, is none)."""
    if len(line) > 160:
        return 0, []
    cjk = _CJK_BYLINE.fullmatch(line)
    if cjk:
        return STRONG, [cjk["name"] or cjk["before"]]
    lead = _BY.search(line)
    if lead:
        found = _people(line[lead.end():], known, ordinary)
        if found:
            return STRONG, found
    found = _people(line, known, ordinary)
    if not found or line.endswith("."):
        return 0, []
    if line.endswith(" and") or any(k in line for k in known):
        return STRONG, found
    # the names fill the line, up to a date or a separator ('Dan Goodin - Apr 16, 2015')
    # or the employer or role after a comma ('David Cenciotti, The Aviationist')
    named = names.byline_words(_AFTER_NAMES.split(
        _without_role(_ADDRESSES.sub("", line), ordinary))[0]).split(",")
    while len(named) > 1 and names.says_not_a_person(named[-1]):
        named.pop()
    named = ",".join(named)
    if sum(len(n) for n in found) >= 0.7 * len(named.replace(" and ", "")) and \
            not any(_ordinary(n, ordinary) for n in found):
        return NAMES_ONLY, found
    return 0, []


def _people(line: str, known: list[str], ordinary: set[str]) -> list[str]:
    return names.split_byline(_without_role(line, ordinary), known)


def _without_role(line: str, ordinary: set[str]) -> str:
    """The line without the role after the names ('Antonio Regalado Editor'); a word the
    page writes in lower case just before the role is the role's, not the surname ('Ben
    Silverman Games Editor')."""
    role = names.role_after(line)
    if role is None:
        return line
    words = line[:role].rstrip(" ,;:|/-–—•·").split()
    if len(words) > 2 and words[-1].lower() in ordinary:
        words.pop()
    return " ".join(words)


# A line of names alone with one of these words is the site's button or label
# ('Newsletter Signup', 'Related Topics'), not a byline.
_SITE_WORDS = {"newsletter", "newsletters", "signup", "login", "register", "related", "topics",
               "menu", "search", "video", "videos", "photos", "gallery", "latest", "popular",
               "trending", "sections", "previous", "next", "story", "stories", "modal", "trigger"}


def _ordinary(name: str, ordinary: set[str]) -> bool:
    parts = name.split()
    return sum(p.lower() in ordinary for p in parts) * 2 > len(parts) or \
        any(p.lower() in _SITE_WORDS for p in parts)


def _date_in(line: str) -> bool:
    return len(line) <= 160 and bool(dates.dates_in(line))


def _read_front_matter(content: list[str], result: ClippingMetadata, numbers: list[int],
                       captured: datetime | None = None, choose=None) -> None:
    """Headline, dek, byline and dates just above the article's prose; the prose is the body.
    `choose`: byline.choose, or what benchmarks/train_byline.py looks through."""
    choose = choose or byline.choose
    known, ordinary = _names(result), lowercase_words(content)

    def read_byline(line):
        return _byline(line, known, ordinary)

    def byline_kind(line):
        return read_byline(line)[0]
    span = spans.find(span_page(content, numbers, byline_kind))
    if span is None:
        if content and len(content[0]) <= HEADLINE_MAX:
            result.headline = content[0]
            result.found("headline", f"text line {numbers[0]}")
        return
    start, end = span
    head = headline.find(_page(content, numbers, span, byline_kind))
    if head is not None:
        result.headline = content[head]
        result.found("headline", f"text line {numbers[head]}")
    top = head + 1 if head is not None else start
    near = _find_byline(content, head, top, start, read_byline)
    late = _late_byline(content, top, start, end, read_byline) \
        if near is None and not result.authors else None
    place = byline.Place(head, top, span, near, late[0] if late else None)
    chosen = choose(_byline_candidates(content, place, read_byline, known), place, content)
    # what the span holds over the headline (a prompt, a caption) is not the article
    body_from = top if start < top < end else start
    if chosen is not None:
        byline_at, ordered = chosen.index, list(chosen.names)
        result.found("authors", f"text line {numbers[byline_at]}")
        # the byline by the headline, not one inside or under the article
        under_headline = byline_at == near or byline_at < start
        if under_headline and byline_at > top and 40 <= len(content[top]) <= DEK_MAX and \
                not byline_kind(content[top]) and not article.is_noise(content[top]):
            result.description = content[top]
            result.found("description", f"text line {numbers[top]}")
        after = byline_at + 1
        # A line right after the byline that speaks of the authors is the author note.
        if after < len(content) and len(content[after]) < 600 and \
                any(name in content[after] for name in ordered + known) and \
                re.search(r"\b(report|reports|covers|is|are|contributed|writes)\b", content[after]):
            for candidate in _NAME_IN_PROSE.findall(content[after]):
                if names.looks_like_name(candidate) and candidate not in ordered:
                    ordered.append(candidate)
            after += 1
        by_name = {a.name: a for a in result.authors}
        result.authors = [by_name.pop(n, None) or Author(n) for n in ordered] + list(by_name.values())
        if under_headline and byline_at < end:
            body_from = max(body_from, after)
    PageDates(content, numbers, result, captured).read(
        top, body_from, span, chosen.index if chosen is not None else None)
    result.body = "\n\n".join(line for line in content[body_from:end]
                               if not (article.is_noise(line) or article.is_furniture(line))) or None
    if result.body:
        result.found("body", f"text lines {numbers[body_from]}-{numbers[end - 1]}")


def _find_byline(content: list[str], head: int | None, top: int, start: int,
                 read_byline) -> int | None:
    """The byline by the headline: a 'By' line first; a line of names alone only when
    the page says it is one (_beside_names: 'Dan Goodin - Apr 16, 2015', a name over a
    dateline, a role or a handle). `read_byline(line)` is `_byline` with what the page
    knows."""
    window = [i for i in _by_headline(content, top, start) if i != head]
    strong = [i for i in window if read_byline(content[i])[0] == STRONG and i >= top - 2]
    if strong:
        return strong[0]
    # under the headline first; some sites print the byline just over it
    for i in sorted(window, key=lambda i: i < top):
        if read_byline(content[i])[0] == NAMES_ONLY and _beside_names(content, i):
            return i
    return None


def _by_headline(content: list[str], top: int, start: int) -> range:
    """The lines where the byline by the headline may stand."""
    return range(max(0, top - 3), min(len(content), max(top, start) + BYLINE_UNDER_HEADLINE))


def _byline_candidates(content: list[str], place: byline.Place, read_byline,
                       known: list[str]) -> list[byline.Candidate]:
    """Every line the rules read as a byline, by the headline, over the first paragraph
    or at the article's end: what `byline.choose` chooses from."""
    (start, end), top = place.span, place.top
    near = _by_headline(content, top, start)
    above = range(max(0, min(top, start) - BYLINE_OVER_ARTICLE), start)
    below = range(max(top, start), min(len(content), end + BYLINE_UNDER_ARTICLE))
    described = {n for at, line in enumerate(content)
                 for n in _writer_described(line, _line(content, at + 1))}
    found = []
    # The one 'By' line over the article, however far: when the headline we took is not
    # the article's (a caption, a teaser), its byline may stand far from it. Several
    # are other stories' teasers.
    far = {at for at in range(0, start) if len(content[at]) <= LATE_BYLINE_MAX and
           _BY.search(content[at]) and read_byline(content[at])[0] == STRONG}
    far = far if len(far) == 1 else set()
    for at in sorted({*near, *above, *below, *far} - {place.head}):
        line = content[at]
        kind, people = read_byline(line)
        after_date = about = False
        if not kind:
            by = _BY_AFTER_DATE.search(line)
            if by and _date_in(line[:by.start()]):
                people, after_date = names.split_byline(line[by.end():]), True
            elif at >= end - 1:     # the article's last paragraph, or under it
                people = _writer_described(line, _line(content, at + 1))
                about = bool(people)
        # a line of names alone is a byline only when the page says so beside it: as the
        # rules read it, or by a time beside it or a sentence about the person under it
        timed = any(_TIME.search(other) for other in content[max(0, at - 1): at + 2])
        bio = kind == NAMES_ONLY and _bio_under(content, at, people)
        beside = kind == NAMES_ONLY and _beside_names(content, at)
        if not people or kind == NAMES_ONLY and not (beside or timed or bio) or \
                at not in near and len(line) > LATE_BYLINE_MAX and not about or \
                _in_a_list(content, at, read_byline):
            continue
        found.append(byline.Candidate(
            at, tuple(people), strong=kind == STRONG, beside=beside, dated=_date_in(line),
            known=any(k in people for k in known), after_date=after_date, timed=timed, bio=bio,
            about=about, described=any(p in described for p in people)))
    return found


def _line(content: list[str], at: int) -> str:
    return content[at] if 0 <= at < len(content) else ""


def _in_a_list(content: list[str], at: int, read_byline) -> bool:
    """Whether a byline-looking line is one of a list of other stories: a 'By' line with
    'By' lines every other line around it ('Title / By A / Title / By B / ...'), or a
    line followed by a date as they are ('Title / date, teaser / Title / date, teaser')."""
    by = read_byline(content[at])[0] == STRONG
    dated_under = at + 1 < len(content) and _date_in(content[at + 1])
    alike = 0
    for other in (at - 4, at - 2, at + 2, at + 4):
        if 0 <= other < len(content) and (
                by and read_byline(content[other])[0] == STRONG or
                dated_under and other + 1 < len(content) and _date_in(content[other + 1])):
            alike += 1
    return alike >= 2


# A time of day or a date in figures beside a name, which the date reader may not take:
# '9:00AM', '12.24.14', "14 January '15, 11:57pm"
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?!\d)|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
BIO_UNDER = 4   # lines under a name where its author box may speak of the person
# What follows a person's first word in a sentence about them: 'Kristin is a ...'
_ABOUT_THE_PERSON = re.compile(r"(?:[A-Z][\w'’-]+ )*(?:is|was|has|writes|covers|reports|joined|"
                               r"lives)\b")


# A sentence about the article's writer: 'Jane Doe is a reporter at The Courier',
# 'John Roe covers climate for The Post and is the author of ...'
_ABOUT_VERBS = {"is", "was", "has", "writes", "covers", "reports", "joined", "lives"}
_WRITING = re.compile(rf"\b(?:{names.WRITING_ROLES}|author|commentator|freelance|staff)", re.I)


def _writer_described(line: str, under: str = "") -> list[str]:
    """[the writer's name] when the line is a sentence about a writer, else []: a
    writing word in it, or in a short line under it ('More from this author...'). An
    aside after the name is no part of it ('Andrew Montalenti (aka pixelmonkey) is ...')."""
    line = _ASIDE_AFTER_NAME.sub(r"\1", line[:240], count=1)
    words = line.split(" ", 6)
    verb = next((k for k, word in enumerate(words[:6]) if word in _ABOUT_VERBS), None)
    if verb is not None and verb >= 2 and (
            _WRITING.search(line[:200]) or len(under) <= 40 and _WRITING.search(under)):
        name = " ".join(words[:verb])
        if names.looks_like_name(name):
            return [name]
    return []


_ASIDE_AFTER_NAME = re.compile(r"^((?:\S+ ){1,4}\S+) \([^()]{1,60}\)")


def _bio_under(content: list[str], at: int, people: list[str]) -> bool:
    """Whether a sentence just under a line of names speaks of the person: 'Kristin is a
    contributing editor', 'Adam Chandler is a senior associate editor at The Atlantic'."""
    words = {part for name in people for part in name.split() if len(part) > 2}
    for line in content[at + 1: at + 1 + BIO_UNDER]:
        first = line.split(" ", 1)
        if len(first) == 2 and first[0] in words and _ABOUT_THE_PERSON.match(first[1]):
            return True
    return False


def _beside_names(content: list[str], at: int) -> bool:
    """Whether the lines around a line of names say it is a byline: a date in it or next
    to it, a handle, role or reading time under it, or a 'Written by' over it."""
    around = content[max(0, at - 1): at + 2]
    under = at + 1
    if under + 1 < len(content) and len(content[under]) <= 40 and \
            names.says_not_a_person(content[under]):
        under += 1      # the publication between: 'Jane Doe / The Globe / date'
        around.append(content[under])
    if under + 1 < len(content) and dates.label_alone(content[under]):
        around.append(content[under + 1])   # its label set apart: 'Jane Doe / Published / date'
    rest = _AFTER_NAMES.split(content[at], 1)
    rest = content[at][len(rest[0]):].strip(" |•·-—–") if len(rest) > 1 else ""
    return any(_date_in(line) for line in around) or bool(_BESIDE_NAMES.match(rest)) or \
        names.role_after(content[at]) is not None or \
        (at + 1 < len(content) and bool(_BESIDE_NAMES.match(content[at + 1]))) or \
        (at > 0 and bool(_NAMES_BELOW.search(content[at - 1])))


_BY_AFTER_DATE = re.compile(r"\bby\s+(?=[A-Z])")


def _late_byline(content: list[str], top: int, start: int, end: int,
                 read_byline) -> tuple[int, list] | None:
    """A short 'By' line elsewhere, when none stands under the headline: just over the
    article's first paragraph (when the headline we took is not the article's, or the
    site prints its author box there: 'Joseph Cox' over '14 min read'), under the dek,
    or at the article's end ('December 17, 2014 at 08:01PM EST by Rachel Evans')."""
    above = range(start - 1, max(-1, min(top, start) - BYLINE_OVER_ARTICLE - 1), -1)
    for at in [*above, *range(max(top, start), min(len(content), end + 3))]:
        line = content[at]
        if len(line) > LATE_BYLINE_MAX:
            continue
        kind, found = read_byline(line)
        if kind == STRONG or kind == NAMES_ONLY and at < start and _beside_names(content, at):
            return at, found
        after_date = _BY_AFTER_DATE.search(line)
        if after_date and _date_in(line[:after_date.start()]):
            found = names.split_byline(line[after_date.end():])
            if found:
                return at, found
    return None


def byline_below(lines: list[str], headline: str) -> list[str]:
    """The names in the byline printed under `headline` in a page's lines, if any."""
    ordinary = lowercase_words(lines)

    def read_byline(line):
        return _byline(line, [], ordinary)
    for head, line in enumerate(lines):
        if line == headline:
            at = _find_byline(lines, head, head + 1, head + 1, read_byline)
            if at is not None:
                return read_byline(lines[at])[1]
    return []


def _fill_publication_facts(text: str, result: ClippingMetadata) -> None:
    url_publisher = from_url(result.url)
    if url_publisher:
        result.publisher = {"name": url_publisher}
        result.found("publisher", "the clipping's address")
    if not result.published and date_from_url(result.url):
        result.published = date_from_url(result.url)
        result.found("published", "the clipping's address")
