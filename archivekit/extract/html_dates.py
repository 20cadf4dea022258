"""Which day an HTML page gives as its publication date, from every place it says one.

A page declares the date in its structured data (JSON-LD, article:published_time,
microdata, parsely, Dublin Core), shows it in the article (a <time> element, a date
element, a line by the byline), may put it in its address, and htmldate reads it from
all of these. On most pages they agree. Where they do not, how often each source, when
present, gives the labelled day on the 112 labelled tuning pages says whom to believe
(benchmarks/date_sources.py prints the table):

    declared: JSON-LD 11/11, parsely 48/49, article:published_time 37/39,
              microdata 20/21, other meta tags 57/60 (24 of them, all right, read
              because their name says publication: 'publish-date', 'pubdate', ...)
    shown:    a date labelled 'Published' by the headline 15/15, the article's <time>
              35/36 (the page's first <time>, read before: 33/41), the address 36/38,
              htmldate 107/111, a date element 57/60 (64/70 before), the date the
              copied-text reader finds by the headline 79/84

A declared date wins over a shown one: the labels are the day a page declares, in the
offset it declares it ('2014-12-30T01:30:41Z' is the 30th though the page prints the
29th), unless the page prints a date labelled 'Published' days away from it. Declared
dates days apart (4 tuning pages: an edit's stamp declared as the publication, a
related story's item) are settled by what the page shows; with nothing declared, the
shown sources settle it among themselves (`choose`). With every declared date taken out
of the tuning pages, the reading still finds 95 of the 112 labelled days (94 before).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from warnings import catch_warnings, simplefilter

from archivekit.extract import structured
from archivekit.extract.dates import (PUBLISHED_WORDS, UPDATED_WORDS, Reading, date_from_url,
                                      dates_in, human_date, machine_date, words_pattern)
from archivekit.extract.regions import elsewhere

# Meta tags that name a publication date, after the article:* and parsely ones.
_OTHER_META = ("ptime", "pdate", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
               "dcterms.created", "dc.date.created", "date", "article:publicationdate",
               "published_at", "sailthru.date", "citation_publication_date")
# Any other meta tag whose name says it is the publication's ('publish_date', 'pubdate',
# 'og:article:published_time', 'article_date_original'), letters only, lower case.
_NAMES_PUBLICATION = re.compile(r"publish(?!er)|pubdate|publicdate|publicationdate|"
                                r"dateoriginal|originaldate|datecreated|creationdate")
_NAMES_ANOTHER_DATE = re.compile(r"modif|updat|expir|revis|end|last|display|unpublish")
# ... and one whose name says it is the last change's ('article_date_updated',
# 'lastmodifieddate', 'revision_date', 'dcterms.modified').
_NAMES_MODIFICATION = re.compile(r"modified|updated|revision|lastpublished")
_NAMED_META = {"article:published_time", "article:published", "datepublished",
               "parsely-pub-date", *_OTHER_META}
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "utime")
# A <time> or date element that says it is the update's, not the publication's.
_SAYS_UPDATED = re.compile(rf"changed|edited|{words_pattern(UPDATED_WORDS)}", re.I)
_SAYS_PUBLISHED = re.compile(r"published|pubdate|posted|created|issued", re.I)
# 'Published December 16, 2014', 'Posted on Friday, May 4', 'On June 17, 2014 at 7:00 AM',
# 'Publié le 4 mai 2015', 'Veröffentlicht am 17.03.2018'
_PUBLISHED_LABEL = re.compile(rf"(?:\b(?:{words_pattern(PUBLISHED_WORDS)})|(?:^|\s)on)\s*:?\s*"
                              r"(?:(?:on|le|am|el|em|il|op|den)\s+)?(?:[^\W\d_]+day,?\s+)?$",
                              re.I)
_LABELLED_DATE_UNDER = 24   # lines of the visible text (blank ones too) under the headline
_SAME_MOMENT = timedelta(days=1)   # two days this close may be one moment in two zones


@dataclass(frozen=True)
class Said:
    """A date one source of the page gives: the source's name, and the date or
    date-time as machine_date writes it."""
    source: str
    value: str

    @property
    def day(self) -> date:
        """The calendar day as the source wrote it (its own offset, not UTC)."""
        return date.fromisoformat(self.value[:10])


def declared(doc, article: dict, tags: dict, parsely: dict, reading: Reading = Reading()
             ) -> list[Said]:
    """The publication dates the page's structured data declares, most trusted first
    (one written as people write it read as the page writes dates: `reading`)."""
    named = [("JSON-LD datePublished", article.get("datePublished")),
             *((f"meta {key}", tags.get(key))
               for key in ("article:published_time", "article:published")),
             # the article's own item, before a page-wide itemprop meta (a related story's)
             ("microdata datePublished", structured.microdata_published(doc)),
             *((f"meta {key}", tags.get(key)) for key in ("datepublished", "parsely-pub-date")),
             ("parsely metadata", parsely.get("pub_date")),
             *((f"meta {key}", tags.get(key)) for key in _OTHER_META),
             *((f"meta {key}", value) for key, value in tags.items() if _names_publication(key))]
    return _readable(named, reading)


def _names_publication(key: str) -> bool:
    """A meta tag's name that says it gives the publication date, other than the ones
    read by name above."""
    return key not in _NAMED_META and bool(_NAMES_PUBLICATION.search(_letters(key))) and \
        not _NAMES_ANOTHER_DATE.search(_letters(key))


def _letters(key: str) -> str:
    """A meta tag's name as letters alone: 'article_date_updated' -> 'articledateupdated'."""
    return re.sub(r"[^a-z]", "", key)


