"""HTML pages, parsed with lxml (never regular expressions over markup).

Structured data first (JSON-LD, meta tags, NYT printInformation), then what the page
shows: bylines, figure captions and credit lines (never taken for authors), print
lines, reprint and copyright lines, and the article's paragraphs.
"""

import re
from datetime import datetime
from functools import cache
from warnings import catch_warnings, simplefilter

import lxml.html
from lxml import etree

from archivekit._internal.software import __version__
from archivekit.extract import conventions, html_authors, html_dates, names, structured
from archivekit.extract.article import is_furniture, is_noise, words
from archivekit.extract import text as text_reader
from archivekit.extract.dates import Reading, numeric_order, page_year
from archivekit.extract.regions import in_caption
from archivekit.extract.decode import decode_html
from archivekit.extract.publishers import from_url
from archivekit.extract.metadata import Author, ClippingMetadata, Extraction, PrintInfo, Reprint

METHOD = "html"
BLOCKS = {"p", "div", "li", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr",
          "section", "article", "header", "footer", "aside", "blockquote", "dd", "dt",
          "address", "time", "figure", "ul", "ol", "table", "nav", "main"}
_NYT_EDITIONS = {"NewYork": "New York", "National": "National"}
_CREDIT_CLASSES = ("credit", "byline__credit", "caption-credit")
COLLECTION_WARNING = "the page is a collection of stories, not one article"


def parse(html_text: str):
    """The lxml document of `html_text`, recovering from broken markup; None when even
    that fails."""
    parser = lxml.html.HTMLParser(recover=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(html_text, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def extract(data: bytes, url: str | None = None, declared_charset: str | None = None,
            captured: datetime | None = None) -> ClippingMetadata:
    """What a saved HTML page says about itself: declared metadata reconciled with the
    visible page, and the article's text. `captured`: when the page was taken ('2 hours
    ago' by its headline is read against it). Never raises: problems become warnings."""
    result = ClippingMetadata(Extraction(METHOD, __version__), url=url)
    warnings = result.extraction.warnings
    html_text, note = decode_html(data, declared_charset)
    if note:
        warnings.append(note)
    doc = parse(html_text) if html_text.strip() else None
    if doc is None:
        warnings.append("no HTML document could be parsed")
        return result
    for junk in doc.xpath("//script[not(@type='application/ld+json') and "
                          "not(contains(text(), 'PrintInformation'))]|//style|//noscript"):
        junk.text = None if junk.get("type") != "application/ld+json" else junk.text
    article = structured.json_ld_article(doc, warnings) or {}
    if not article and structured.is_collection_page(doc):
        warnings.append(COLLECTION_WARNING)
    tags = structured.meta_tags(doc)
    parsely = structured.parsely_metadata(tags, warnings)

    _identity(result, doc, article, tags, parsely)
    authors = _authors(result, doc, article, tags, parsely)
    result.headline = _without_suffix(
        result.headline, [n for a in authors for n in a.names] + [result.publisher_name or ""])
    _print(result, doc, article)
    visible = _visible_text(doc)
    lines = [" ".join(line.split()) for line in visible.splitlines() if line.strip()]
    _as_shown(result, doc, visible, lines, (article, tags, parsely), authors, captured)
    _captions_and_lines(result, doc, lines)
    result.body, where = _body(doc, html_text, result.headline, visible)
    if result.body:
        result.found("body", where)
    if not result.headline:
        warnings.append("no headline found")
    if not result.body:
        warnings.append("no article text found")
    return result


def _first(*values):
    return _pick(*((None, v) for v in values))[0]


def _pick(*named) -> tuple[str | None, str | None]:
    """The first (source, value) pair with a value -> (text, source)."""
    for source, value in named:
        text = structured.text_of(value)
        if text:
            return text, source
    return None, None


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))


