"""Metadata from saved web pages: credits, print lines, JSON-LD and meta tags of real publishers."""

from archivekit.extract import extract
from archivekit.extract import html as html_reader
from archivekit.extract.dates import dates_in
from conftest import ROOT, SAMPLES

FIXTURES = ROOT / "tests/fixtures/html"


def _html(name):
    return extract((FIXTURES / name).read_bytes(), "text/html")


def test_credits_from_html_are_never_authors():
    page = _html("nytimes-3.html")
    assert [a.name for a in page.authors] == ["Corey Kilgannon"]
    credited = {c.name for c in page.credits}
    assert {"Chang W. Lee", "Kirsten Luce", "Michael Appleton"} <= credited
    assert not credited & {a.name for a in page.authors}


def test_nyt_print_information_json():
    page = _html("nytimes-3.html")
    assert (page.print.date, page.print.section, page.print.page, page.print.edition,
            page.print.headline) == ("2019-02-21", "A", "22", "New York",
                                     "Under the City’s Streets, A Battle Against Winter")
    assert page.print.raw.startswith("A version of this article appears in print on ,")
    assert page.reprint.offers == ["Order Reprints", "Today’s Paper", "Subscribe"]
    assert page.canonical_url.endswith("/2019/02/21/nyregion/winter-weather-manholes-pipes.html")


def test_saved_nyt_page_print_line_and_meta():
    page = extract((SAMPLES / "nytimes-saved-page.html").read_bytes(), "text/html")
    assert page.headline == "United States to Lift Sudan Sanctions"
    assert [a.name for a in page.authors] == ["Jeffrey Gettleman"]
    assert (page.print.date, page.print.page, page.print.edition) == ("2017-01-13", "7", "New York")
    assert page.reprint.rights == "© 2017 The New York Times Company"
    assert page.published.startswith("2017-01-13")


def test_washington_post_caption_credits_and_dates():
    page = _html("wapo-2.html")
    assert [a.name for a in page.authors] == ["Steven Mufson"]
    assert ("Thomas Coex", "AFP/Getty Images") in {(c.name, c.agency) for c in page.credits}
    assert page.published == "2015-03-18"
    assert page.publisher == {"name": "The Washington Post"}
    assert page.reprint.rights.startswith("© 1996-2015 The Washington Post")


def test_parsely_meta_tags():
    page = _html("parsely-metadata.html")
    assert page.headline == "Some Other Title"
    assert [a.name for a in page.authors] == ["Jane Doe"]
    assert page.published == "2024-04-20T04:20:00Z"


def test_staff_byline_is_not_a_person_and_broken_json_ld_is_a_warning():
    page = _html("telegraph.html")
    assert page.authors == []      # "Our Foreign Staff"
    assert page.headline.startswith("Zimbabwe coup: Robert Mugabe")
    assert any("JSON-LD" in w for w in page.extraction.warnings)
    assert {"name": "The Telegraph"} == page.publisher


def test_the_body_is_the_article_text_without_menus_or_comments():
    story = ["The river rose faster than anyone in the valley had expected on Tuesday, "
             "forcing hundreds of families to leave their homes before dawn.",
             "Emergency crews worked through the night to shore up the levee near the old "
             "mill, officials said, and most roads north of the town remained closed."]
    page = ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            "<article><h1>River floods the valley</h1>" + "".join(f"<p>{p}</p>" for p in story) +
            "</article><section id='comments' class='comments'><p>A reader wrote a long comment "
            "that is not part of the story at all, in full sentences.</p></section>"
            "<footer>© 2024 Valley Herald</footer></body></html>").encode()
    meta = extract(page, "text/html")
    assert meta.body.split("\n\n") == story
    assert meta.provenance["body"] == {"by": "extractor", "from": "the article text (trafilatura)"}


_FLOOD = ["The river rose faster than anyone in the valley had expected on Tuesday, "
          "forcing hundreds of families to leave their homes before dawn.",
          "Emergency crews worked through the night to shore up the levee near the old "
          "mill, officials said, and most roads north of the town remained closed.",
          "By noon the water had reached the steps of the town hall, where volunteers "
          "handed out blankets, bread and hot tea to anyone who came in from the rain."]


