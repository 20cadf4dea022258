"""Search over the catalog index: words, filters, states, an older index brought up to
date, and no query text that can break SQLite's FTS5 syntax. Real SQLite files."""

import json
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.collection.catalog import CatalogIndex
from archivekit.collection.search import Filters, date_bound, match_expression


def clipping(number, headline, body="", authors=(), publisher="The Daily Courier",
             published="2023-05-01", catalog=None, credits=()):
    return {"id": f"clip-{number}", "created": "2026-01-01T00:00:00Z",
            "metadata": {"headline": headline, "description": None, "body": body,
                         "authors": [{"name": a} for a in authors],
                         "publisher": {"name": publisher}, "published": published,
                         "credits": [{"role": "photograph", "name": n, "agency": "AP"}
                                     for n in credits]},
            "catalog": catalog or {}, "sources": [{"filename": f"{number}.txt",
                                                   "sha256": f"{number:064x}"}]}


@pytest.fixture
def index(tmp_path):
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    index.add_many([(d, f"packages/{d['id']}", {"signer": "desk"}) for d in [
        clipping(1, "Council Passes Budget", "The council met on Monday.", ["Jane Doe"],
                 catalog={"call_number": "027.4", "subjects": ["Municipal finance"]}),
        clipping(2, "Storm Closes Schools", "The council said schools reopen Friday.",
                 ["Ann Lee"], publisher="Harbor Gazette", published="2021-11-30"),
        clipping(3, "Müller Wins the Marathon", "A runner from Zürich.", ["Omar Haddad"],
                 published="2019-04-15", credits=["Doug Mills"],
                 catalog={"call_number": "796.42", "notes": "Front page, above the fold"}),
    ]])
    yield index
    index.close()


def ids(rows):
    return [row["id"] for row in rows]


def test_every_word_must_occur_and_headlines_rank_first(index):
    assert ids(index.search(Filters("council"))) == ["clip-1", "clip-2"]
    assert ids(index.search(Filters("council budget"))) == ["clip-1"]
    assert ids(index.search(Filters("budg*"))) == ["clip-1"]
    assert index.search(Filters("council zeppelin")) == []


@pytest.mark.parametrize("words,expected", [
    ("muller zurich", ["clip-3"]),          # diacritics folded
    ("doug mills", ["clip-3"]),             # credits
    ("fold", ["clip-3"]),                   # a cataloguer's notes
    ("municipal", ["clip-1"]),              # subjects
    ("796.42", ["clip-3"]),                 # a call number as words
])
def test_every_part_of_a_clipping_is_searchable(index, words, expected):
    assert ids(index.search(Filters(words))) == expected


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


def test_audit_states_come_from_recorded_audits(index):
    index.record_audit("clip-2", "2026-02-01T00:00:00Z", "failure")
    index.record_audit("clip-3", "2026-02-01T00:00:00Z", "success")
    assert ids(index.search(Filters(audit="failed"))) == ["clip-2"]
    assert ids(index.search(Filters(audit="verified"))) == ["clip-3"]
    assert ids(index.search(Filters(audit="never"))) == ["clip-1"]


def test_withdrawn_and_replaced_versions_are_hidden_unless_asked(index):
    index.mark_withdrawn("clip-2", {"reason": "duplicate"}, None)
    index.mark_superseded("clip-3", "clip-1")
    assert ids(index.search(Filters())) == ["clip-1"]
    assert ids(index.search(Filters(withdrawn=True))) == ["clip-1", "clip-2"]
    assert ids(index.search(Filters(history=True))) == ["clip-1", "clip-3"]
    assert index.get("clip-2")["withdrawal"] == {"reason": "duplicate"}


def test_rows_carry_authors_subjects_and_call_number(index):
    row = index.get("clip-1")
    assert row["authors"] == ["Jane Doe"] and row["subjects"] == ["Municipal finance"]
    assert row["call_number"] == "027.4" and row["date"] == "2023-05-01"
    assert row["catalog"] == {"call_number": "027.4", "subjects": ["Municipal finance"]}


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


def test_an_index_made_by_an_older_version_is_brought_up_to_date(tmp_path, sealed):
    from archivekit.collection.store import Collection
    _, package = sealed
    collection = Collection.init(tmp_path / "coll", "Old")
    (tmp_path / "coll/catalog.sqlite").unlink()
    import shutil
    shutil.copytree(package, tmp_path / "coll/packages" / package.name)
    old = sqlite3.connect(tmp_path / "coll/catalog.sqlite")   # the version 1 schema
    old.executescript(
        "CREATE TABLE packages (id TEXT PRIMARY KEY, path TEXT NOT NULL, headline TEXT, "
        "publisher TEXT, published TEXT, sources TEXT NOT NULL, signer TEXT, sealed_at TEXT, "
        "created TEXT, ingested INTEGER NOT NULL DEFAULT 0, last_audit TEXT, last_outcome TEXT);")
    old.execute("INSERT INTO packages VALUES (?, ?, 'x', 'y', NULL, '[]', 'desk', NULL, NULL, "
                "1, '2026-01-01T00:00:00Z', 'success')", (package.name, f"packages/{package.name}"))
    old.commit()
    old.close()
    rows = collection.search(Filters("spy agency"))
    assert ids(rows) == [package.name]
    assert rows[0]["last_audit"] == "2026-01-01T00:00:00Z" and rows[0]["signer"] == "desk"
    assert rows[0]["call_number"] == "CLIP 2023-12-28 NYT A1"
    assert "Espionage, Chinese -- United States" in rows[0]["subjects"]
    assert json.loads(json.dumps(rows))   # plain JSON for the reading room
