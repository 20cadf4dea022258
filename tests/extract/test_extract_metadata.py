"""The metadata model: the cataloguer's fields over the extracted ones, with provenance."""

import json

from archivekit.extract import extract
from archivekit.extract.metadata import (ClippingMetadata, DerivedReading, Extraction,
                                         PageReading, apply_catalog)
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


def test_the_stored_form_leaves_the_derived_readings_text_to_its_conversion_record():
    reading = DerivedReading(engine="tesseract", version="5", language="eng", sha256="0" * 64,
                             characters=5, pages=[PageReading(1, "ocr", 91, 5)], text="Hello")
    meta = ClippingMetadata(Extraction("ocr", "1"), headline="H", reading=reading)
    stored = meta.to_dict()
    assert "text" not in stored["reading"]
    assert stored["reading"]["pages"] == [{"page": 1, "method": "ocr", "confidence": 91,
                                           "characters": 5}]
    assert meta.reading.text == "Hello"              # the object itself keeps it
    assert json.loads(json.dumps(stored))["headline"] == "H"
    assert ClippingMetadata(Extraction("none", "1")).to_dict()["reading"] is None


def test_a_catalog_list_of_authors_and_a_publisher_are_taken_as_written_but_for_spaces():
    meta = ClippingMetadata(Extraction("text", "1"), publisher={"name": "Old", "url": "u"})
    assert meta.publisher_name == "Old"
    replaced = apply_catalog(meta, {"authors": ["  Ann   Lee ", "", "Bo Li and Cy Wu"],
                                    "author": "ignored", "publisher": " The  Paper "})
    assert replaced == ["authors", "publisher"]
    assert [a.name for a in meta.authors] == ["Ann Lee", "Bo Li and Cy Wu"]   # a list is not split
    assert meta.publisher == {"name": "The Paper"}
    assert meta.provenance["publisher"] == {"by": "cataloguer", "from": "catalog publisher"}
    assert ClippingMetadata(Extraction("none", "1")).publisher_name is None


def test_the_first_catalog_word_that_holds_a_value_wins():
    meta = ClippingMetadata(Extraction("text", "1"))
    apply_catalog(meta, {"title": "", "headline": "From headline", "date": "2020-01-02"})
    assert meta.headline == "From headline"
    assert meta.provenance["headline"]["from"] == "catalog headline"
    assert meta.provenance["published"]["from"] == "catalog date"
