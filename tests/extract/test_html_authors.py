"""Who wrote an HTML page's article: every source of its authors, weighed by agreement."""

import lxml.html
from hypothesis import given, strategies as st

from archivekit.extract import extract
from archivekit.extract.html_authors import (DECLARED, MARKED, PRINTED, Named, choose, declared,
                                             marked_up, person, settled, site_names)

_PROSE = ("We messed up. As technologists, tasked with delivering content, we lost track of "
          "the user experience and the readers noticed it every single day.")
_MORE = ["The library will keep the depot's name, and a tram will stand in the entrance hall "
         "for children to climb on, the architects said.",
         "Residents who opposed the plan said the money would be better spent on the branch "
         "libraries that closed last year in the outer districts.",
         "The council will publish the full plans next month and invite comments from "
         "residents until the end of the summer."]


def _page(head: str, body: str) -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


def _authors(page: bytes) -> list[str]:
    return [a.name for a in extract(page, "text/html").authors]


def test_a_teasers_marked_up_byline_loses_to_the_name_declared_and_printed_by_the_headline():
    # a box of other stories (no class that says so) before the article: its byline is the
    # first the markup marks; the meta author and the 'By' line under the headline agree
    teasers = ("<div class='module'><h3>Clive Palmer is back</h3><em class='byline'>JOE "
               "HILDEBRAND</em></div>")
    page = _page("<meta name='author' content='Laurie Oakes'>",
                 f"{teasers}<h1>Budget cuts bite hard in the bush</h1>"
                 f"<p>By Laurie Oakes</p><p>{_PROSE}</p><p>{_PROSE}</p>")
    meta = extract(page, "text/html")
    assert [a.name for a in meta.authors] == ["Laurie Oakes"]
    assert meta.provenance["authors"]["from"] == "meta author"


def test_without_agreement_the_most_trusted_source_wins():
    page = _page("<meta name='author' content='Nadia Mendoza'>",
                 "<h1>Budget cuts bite hard in the bush</h1><div class='byline'>By Helen Wood"
                 f"</div><p>{_PROSE}</p>")
    assert _authors(page) == ["Helen Wood"]     # the marked byline, before meta author


def test_agreeing_sources_give_all_their_names_each_person_once():
    # JSON-LD names one of the two writers; the byline both, one in capitals without
    # his middle initial: the same person once, as the most trusted source writes him
    page = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                 '"Spies rising", "author": {"@type": "Person", "name": "Julian E. Barnes"}}'
                 "</script>", "<h1>Spies rising</h1><div class='byline'>By JULIAN BARNES and "
                 f"Edward Wong</div><p>{_PROSE}</p>")
    assert _authors(page) == ["Julian E. Barnes", "Edward Wong"]


def test_the_sites_own_name_given_as_the_author_is_no_person():
    page = _page('<meta property="og:site_name" content="Rolling Stone">'
                 '<link rel="canonical" href="https://www.rollingstone.com/music/a-story">'
                 '<script type="application/ld+json">{"@type": "NewsArticle", "headline": '
                 '"A story", "author": "Rolling Stone"}</script>', f"<p>{_PROSE}</p>")
    assert _authors(page) == []
    # the name in the address, when the page gives no site name
    page = _page('<link rel="canonical" href="https://www.lemonde.fr/pixels/a-story.html">'
                 '<meta name="author" content="Le Monde">', f"<p>{_PROSE}</p>")
    assert _authors(page) == []


def test_a_name_declared_surname_first_is_read_in_a_bylines_order():
    page = _page("<meta name='citation_author' content='Doe, Jane'>", f"<p>{_PROSE}</p>")
    assert _authors(page) == ["Jane Doe"]
    assert declared({}, {"author": "SMITH, John A."}, {}, [])[0].names == ("John A. Smith",)
    # a name and a role stay as they were read: the role goes
    assert declared({}, {"author": "Jane Doe, Staff Writer"}, {}, [])[0].names == ("Jane Doe",)


