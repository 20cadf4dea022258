"""Dates as news pages print them: every printed form, the page's habits, which date is
the publication date."""

import json
import re
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.dates import get_month_names
from hypothesis import given, settings, strategies as st

from archivekit.extract import dates, extract
from archivekit.extract.dates import Reading, date_alone, dates_in, human_date, numeric_order

PARAGRAPH = ("The river rose faster than anyone in the valley had expected on Tuesday, forcing "
             "hundreds of families to leave their homes before dawn.")
ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = json.loads((ROOT / "archivekit/extract/month-names.json").read_text())["languages"]
YEAR_2014 = Reading(year=2014)


@pytest.mark.parametrize("printed, day", [
    ("December 3, 2014", "2014-12-03"),
    ("Dec. 3rd, 2014", "2014-12-03"),
    ("Sept. 17th 2014", "2014-09-17"),
    ("Nov, 29, 2016", "2016-11-29"),
    ("March 18,2015", "2015-03-18"),
    ("28 December 2014", "2014-12-28"),
    ("21.dez.2018", "2018-12-21"),                 # Portuguese
    ("3 déc. 2018", "2018-12-03"),                 # French, abbreviated
    ("1er décembre 2018", "2018-12-01"),
    ("30 avril 2018", "2018-04-30"),
    ("1 de diciembre de 2018", "2018-12-01"),      # Spanish
    ("12 dic 2018", "2018-12-12"),
    ("17. März 2018", "2018-03-17"),               # German
    ("17 Mär 2018", "2018-03-17"),
    ("5 de março de 2019", "2019-03-05"),          # Portuguese
    ("3 maart 2019", "2019-03-03"),                # Dutch
    ("12 ottobre 2019", "2019-10-12"),             # Italian
    ("3 декабря 2014 г.", "2014-12-03"),           # Russian
    ("3. joulukuuta 2014", "2014-12-03"),          # Finnish
    ("3 Δεκεμβρίου 2014", "2014-12-03"),           # Greek
    ("3 d’abril de 2014", "2014-04-03"),           # Catalan
    ("21-Dec-2018", "2018-12-21"),
    ("14 January '15, 11:57pm", "2015-01-14"),
    ("FinanceOctober 3, 2014", "2014-10-03"),      # glued to a section label
    ("Associated PressDecember 2, 2016", "2016-12-02"),
    ("12.16.14", "2014-12-16"),                    # US month.day.year, two-digit year
    ("By Jason Tabrys • 12.29.14", "2014-12-29"),
    ("16/12/2014", "2014-12-16"),                  # day over 12: one reading only
    ("2014-12-16", "2014-12-16"),
    ("2014-09-30T14:34:55Z", "2014-09-30"),
    ("2018年12月21日", "2018-12-21"),
    ("1.1.99", "1999-01-01"),                      # %y: 69-99 are the 1900s
])
def test_printed_forms(printed, day):
    assert [found.day for found in dates_in(printed)] == [day]
    assert human_date(printed) == day


@pytest.mark.parametrize("text", [
    "set 3 times", "Page 3 of 12", "3 hours ago", "10.5.2", "1234-56-78", "call 555-12-34",
    "14 min read", "version 2.0.1", "in 2014", "the 3 of them",
    "2 May",                                       # no year, and the page gives none
    "13.13.14",                                    # no month 13 either way
])
def test_what_is_no_date(text):
    assert dates_in(text) == []


@pytest.mark.parametrize("order, day", [("mdy", "2014-05-06"), ("dmy", "2014-06-05")])
def test_an_ambiguous_numeric_date_reads_in_the_pages_order(order, day):
    assert human_date("05.06.14", Reading(order)) == day
    # a day over 12 reads one way, whatever the page's habit
    assert human_date("29.12.14", Reading(order)) == "2014-12-29"
    assert human_date("12.29.14", Reading(order)) == "2014-12-29"