def _flood_page(aside: str = "") -> bytes:
    return ("<html><body><nav><a href='/'>Home</a></nav><article><h1>River floods the valley"
            "</h1><p>Weather desk</p><p>Barely a door was dry.</p>" +
            "".join(f"<p>{p}</p>" for p in _FLOOD) + "<div>Tuesday, March 4, 2024</div>"
            "<div>Photographs by Ann Lee and Bo Park for the Valley Herald</div></article>" +
            aside + "</body></html>").encode()


def test_what_trafilatura_keeps_beyond_the_densest_prose_is_not_the_body():
    # a kicker over the article, a dateline and a credits box under it go; a short
    # sentence leading into the prose stays
    body = extract(_flood_page(), "text/html").body.split("\n\n")
    assert body == ["Barely a door was dry.", *_FLOOD]


def test_the_body_is_cut_only_where_both_readings_agree_on_the_article():
    # the densest prose is a long aside trafilatura leaves out: nothing is cut
    other = ("Readers in the hills wrote to us all week about the new bus timetable, which "
             "many of them found confusing, and about the library's longer opening hours. ")
    menu = "<ul>" + "".join(f"<li><a href='/{n}'>Section {n}</a></li>" for n in range(30)) + "</ul>"
    aside = menu + "<aside>" + f"<p>{other * 3}</p>" * 6 + "</aside>"
    body = extract(_flood_page(aside), "text/html").body.split("\n\n")
    assert body[0] == "Weather desk" and body[-1].startswith("Photographs by Ann Lee")
    # paragraphs too short to compare one by one are left as they are
    assert html_reader._agreed(["a b c", "d e f"], ["a b c d e f"]) == ["a b c", "d e f"]