def test_a_marked_up_byline_with_a_colon_after_by():
    doc = lxml.html.document_fromstring("<ul><li class='byline'>by: \t Laurie Oakes</li></ul>")
    assert marked_up(doc) == ["Laurie Oakes"]


def test_an_author_box_in_the_articles_own_aside_is_its_byline():
    doc = lxml.html.document_fromstring(
        "<article><h1>Die Redaktion zeigt ihre Sweater</h1><p>Text</p><aside><section "
        "class='widget author'><p class='author'>von Hella Schneider</p></section></aside>"
        "</article><aside><p class='author'>von John Roe</p></aside>")
    assert marked_up(doc) == ["Hella Schneider"]


def test_one_person_however_the_name_is_written():
    assert person("JULIAN E. BARNES") == person("Julian Barnes") == person("Julián Barnes")
    assert person("Jane Doe") != person("Jane Roe")
    assert person("12 34") is None


def test_sources_of_one_kind_confirm_nothing_two_kinds_do():
    meta = Named("meta author", ("Jane Doe",))
    json_ld = Named("JSON-LD author", ("Sam Lee",))
    assert choose([json_ld, meta, Named("parsely metadata", ("Jane Doe",))]) == json_ld
    printed = Named("printed", ("Jane Doe",), PRINTED)
    assert choose([json_ld, meta, printed]).names == ("Jane Doe",)
    assert not settled([json_ld, meta]) and settled([json_ld, meta, printed])
    assert settled([meta, Named("marked", ("JANE DOE", "Sam Lee"), MARKED)])
    # the site's name is no witness: a source that gives only it leaves the doubt
    site = Named("printed", ("Le Monde",), PRINTED)
    assert settled([site]) and not settled([site], ("Le Monde",)) and not settled([])


def test_a_byline_that_gives_the_sites_name_does_not_stop_the_search():
    # 'Le Monde |' under the headline reads as a line of names beside a date; the byline
    # further down is the article's
    page = _page('<meta property="og:site_name" content="Le Monde">',
                 "<h1>Le projet de loi sur le renseignement approuvé</h1><p>Le Monde |</p>"
                 "<p>04.05.2015 à 13h36</p><p>• Mis à jour le</p><p>05.05.2015 à 20h13</p>"
                 "<p>|  Par Martin Untersinger (avec Damien Leloup)</p>"
                 f"<p>{_PROSE}</p><p>{_MORE[0]}</p><p>{_MORE[1]}</p>")
    assert _authors(page) == ["Martin Untersinger", "Damien Leloup"]


def test_site_names_come_from_the_publisher_the_page_and_its_address():
    assert site_names("The Times", {"og:site_name": "The Times & Sunday Times"},
                      "https://www.thetimes.co.uk/article/x") == (
        "The Times", "The Times & Sunday Times", "thetimes")
    assert site_names(None, {}, None) == ()


_NAMES = st.lists(st.sampled_from(["Jane Doe", "JANE DOE", "Sam Lee", "Ann Other", "Le Monde",
                                   "x", "", "Doe, Jane"]), max_size=3).map(tuple)
_SOURCES = st.lists(st.builds(Named, st.sampled_from(["a", "b", "c"]), _NAMES,
                              st.sampled_from([DECLARED, MARKED, PRINTED])), max_size=6)


@given(_SOURCES, st.lists(st.sampled_from(["Le Monde", "lemonde", ""]), max_size=2).map(tuple))
def test_the_choice_names_only_what_some_source_gave_each_person_once(found, site):
    chosen = choose(found, site)
    site_named = any(site)     # 'Le Monde' is then the site, no person
    if chosen is None:
        assert not any(person(n) and not (site_named and n == "Le Monde")
                       for f in found for n in f.names)
        return
    given_names = {n for f in found for n in f.names}
    assert set(chosen.names) <= given_names
    assert not (site_named and "Le Monde" in chosen.names)
    assert len({person(n) for n in chosen.names}) == len(chosen.names)
    assert chosen.source in {f.source for f in found}


