"""Which day an HTML page gives as its publication date, when its sources disagree."""

from datetime import date, datetime, timedelta, timezone

import lxml.html
from hypothesis import example, given, settings, strategies as st

from archivekit.extract import extract
from archivekit.extract.dates import Reading
from archivekit.extract.html_dates import Said, article_time, choose, visible_date

_PROSE = ("The council voted on Monday to turn the old tram depot into a library, after a "
          "debate that ran long into the evening and filled the public gallery to the doors.")
HEADLINE = "Old tram depot to become the city's new central library"


# other stories listed under the article: each a link in a list item, dated
TEASERS = ("<ul><li><a href='/2015/01/02/other'><h3>Older story</h3>"
           "<time datetime='2015-01-02T10:50:31-05:00'>19 hours ago</time></a></li></ul>")
BANNER = "<header><div class='site-date'>Saturday, January 3, 2015</div></header>"


def _page(head: str = "", header: str = "", after: str = "", banner: str = BANNER) -> bytes:
    return (f"<html><head><title>{HEADLINE}</title>{head}</head><body>{banner}"
            f"<article><h1>{HEADLINE}</h1>{header}<p>{_PROSE}</p><p>{_PROSE}</p></article>"
            f"{after}</body></html>").encode()


def _doc(body: str):
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def test_declared_dates_days_apart_the_day_most_sources_give():
    said = [Said("JSON-LD datePublished", "2015-12-11T14:28:34Z"),
            Said("meta article:published_time", "2015-10-15T02:19:15Z")]
    shown = [Said("htmldate", "2015-10-15"), Said("the page's address", "2015-10-15")]
    assert choose(said, said + shown, None).value == "2015-10-15T02:19:15Z"
    assert choose(said, said, None).value == "2015-12-11T14:28:34Z"    # a tie: the most trusted


def test_a_declared_date_that_is_the_modification_is_an_edits_stamp():
    page = _page("<meta property='article:published_time' content='2016-05-08T10:11:51+01:00'>"
                 "<meta property='article:modified_time' content='2016-05-08T10:11:51+01:00'>"
                 "<meta name='dcterms.issued' content='2015-09-17'>")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2015-09-17", "meta dcterms.issued")
    # published once and never edited: its stamp is its publication
    assert extract(page.replace(b"2015-09-17", b"2016-05-08"), "text/html").published == \
        "2016-05-08T10:11:51+01:00"


def test_a_day_alone_that_is_the_modifications_day_gives_way_to_an_earlier_one():
    said = [Said("htmldate", "2014-12-18"), Said("the page's visible text", "2014-12-16")]
    assert choose(said, said, "2014-12-18T08:28:51-05:00").value == "2014-12-16"
    assert choose(said, said, None).value == "2014-12-18"


def test_a_moment_a_time_element_declares_keeps_its_day_over_days_printed_in_another_zone():
    # 23:29 UTC on the 1st, printed as 'December 2' by the page and read so by htmldate
    shown = [Said("the article's <time>", "2016-12-01T23:29:49Z"), Said("htmldate", "2016-12-02"),
             Said("the page's visible date", "2016-12-02")]
    assert choose(shown, shown, None).value == "2016-12-01T23:29:49Z"


def test_days_alone_a_day_apart_the_one_most_sources_print():
    shown = [Said("htmldate", "2014-01-08"), Said("the article's <time>", "2014-01-09"),
             Said("the page's visible date", "2014-01-09")]
    assert choose(shown, shown, None).value == "2014-01-09"
    assert choose(shown[:2], shown[:2], None).value == "2014-01-08"   # a tie: the most trusted


def test_the_articles_time_not_a_teasers_nor_the_update():
    doc = _doc(f"{TEASERS}<h1>{HEADLINE}</h1>"
               "<p>Updated <time datetime='2018-07-24T18:15:58+00:00'>Jul 24, 2018</time></p>"
               "<time datetime='2017-12-15T08:50:02-05:00'>Dec 15, 2017</time>")
    assert article_time(doc, Reading()) == ("2017-12-15T08:50:02-05:00",
                                            "2018-07-24T18:15:58+00:00")