def _page(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def test_entities_are_decoded_once_wherever_the_title_was_declared():
    twice = _page("<meta property='og:title' content='Facebook&amp;#8217;s fix &amp;#039;now&amp;#039;'>", "")
    assert extract(twice, "text/html").headline == "Facebook’s fix 'now'"
    json_ld = _page('<script type="application/ld+json">{"@type": "NewsArticle", '
                    '"headline": "Q&amp;A: AT&T &lt;3"}</script>', "")
    assert extract(json_ld, "text/html").headline == "Q&A: AT&T <3"
    once = _page("<meta property='og:title' content='AT&amp;T &amp;c'>", "")
    assert extract(once, "text/html").headline == "AT&T &c"       # nothing left to decode


def test_the_headline_is_the_h1_a_reader_sees_not_the_declared_title():
    def headline(declared, h1):
        page = _page(f"<meta property='og:title' content=\"{declared}\">", f"<h1>{h1}</h1>")
        meta = extract(page, "text/html")
        return meta.headline, meta.provenance["headline"]["from"]
    # the site's name or a series after it
    assert headline("Quad Squad born in Utah | Watch News Videos Online",
                    "Quad Squad born in Utah") == ("Quad Squad born in Utah", "h1")
    # an SEO wording of the same story
    assert headline("How to watch the 21 best films of 2017",
                    "The 21 best movies of 2017") == ("The 21 best movies of 2017", "h1")
    # an h1 that runs into its dek, and a kicker the page shows: the declared one
    assert headline("I Wish Someone Had Told Me This", "I Wish Someone Had Told Me This A letter")[0] \
        == "I Wish Someone Had Told Me This"
    assert headline("Weihnachten: Die Redaktion zeigt ihre Sweater",
                    "Die Redaktion zeigt ihre Sweater")[0] == "Weihnachten: Die Redaktion zeigt ihre Sweater"
    # another story's h1 (a promo) changes nothing
    assert headline("River floods the valley tonight", "Sign up for the weekly newsletter") == (
        "River floods the valley tonight", "meta og:title")


def test_a_byline_printed_only_in_the_page_is_read_under_the_headline():
    page = _page("", "<div class='top'><h1>Getting LEAN with Digital Ad UX</h1>"
                     "<div>10.15.15</div><div>By Scott Cunningham</div></div>"
                     "<p>We messed up. As technologists, tasked with delivering content, we lost "
                     "track of the user experience.</p><div>Staff Writers Guild</div>")
    meta = extract(page, "text/html")
    assert [a.name for a in meta.authors] == ["Scott Cunningham"]
    assert meta.provenance["authors"]["from"] == "the page's text, under the headline"


_PROSE = ("We messed up. As technologists, tasked with delivering content, we lost track of "
          "the user experience and the readers noticed it every single day.")


def _article(printed: str, head: str = "") -> bytes:
    """A page with no author or date in its markup: only what it prints by the h1."""
    return _page(f"<title>Getting LEAN with Digital Ad UX</title>{head}",
                 "<nav><a href='/'>Home</a></nav><h1>Getting LEAN with Digital Ad UX</h1>"
                 f"{printed}<p>{_PROSE}</p><p>{_PROSE}</p>")


def test_a_byline_printed_away_from_the_headline_is_read_from_the_visible_page():
    # over the headline, a modal box between them
    page = _page("<title>Getting LEAN with Digital Ad UX</title>",
                 "<div>By Scott Cunningham</div><div>Menu</div><div>Close</div>"
                 "<div>Step 1: Like Us!</div><div>Share</div>"
                 f"<h1>Getting LEAN with Digital Ad UX</h1><p>{_PROSE}</p><p>{_PROSE}</p>")
    meta = extract(page, "text/html")
    assert [a.name for a in meta.authors] == ["Scott Cunningham"]
    assert meta.provenance["authors"]["from"] == "the page's visible text, by the headline"


def test_a_date_printed_by_the_headline_is_read_when_none_is_declared():
    meta = extract(_article("<div>Published December 16, 2014</div>"), "text/html")
    assert meta.published == "2014-12-16"
    assert meta.provenance["published"]["from"] == "the page's visible text, by the headline"


def test_a_byline_on_a_page_without_its_headline_is_not_taken():
    page = _page("<title>A story</title>", f"<p>{_PROSE}</p><div>By Scott Cunningham</div>"
                                           f"<div>Share</div><p>{_PROSE}</p>")
    assert extract(page, "text/html").authors == []


def test_the_visible_text_is_copied_as_a_browser_copies_it():
    page = html_reader.parse("<body><div><h1>Head</h1><div>10.15.15</div><div>By <b>A</b> B"
                             "</div></div><p>One.</p><div>Two</div></body>")
    assert html_reader._visible_text(page).strip() == "Head\n\n10.15.15\nBy A B\n\nOne.\n\nTwo"


def test_the_day_in_the_address_comes_before_a_date_printed_in_another_zone():
    # 'November 28 ... GMT' is the evening of the 27th where the story was published
    meta = extract(_article("<div>November 28, 2013 -- Updated 0203 GMT</div>",
                            "<link rel='canonical' href='https://example.com/2013/11/27/us/"
                            "storm/index.html'>"), "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2013-11-27", "the page's address")


def test_htmldate_reads_a_date_that_no_rule_of_ours_finds():
    page = _page("<title>Minecraft 1.8</title>", "<h1>Minecraft 1.8</h1><abbr class="
                 f"'published' title='2014-09-02T10:00:00'>Tuesday</abbr><p>{_PROSE}</p>")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == ("2014-09-02", "htmldate")


def test_any_schema_org_posting_is_the_article_and_a_user_name_is_no_author():
    page = _page('<script type="application/ld+json">{"@type": "SocialMediaPosting", '
                 '"datePublished": "2014-09-02T08:35:27-04:00", "author": "mcupdate", '
                 '"headline": "Minecraft 1.8 - The Bountiful Update"}</script>', "")
    meta = extract(page, "text/html")
    assert (meta.headline, meta.published) == ("Minecraft 1.8 - The Bountiful Update",
                                               "2014-09-02T08:35:27-04:00")
    assert meta.authors == []


def test_dublin_core_written_as_rdfa_is_read():
    page = _page("<meta property='dc:creator' content='Jane Doe'>"
                 "<meta property='dcterms:issued' content='2016-05-08'>", "")
    meta = extract(page, "text/html")
    assert ([a.name for a in meta.authors], meta.published) == (["Jane Doe"], "2016-05-08")
    assert meta.provenance["published"]["from"] == "meta dcterms.issued"


def test_a_post_quoted_under_the_article_is_no_byline():
    page = _page("<title>Getting LEAN with Digital Ad UX</title>",
                 f"<h1>Getting LEAN with Digital Ad UX</h1><p>{_PROSE}</p><p>{_PROSE}</p>"
                 f"<p>{_PROSE}</p><p>{_PROSE}</p><p>{_PROSE}</p><div>Live</div>"
                 f"<div>Laure de La Raudière</div><div>@lauredlr</div><p>{_PROSE}</p>")
    assert extract(page, "text/html").authors == []


def test_when_the_visible_text_cannot_be_read_the_markup_still_is(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("math domain error")
    monkeypatch.setattr(html_reader.text_reader, "extract", broken)
    meta = extract(_article("<div>Published December 16, 2014</div>"), "text/html")
    assert meta.headline == "Getting LEAN with Digital Ad UX" and meta.body
    assert "the page's visible text was not read: ValueError: math domain error" in \
        meta.extraction.warnings


def _declared(day: str, printed: str) -> bytes:
    return _article(f"<div>{printed}</div>",
                    f"<meta property='article:published_time' content='{day}'>")


def test_a_publication_date_printed_by_the_headline_wins_over_a_declared_one_days_apart():
    for printed in ("Published December 16, 2014", "On June 17, 2014 at 7:00 AM"):
        meta = extract(_declared("2015-01-02T16:00:31Z", printed), "text/html")
        shown = dates_in(printed)[0].day
        assert meta.published == shown
        assert meta.provenance["published"]["from"] == (
            "the page's visible text, by the headline "
            "(declared 2015-01-02T16:00:31Z in meta article:published_time)")


def test_a_declared_date_stays_when_the_printed_one_is_a_day_off_or_unlabelled():
    # a day apart: the same moment in two time zones; unlabelled: maybe the update's day
    for printed in ("Published December 16, 2014", "Friday 25 December 2015"):
        meta = extract(_declared("2014-12-17T01:15:00Z", printed), "text/html")
        assert meta.published == "2014-12-17T01:15:00Z"
        assert meta.provenance["published"]["from"] == "meta article:published_time"


def test_a_declared_time_keeps_the_publishers_day():
    # 20:15 in New York is 01:15 the next day in UTC: the story is of the 22nd
    meta = extract(_declared("2014-12-22T20:15:00-05:00", ""), "text/html")
    assert meta.published == "2014-12-22T20:15:00-05:00"
    assert extract(_declared("2014-12-23T01:15:00Z", ""), "text/html").published == \
        "2014-12-23T01:15:00Z"      # only UTC declared: nothing tells the local day


def test_declared_authors_are_people_roles_are_credits():
    people = ('[{"@type": "Person", "name": "Jane Doe, Staff Writer"}, '
              '{"@type": "Person", "name": "Photography by John Smith"}, '
              '{"@type": "Person", "name": "Produced by Ana Kova"}, '
              '{"@type": "Person", "name": "Letters to the Editor"}, '
              '{"@type": "Person", "name": "AFP"}, "Érica Silva"]')
    page = _page('<script type="application/ld+json">{"@type": "NewsArticle", '
                 f'"headline": "A story", "author": {people}}}</script>', "")
    meta = extract(page, "text/html")
    assert [a.name for a in meta.authors] == ["Jane Doe", "Érica Silva"]
    assert {(c.role, c.name) for c in meta.credits} == {("photograph", "John Smith"),
                                                         ("other", "Ana Kova")}


def test_a_page_whose_declared_author_is_a_section_reads_its_visible_byline():
    page = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                 '"Getting LEAN with Digital Ad UX", "author": {"@type": "Person", "name": '
                 '"Letters to the Editor"}}</script>',
                 "<h1>Getting LEAN with Digital Ad UX</h1><div class='byline'>By Scott "
                 f"Cunningham</div><p>{_PROSE}</p>")
    assert [a.name for a in extract(page, "text/html").authors] == ["Scott Cunningham"]


def test_the_articles_own_microdata_date_not_a_related_storys():
    related = ("<ul><li itemscope itemtype='https://schema.org/NewsArticle'>"
               "<meta itemprop='datePublished' content='2015-01-02T16:00:31Z'>Older</li></ul>")
    for article in ("<div itemscope itemtype='http://schema.org/NewsArticle'>{}<time "
                    "itemprop='datePublished' datetime='2014-12-23T09:45-05:00'>Dec 23</time>"
                    "</div>",
                    "<div vocab='http://schema.org/' typeof='NewsArticle'>{}<span "
                    "property='datePublished' content='2014-12-23T09:45-05:00'>Dec 23</span>"
                    "</div>"):
        meta = extract(_page(related, article.format(related)), "text/html")
        assert (meta.published, meta.provenance["published"]["from"]) == (
            "2014-12-23T09:45:00-05:00", "microdata datePublished")


def test_an_author_label_with_a_slash_is_a_byline():
    meta = extract(_article("<p>AUTHOR / Scott Cunningham</p>"), "text/html")
    assert [a.name for a in meta.authors] == ["Scott Cunningham"]


def test_a_time_declared_in_utc_takes_the_offset_another_source_declares():
    page = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A", '
                 '"datePublished": "2014-12-23T01:15:00Z"}</script>'
                 "<meta property='article:published_time' content='2014-12-22T20:15:00-05:00'>"
                 "<meta name='parsely-pub-date' content='2014-12-24T01:15:00Z'>", "")
    meta = extract(page, "text/html")
    assert (meta.published, meta.provenance["published"]["from"]) == (
        "2014-12-22T20:15:00-05:00", "meta article:published_time")