def _identity(result, doc, article, tags, parsely) -> None:
    title = " ".join(doc.xpath("string(//title)").split())
    h1 = next((t for t in (" ".join(h.text_content().split()) for h in doc.xpath("//h1"))
               if len(t.split()) >= 4), "")
    declared, declared_in = _pick(
        ("meta og:title", tags.get("og:title")), ("meta parsely-title", tags.get("parsely-title")),
        ("parsely metadata", parsely.get("title")), ("meta twitter:title", tags.get("twitter:title")),
        ("meta dc.title", tags.get("dc.title")), ("meta headline", tags.get("headline")))
    if declared and h1 and (" - " in declared or " | " in declared) and \
            _overlap(declared, h1) < 0.3:
        declared = None   # a site-wide title ('X News - Latest Headlines'), not this story's
    result.headline, where = _pick(("JSON-LD headline", article.get("headline")),
                                   (declared_in, declared), ("h1", h1), ("<title>", title))
    h1 = structured.text_of(h1)
    if h1 and result.headline and where != "h1" and _reader_sees_h1(result.headline, h1):
        result.headline, where = h1, "h1"
    if where:
        result.found("headline", where)
    result.description = _first(article.get("description"), tags.get("og:description"),
                                tags.get("description"), tags.get("dc.description"),
                                tags.get("twitter:description"))
    canonical = doc.xpath("string((//link[@rel='canonical'])[1]/@href)").strip()
    result.canonical_url = canonical or _first(tags.get("og:url"), article.get("url"))
    result.section = _first(article.get("articleSection"), tags.get("article:section"),
                            tags.get("parsely-section"), parsely.get("section"),
                            tags.get("section"), tags.get("articlesection"))
    result.language = _first(article.get("inLanguage"), doc.get("lang"),
                             tags.get("dc.language"), tags.get("og:locale"),
                             tags.get("content-language"))
    publisher, where = _pick(("JSON-LD publisher", article.get("publisher")),
                             ("meta og:site_name", tags.get("og:site_name")),
                             ("meta dc.publisher", tags.get("dc.publisher")),
                             ("meta publisher", tags.get("publisher")))
    if publisher and publisher.startswith(("http://", "https://")):
        publisher = None    # a site name that is only an address says nothing
    known = from_url(result.canonical_url or result.url)
    if known:
        publisher, where = known, "the page's address"
    if publisher:
        result.publisher = {"name": publisher}
        result.found("publisher", where)


def _reader_sees_h1(declared: str, h1: str) -> bool:
    """Whether the page's h1 is the headline a reader sees, not the declared title.
    One the other's start: the shorter (declared titles add the site's name, h1s run
    into a dek or a button). The declared one ending with the h1: a kicker ('Weihnachten:
    ...') the page shows too. Otherwise, the same story told twice: the h1, as shown
    (a declared title is often an SEO wording)."""
    if declared.startswith(h1) or h1.startswith(declared):
        return len(h1) < len(declared)
    return not declared.endswith(h1) and _overlap(declared, h1) >= 0.3


def _without_suffix(headline: str | None, extra: list[str]) -> str | None:
    """'Story title | Author Name' or 'Story title - Site' -> 'Story title', for the
    authors' and the site's names in `extra`."""
    if not headline:
        return headline
    def plain(text):
        return re.sub(r"^the\s+", "", text.strip().lower())
    extra = {plain(e) for e in extra if e}
    for separator in (" | ", " - ", " — ", " – "):
        head, found, tail = headline.rpartition(separator)
        if found and plain(tail) in extra:
            return head.strip()
    return headline


def _authors(result, doc, article, tags, parsely) -> list[html_authors.Named]:
    """Every source of the page's authors that the markup gives, in their order of trust:
    what it declares, and the byline it marks (`_as_shown` adds what the page prints).
    A page of many stories has only its own JSON-LD and byl."""
    if COLLECTION_WARNING in result.extraction.warnings:
        return html_authors.declared(article, {"byl": tags.get("byl")}, {}, result.credits)
    return html_authors.declared(article, tags, parsely, result.credits,
                                 tuple(html_authors.marked_up(doc)))


