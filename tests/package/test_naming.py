"""Package ids (package/naming.py): the date it ran, the publisher, a few words of its
headline and the start of its sha256, readable and safe as a folder name and in a URL.
How capture names a real clipping is tests/package/test_build.py's."""

import hashlib
import re

from hypothesis import given, settings, strategies as st

from archivekit.extract.metadata import ClippingMetadata, Extraction, PrintInfo
from archivekit.package.naming import ID_PATTERN, package_id, slug

SHA = hashlib.sha256(b"a clipping").hexdigest()
CAPTURED = "2026-12-02T04:00:00Z"


def metadata(**fields) -> ClippingMetadata:
    return ClippingMetadata(extraction=Extraction("text", "1"), **fields)


def test_an_id_names_the_day_it_ran_its_publisher_its_headline_and_its_digest():
    made = package_id(metadata(headline="Council Passes the Budget", publisher={
        "name": "The Washington Post"}, published="2024-03-05T09:00:00-05:00"),
        SHA, CAPTURED, "clip.txt")
    assert made == "-".join(["2024-03-05", "wapo", slug("Council Passes the Budget"), SHA[:8]])
    assert "the" not in slug("Council Passes the Budget").split("-")


def test_the_print_date_comes_first_then_publication_then_capture():
    printed = PrintInfo(date="2024-03-06")
    assert package_id(metadata(print=printed, published="2024-03-05"), SHA, CAPTURED,
                      "x").startswith("2024-03-06-")
    assert package_id(metadata(published="2024-03-05"), SHA, CAPTURED, "x").startswith("2024-03-05-")
    assert package_id(metadata(published="March 2024"), SHA, CAPTURED, "x").startswith(CAPTURED[:10])


def test_without_a_headline_the_file_s_name_then_a_plain_word():
    assert package_id(metadata(), SHA, CAPTURED, "Storm report.txt") == \
        f"{CAPTURED[:10]}-{slug('Storm report.txt')}-{SHA[:8]}"
    assert package_id(metadata(headline="!!!"), SHA, CAPTURED, "Storm report.txt") == \
        f"{CAPTURED[:10]}-{slug('Storm report.txt')}-{SHA[:8]}"
    assert package_id(metadata(), SHA, CAPTURED, "???") == f"{CAPTURED[:10]}-clipping-{SHA[:8]}"


def test_a_slug_is_a_few_ascii_words_within_its_limit():
    assert slug("Café Société: Élan in Zürich") == "cafe-societe-elan-zurich"
    assert slug("Challenge the C.I.A.") == "challenge-cia"     # initials kept together
    assert slug("one two three four five six seven") == "one-two-three-four-five"
    assert slug("The Of And") == "the-of-and"            # stop words alone are kept
    cut = slug("extraordinarily long words overflowing", limit=16)   # cut at a dash
    assert cut and len(cut) <= 16 and not cut.endswith("-")


@settings(max_examples=200, deadline=None)
@given(headline=st.none() | st.text(max_size=300), publisher=st.none() | st.text(max_size=80),
       fallback=st.text(max_size=80), published=st.none() | st.text(max_size=30))
def test_any_clipping_gets_an_id_safe_as_a_folder_and_a_url(headline, publisher, fallback,
                                                            published):
    made = package_id(metadata(headline=headline, published=published,
                               publisher={"name": publisher} if publisher else None),
                      SHA, CAPTURED, fallback)
    assert ID_PATTERN.match(made) and made.endswith(SHA[:8])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", made[:10])