def test_the_time_after_the_headline_not_a_banners_nor_one_marked_published():
    banner = "<div><time datetime='2015-01-03'>Saturday, January 3, 2015</time></div>"
    doc = _doc(f"{banner}<h1>{HEADLINE}</h1><time datetime='2014-12-16'>Dec 16</time>")
    assert article_time(doc, Reading())[0] == "2014-12-16"
    doc = _doc(f"{banner}<h1>{HEADLINE}</h1><time datetime='2014-12-16'>Dec 16</time>"
               "<time class='published' datetime='2014-12-15'>Dec 15</time>")
    assert article_time(doc, Reading())[0] == "2014-12-15"
    doc = _doc(f"<p>A kicker</p><time datetime='2014-12-16'>Dec 16</time><h1>{HEADLINE}</h1>")
    assert article_time(doc, Reading())[0] == "2014-12-16"    # none after: the one over it


def test_a_banners_last_updated_date_is_not_the_articles():
    doc = _doc("<div class='block-last-updated'><span class='date'>Saturday, January 3, 2015"
               f"</span></div><h1>{HEADLINE}</h1><span class='date'>Tuesday, December 16, 2014"
               "</span>")
    assert visible_date(doc, Reading()) == "2014-12-16"


def test_a_page_that_declares_no_date_the_articles_time_over_a_related_storys():
    meta = extract(_page(header="<time datetime='2014-12-04T09:00:00-05:00'>Dec 4, 2014</time>",
                         after=TEASERS), "text/html")
    assert meta.published == "2014-12-04T09:00:00-05:00"


def test_a_page_wide_class_that_says_date_or_updated_is_no_date_element():
    doc = lxml.html.document_fromstring(
        f"<html class='flag-updateDates'><body class='dated'><h1>{HEADLINE}</h1>"
        "<span class='date'>December 16, 2014</span></body></html>")
    assert visible_date(doc, Reading()) == "2014-12-16"


def test_teasers_under_the_headline_give_no_date_to_an_article_without_one():
    assert article_time(_doc(f"<h1>{HEADLINE}</h1><p>{_PROSE}</p>{TEASERS}"), Reading()) == \
        (None, None)


def test_the_chosen_day_keeps_the_time_another_source_gives_it():
    said = [Said("JSON-LD datePublished", "2014-12-16"),
            Said("parsely metadata", "2014-12-16T22:25:00-05:00")]
    assert choose(said, said, None) == said[1]


def test_a_time_declared_in_utc_takes_the_offset_the_articles_time_gives_the_same_moment():
    page = _page("<meta property='article:published_time' content='2019-01-03T07:00:02Z'>",
                 "<time datetime='2019-01-03T02:00:02-05:00'>3 Jan 2019 02.00 EST</time>")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2019-01-03T02:00:02-05:00", "the article's <time>")


def test_the_articles_time_that_writes_the_publishers_clock_as_utc_gives_the_day():
    # parsely gives the moment in UTC; the article's <time> the same moment as the
    # publisher's clock read it, marked +00:00, and the page prints that day
    def published(declared: str, shown: str) -> str:
        page = _page(f"<meta name='parsely-pub-date' content='{declared}'>",
                     f"<time datetime='{shown}'>Dec 29 10:00 PM</time>")
        return extract(page, "text/html").published[:10]
    assert published("2014-12-30T03:00:14Z", "2014-12-29T22:00:14+00:00") == "2014-12-29"
    # not the same moment (minutes apart, or both on the hour): the declared day stands
    assert published("2014-12-30T03:00:14Z", "2014-12-29T22:07:14+00:00") == "2014-12-30"
    assert published("2014-12-30T03:00:00Z", "2014-12-29T22:00:00+00:00") == "2014-12-30"


def test_with_the_capture_time_a_relative_date_by_the_headline_is_read_and_marked():
    page = _page(header="<div>By Jane Doe</div><div>Published 2 hours ago</div>", banner="")
    assert extract(page, "text/html").published is None
    captured = datetime(2024, 3, 5, 9, 30, tzinfo=timezone.utc)
    meta = extract(page, "text/html", captured=captured)
    assert meta.published == "2024-03-05"
    assert meta.provenance["published"]["from"] == (
        "the page's visible text, by the headline, relative: '2 hours ago' before the "
        "capture at 2024-03-05T09:30:00+00:00")