def declared_modified(article: dict, tags: dict) -> str | None:
    """When the page says it was last changed (JSON-LD dateModified, then the meta tags
    that name a modification), or None."""
    named = (article.get("dateModified"), *(tags.get(key) for key in _MODIFIED_META),
             *(value for key, value in tags.items() if _NAMES_MODIFICATION.search(_letters(key))))
    for value in named:
        found = machine_date(structured.text_of(value))
        if found:
            return found
    return None


def read(result, doc, article: dict, tags: dict, parsely: dict, reading: Reading,
         by_headline, labelled_day: str | None, captured: datetime | None = None) -> None:
    """Into `result`: the publication and modified dates, and where each comes from.
    `by_headline`: a function giving the date the copied-text reader finds by the
    headline and where it read it (called only when the declared dates are missing or
    disagree); `labelled_day`: a date labelled 'Published' printed by the headline;
    `captured`: when the page was taken (no later date is its publication)."""
    time_published, time_modified = article_time(doc, reading)
    result.modified = declared_modified(article, tags) or time_modified
    said = _before(declared(doc, article, tags, parsely, reading), captured)
    stamps = _stamps(said, result.modified)
    if said and not _conflict(said) and not stamps:
        chosen = choose(said, said, result.modified)
    else:
        published, read_from, updated = by_headline()
        result.modified = result.modified or updated    # 'Updated ...' by the headline
        shown = _not_the_shown_update(_before(shown_sources(
            doc, reading, result.canonical_url or result.url, published, read_from,
            labelled_day), captured), said, updated)
        # declared dates days apart: what the page shows and its address decide
        # (htmldate reads those same declarations: an echo of one, not a witness)
        witnesses = [s for s in shown if s.source != "htmldate"] if said else shown
        # every declared date the moment of the last edit: what the page shows may
        # be the publication (an earlier day), so it stands as a candidate too
        candidates = said + witnesses if stamps else said or shown
        chosen = choose(candidates, said + witnesses, result.modified)
    if chosen:
        chosen = local_time(chosen, said + _readable([("the article's <time>", time_published)]))
        result.published = chosen.value
        result.found("published", chosen.source)
    _reconcile(result, labelled_day)


def shown_sources(doc, reading: Reading, url: str | None, by_headline: str | None,
                  read_from: str | None, labelled_day: str | None) -> list[Said]:
    """The publication dates the page shows, implies or htmldate reads, most trusted
    first: a <time>'s machine-readable datetime before what people read. `read_from`:
    where the copied-text reader found `by_headline` (a relative date says so)."""
    time_published = article_time(doc, reading)[0]
    timed = time_published and len(time_published) > 10
    by_the_headline = "the page's visible text, by the headline"
    relative = (read_from or "").partition(", relative: ")[2]
    return _readable([(by_the_headline, labelled_day),
                      ("the article's <time>", time_published if timed else None),
                      ("the page's address", date_from_url(url)),
                      ("htmldate", _htmldate(doc)),
                      ("the article's <time>", None if timed else time_published),
                      ("the page's visible date", visible_date(doc, reading)),
                      (f"{by_the_headline}, relative: {relative}" if relative else by_the_headline,
                       by_headline)])


def _not_the_shown_update(shown: list[Said], said: list[Said], updated: str | None
                          ) -> list[Said]:
    """Without htmldate's date when it is the day the page prints as its update by the
    headline ('Updated August 02, 2014', 'Last Updated: January 7, 2025') and no other
    source gives that day: finding no publication date, htmldate falls back to the
    update's ('opting for reserve date'), which the page itself says is no publication."""
    if not updated:
        return shown
    day = Said("updated", updated).day
    alone = not any(s.day == day for s in said + shown if s.source != "htmldate")
    return [s for s in shown if not (s.source == "htmldate" and s.day == day and alone)]