def _as_shown(result, doc, visible: str, lines: list[str], declared: tuple,
              authors: list[html_authors.Named], captured: datetime | None) -> None:
    """The authors and the dates as the page shows them, weighed with what the markup
    says: the byline under the headline, the byline the copied-text reader finds by the
    headline (read only when the other sources leave a doubt: it costs a second
    reading), and the dates every source of the page gives (extract/html_dates.py)."""
    collection = COLLECTION_WARNING in result.extraction.warnings
    site = html_authors.site_names(result.publisher_name, declared[1],
                                   result.canonical_url or result.url)
    around = _around_headline(visible, result.headline)
    by_headline = cache(lambda: _shown_by_headline(result, around[0], captured)
                        if around else {})
    if not collection:
        below = text_reader.byline_below(lines, result.headline or "")
        authors = [*authors, html_authors.Named("the page's text, under the headline",
                                                tuple(below), html_authors.PRINTED)]
        # a declared author the page credits for its pictures is no author
        near = [" ".join(line.split()) for line in around[0]] if around else []
        authors = html_authors.not_credited([a for a in authors if a.names],
                                            html_authors.credited(near))
        if not html_authors.settled(authors, site) and by_headline().get("authors"):
            authors.append(html_authors.Named(
                "the page's visible text, by the headline",
                tuple(a.name for a in by_headline()["authors"]), html_authors.PRINTED))
    chosen = html_authors.choose(authors, site)
    if chosen:
        result.authors = [Author(names.tidy(n)) for n in chosen.names]
        result.found("authors", chosen.source)
    # numbers that read both ways ('05.06.14') as the page's other dates, its address
    # or its language say it writes them
    # and a date printed without its year ('Mar 17') in the year the page implies, as
    # the copied-text reader reads it (the address's, the capture's, the copyright's)
    address = result.canonical_url or result.url
    year = page_year(lines, captured, address)
    reading = Reading(numeric_order(lines, (result.language or "")[:2].lower() or None, address),
                      year[0] if year else None,
                      captured.strftime("%Y-%m-%d") if captured else None)
    html_dates.read(result, doc, *declared, reading,
                    lambda: (by_headline().get("published"), by_headline().get("published from"),
                             by_headline().get("modified")),
                    html_dates.labelled(*around, reading) if around else None, captured)


# The part of the visible page the copied-text reader is given: from a few lines over
# the headline to well into the article (its byline and date stand by the headline).
_OVER_HEADLINE, _UNDER_HEADLINE = 15, 80
_INTO_ARTICLE = 8    # lines of the copy (blank ones too) into the article's text
_SIGN_OFF = 3        # the article's last lines, where a writer may sign off


def _around_headline(visible: str, headline: str | None) -> tuple[list[str], int] | None:
    """The visible text's lines from a little over the headline to well into the article,
    and where the headline stands in them. None without the headline in the page: a
    byline or a date elsewhere is as likely another story's."""
    lines = visible.splitlines()
    folded = [_folded(line) for line in lines]
    head = _headline_line(folded, _folded(headline or ""))
    if head is None:
        return None
    first = ([i for i in range(head) if folded[i]][-_OVER_HEADLINE:] or [head])[0]
    return lines[first: head + _UNDER_HEADLINE], head - first


_FOLDS = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _folded(line: str) -> str:
    return " ".join(line.split()).casefold().translate(_FOLDS)


def _headline_line(folded: list[str], headline: str) -> int | None:
    """Where the headline stands in the visible lines (folded): the first line that is
    the headline, else the first that is most of it at one end (a declared title adds
    the site's name, 'Story: The GQ Eye: GQ', or a kicker, 'Weihnachten: Story') or
    begins with it (an h1 running into a button, 'Story Add to ...')."""
    if not headline:
        return None
    exact = next((i for i, line in enumerate(folded) if line == headline), None)
    if exact is not None:
        return exact
    return next((i for i, line in enumerate(folded)
                 if _at_an_end(headline, line) or _at_an_end(line, headline, start_only=True)),
                None)


