"""Search over the catalog index: words, filters, states, an older index brought up to
date, and no query text that can break SQLite's FTS5 syntax. Real SQLite files."""

import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.collection.search import Filters, date_bound, match_expression
from support.collection import ids, three_clippings


@pytest.fixture
def index(tmp_path):
    index = three_clippings(tmp_path / "catalog.sqlite")
    yield index
    index.close()


def test_every_word_must_occur_and_headlines_rank_first(index):
    assert ids(index.search(Filters("council"))) == ["clip-1", "clip-2"]
    assert ids(index.search(Filters("council budget"))) == ["clip-1"]
    assert ids(index.search(Filters("budg*"))) == ["clip-1"]
    assert index.search(Filters("council zeppelin")) == []


@pytest.mark.parametrize("filters,expected", [
    (Filters(author="ann"), ["clip-2"]),
    (Filters(author="omar haddad"), ["clip-3"]),
    (Filters(publisher="harbor"), ["clip-2"]),
    (Filters(subject="finance"), ["clip-1"]),
    (Filters(since="2021"), ["clip-1", "clip-2"]),
    (Filters(since="2021-12"), ["clip-1"]),
    (Filters(until="2021-11"), ["clip-2", "clip-3"]),
    (Filters(since="2019-04-15", until="2019-04-15"), ["clip-3"]),
    (Filters(call_number="027"), ["clip-1"]),
    (Filters(call_number="796.42"), ["clip-3"]),
    (Filters("council", author="jane"), ["clip-1"]),
    (Filters(audit="never"), ["clip-1", "clip-2", "clip-3"]),
    (Filters(audit="failed"), []),
])
def test_filters_narrow_newest_first(index, filters, expected):
    assert ids(index.search(filters)) == expected


def test_limit_and_offset_page_through(index):
    first = index.search(Filters(limit=2))
    second = index.search(Filters(limit=2, offset=2))
    assert len(first) == 2 and len(second) == 1
    assert set(ids(first) + ids(second)) == {"clip-1", "clip-2", "clip-3"}


def test_words_without_letters_find_nothing_rather_than_everything(index):
    assert index.search(Filters("-- ::")) == []


@pytest.mark.parametrize("bad", ["20x3", "2023-1", "23", "2023/01/01"])
def test_dates_must_be_years_months_or_days(bad):
    with pytest.raises(ValueError, match="not a date"):
        date_bound(bad, end=False)


def test_date_bounds_cover_the_whole_period():
    assert date_bound("2023", end=True) == "2023-12-31"
    assert date_bound("2023-02", end=False) == "2023-02-01"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_no_query_text_is_fts5_syntax(text):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, authors)")
    db.execute("INSERT INTO t VALUES ('council budget', 'jane doe')")
    for expression in (match_expression(text), match_expression(text, "authors")):
        if expression:
            db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