@given(st.text(max_size=60))
def test_any_declared_author_is_read_without_raising(value):
    for named in declared({"author": value}, {"author": value, "citation_author": value},
                          {"author": value}, []):
        assert all(isinstance(n, str) for n in named.names)
    person(value)


def test_long_lines_are_read_in_linear_time():
    for line in ("a" * 80_000, "a," * 40_000, "Doe, " + "Jane " * 16_000):
        declared({}, {"author": line, "citation_author": line}, {}, [])
        person(line)


def _printed_only(article: list[str], after: str) -> bytes:
    """A page that neither declares nor marks up its author: only what it prints."""
    paragraphs = "".join(f"<p>{p}</p>" for p in article)
    return _page("", "<ul><li>Home</li><li>News</li></ul><h1>Old tram depot to become the "
                 f"city's new library</h1><p>Share Tweet</p>{paragraphs}{after}")


def test_an_author_box_printed_under_the_article_when_nothing_else_names_the_author():
    box = ("<p>You Might Also Like</p><p>Categories</p><p>Main, Libraries, Trams</p>"
           "<p>12.24.14 9:00AM</p><p>Jane Doe</p><ul><li>Renovation Diaries</li>"
           "<li>Tours</li></ul>")
    assert _authors(_printed_only([_PROSE, *_MORE], box)) == ["Jane Doe"]
    # a post quoted inside the article, far from the headline, names no author of it
    post = "<p>Sam Lee</p><p>@samlee</p><p>What a night in the chamber, we won the vote!</p>"
    article = [_PROSE, *_MORE, _PROSE.replace("We", "They"), *_MORE] * 2
    page = _printed_only(article[:8], post + "".join(f"<p>{p}</p>" for p in article[8:]))
    assert _authors(page) == []


def test_a_printed_byline_whose_dates_label_stands_on_its_own_line():
    # no markup says it is a byline: the name, the publication, 'Published' and the date
    # each in a block of their own, under a headline that runs into a button
    page = _page('<meta property="og:title" content="Oil prices and rates: what to watch">',
                 "<ul><li>Home</li><li>Business</li><li>Markets</li></ul>"
                 "<p>Interest rates are expected to stay low in the new year. (Jo Wu)</p>"
                 "<h1>Oil prices and rates: what to watch <span>Add to ...</span></h1>"
                 "<div>Jane Doe</div><div>The Valley Courier</div><div>Published</div>"
                 "<div>Monday, Dec. 29 2014, 6:00 PM EST</div><div>Comments</div>"
                 f"<p>{_PROSE}</p><p>{_MORE[0]}</p><p>{_MORE[1]}</p>")
    assert _authors(page) == ["Jane Doe"]


def test_a_by_line_that_signs_off_the_article():
    article = [_PROSE, *_MORE, _PROSE.replace("We", "They"), *_MORE]
    signed = _printed_only(article, "<p>-- By Jane Doe Follow @janedoe</p><p>View Comments</p>"
                                    f"<p>{_MORE[2]}</p><p>Related Stories</p>")
    assert _authors(signed) == ["Jane Doe"]
    # a line of names alone there is a post's, not a sign-off
    post = _printed_only(article, "<p>Sam Lee</p><p>@samlee</p><p>View Comments</p>"
                                  f"<p>{_MORE[2]}</p><p>Related Stories</p>")
    assert _authors(post) == []


def test_a_declared_author_the_page_credits_for_its_pictures_is_no_author():
    def authors(under_headline: str) -> list[str]:
        return _authors(_page("<meta name='author' content='Sam Lee'>",
                              f"<h1>Going gray this fall</h1><p>{_MORE[0]}</p>"
                              f"{under_headline}<p>{_PROSE}</p><p>{_MORE[1]}</p>"))
    assert authors("<p>Photographs by Sam Lee</p>") == []
    # a byline the page prints names the photographer as its writer too
    assert authors("<p>By Sam Lee</p><p>Photographs by Sam Lee</p>") == ["Sam Lee"]
    assert authors("") == ["Sam Lee"]