def _at_an_end(longer: str, shorter: str, start_only: bool = False) -> bool:
    """`shorter` is `longer`'s start (or end), whole words and at least half of it."""
    if not shorter or len(shorter) >= len(longer) or 2 * len(shorter) < len(longer):
        return False
    if longer.startswith(shorter) and not longer[len(shorter)].isalnum():
        return True
    return not start_only and longer.endswith(shorter) and \
        not longer[-len(shorter) - 1].isalnum()


def _shown_by_headline(result, copied: list[str], captured: datetime | None = None) -> dict:
    """The byline and the date the page prints by its headline, read by the copied-text
    reader over those lines of its visible text ('By:' over the name, 'AUTHOR / Name',
    'X • 12.29.14', 'Published Dec. 16'), and the byline of an author box under the
    article ('December 17, 2014 / by Rachel Evans' after its last paragraph):
    {'authors': [...], 'published': '2014-12-16'}, each only when found, and where the
    date was read from ('published from': 'text line 3, relative: ...' for '2 hours ago'
    read against `captured`)."""
    try:
        copy = text_reader.extract("\n".join(copied), result.canonical_url or result.url,
                                   captured)
    except Exception as exc:    # a second reading: its failure must not cost the first
        result.extraction.warnings.append(
            f"the page's visible text was not read: {type(exc).__name__}: {exc}")
        return {}
    body, body_end = _copied_lines(copy, "body")
    shown = {}
    for name in ("authors", "published", "modified"):
        line = _copied_line(copy, name)
        if not (getattr(copy, name) and line):
            continue
        # by the headline, over the article's first lines: not a post or a tweet inside
        # it; an author box under the article's last line, or a 'By' line among its last
        # lines ('-- By Michael Russell Follow @tdmrussell'), is the article's own
        into = line <= (body or line) + _INTO_ARTICLE
        under = name == "authors" and body_end is not None and (
            line > body_end or line > body_end - _SIGN_OFF and
            text_reader.is_by_line(copied[line - 1]))
        if into or under:
            shown[name] = getattr(copy, name)
            shown[f"{name} from"] = copy.provenance[name]["from"]
    return shown


def _copied_line(copy, name: str) -> int | None:
    """The (first) line of the copy a field was read from ('text line 12')."""
    return _copied_lines(copy, name)[0]


def _copied_lines(copy, name: str) -> tuple[int | None, int | None]:
    """The first and last lines of the copy a field was read from ('text lines 12-40')."""
    where = copy.provenance.get(name, {}).get("from", "")
    match = re.match(r"text lines? (\d+)(?:-(\d+))?", where)
    return (int(match[1]), int(match[2] or match[1])) if match else (None, None)


def _print(result, doc, article) -> None:
    info = structured.nyt_print_information(doc)
    if info:
        edition = info.get("edition")
        result.print = PrintInfo(
            date=(info.get("publicationDate") or "")[:10] or None,
            section=info.get("section") or None, page=info.get("page") or None,
            edition=_NYT_EDITIONS.get(edition, edition),
            headline=" ".join((info.get("headline@stripHtml") or info.get("headline")
                               or "").split()) or None)
    elif any(article.get(k) for k in ("printSection", "printPage", "printEdition")):
        result.print = PrintInfo(section=structured.text_of(article.get("printSection")),
                                 page=structured.text_of(article.get("printPage")),
                                 edition=structured.text_of(article.get("printEdition")))