def _before(said: list[Said], captured: datetime | None) -> list[Said]:
    """Without a date more than a day after the capture: no page was published after it
    was taken (a CMS's placeholder, a typo's year)."""
    if captured is None:
        return said
    return [s for s in said if s.day - captured.date() <= _SAME_MOMENT]


def _conflict(said: list[Said]) -> bool:
    return max(s.day for s in said) - min(s.day for s in said) > _SAME_MOMENT


def _readable(named, reading: Reading = Reading()) -> list[Said]:
    found = []
    for source, value in named:
        value = machine_date(structured.text_of(value), reading)
        if value:
            found.append(Said(source, value))
    return found


def choose(candidates: list[Said], supporters: list[Said], modified: str | None
           ) -> Said | None:
    """The candidate most sources support (both lists: most trusted first).

    The modification's own stamp is not the publication (`_not_the_update`). Of the
    rest, the one with the most supporters within a day of it wins (one moment in two
    zones is a day apart); on a tie, the most trusted. Within a day of it, the most
    trusted source's moment (a date-time with its offset) is the day as declared; days
    alone are the one most sources give. The chosen source's value is kept, with its
    time and offset."""
    if modified:
        candidates = _not_the_update(candidates, supporters, Said("modified", modified))
    if not candidates:
        return None
    support = [sum(_near(s, other) for other in supporters) for s in candidates]
    winner = candidates[support.index(max(support))]
    near = [s for s in candidates if _near(s, winner)]
    if _timed(near[0]):     # a moment the page declares: its day as declared
        chosen = near[0]
    else:   # days as people read them, perhaps in another zone: the one most sources give
        exact = [sum(s.day == other.day for other in supporters) for s in near]
        chosen = near[exact.index(max(exact))]
    # the same day with its time and offset says more ('2014-12-18T05:58:52-05:00')
    return next((s for s in near if s.day == chosen.day and _timed(s)), chosen)


def _stamps(said: list[Said], modified: str | None) -> bool:
    """Whether every declared publication is the declared modification's moment: an
    edit's stamp, or a page never edited (what it shows tells them apart)."""
    return bool(said and modified) and _timed(Said("modified", modified)) and all(
        _timed(s) and _instant(s.value) == _instant(modified) for s in said)


def _not_the_update(candidates: list[Said], supporters: list[Said], modified: Said
                    ) -> list[Said]:
    """Without the modification's own stamp (the same moment; the same day, for a day
    alone) when another source gives a day more than a day before it. (A date after the
    modification may still be the publication's: sitepoint.com2 declares a draft's edit.)
    A modification declared as a day alone names no moment: it stamps nothing (a page
    edited on the day it was published)."""
    if not _timed(modified):
        return candidates
    stamped = [s for s in candidates if (_instant(s.value) == _instant(modified.value)
                                         if _timed(s) else s.day == modified.day)]
    if stamped and any(modified.day - s.day > _SAME_MOMENT for s in supporters):
        # every candidate the stamp: the stamp stays (a day the page declares beats none)
        return [s for s in candidates if s not in stamped] or candidates
    return candidates


def _near(a: Said, b: Said) -> bool:
    return abs(a.day - b.day) <= _SAME_MOMENT


def _timed(said: Said) -> bool:
    return len(said.value) > 10


def _reconcile(result, labelled_day: str | None) -> None:
    """A chosen date more than a day from the one the page prints by its headline as
    its publication date ('Published ...') is not the one a reader sees (a republished
    page, a CMS's own date): the printed one wins, and the provenance keeps the other.
    Within a day they are the same story told in two time zones: the chosen one, with
    its time, stays. An unlabelled date by the headline may be the update's."""
    chosen = result.published
    if not (chosen and labelled_day) or \
            abs(date.fromisoformat(chosen[:10]) - date.fromisoformat(labelled_day)) <= _SAME_MOMENT:
        return
    where = result.provenance.get("published", {}).get("from")
    result.published = labelled_day
    result.found("published", f"the page's visible text, by the headline (declared "
                              f"{chosen} in {where})")


def article_time(doc, reading: Reading) -> tuple[str | None, str | None]:
    """(published, modified) as the article's <time> elements give them (`_dated`)."""
    published, updated = _dated(doc, doc.iter("time"), reading, _time_value)
    return published, updated


def visible_date(doc, reading: Reading) -> str | None:
    """The date a date element of the article shows ('posted on April 21, 2015'), numbers
    read in the order of the page's language and country ('05.06.14' on a German page)."""
    nodes = doc.xpath("//time|//*[contains(@class, 'date') or contains(@class, 'timestamp') "
                      "or contains(@class, 'pubdate') or contains(@class, 'posted')]")
    return _dated(doc, nodes, reading, _shown_value)[0]