def test_with_the_capture_time_a_date_without_its_year_is_read():
    page = _page(header="<div>By Jane Doe</div><span class='date'>Mar 17</span>", banner="")
    assert extract(page, "text/html").published is None
    meta = extract(page, "text/html", captured=datetime(2015, 3, 20, tzinfo=timezone.utc))
    assert meta.published == "2015-03-17"


def test_no_date_after_the_capture_is_the_publication():
    page = _page("<meta property='article:published_time' content='2031-01-01T00:00:00Z'>"
                 "<meta name='dcterms.issued' content='2014-12-16'>")
    assert extract(page, "text/html").published == "2031-01-01T00:00:00Z"
    captured = datetime(2015, 1, 3, tzinfo=timezone.utc)
    assert extract(page, "text/html", captured=captured).published == "2014-12-16"


def _said(n: int, days: int, hour: int | None) -> Said:
    day = (date(2014, 12, 1) + timedelta(days=days)).isoformat()
    return Said(f"source {n}", day + (f"T{hour:02d}:00:00Z" if hour else ""))


_SAID = st.builds(_said, st.integers(0, 5), st.integers(-40, 40),
                  st.one_of(st.none(), st.integers(1, 23)))


@settings(max_examples=200, deadline=None)
@given(st.lists(_SAID, max_size=8), st.lists(_SAID, max_size=8), st.one_of(st.none(), _SAID))
# found by hypothesis: the only candidate is the update's stamp, another source is earlier
@example([_said(0, 0, None)], [_said(1, -2, None)], _said(2, 0, None))
def test_the_choice_is_always_one_of_the_candidates(candidates, others, modified):
    chosen = choose(candidates, candidates + others, modified and modified.value)
    assert chosen in candidates if candidates else chosen is None
    if candidates and len({s.day for s in candidates}) == 1 and modified is None:
        assert chosen.day == candidates[0].day     # where all agree, the day is theirs


def test_the_time_in_the_articles_own_footer_is_the_articles():
    page = _page(after="", header="", banner="").replace(
        b"</article>", b"<footer class='post-byline'><ul><li><time datetime='2014-12-24 09:00:00"
        b" -0500'><a href='/this-story'>12.24.14 9:00AM</a></time></li></ul></footer></article>")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2014-12-24T09:00:00-05:00", "the article's <time>")


def _microdata_page(printed: str, lang: str = "en", after: str = "") -> bytes:
    return (f"<html lang='{lang}'><head><title>{HEADLINE}</title></head><body>"
            "<article itemscope itemtype='https://schema.org/NewsArticle'>"
            f"<h1>{HEADLINE}</h1><span itemprop='datePublished'>{printed}</span>"
            f"<p>{_PROSE}</p><p>{_PROSE}</p></article>{after}</body></html>").encode()


def test_a_declared_date_written_as_people_write_it_reads_in_the_pages_order():
    # microdata with the date only as text: the page's language, or its other dates,
    # say which number is the month
    assert extract(_microdata_page("04.05.2015", "fr"), "text/html").published == "2015-05-04"
    assert extract(_microdata_page("04.05.2015", "en"), "text/html").published == "2015-04-05"
    comments = "<div class='c'><p>Reader, 29.12.2014</p></div>"
    assert extract(_microdata_page("04.05.2015", "en", comments), "text/html").published == \
        "2015-05-04"


def test_any_meta_tag_whose_name_says_publication_is_declared():
    page = _page("<meta name='publish_date' content='05/08/2014 07:01:00'>"
                 "<meta name='sailthru.expire_date' content='2034-12-29'>"
                 "<meta name='last_updated' content='2016-09-14T12:33:10'>", banner="")
    meta = extract(page, "text/html")
    # an American page's May 8 (htmldate reads the 5th of August)
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2014-05-08", "meta publish_date")
    for name in ("og:article:published_time", "article_date_original", "item-publish-date",
                 "dcsext.articleFirstPublished", "DateCreated"):
        page = _page(f"<meta name='{name}' content='2014-12-29T16:08:14+00:00'>", banner="")
        assert extract(page, "text/html").provenance["published"]["from"] == \
            f"meta {name.lower()}", name
    for name in ("article:publisher", "article:expiration_time", "last_published_date",
                 "publish_end_date", "published-updated", "unpublish_date"):
        page = _page(f"<meta name='{name}' content='2014-12-29'>", banner="")
        assert extract(page, "text/html").provenance.get("published", {}).get("from") != \
            f"meta {name}", name


