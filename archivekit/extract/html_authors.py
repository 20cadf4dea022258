"""Who wrote an HTML page's article, from every place the page names its authors.

A page declares its authors in its structured data (JSON-LD, the NYT's `byl`, meta
author tags, Parse.ly), marks its byline up (itemprop/rel=author, a 'byline' class) and
prints it by the headline ('By X' under it, or what the copied-text reader finds there).
Each fails in its own way on some site: a marked-up byline can be a teaser's over the
article, a meta author a web editor or the site itself, JSON-LD an organisation, the
text by the headline a kicker. Two kinds rarely fail the same way, so a name two kinds
give is the author; only when none does does the first source in a fixed order win
(`choose`). benchmarks/authors_sources.py prints how often each source, when present,
names the labelled authors on the tuning pages, and what is left of the reading with
a kind of source taken out (`--without declared|markup|both`).
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from archivekit.extract import conventions, names, structured
from archivekit.extract.regions import elsewhere, in_caption, in_picture


# The three kinds of witness a page holds. Sources of one kind fail together (the meta
# tags and the JSON-LD come from one field of the site's system; the text under the
# headline, read two ways, is one text), sources of two kinds rarely do.
DECLARED, MARKED, PRINTED = "declared", "marked up", "printed"


@dataclass(frozen=True)
class Named:
    """The people one source of the page names as the article's authors, and which kind
    of witness the source is: what the markup declares, the byline it marks, or the
    byline printed by the headline."""
    source: str
    names: tuple[str, ...]
    kind: str = DECLARED


# Meta tags that name the article's author, most trusted first.
META_KEYS = ("author", "article:author", "parsely-author", "dc.creator", "dcterms.creator",
             "sailthru.author", "dcsext.author", "citation_author")


def declared(article: dict, tags: dict, parsely: dict, credits: list,
             marked: tuple[str, ...] = ()) -> list[Named]:
    """The authors the page's structured data declares, most trusted first, each source
    on its own, with the names of its `marked` byline (`marked_up`) after the
    article's own JSON-LD and byl and before the site-wide meta tags. Credits among
    them ('Photography by X') go to `credits`."""
    found = [Named("JSON-LD author", tuple(people(structured.people(article.get("author")),
                                                  credits)))]
    if tags.get("byl"):
        found.append(Named("meta byl", tuple(names.split_byline(tags["byl"]))))
    found.append(Named("the page's visible byline", marked, MARKED))
    for key in META_KEYS:
        value = tags.get(key, "")
        if value and not structured.is_handle(value):
            value = _reordered(value)
            found.append(Named(f"meta {key}", tuple(
                names.split_byline(value) or ([value] if names.looks_like_name(value) else []))))
    if parsely.get("author"):
        found.append(Named("parsely metadata",
                           tuple(people(structured.people(parsely["author"]), credits))))
    return [n for n in found if n.names]


# 'Photography by X', 'Produced by X': a credit among a page's declared authors
_ROLE_BY = re.compile(r"^(?P<role>photograph(?:s|y)?|photos?|pictures|illustrations?|video|"
                      r"animation|graphics?|maps?|charts?|design|designed|produced|production|"
                      r"edited)\s+by\s+(?P<who>.+)$", re.I)
_CREDIT_ROLES = {"photo": "photograph", "pictures": "photograph", "illustration": "illustration",
                 "video": "video", "animation": "video", "graphic": "graphic", "map": "graphic",
                 "chart": "graphic"}


def people(declared: list[str], credits: list) -> list[str]:
    """The people among a page's declared authors. 'Photography by X' is a credit (added
    to `credits`); 'Jane Doe, Staff Writer' is Jane Doe; 'Doe, Jane' is Jane Doe; a
    section, a desk or an organisation ('Letters to the Editor', 'Staff', 'AFP') is
    nobody. A name our rules cannot split ('Érica Silva', '王小明') is kept when no word
    of it says otherwise."""
    found = []
    for text in (_reordered(" ".join(t.split())) for t in declared):
        role = _ROLE_BY.match(text)
        if role:
            kind = next((v for k, v in _CREDIT_ROLES.items()
                         if role["role"].lower().startswith(k)), "other")
            credits.extend(conventions.parse_credits(role["who"], kind))
        elif names.split_byline(text):
            found += names.split_byline(text)
        elif not names.says_not_a_person(text):
            found.append(text)
    return found


def credited(lines: list[str]) -> set:
    """The people the page's lines credit for its pictures or their making ('Photographs
    by Robert Nethery'), as `person` keys."""
    found = set()
    for line in lines:
        role = _ROLE_BY.match(line) if len(line) <= 100 else None
        if role:
            found |= {person(n) for n in names.split_byline(role["who"])}
    return found - {None}


def not_credited(found: list[Named], credited_people: set) -> list[Named]:
    """Without the declared authors the page credits for its pictures (a CMS's author
    field holding the photographer of a gallery: 'Photographs by X' under the headline).
    A byline the page shows or marks keeps its names: 'By X' there, X is the writer."""
    return [Named(s.source, kept, s.kind) for s in found if (kept := tuple(
        n for n in s.names if s.kind != DECLARED or person(n) not in credited_people))]