def _dated(doc, nodes, reading: Reading, value_of) -> tuple[str | None, str | None]:
    """(published, modified) as the article's date elements give them. Not one in
    navigation, a box of other stories or a teaser (a link in a list item); one that
    says it is the update's ('Updated', itemprop=dateModified, 'last-updated') gives the
    modified date. The publication's is the one that says so, else the first after the
    headline (a site's banner prints today's date over it), else the nearest over it;
    when that one cannot be read ('8h'), the next one is as likely another story's."""
    published, updated = [], []
    for node in nodes:
        if node.tag not in ("html", "body") and not (elsewhere(node) or _teaser(node)):
            (updated if _says_updated(node) else published).append(node)
    modified = next(filter(None, (value_of(node, reading) for node in updated)), None)
    chosen = next((node for node in published if _SAYS_PUBLISHED.search(_marks(node))), None)
    h1 = next(doc.iter("h1"), None)
    if chosen is None and published and h1 is not None:
        order = {node: i for i, node in enumerate(doc.iter())}
        after = [node for node in published if order[node] > order[h1]]
        chosen = after[0] if after else published[-1]
    elif chosen is None and published:
        chosen = published[0]
    return (value_of(chosen, reading) if chosen is not None else None), modified


def _teaser(node) -> bool:
    """Inside a link inside a list item: another story's teaser."""
    link = next((a for a in node.iterancestors("a")), None)
    return link is not None and next(link.iterancestors("li"), None) is not None


def _time_value(node, reading: Reading) -> str | None:
    return machine_date(node.get("datetime"), reading) or _shown_value(node, reading)


def _shown_value(node, reading: Reading) -> str | None:
    return human_date(" ".join(node.text_content().split())[:200], reading)


def _marks(node) -> str:
    return " ".join(filter(None, (node.get("itemprop"), node.get("class"), node.get("property"),
                                  node.get("data-testid"))))


def _says_updated(node) -> bool:
    """Marked as the update's, or its label says so: before it, or its own first words
    ('<span class="published">Updated August 02, 2014</span>')."""
    before = node.getprevious()
    label = before.tail if before is not None else node.getparent().text
    own = " ".join((node.text or "").split())[:30]
    return bool(_SAYS_UPDATED.search(_marks(node)) or _SAYS_UPDATED.search((label or "")[-30:])
                or _SAYS_UPDATED.match(own))


def labelled(lines: list[str], head: int, reading: Reading) -> str | None:
    """The date printed by the headline (`head`: its line) with a publication label
    before it."""
    for line in lines[max(0, head - 6): head + _LABELLED_DATE_UNDER]:
        if len(line) <= 200:
            for printed in dates_in(line, reading):
                if _PUBLISHED_LABEL.search(line[:printed.offset]):
                    return printed.day
    return None


def local_time(chosen: Said, said: list[Said]) -> Said:
    """A time declared in UTC ('…T01:15:00Z') that another source of the page declares
    with the publisher's offset ('2014-12-22T20:15:00-05:00'): the latter, whose day is
    the one where the story was published. So too the article's <time> that gives the
    same moment as the publisher's clock read it, written as UTC ('2014-12-29T22:00:14
    +00:00' for '2014-12-30T03:00:14Z', a whole number of hours apart to the second): the
    day the page shows is the one where the story was published."""
    if not chosen.value.endswith(_UTC):
        return chosen
    for other in said:
        if chosen.value.endswith("Z") and len(other.value) > 10 and \
                not other.value.endswith(_UTC) and _instant(other.value) == _instant(chosen.value):
            return other
    moment = _instant(chosen.value, seconds=True)
    for other in said:
        if other.source == "the article's <time>" and other.value.endswith(_UTC) and \
                _hours_apart(_instant(other.value, seconds=True), moment):
            return other
    return chosen


_UTC = ("Z", "+00:00", "-00:00")
_ZONES = 14     # hours: the widest offset from UTC


def _hours_apart(a: datetime | None, b: datetime | None) -> bool:
    """Whether two moments are a whole number of hours apart, 1 to 14, to the second (one
    of them not on the hour): one clock reading in two zones."""
    if a is None or b is None or (a.minute, a.second) == (0, 0):
        return False
    hours, rest = divmod(abs(a - b), timedelta(hours=1))
    return not rest and 1 <= hours <= _ZONES


def _instant(value: str, seconds: bool = False) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if seconds else moment.replace(second=0)


def _htmldate(doc) -> str | None:
    """htmldate's reading of the page."""
    try:
        from htmldate import find_date
    except ImportError:     # trafilatura brings it; an install without it goes on
        return None
    with catch_warnings():
        simplefilter("ignore")
        try:
            return find_date(doc, extensive_search=False, original_date=True,
                             outputformat="%Y-%m-%d")
        except ValueError:  # lxml refuses a control character htmldate writes back
            return None
