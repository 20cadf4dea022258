"""What a page declares about itself: JSON-LD, microdata and RDFa, meta tags, the NYT's
print information, parsely; read leniently, every value as a reader would see it, and
any script content read or warned about, never raised."""

import json

import lxml.html
import pytest
from hypothesis import given, strategies as st

from archivekit.extract import structured


def doc(html: str):
    return lxml.html.document_fromstring(html)


def ld(*blocks: str) -> str:
    return "".join(f"<script type='application/ld+json'>{b}</script>" for b in blocks)


def test_the_article_is_taken_before_a_web_page_from_lists_graphs_and_comments():
    page = doc("<html><head>" + ld(
        '{"@type": "WebPage", "name": "the page"}',
        '<!-- [{"@type": "Organization"}, {"@graph": [{"@type": ["ReportageNewsArticle"], '
        '"headline": "the story"}]}] -->') + "</head></html>")
    warnings = []
    assert structured.json_ld_article(page, warnings)["headline"] == "the story"
    assert warnings == []
    only_page = doc(ld('{"@type": "WebPage", "name": "p"};'))
    assert structured.json_ld_article(only_page, [])["name"] == "p"
    posting = doc(ld('{"@type": "SocialMediaPosting", "headline": "post"}',
                     '{"@type": "NewsArticle", "headline": "later"}'))
    assert structured.json_ld_article(posting, [])["headline"] == "post"       # the first wins


def test_broken_json_ld_is_a_warning_and_cdata_and_raw_newlines_are_read():
    warnings = []
    page = doc(ld('{"@type": "NewsArticle", "headline": ', '<![CDATA[{"@type": "Article", '
                  '"headline": "line\none"}]]>'))
    assert structured.json_ld_article(page, warnings)["headline"] == "line\none"
    assert len(warnings) == 1 and warnings[0].startswith("JSON-LD block not parsed: ")
    assert structured.json_ld_article(doc("<p>no data</p>"), []) is None


XML_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t"),
                   max_size=200)                          # what lxml lets a script hold


@given(XML_TEXT | st.recursive(
    st.none() | st.text(max_size=10) | st.sampled_from(["NewsArticle", "WebPage", "Article"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["@type", "@graph", "headline", "author"]), inner, max_size=3),
    max_leaves=10).map(lambda v: json.dumps(v, ensure_ascii=True)))
def test_any_script_content_is_read_or_warned_about(content):
    page = doc("<html><head><script type='application/ld+json'></script></head></html>")
    page.xpath("//script")[0].text = content
    warnings = []
    article = structured.json_ld_article(page, warnings)
    assert article is None or isinstance(article, dict)
    assert isinstance(structured.is_collection_page(page), bool)


def test_a_collection_page_is_known_by_its_declared_type():
    assert structured.is_collection_page(doc(ld('{"@graph": [{"@type": "ItemList"}]}')))
    assert not structured.is_collection_page(doc(ld('{"@type": "NewsArticle"}')))
    # a site's WebSite node (its search box) on a story's page: the story's og:type says
    website = ld('{"@type": "WebSite", "potentialAction": {"@type": "SearchAction"}}')
    og_type = '<meta property="og:type" content="{}">'.format
    assert structured.is_collection_page(doc(website))
    assert structured.is_collection_page(doc(website + og_type("website")))
    assert not structured.is_collection_page(doc(website + og_type("blog")))
    assert not structured.is_collection_page(doc(website + og_type("article")))


def test_the_articles_own_microdata_date_not_a_listed_storys():
    page = doc("""<html><body>
      <ul><li itemscope itemtype="https://schema.org/NewsArticle">
        <time itemprop="datePublished" datetime="2020-01-01">old</time></li></ul>
      <div itemscope itemtype="http://schema.org/NewsArticle"><h1>Story</h1>
        <div itemscope itemtype="https://schema.org/Person">
          <meta itemprop="datePublished" content="1999-09-09"></div>
        <span itemprop="datePublished"> 2024-03-04 </span></div></body></html>""")
    assert structured.microdata_published(page) == "2024-03-04"
    rdfa = doc("<div typeof='schema:BlogPosting'><meta property='schema:datePublished' "
               "content='2023-05-06T10:00:00Z'></div>")
    assert structured.microdata_published(rdfa) == "2023-05-06T10:00:00Z"
    assert structured.microdata_published(doc("<p>none</p>")) is None