def _captions_and_lines(result, doc, lines: list[str]) -> None:
    seen = set()
    for node in doc.xpath("//figcaption|//*[contains(@class, 'caption')]|"
                          "//*[contains(@class, 'credit')]"):
        text = " ".join(node.text_content().split())
        found = conventions.credit_text(text)
        if not found and any(c in (node.get("class") or "") for c in _CREDIT_CLASSES):
            found = ("photograph", text) if text and len(text) < 120 else None
        if not found:
            continue
        for credit in conventions.parse_credits(found[1], found[0]):
            key = (credit.role, credit.name, credit.agency)
            if key not in seen:
                seen.add(key)
                result.credits.append(credit)
    for line in lines:
        printed = conventions.print_line(line)
        if printed:
            info, key = printed
            if result.print is None:
                result.print = info
            else:
                result.print.raw = info.raw
                result.print.date = result.print.date or info.date
        reprint = conventions.reprint_line(line)
        if reprint and (result.reprint is None or not result.reprint.raw):
            rights = result.reprint.rights if result.reprint else None
            result.reprint = Reprint(raw=reprint.raw, offers=reprint.offers, rights=rights)
        rights = conventions.copyright_line(line) if len(line) < 300 else None
        if rights:
            result.reprint = result.reprint or Reprint()
            result.reprint.rights = result.reprint.rights or rights
        if conventions.is_correction(line) and line not in result.corrections:
            result.corrections.append(line)
        count = conventions.comments_count(line)
        if count is not None:
            result.comments = {"count": count}


# Blocks a browser sets apart with a blank line when the page is copied (their margins).
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "table",
               "figure"}


def _visible_text(doc) -> str:
    """The page's visible text as a browser copies it: each block on its own line,
    paragraphs and headings between blank lines."""
    parts = []

    def walk(node):
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript", "head"):
            if node.tail:
                parts.append(node.tail)
            return
        block = _PARAGRAPH if node.tag in _PARAGRAPHS else _LINE if node.tag in BLOCKS else ""
        parts.append(block)
        if node.text:
            parts.append(" ".join(node.text.split("\n")))
        for child in node:
            walk(child)
        parts.append(block)
        if node.tail:
            parts.append(" ".join(node.tail.split("\n")))
    body = doc.find("body")
    walk(body if body is not None else doc)
    # blocks side by side break the line once; a paragraph's edge leaves a blank line
    return _BREAKS.sub(lambda m: "\n\n" if _PARAGRAPH in m.group(0) else "\n", "".join(parts))


_LINE, _PARAGRAPH = "\x00", "\x01"
# (?<!\s): tried from the start of a run of spaces only, not from each of its spaces
# (80,000 spaces took 37 s)
_BREAKS = re.compile(r"(?<!\s)\s*[\x00\x01][\x00\x01\s]*")


def _body(doc, html_text: str, headline: str | None, visible: str
          ) -> tuple[str | None, str | None]:
    """The article's text as trafilatura reads it: body F1 0.939 on the tuning pages
    against 0.797 for our <p>-in-article-scope reading, which stays as the fallback.
    (Cutting its paragraphs at the end of the densest run of prose, as the copied-text
    reader does, lowered it to 0.932: trafilatura already leaves comments out.) What it
    keeps at either end and the page's densest run of prose leaves out goes (`_agreed`)."""
    found = _trafilatura_text(html_text)
    if found and max(len(line) for line in found.splitlines()) >= 40:   # not a menu's words
        paragraphs = _without_chrome([p for p in found.splitlines() if p.strip()])
        paragraphs = _agreed(paragraphs, text_reader.densest_prose(visible))
        if headline and paragraphs and paragraphs[0].casefold() == headline.casefold():
            paragraphs.pop(0)     # the article's own h1: the headline, not its text
        return "\n\n".join(paragraphs) or None, "the article text (trafilatura)"
    paragraphs = _scoped_paragraphs(doc)
    return ("\n\n".join(paragraphs), "the article's <p> elements") if paragraphs else (None, None)


