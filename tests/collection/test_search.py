"""Search over the catalog index: words, filters, states, an older index brought up to
date, and no query text that can break SQLite's FTS5 syntax. Real SQLite files."""

import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.collection.search import Filters, date_bound, match_expression
from support.collection import clipping, ids, three_clippings


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


@pytest.mark.parametrize("bad", ["20x3", "2023-1", "23", "2023/01/01", "2023-13", "2023-00",
                                 "2023-02-30", "2023-04-31", "0000"])
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


# Streaming (iter_search): pages of catalog.PAGE rows, each its own query.
_WORDS = ("council", "budget", "storm", "marathon")


@settings(max_examples=60, deadline=None)
@given(dates=st.lists(st.one_of(st.none(), st.sampled_from(["2019-04-15", "2021-11-30",
                                                             "2023-05-01"])), max_size=14),
       words=st.lists(st.sampled_from(_WORDS), min_size=14, max_size=14),
       page=st.integers(1, 4), limit=st.sampled_from([-1, 1, 3, 50]),
       offset=st.integers(0, 5), text=st.sampled_from(["", "council", "budget storm"]),
       withdrawn=st.booleans())
def test_rows_read_page_by_page_are_the_rows_one_query_reads(tmp_path_factory, dates, words,
                                                              page, limit, offset, text,
                                                              withdrawn):
    from archivekit.collection import catalog
    index = catalog.CatalogIndex(tmp_path_factory.mktemp("paged") / "catalog.sqlite")
    descriptors = []
    for number, date in enumerate(dates):
        descriptor = clipping(number, f"{words[number]} {words[-1 - number]}",
                              published=date)
        if date is None:   # no date anywhere: an undated row (sorted last)
            descriptor["created"] = None
        descriptors.append((descriptor, f"packages/clip-{number}", None))
    index.add_many(descriptors)
    for number in range(0, len(dates), 3):
        index.mark_withdrawn(f"clip-{number}", {"reason": "test"}, None)
    filters = Filters(text, withdrawn=withdrawn, limit=limit, offset=offset)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalog, "PAGE", page)
        assert ids(index.iter_search(filters)) == ids(_one_query(index, filters))
    index.close()


def _one_query(index, filters):
    """search() as one query (before it streamed): the order and page it must keep."""
    from archivekit.collection.catalog import COLUMNS, RANK_WINDOW, _row
    from archivekit.collection.search import where_clause
    conditions, params, match = where_clause(filters)
    columns = ", ".join(f"p.{c}" for c in COLUMNS)
    if match:
        window = max(RANK_WINDOW, filters.offset + filters.limit) if filters.limit > 0 else -1
        sql = (f"SELECT * FROM (SELECT {columns}, t.rank AS score FROM package_text t "
               f"JOIN packages p ON p.rowid = t.rowid WHERE package_text MATCH ? "
               f"AND {conditions} ORDER BY t.rowid DESC LIMIT {window}) "
               "ORDER BY score, id LIMIT ? OFFSET ?")
        params = [match] + params
    else:
        sql = (f"SELECT {columns} FROM packages p WHERE {conditions} "
               "ORDER BY p.date DESC, p.id DESC LIMIT ? OFFSET ?")
    return [_row(row[:len(COLUMNS)]) for row in
            index.db.execute(sql, params + [filters.limit, filters.offset])]


@pytest.mark.parametrize("text", ["", "council"])
def test_a_reader_between_pages_holds_no_lock_a_writer_waits_for(index, monkeypatch, text):
    from archivekit.collection import catalog
    monkeypatch.setattr(catalog, "PAGE", 1)
    rows = index.iter_search(Filters(text))
    first = next(rows)
    path = index.db.execute("PRAGMA database_list").fetchone()[2]
    writer = sqlite3.connect(path, timeout=0)     # "database is locked" at once if held
    with writer:
        writer.execute("UPDATE packages SET last_outcome = 'failure'")
    writer.close()
    later = list(rows)
    assert len([first] + later) == (3 if not text else 2)
    assert all(row["last_outcome"] == "failure" for row in later)


@pytest.mark.parametrize("filters", [Filters(), Filters(audit="never"), Filters(withdrawn=True),
                                     Filters(call_number="027")])
def test_each_page_reads_on_from_the_last_in_date_order_without_sorting(index, filters):
    # With an index on a filtered column (state, outcome) SQLite, having no statistics,
    # took that index and sorted every match again for each page: quadratic in the
    # catalog (list of 10,100 packages 0.45 s -> 1.04 s CPU).
    index.db.execute("CREATE INDEX IF NOT EXISTS packages_state ON packages(state)")
    statements = []
    index.db.set_trace_callback(statements.append)
    list(index.iter_search(filters))
    index.db.set_trace_callback(None)
    plans = [" / ".join(step[3] for step in index.db.execute("EXPLAIN QUERY PLAN " + sql))
             for sql in statements if "FROM packages" in sql]
    assert plans and all("INDEX packages_date" in plan and "TEMP B-TREE" not in plan
                         for plan in plans), plans
