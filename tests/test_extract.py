"""Clipping metadata from text and HTML, on the seed clipping, real pages and real lines."""

import json
import os
import time
from pathlib import Path

import pytest

from archivekit.extract import extract
from archivekit.extract import conventions
from archivekit.extract.names import split_byline
from conftest import SAMPLES, SEED, SEED_URL

FIXTURES = Path(__file__).parent / "fixtures/html"


def _html(name):
    return extract((FIXTURES / name).read_bytes(), "text/html")


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


def test_metadata_command_prints_the_same_json(cli):
    result = cli("metadata", SEED, "--url", SEED_URL, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == extract(
        SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL).to_dict()


def test_capture_stores_the_extracted_metadata(cli, tmp_path):
    result = cli("capture", SEED, "--url", SEED_URL, "--out", tmp_path)
    package = Path(result.stdout.strip())
    assert package.name.startswith("2023-12-28-nyt-chinese-spy-agency-rising")
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["metadata"]["print"]["page"] == "1"
    assert len(descriptor["metadata"]["authors"]) == 4


# --- print-edition lines of several publishers -------------------------------------------

@pytest.mark.parametrize("line,expected", [
    ("A version of this article appears in print on January 13, 2017, on Page A7 of the "
     "New York edition with the headline: Sanctions on Sudan Will Be Lifted.   Order Reprints",
     ("2017-01-13", "A", "7", "New York", "Sanctions on Sudan Will Be Lifted")),
    ("A version of this article appears in print on Dec. 28, 2023, Section A, Page 1 of the "
     "New York edition with the headline: Beijing-Washington Spy Competition Escalates.",
     ("2023-12-28", "A", "1", "New York", "Beijing-Washington Spy Competition Escalates")),
    ("A version of this article appears in print on March 3, 2024, Section A, Page 12 of the "
     "National edition with the headline: A Quiet Vote.",
     ("2024-03-03", "A", "12", "National", "A Quiet Vote")),
    ("A version of this article appears in print on Oct. 8, 2023, Page 30 of the Sunday "
     "Magazine with the headline: The Long Game.",
     ("2023-10-08", "Sunday Magazine", "30", None, "The Long Game")),
    # the empty-date variant, as nytimes-3 prints it
    ("A version of this article appears in print on , on Page A22 of the New York edition "
     "with the headline: Under the City’s Streets, A Battle Against Winter. Order Reprints",
     (None, "A", "22", "New York", "Under the City’s Streets, A Battle Against Winter")),
    ("Appeared in the November 1, 2025, print edition as 'Fed Holds Rates Steady'.",
     ("2025-11-01", None, None, None, "Fed Holds Rates Steady")),
    ("This article appeared in the Finance & economics section of the print edition under "
     "the headline \"Bitter pills\"",
     (None, "Finance & economics", None, None, "Bitter pills")),
])
def test_print_lines(line, expected):
    info, _publisher = conventions.print_line(line)
    assert (info.date, info.section, info.page, info.edition, info.headline) == expected


# --- credits ------------------------------------------------------------------------------

@pytest.mark.parametrize("caption,expected", [
    ("A Con Edison worker repairing underground cables this month in Flushing, Queens."
     "CreditCreditChang W. Lee/The New York Times",
     [("photograph", "Chang W. Lee", "The New York Times")]),
    ("Interest payments on the federal debt could surpass the Defense Department budget in "
     "2023.CreditCreditJeon Heon-Kyun/EPA, via Shutterstock",
     [("photograph", "Jeon Heon-Kyun", "EPA, via Shutterstock")]),
    ("United Nations peacekeepers at a refugee camp in Sudan on Monday. "
     "Credit Ashraf Shazly/Agence France-Presse — Getty Images",
     [("photograph", "Ashraf Shazly", "Agence France-Presse/Getty Images")]),
    ("Whale expert Hori Parata. Photograph: Adrian Malloch for the Guardian",
     [("photograph", "Adrian Malloch", "the Guardian")]),
    ("Protesters outside parliament. Photograph: Toby Melville/Reuters",
     [("photograph", "Toby Melville", "Reuters")]),
    ("Israeli Prime Minister Benjamin Netanyahu reacts as he visits the Western Wall in "
     "Jerusalem on March 18. (Thomas Coex/AFP/Getty Images)",
     [("photograph", "Thomas Coex", "AFP/Getty Images")]),
])
def test_caption_credits(caption, expected):
    role, text = conventions.credit_text(caption)
    assert [(c.role, c.name, c.agency) for c in conventions.parse_credits(text, role)] == expected


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


# --- bylines and wire lines -----------------------------------------------------------

@pytest.mark.parametrize("byline,expected", [
    ("By JOHN SMITH and MARY JONES", ["John Smith", "Mary Jones"]),
    ("By Anna Lee, Ben Ode and Carla Diaz", ["Anna Lee", "Ben Ode", "Carla Diaz"]),
    ("Edward WongJulian E. BarnesMuyi Xiao and", ["Edward Wong", "Julian E. Barnes", "Muyi Xiao"]),
    ("by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"]),
    ("By Ross McDonald", ["Ross McDonald"]),
    ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
     ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
])
def test_bylines(byline, expected):
    assert split_byline(byline) == expected


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


def test_ap_copyright_line():
    text = ("Storm closes schools across the region\n\nBy THE ASSOCIATED PRESS\n\n"
            "Schools closed on Monday as the storm moved east, officials said in a statement.\n\n"
            "Copyright 2024 The Associated Press. All rights reserved.\n")
    result = extract(text.encode(), "text/plain")
    assert result.reprint.rights == "Copyright 2024 The Associated Press. All rights reserved"
    assert result.authors == []


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("data,media_type", [
    (b"", "text/plain"),
    (os.urandom(100_000), "text/plain"),
    (os.urandom(100_000), "text/html"),
    ("CafÃ© sociÃ©tÃ© â€” mojibake all along\n".encode("utf-8") * 50, "text/plain"),
    (b"<html><body><nav>Home | About</nav></body></html>", "text/html"),
    (b"\x89PNG\r\n\x1a\n" + os.urandom(1000), "image/png"),
])
def test_bad_input_gives_warnings_not_exceptions(data, media_type):
    result = extract(data, media_type)
    assert result.extraction.warnings, result
    json.dumps(result.to_dict())   # always serialisable


def test_large_text_is_linear(tmp_path):
    """10x the input takes about 10x the time, not 100x (one pass per line)."""
    base = SEED.read_bytes()
    small, large = base * 200, base * 2000
    started = time.perf_counter()
    extract(small, "text/plain")
    small_time = time.perf_counter() - started
    started = time.perf_counter()
    result = extract(large, "text/plain")
    large_time = time.perf_counter() - started
    assert result.headline == "Chinese Spy Agency Rising to Challenge the C.I.A."
    assert large_time < 30 * max(small_time, 0.01)