# 'Doe, Jane', 'SMITH, John A.': a catalogue's order (citation_author, some CMSs)
_SURNAME_FIRST = re.compile(r"^([^\W\d_][\w'’-]+),\s*([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2})$")


def _reordered(value: str) -> str:
    """A declared name written surname first, in the order a byline gives it. Only when
    neither side is a name of its own: 'Jane Doe, Staff Writer' stays as it is."""
    match = _SURNAME_FIRST.match(value.strip())
    if match and not any(names.looks_like_name(side) for side in match.groups()):
        turned = f"{names.tidy(match[2])} {names.tidy(match[1])}"
        if names.looks_like_name(turned):
            return turned
    return value


_BYLINE_QUERIES = ("//*[@itemprop='author']", "//*[@rel='author']",
                   "//*[contains(@class, 'byline')]", "//*[contains(@class, 'author-name')]",
                   "//*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]")


def marked_up(doc) -> list[str]:
    """Names in the byline the page's markup marks (itemprop/rel=author, class 'byline',
    'author-name', 'author'), not in a caption, a picture's data or another story's box
    (an <article>'s own <aside> is its author's box: 'von Hella Schneider').
    Marked-up authors side by side in one byline ('By <a rel=author>A</a> and <a
    rel=author>B</a>') are all its authors."""
    for query in _BYLINE_QUERIES:
        nodes = [n for n in doc.xpath(query)
                 if not (in_caption(n) or in_picture(n) or elsewhere(n, own_aside=True))]
        for node in nodes:
            found = _names_in(node)
            if found:
                for other in nodes:
                    if other is not node and other.getparent() is node.getparent():
                        found += [n for n in _names_in(other) if n not in found]
                return found
    return []


def _names_in(node) -> list[str]:
    named = node.xpath(".//*[@itemprop='name']")
    text = " ".join((named[0] if named else node).text_content().split()) or \
        node.get("content", "")
    # 'Ben Silverman Games Editor': when the text is more than names, the links
    # inside the byline usually hold just the names.
    return names.split_byline(text) or names.split_byline(
        ", ".join(" ".join(a.text_content().split()) for a in node.iter("a")))


def person(name: str) -> tuple[str, str] | None:
    """Who a name is, however it is written: first and last word, case and accents
    folded, initials left out ('JULIAN E. BARNES', 'Julian Barnes' and 'Julián Barnes'
    are one person)."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    parts = [w for w in re.findall(r"[^\W\d_][\w'’-]*", plain) if len(w) > 1]
    return (parts[0], parts[-1]) if parts else None


def _shared(a: Named, b: Named) -> bool:
    return bool({person(n) for n in a.names} & {person(n) for n in b.names})


def settled(found: list[Named], publisher: tuple[str, ...] = ()) -> bool:
    """Whether the sources leave no doubt: a name two kinds of witness give, or every
    source naming one of the same people (a further source could change nothing). The
    site's own name is no person: a byline that gives only 'Le Monde' leaves the doubt."""
    found = _people(found, publisher)
    return bool(found) and (any(_confirmed(n, found) for n in found) or
                            all(_shared(a, b) for a in found for b in found))


def _confirmed(candidate: Named, found: list[Named]) -> bool:
    return any(o.kind != candidate.kind and _shared(candidate, o) for o in found)


def choose(found: list[Named], publisher: tuple[str, ...] = ()) -> Named | None:
    """The article's authors among the sources' (in their order of trust): the first
    source with a name another kind of witness gives too, with the other names of the
    sources that agree with it ('Jane Doe' declared, 'By Jane Doe and Sam Lee' shown);
    without one, the first source. A name that is the site's ('Le Monde' on lemonde.fr,
    given as the author) names no person."""
    found = _people(found, publisher)
    confirmed = [n for n in found if _confirmed(n, found)]
    if not (confirmed or found):
        return None
    first = (confirmed or found)[0]
    with_it = [n for n in found if _shared(n, first)] if confirmed else [first]
    once = {}     # one form of each person, the most trusted source's
    for name in (p for n in with_it for p in n.names):
        once.setdefault(person(name), name)
    return Named(first.source, tuple(once.values()), first.kind)


def _people(found: list[Named], publisher: tuple[str, ...]) -> list[Named]:
    """The sources with only the names that are people's, not the site's; a source left
    with none goes."""
    own = {_letters(p) for p in publisher if p}
    return [Named(n.source, kept, n.kind) for n in found
            if (kept := tuple(p for p in n.names if person(p) and _letters(p) not in own))]


def _letters(text: str) -> str:
    """'The Le Monde' -> 'lemonde': a name and a site's name as they compare."""
    return re.sub(r"\W|_", "", re.sub(r"^the\s+", "", text.strip().casefold()))


def site_names(publisher: str | None, tags: dict, url: str | None) -> tuple[str, ...]:
    """What the page calls its site: the publisher's name, og:site_name and the name in
    its address ('lemonde' for www.lemonde.fr, 'bbc' for www.bbc.co.uk)."""
    labels = (urlsplit(url).hostname or "").split(".") if url and "//" in url else []
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "gov", "ac"):
        labels = labels[:-1]
    return tuple(n for n in (publisher, tags.get("og:site_name"),
                             labels[-2] if len(labels) >= 2 else None) if n)