def test_without_a_headline_the_article_is_the_first_item_not_in_a_list():
    item = ("<div itemscope itemtype='https://schema.org/NewsArticle'>{}"
            "<meta itemprop='datePublished' content='{}'></div>")
    listed = "<aside>" + item.format("", "2020-01-01") + "</aside>"
    assert structured.microdata_published(doc(
        listed + item.format("", "2024-03-04") + item.format("", "2025-01-01"))) == "2024-03-04"
    assert structured.microdata_published(doc(
        item.format("<h1>Story</h1>", "2024-03-04") + item.format("", "2025-01-01"))) == "2024-03-04"


def test_meta_tags_first_occurrence_lower_cased_with_dublin_core_as_in_html():
    page = doc("""<head><meta property="OG:Title" content=" First   title ">
        <meta name="og:title" content="second"><meta name="dcterms:issued" content="2024">
        <meta itemprop="author" content="Ann"><meta name="empty" content="  ">
        <meta content="no key"></head>""")
    assert structured.meta_tags(page) == {"og:title": "First title", "dcterms.issued": "2024",
                                          "author": "Ann"}


def test_the_nyt_print_information_is_found_in_its_page_data():
    page = doc("""<script>window.__preloadedData = {"a": {"__typename": "PrintInformation",
        "page": "1", "section": "A", "publicationDate": "2023-12-28"}, "b": {"__typename":
        "PrintInformation", "page": null}};</script>""")
    assert structured.nyt_print_information(page)["section"] == "A"
    empty = doc('<script>{"__typename": "PrintInformation", "page": null}'
                '{"__typename": "PrintInformation", "page": "2",}</script>')
    assert structured.nyt_print_information(empty) is None


def test_parsely_metadata_is_read_or_warned_about():
    warnings = []
    assert structured.parsely_metadata({"parsely-page": '{"author": "Ann"}'}, warnings) == \
        {"author": "Ann"}
    assert structured.parsely_metadata({"parsely-metadata": "[1]"}, warnings) == {}
    assert structured.parsely_metadata({"parsely-page": "{bad"}, warnings) == {}
    assert structured.parsely_metadata({}, warnings) == {}
    assert warnings == ["parsely metadata not parsed"]


@pytest.mark.parametrize("value, names", [
    ({"@type": "Person", "name": "Ann Lee"}, ["Ann Lee"]),
    ([{"name": "Ann Lee"}, "Bo Li", {"@type": "Organization", "name": "Staff"}], ["Ann Lee", "Bo Li"]),
    ("mcupdate", []), ("@jdoe", []), ("https://site.example/author/jdoe", []),
    ("www.site.example", []), ("Jane Doe", ["Jane Doe"]), (None, []), (7, []),
])
def test_authors_are_people_not_organisations_user_names_or_addresses(value, names):
    assert structured.people(value) == names


@pytest.mark.parametrize("value, text", [
    ("Don&#8217;t  stop", "Don’t stop"), ("&amp;#039;quoted&amp;#039;", "&#039;quoted&#039;"),
    ("Tom &amp; Jerry", "Tom & Jerry"), ("AT&T", "AT&T"),
    ("AT&T &copy 2024", "AT&T &copy 2024"),         # no ';': words, not an entity
    (["first", "second"], "first"), ([], None), ({"name": "Section"}, "Section"),
    ({"@id": "https://x/"}, "https://x/"), ("   ", None), (5, None),
])
def test_a_declared_value_reads_as_a_reader_sees_it_decoded_once(value, text):
    assert structured.text_of(value) == text