def test_every_author_marked_up_side_by_side_in_the_byline():
    page = _page("", "<h1>Tracking the 2016 Presidential Candidates</h1><span>By <a href='/a/dc' "
                     "rel='author'>David Catanese</a> and <a href='/a/lc' rel='author'>Lindsey "
                     f"Cook</a></span><p>{_PROSE}</p><aside><a rel='author'>Ann Other</a></aside>")
    assert [a.name for a in extract(page, "text/html").authors] == ["David Catanese",
                                                                    "Lindsey Cook"]


def test_a_byline_among_a_pictures_data_is_no_author_of_the_story():
    # the lead picture's data, over the headline, before the story's byline
    page = _page("", "<span class='photo-data'><span class='byline'>Foster Books</span></span>"
                     "<h1>Best books for young readers</h1><div class='byline'>By Joanna "
                     f"Connors</div><p>{_PROSE}</p>")
    meta = extract(page, "text/html")
    assert [a.name for a in meta.authors] == ["Joanna Connors"]


def test_json_ld_authors_given_as_references_in_a_graph_are_the_people_they_name():
    graph = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
             '{"@type": "NewsArticle", "headline": "Storm", "author": [{"@id": "#jane"}, '
             '{"@id": "#sam"}], "publisher": {"@id": "#org"}},'
             '{"@type": "Person", "@id": "#jane", "name": "Jane Doe"},'
             '{"@type": "Person", "@id": "#sam", "name": "Sam Lee"},'
             '{"@type": "Organization", "@id": "#org", "name": "Valley Herald"}]}</script>')
    meta = extract(_page(graph, ""), "text/html")
    assert [a.name for a in meta.authors] == ["Jane Doe", "Sam Lee"]
    assert meta.provenance["authors"]["from"] == "JSON-LD author"
    assert meta.publisher == {"name": "Valley Herald"}


