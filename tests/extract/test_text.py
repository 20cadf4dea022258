"""Metadata from a text clipping: the seed clipping, wire lines, and linear time."""

import time

import pytest

from archivekit.extract import extract
from conftest import SEED, SEED_URL


@pytest.fixture(scope="module")
def seed():
    return extract(SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL)


def test_seed_headline_dek_and_publisher(seed):
    assert seed.headline == "Chinese Spy Agency Rising to Challenge the C.I.A."
    assert seed.description.startswith("The ambitious Ministry of State Security is deploying")
    assert seed.description.endswith("pilfer each other’s scientific secrets.")
    assert seed.publisher == {"name": "The New York Times"}
    assert seed.published == "2023-12-27"
    assert seed.language == "en"
    assert seed.extraction.method == "text" and seed.extraction.warnings == []


def test_seed_authors_from_the_run_together_byline_and_the_bios(seed):
    assert [a.name for a in seed.authors] == [
        "Edward Wong", "Julian E. Barnes", "Muyi Xiao", "Chris Buckley"]
    bios = {a.name: a.bio for a in seed.authors}
    assert bios["Edward Wong"].startswith("Edward Wong is a diplomatic correspondent")
    assert bios["Julian E. Barnes"].endswith("for more than two decades.")
    assert bios["Muyi Xiao"].startswith("Muyi Xiao is reporter on the Visual Investigations")
    assert bios["Chris Buckley"].startswith("Chris Buckley, the chief China correspondent")
    assert not any("More about" in (bio or "") for bio in bios.values())


def test_seed_credits_separate_roles_and_agencies(seed):
    assert [(c.role, c.name, c.agency) for c in seed.credits] == [
        ("illustration", "Chantal Jahchan", None),
        ("photograph", "Jim Wilson", "The New York Times"),
        ("photograph", "Qilai Shen", "The New York Times"),
        ("photograph", None, "Getty Images"),
        ("photograph", None, "Associated Press"),
    ]


def test_seed_print_reprint_and_comments(seed):
    assert (seed.print.date, seed.print.section, seed.print.page, seed.print.edition,
            seed.print.headline) == ("2023-12-28", "A", "1", "New York",
                                     "Beijing-Washington Spy Competition Escalates")
    assert seed.print.raw.startswith("A version of this article appears in print on Dec. 28")
    assert seed.reprint.raw == "Order Reprints | Today’s Paper | Subscribe"
    assert seed.reprint.offers == ["Order Reprints", "Today’s Paper", "Subscribe"]
    assert seed.comments == {"count": 185}


def test_seed_body_has_no_site_chrome(seed):
    body = seed.body
    assert body.startswith("The Chinese spies wanted more.")
    assert body.endswith("their technological advances.")
    for chrome in ("Skip to content", "Advertisement", "SKIP ADVERTISEMENT",
                   "Subscribe to The Times", "comments section is closed", "Comments 185",
                   "More about", "Order Reprints", "Credit..."):
        assert chrome not in body
    assert "Advertisement" in seed.boilerplate and "SKIP ADVERTISEMENT" in seed.boilerplate


def test_reuters_lines_in_a_text_clipping():
    text = ("Oil prices steady as supply fears ease\n\nBy Jane Doe\n\n"
            "LONDON (Reuters) - Oil prices held steady on Tuesday as traders weighed supply.\n\n"
            "Reporting by Jane Doe in London and Sam Roe in Singapore; Editing by Mark Potter\n\n"
            "© 2024 Reuters. All rights reserved.\n")
    result = extract(text.encode(), "text/plain; charset=utf-8")
    assert [a.name for a in result.authors] == ["Jane Doe", "Sam Roe"]
    assert ("other", "Mark Potter") in {(c.role, c.name) for c in result.credits}
    assert result.reprint.rights == "© 2024 Reuters. All rights reserved"
    assert "Reporting by" not in result.body


def test_additional_reporting_is_a_credit_not_an_author():
    """Contributors named after the story ('Additional reporting by') are not in its
    byline: they are kept as credits, and the byline's author alone is the author."""
    text = ("Oil prices steady as supply fears ease\n\nBy Jane Doe\n\n"
            "LONDON (Reuters) - Oil prices held steady on Tuesday as traders weighed supply.\n\n"
            "(Additional reporting by Sam Roe in Singapore and Ann Poe; Editing by Mark Potter)\n")
    result = extract(text.encode(), "text/plain; charset=utf-8")
    assert [a.name for a in result.authors] == ["Jane Doe"]
    assert {(c.name, c.raw) for c in result.credits} == {
        ("Sam Roe", "Additional reporting by Sam Roe in Singapore and Ann Poe"),
        ("Ann Poe", "Additional reporting by Sam Roe in Singapore and Ann Poe"),
        ("Mark Potter", "Editing by Mark Potter")}


def test_ap_copyright_line():
    text = ("Storm closes schools across the region\n\nBy THE ASSOCIATED PRESS\n\n"
            "Schools closed on Monday as the storm moved east, officials said in a statement.\n\n"
            "Copyright 2024 The Associated Press. All rights reserved.\n")
    result = extract(text.encode(), "text/plain")
    assert result.reprint.rights == "Copyright 2024 The Associated Press. All rights reserved"
    assert result.authors == []


def test_large_text_is_linear(tmp_path):
    """10x the input takes about 10x the time, not 100x (one pass per line). CPU time of
    this process, not wall time: other work on a shared machine does not count."""
    base = SEED.read_bytes()
    small, large = base * 200, base * 2000
    started = time.process_time()
    extract(small, "text/plain")
    small_time = time.process_time() - started
    started = time.process_time()
    result = extract(large, "text/plain")
    large_time = time.process_time() - started
    assert result.headline == "Chinese Spy Agency Rising to Challenge the C.I.A."
    assert large_time < 30 * max(small_time, 0.01)
