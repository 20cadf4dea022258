"""The metadata model: the cataloguer's fields over the extracted ones, with provenance."""

from archivekit.extract import extract
from archivekit.extract.metadata import apply_catalog
from conftest import SEED, SEED_URL


def test_catalog_fields_replace_extraction_and_say_so():
    meta = extract(SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL)
    assert meta.provenance["headline"] == {"by": "extractor", "from": "text line 4"}
    replaced = apply_catalog(meta, {"title": "  A   Title ", "author": "By Ann Lee and Bo Li",
                                    "published": "2023-12-28", "subjects": ["x"]})
    assert replaced == ["headline", "authors", "published"]
    assert meta.headline == "A Title"
    assert [a.name for a in meta.authors] == ["Ann Lee", "Bo Li"]
    assert meta.published == "2023-12-28"
    assert meta.provenance["authors"] == {"by": "cataloguer", "from": "catalog author"}
    assert meta.publisher == {"name": "The New York Times"}      # not in the catalog: kept
    assert meta.provenance["publisher"]["by"] == "extractor"


def test_empty_catalog_values_change_nothing():
    meta = extract(SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL)
    assert apply_catalog(meta, {"title": "", "authors": [], "date": None}) == []
    assert meta.headline == "Chinese Spy Agency Rising to Challenge the C.I.A."


def test_html_provenance_names_the_structured_source():
    page = (b"<html><head><meta property='og:title' content='Declared title'>"
            b"<script type='application/ld+json'>{\"@type\": \"NewsArticle\", "
            b"\"datePublished\": \"2024-03-04T10:00:00Z\"}</script></head>"
            b"<body><h1>Declared title</h1></body></html>")
    meta = extract(page, "text/html")
    assert meta.provenance["headline"] == {"by": "extractor", "from": "meta og:title"}
    assert meta.provenance["published"] == {"by": "extractor", "from": "JSON-LD datePublished"}