def test_the_update_the_page_prints_by_its_headline_is_not_its_publication():
    # htmldate, finding no publication date, gives the update's: the page says it is one
    page = _page(header="<div class='byline'>By Jane Doe</div>"
                        "<p><span class='published'>Updated August 02, 2014.</span></p>",
                 banner="")
    meta = extract(page, "text/html")
    assert (meta.published, meta.modified) == (None, "2014-08-02")
    # a date element whose own words say it is the update's
    assert extract(page.replace(b"'published'", b"'date'"), "text/html").published is None
    # printed as the publication, the same day is read
    assert extract(page.replace(b"Updated", b"Published"), "text/html").published == \
        "2014-08-02"


def test_a_modification_declared_as_a_day_alone_stamps_nothing():
    # edited on the day it was published: its declared moment stays, not an older
    # related story's date nor a day alone
    said = [Said("microdata datePublished", "2014-12-23T10:24:00-05:00"),
            Said("meta datepublished", "2014-11-20T16:00:49Z"), Said("meta dc.date", "2014-12-23")]
    assert choose(said, said, "2014-12-23").value == "2014-12-23T10:24:00-05:00"
    said = [Said("meta dc.date", "2014-12-23"), Said("meta datepublished", "2014-11-20T16:00:49Z")]
    assert choose(said, said, "2014-12-23").value == "2014-12-23"


def test_any_meta_tag_whose_name_says_modification_gives_the_modified_date():
    page = _page("<meta name='article_date_updated' content='Monday, December 29, 2014, 4:16 PM'>"
                 "<meta name='article_date_original' content='Monday, December 29, 2014, 3:02 PM'>")
    assert extract(page, "text/html").modified == "2014-12-29"


def test_a_declared_publication_that_is_the_last_edits_moment_gives_way_to_an_earlier_shown_day():
    stamp = "2016-05-08T10:11:51+01:00"
    head = (f"<meta property='article:published_time' content='{stamp}'>"
            f"<meta property='article:modified_time' content='{stamp}'>")
    page = _page(head, header="<div class='byline'>By Jane Doe, September 17, 2015</div>",
                 banner="")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2015-09-17", "the page's visible text, by the headline")
    # never edited: the page shows the same day, the declared moment stays
    same = page.replace(b"September 17, 2015", b"May 8, 2016")
    assert extract(same, "text/html").published == stamp


def test_a_publication_label_in_the_pages_language_wins_over_a_declared_date_days_apart():
    french = ("Le conseil municipal a voté lundi la transformation de l'ancien dépôt de tramways "
              "en bibliothèque, après un long débat qui a rempli la tribune du public.")
    page = (f"<html lang='fr'><head><title>{HEADLINE}</title>"
            "<meta property='article:published_time' content='2015-06-20T10:00:00+02:00'></head>"
            f"<body><article><h1>{HEADLINE}</h1><div>Publié le 4 mai 2015</div>"
            f"<p>{french}</p><p>{french}</p></article></body></html>").encode()
    assert extract(page, "text/html").published == "2015-05-04"


def test_a_date_element_without_its_year_reads_in_the_year_the_page_implies():
    # the headline is not printed as declared, so only the date element shows the day
    page = ("<html><head><meta property='og:title' content='A title the page does not print'>"
            f"</head><body><article><div class='post-date'>March 17</div><p>{_PROSE}</p>"
            f"<p>{_PROSE}</p></article><footer>© 2015 Valley Herald</footer></body></html>")
    meta = extract(page.encode(), "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2015-03-17", "the page's visible date")
    # captured on 2 January: 'December 30' is of the year before
    page = page.replace("March 17", "December 30").replace("© 2015 ", "")
    captured = datetime(2016, 1, 2, 9, 0, tzinfo=timezone.utc)
    assert extract(page.encode(), "text/html", captured=captured).published == "2015-12-30"