def test_the_headline_is_found_in_the_visible_page_when_the_declared_title_adds_to_it():
    # the page shows the story's title without the site's name or kicker the declared one
    # adds, or runs it into a button; its printed date is read by it all the same
    shown = "Getting LEAN with Digital Ad UX"
    for declared, heading in ((f"{shown}: The Ad Blog: Ad Site", shown),
                              (f"Advertising: {shown}", shown),
                              (shown, f"{shown} Add to my reading list")):
        page = _page(f"<meta property='og:title' content='{declared}'>"
                     "<meta property='article:published_time' content='2009-09-02T00:00:00-04:00'>",
                     f"<nav><a href='/'>Home</a></nav><h2>{heading}</h2>"
                     f"<div>On June 17, 2014 at 7:00 AM</div><p>{_PROSE}</p><p>{_PROSE}</p>")
        meta = extract(page, "text/html")
        assert meta.published == "2014-06-17", declared
        assert meta.provenance["published"]["from"].startswith(
            "the page's visible text, by the headline")


def test_a_line_that_is_a_small_part_of_the_headline_is_not_it():
    folded = ["home", "ad site", "getting lean", "other story"]
    assert html_reader._headline_line(folded, "getting lean with digital ad ux: ad site") is None
    assert html_reader._headline_line(folded + ["getting lean with digital ad ux"],
                                      "getting lean with digital ad ux: ad site") == 4