@pytest.mark.parametrize("lines, language, url, order", [
    (["Posted 12.29.14"], "de", "https://example.de/", "mdy"),    # the page's own dates first
    (["Posted 29.12.14"], None, "https://example.com/", "dmy"),
    ([], None, "https://www.bbc.co.uk/news/1", "dmy"),             # then the country
    ([], "en", "https://example.us/", "mdy"),
    ([], "en", "https://example.io/", "mdy"),                      # .io names no country
    ([], "fr", None, "dmy"),                                       # then the language
    ([], "en", None, "mdy"),
    ([], None, None, "mdy"),
])
def test_a_pages_numeric_order(lines, language, url, order):
    assert numeric_order(lines, language, url) == order


def test_a_date_without_a_year_takes_the_pages_year_and_says_so():
    assert dates_in("By Jane DoeDecember 3", YEAR_2014) == [(11, 21, "2014-12-03", True)]
    assert dates_in("By Jane DoeDecember 3") == []
    assert human_date("By Erin Cunningham March 18 at 3:57 PM", YEAR_2014) == "2014-03-18"
    # a time is no day: 'Tuesday 4 March 12:00' is the 4th
    assert human_date("Tuesday 4 March 12:00", YEAR_2014) == "2014-03-04"
    # Medium glues the reading time to the day: 'Mar 17' and '14 min'
    assert human_date("on Mar 1714 min", YEAR_2014) == "2014-03-17"
    # an abbreviation that is also a word needs a year beside it
    assert dates_in("set 3 times", YEAR_2014) == [] and human_date("3 set 2014") == "2014-09-03"


def test_a_date_without_a_year_is_not_after_the_capture():
    reading = Reading(year=2015, latest="2015-01-02")
    assert human_date("December 30", reading) == "2014-12-30"
    assert human_date("January 1", reading) == "2015-01-01"


def test_page_year():
    captured = datetime(2015, 3, 18, tzinfo=timezone.utc)
    assert dates.page_year([], captured)[0] == 2015
    assert dates.page_year(["© 1996-2015 The Washington Post"]) == (
        2015, "the page's copyright line")
    assert dates.page_year(["Copyright 2001 - 2015 The Next Web, Inc."])[0] == 2015
    assert dates.page_year(["In 2015 the river rose."]) is None
    # the day in the address is the publisher's: an old story captured today is of its year
    assert dates.page_year(["© 2026 The Herald"], datetime(2026, 12, 2, tzinfo=timezone.utc),
                           "https://herald.example/2015/03/17/story.html") == (
        2015, "the page's address")


@pytest.mark.parametrize("line, alone", [
    ("28 December 2014", True),
    ("12.28.14   1:00PM", True),
    ("Published: Tuesday, Dec. 3, 2014 at 9:00 AM EST", True),
    ("Tuesday, September 24, 2013 at 2:30 PM **Telephonic", False),
    ("By Jane Doe December 3, 2014", False),
    ("December 3, 2014 - December 5, 2014", False),
])
def test_a_line_that_is_a_date_alone(line, alone):
    assert bool(date_alone(line)) is alone