def _agreed(paragraphs: list[str], run: list[str]) -> list[str]:
    """trafilatura's paragraphs without those at either end that the page's densest run
    of prose (the copied-text reader's first guess at the article) leaves out: a teaser
    or a dek over the article, a caption, a 'Related' list, a dateline, a box of credits
    under it. Only when the two readings agree on where the article is (the run holds
    most of trafilatura's text); otherwise either may be the one that is wrong.
    Walking out from the paragraphs both hold, a sentence still belongs to the article
    (a short lede the run starts after, 'This article first appeared in ...'); the
    first paragraph that is not one ends it. Tuning pages: body F1 0.953 -> 0.963
    (16 pages move, 3 of them down by at most 0.02)."""
    read, dense = _shingles("\n".join(paragraphs)), _shingles("\n".join(run))
    if not read or len(read & dense) < _AGREEMENT * len(read):
        return paragraphs
    held = [i for i, p in enumerate(paragraphs)
            if (own := _shingles(p)) and len(own & dense) >= 0.5 * len(own)]
    if not held:    # paragraphs too short to tell (the run shares only words across them)
        return paragraphs
    first, last = held[0], held[-1]
    while first > 0 and _sentence(paragraphs[first - 1]):
        first -= 1
    while last + 1 < len(paragraphs) and _sentence(paragraphs[last + 1]):
        last += 1
    return paragraphs[first:last + 1]


_AGREEMENT = 0.5     # share of trafilatura's word 4-grams the densest run holds
_ENDS_SENTENCE = re.compile(r"[.!?…\"”’)]\s*$")


def _sentence(paragraph: str) -> bool:
    """A sentence of four words or more, not a list's item ('- Read: ...')."""
    return words(paragraph) >= 4 and not paragraph.startswith("- ") and \
        _ENDS_SENTENCE.search(paragraph) is not None


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The text's runs of four words, lower-cased: what two readings share."""
    found = re.findall(r"\w+", text.lower())
    return {tuple(found[i:i + 4]) for i in range(len(found) - 3)}


# Chrome trafilatura keeps, mostly on short pages: a site's buttons and "Advertisement"
# lines, breadcrumb and keyword lists at either end, embed code printed as text. Leaving
# it out: body F1 0.950 -> 0.953 on the tuning pages.
_MARKUP = re.compile(r"</?(?:iframe|a|div|span|script|img|p|br)\b[^>]*>", re.I)


def _without_chrome(paragraphs: list[str]) -> list[str]:
    kept = [" ".join(_MARKUP.sub(" ", p).split()) for p in paragraphs
            if not (is_noise(p) or is_furniture(p))]
    while kept and _list_item(kept[0]):
        kept.pop(0)
    while kept and _list_item(kept[-1]):
        kept.pop()
    return [p for p in kept if p]


def _list_item(paragraph: str) -> bool:
    """'- Home', '- style and advice,': a menu's or a keyword list's item."""
    return paragraph.startswith("- ") and words(paragraph) <= 4 and \
        not paragraph.endswith((".", "!", "?"))


def _trafilatura_text(html_text: str) -> str | None:
    try:
        import trafilatura
    except ImportError:     # an install without it reads the page's paragraphs
        return None
    with catch_warnings():
        simplefilter("ignore")
        return trafilatura.extract(html_text, include_comments=False)


def _scoped_paragraphs(doc) -> list[str]:
    scopes = doc.xpath("//*[@itemprop='articleBody']|//article|"
                       "//*[contains(@class, 'story-body') or contains(@class, 'article-body') "
                       "or contains(@class, 'StoryBodyCompanionColumn') or @name='articleBody']")
    paragraphs, seen = [], set()    # nested scopes hold the same paragraphs again
    for scope in scopes or [doc]:
        for p in scope.iter("p"):
            if in_caption(p):
                continue
            text = " ".join(p.text_content().split())
            if len(text) >= 40 and text not in seen and not conventions.is_chrome(text) \
                    and not conventions.print_line(text):
                paragraphs.append(text)
                seen.add(text)
    return paragraphs
