"""Metadata from saved web pages: credits, print lines, JSON-LD and meta tags of real publishers."""

from archivekit.extract import extract
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