def test_the_month_names_file_is_what_cldr_says():
    checked = subprocess.run([sys.executable, str(ROOT / "scripts/month_names.py"), "--check"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_month_names_name_one_month_in_every_language():
    seen = {}
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", language).items():
                name = re.sub(r"^(?:de |d’)", "", name)
                if name == "ag.":
                    continue     # Catalan's August: two letters tell no month
                assert dates.month_number(name) == number, (language, name)
                assert seen.setdefault(dates.month_key(name), number) == number, (language, name)


NOW = datetime(2024, 3, 5, 1, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("printed, day, words", [
    ("Updated 3 hours ago", "2024-03-04", "3 hours ago"),
    ("52m ago in Gadgetry", "2024-03-05", "52m ago"),
    ("an hour ago", "2024-03-05", "an hour ago"),
    ("5 d ago", "2024-02-29", "5 d ago"),
    ("Publicado hace 2 días", "2024-03-03", "hace 2 días"),
    ("il y a 3 heures", "2024-03-04", "il y a 3 heures"),
    ("vor einer Stunde", "2024-03-05", "vor einer Stunde"),
    ("há 2 horas", "2024-03-04", "há 2 horas"),
    ("Pubblicato 2 giorni fa", "2024-03-03", "2 giorni fa"),
    ("3 uur geleden", "2024-03-04", "3 uur geleden"), ("een dag geleden", "2024-03-04", "een dag geleden"),
    ("för 2 timmar sedan", "2024-03-04", "2 timmar sedan"),
    ("Opdateret for 1 uge siden", "2024-02-27", "1 uge siden"),
    ("Yesterday at 3:45 PM", "2024-03-04", "Yesterday"),
    ("Today", "2024-03-05", "Today"),
])
def test_relative_dates_against_the_capture_time(printed, day, words):
    assert dates.relative_date(printed, NOW) == (day, words)


@pytest.mark.parametrize("text", ["Today's Paper", "2 months ago", "in 3 days", "8h",
                                  "3 of them ago", "Yesterday's news"])
def test_what_is_no_relative_date(text):
    assert dates.relative_date(text, NOW) is None


# -- property-based: every supported way of printing a date reads back as that date

_ENGLISH = {n: (get_month_names("wide", locale="en")[n], get_month_names("abbreviated",
            locale="en")[n]) for n in range(1, 13)}


@st.composite
def printed_dates(draw):
    day = draw(st.dates(date(1969, 1, 1), date(2068, 12, 31)))
    language = draw(st.sampled_from(LANGUAGES))
    name = draw(st.sampled_from(sorted(
        {re.sub(r"^(?:de |d’)", "", get_month_names(w, "format", language)[day.month])
         for w in ("wide", "abbreviated")} - {"ag."})))   # Catalan: '1 de gener de 2000'
    order = draw(st.sampled_from(["mdy", "dmy"]))
    numbers = (day.month, day.day) if order == "mdy" else (day.day, day.month)
    sep = draw(st.sampled_from("./-"))
    year = draw(st.sampled_from([f"{day.year}", f"{day.year % 100:02d}"]))
    forms = [
        f"{name} {day.day}, {day.year}", f"{day.day} {name} {day.year}",
        f"{day.day}. {name} {day.year}", f"{day.day} de {name} de {day.year}",
        f"{day.day}.{name}.{day.year}", f"{numbers[0]}{sep}{numbers[1]}{sep}{year}",
        f"{day.isoformat()}", f"{day.year}年{day.month}月{day.day}日",
    ]
    printed = draw(st.sampled_from(forms))
    # glued to a word before it, as a section label or byline copies ('FinanceOctober 3')
    glued = ["Finance", "By Jane Doe"] if "A" <= printed[0] <= "Z" else []
    before = draw(st.sampled_from(["", "Published ", "By Jane Doe | ", *glued]))
    return before + printed, Reading(order), day.isoformat()


@given(printed_dates())
@settings(max_examples=400, deadline=None)
def test_every_supported_form_reads_back(case):
    printed, reading, day = case
    assert [found.day for found in dates_in(printed, reading)] == [day], printed


@given(st.text(max_size=300), st.sampled_from(["mdy", "dmy"]),
       st.one_of(st.none(), st.integers(1800, 2199)))
@settings(max_examples=300, deadline=None)
def test_any_text_never_raises_and_gives_sane_dates(text, order, year):
    for found in dates_in(text, Reading(order, year)):
        assert 0 <= found.offset < found.end <= len(text)
        assert dates.FIRST_YEAR <= int(found.day[:4]) <= dates.LAST_YEAR
        date.fromisoformat(found.day)
    date_alone(text)
    numeric_order([text])
    dates.page_year([text])


@given(st.lists(st.sampled_from(["12", "5", ".", "/", "-", " ", "Dec", "de", "'", "2014", "99",
                                 "March", "PressDecember", "º", "at", "3:57", "min"]),
                max_size=40))
@settings(max_examples=300, deadline=None)
def test_date_like_noise_never_raises_and_gives_sane_dates(parts):
    text = "".join(parts)
    for found in dates_in(text, YEAR_2014):
        assert dates.FIRST_YEAR <= int(found.day[:4]) <= dates.LAST_YEAR
        date.fromisoformat(found.day)


# -- in saved HTML, where the page declares no date

@pytest.mark.parametrize("lang, day", [("de", "2014-06-05"), ("en-US", "2014-05-06")])
def test_a_visible_numeric_date_reads_in_the_html_pages_language(lang, day):
    page = (f"<html lang='{lang}'><head><title>Der Fluss</title></head><body><h1>Der Fluss</h1>"
            f"<span class='date'>05.06.14</span><p>{PARAGRAPH}</p></body></html>")
    assert extract(page.encode(), "text/html").published == day


def test_a_declared_date_without_its_full_year_is_not_read():
    assert dates.machine_date("14-12-29") is None       # yy-mm-dd or dd-mm-yy?
    assert dates.machine_date("December 29, 2014") == "2014-12-29"
    page = ("<html><head><meta property='article:published_time' content='14-12-29'></head>"
            "<body><h1>Sean Penn</h1><span class='date'>Monday 29 Dec 2014</span>"
            f"<p>{PARAGRAPH}</p></body></html>")
    assert extract(page.encode(), "text/html").published == "2014-12-29"


@pytest.mark.parametrize("declared, read", [
    ("20180619T055000+0900", "2018-06-19T05:50:00+09:00"),      # ISO 8601's basic form
    ("Fri Mar 13 21:30:09 EST 2015", "2015-03-13"),            # a server's clock, zone by name
    ("20160729164234", "2016-07-29"), ("20141229", "2014-12-29"),   # CMS stamps
    ("Mon Dec 29 19:21:00 +0100 2014", "2014-12-29T19:21:00+01:00"),
])
def test_declared_dates_in_the_forms_servers_print_them(declared, read):
    assert dates.machine_date(declared) == read


@pytest.mark.parametrize("declared", ["Dec 2014", "Tuesday 2014", "2014", "1442501820000",
                                      "99999999", "2014-00-29T23:12:27Z", "Fri Mar 13 21:30"])
def test_a_declared_value_that_names_no_whole_day_is_no_date(declared):
    assert dates.machine_date(declared) is None


@settings(max_examples=80, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2150, 12, 31)), st.sampled_from(["mdy", "dmy"]),
       st.sampled_from([".", "/", "-"]), st.sampled_from(["", " 07:01:00", " 7:01 PM"]))
def test_a_declared_date_in_figures_reads_back_in_the_pages_order(day, order, sep, time):
    first, second = (day.month, day.day) if order == "mdy" else (day.day, day.month)
    declared = f"{first:02d}{sep}{second:02d}{sep}{day.year}{time}"
    assert dates.machine_date(declared, Reading(order)) == day.isoformat()


@pytest.mark.parametrize("url, day", [
    ("https://example.com/2023/12/27/us/story.html", "2023-12-27"),
    ("https://www.theguardian.com/environment/2019/jan/03/whales", "2019-01-03"),
    ("http://www.bloomberg.com/news/2014-09-30/job-woes-linger.html", "2014-09-30"),
    ("http://www.cricket.com.au/news/match-report/third-test/2014-12-30", "2014-12-30"),
    ("http://example.com/a/2014/13/45/b/2014/12/01/", "2014-12-01"),   # the first real day
    # a date inside a slug names another day (an event's), a month alone no day
    ("http://www.wetpaint.com/articles/2014-11-04-whitney-eliminated", None),
    ("https://arstechnica.com/it/2015/04/minecraft-exploit/", None),
    ("http://example.com/2014-02-30/", None), ("http://example.com/2014/foo/03/", None),
    ("http://example.com/" + "2014/" * 20000, None),
])
def test_the_day_in_a_pages_address(url, day):
    assert dates.date_from_url(url) == day
