"""The catalog index of a collection (collection/catalog.py, catalog.sqlite): what it
reads from each package, the states and audits it records, the versions of a package,
which source bytes are already held, what an audit checks next, and an index made by an
older archivekit brought up to date. Real SQLite files. The search words and filters
are tests/collection/test_search.py's."""

import json
import sqlite3
import threading
import time

import pytest

from archivekit.collection.catalog import (NEW_COLUMNS, SCHEMA, SEARCH_SCHEMA, VERSION,
                                           CatalogIndex)
from archivekit.collection.search import Filters
from archivekit.collection.store import Collection
from support.collection import clipping, ids, immutable, older_collection, three_clippings


@pytest.fixture
def index(tmp_path):
    index = three_clippings(tmp_path / "catalog.sqlite")
    yield index
    index.close()


def test_a_package_indexed_again_keeps_its_audits_and_its_state(index):
    index.record_audit("clip-2", "2026-02-01T00:00:00Z", "success")
    index.mark_withdrawn("clip-2", {"reason": "duplicate"}, None)
    index.add(clipping(2, "Storm Closes Schools (corrected)"), "packages/clip-2", None)
    row = index.get("clip-2")
    assert row["headline"] == "Storm Closes Schools (corrected)"
    assert (row["last_audit"], row["last_outcome"]) == ("2026-02-01T00:00:00Z", "success")
    assert row["state"] == "withdrawn" and row["withdrawal"] == {"reason": "duplicate"}


def test_source_bytes_already_held_name_their_newest_current_package(index):
    first = clipping(4, "Parade Route Announced")
    amended = dict(clipping(5, "Parade Route Announced"), created="2026-03-01T00:00:00Z",
                   sources=first["sources"], amendment={"supersedes": "clip-4"})
    index.add(first, "packages/clip-4", None)
    index.add(amended, "packages/clip-5", None)
    index.mark_superseded("clip-4", "clip-5")
    digest = first["sources"][0]["sha256"]
    assert index.package_for_digest(digest) == "clip-5"
    index.mark_withdrawn("clip-5", {"reason": "takedown"}, None)
    assert index.package_for_digest(digest) == "clip-5"   # withdrawn: not captured again
    assert index.package_for_digest("0" * 64) is None
    assert [row["id"] for row in index.history("clip-5")] == ["clip-4", "clip-5"]
    assert [row["id"] for row in index.history("clip-4")] == ["clip-4", "clip-5"]


def test_an_audit_checks_the_never_checked_then_the_longest_unchecked(index):
    index.record_audit("clip-1", "2026-02-03T00:00:00Z", "success")
    index.record_audit("clip-3", "2026-02-01T00:00:00Z", "success")
    assert [i for i, _ in index.audit_queue()] == ["clip-2", "clip-3", "clip-1"]
    assert [i for i, _ in index.audit_queue(stale_before="2026-02-02T00:00:00Z")] == [
        "clip-2", "clip-3"]
    assert [i for i, _ in index.audit_queue(limit=1)] == ["clip-2"]
    index.mark_withdrawn("clip-2", {"reason": "takedown"}, None)
    assert [i for i, _ in index.audit_queue()] == ["clip-3", "clip-1"]
    assert index.count() == 2


def test_the_chosen_packages_come_in_their_order_while_the_audit_records_them(index):
    """Recording a batch moves its packages to the end of the packages' own order; the
    queue (kept in SQLite, not in memory) still gives each chosen package once, in the
    order chosen, and knows how many there are before the first batch."""
    index.record_audit("clip-1", "2026-02-03T00:00:00Z", "success")
    queue = index.audit_queue()
    assert len(queue) == 3
    seen = []
    for batch in queue.batches(2):
        seen.append([package_id for package_id, _ in batch])
        index.record_audits([(package_id, "2026-03-01T00:00:00Z", "success")
                             for package_id, _ in batch])
    assert seen == [["clip-2", "clip-3"], ["clip-1"]]
    assert [i for i, _ in index.audit_queue(limit=2)] == ["clip-1", "clip-2"]


@pytest.mark.parametrize("words,expected", [
    ("muller zurich", ["clip-3"]),          # diacritics folded
    ("doug mills", ["clip-3"]),             # credits
    ("fold", ["clip-3"]),                   # a cataloguer's notes
    ("municipal", ["clip-1"]),              # subjects
    ("796.42", ["clip-3"]),                 # a call number as words
])
def test_every_part_of_a_clipping_is_searchable(index, words, expected):
    assert ids(index.search(Filters(words))) == expected

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

def test_an_index_made_by_an_older_version_is_brought_up_to_date(tmp_path, sealed):
    _, package = sealed
    collection = Collection.open(older_collection(tmp_path / "coll", package))
    rows = collection.search(Filters("spy agency"))
    assert ids(rows) == [package.name]
    assert rows[0]["last_audit"] == "2026-01-01T00:00:00Z" and rows[0]["signer"] == "desk"
    assert rows[0]["call_number"] == "CLIP 2023-12-28 NYT A1"
    assert "Espionage, Chinese -- United States" in rows[0]["subjects"]
    assert json.loads(json.dumps(rows))   # plain JSON for the reading room


def test_a_catalog_that_cannot_be_written_is_read_though_a_newer_version_adds_to_it(tmp_path):
    """A catalog on a read-only mount or a backup, made before an index and a table this
    version adds: `list` and `search` read it (they said "attempt to write a readonly
    database"). The file is made immutable (chattr +i), which binds root too."""
    path = tmp_path / "catalog.sqlite"
    three_clippings(path).close()
    with sqlite3.connect(path) as old:
        old.execute("DROP INDEX inbox_files_by_folder")
        old.execute("DROP TABLE ingestion_log_position")
    with immutable(path):
        index = CatalogIndex(path)
        assert ids(index.search(Filters("council"))) == ["clip-1", "clip-2"]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            index.add(clipping(4, "New"), "packages/clip-4", None)   # still refused
        index.close()
    index = CatalogIndex(path)      # writable again: the next run makes what was missing
    made = index.db.execute("SELECT name FROM sqlite_master WHERE name IN "
                            "('inbox_files_by_folder', 'ingestion_log_position')").fetchall()
    assert len(made) == 2
    index.close()


def test_the_files_known_in_a_folder_are_its_own_not_a_sibling_or_subfolder_s(tmp_path):
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    index.add({"id": "p", "sources": [{"sha256": "d"}]}, "packages/p", None)
    paths = ["/in/a.txt", "/in/sub/b.txt", "/in-old/c.txt", "/in.txt", "/inbox/d.txt",
             "/in/日本/e.txt", "/in/é/f.txt", "/in/sub/deeper/g.txt"]
    index.remember_files([(path, 1, 2, 3, 4, "cat", "d") for path in paths])
    index.remember_files([("/in/gone.txt", 1, 2, 3, 4, "cat", "content not in the collection")])
    for folder in ("/in", "/in/"):      # a file whose content left the collection: None
        assert list(index.known_rows_in(folder)) == [("/in/a.txt", 1, 2, 3, 4, "cat"),
                                                     ("/in/gone.txt", 1, 2, 3, 4, None)]
        assert [row[0] for row in index.known_slice(folder, "/in/a.txt", 5)] == \
            ["/in/gone.txt", "/in/a.txt"]       # round the folder once, to the cursor
    assert [row[0] for row in index.known_slice("/in/日本", "", 5)] == ["/in/日本/e.txt"]
    assert [row[0] for row in index.known_rows_in("/in/sub")] == ["/in/sub/b.txt"]
    listed = [("a.txt", 1), ("new.txt", 1), ("b.txt", 1), ("e.txt", 1), ("g.txt", 1)]
    assert sorted(index.unknown_in("/in", listed)[0]) == ["b.txt", "e.txt", "g.txt", "new.txt"]
    index.close()


def test_an_old_index_opened_while_another_process_migrates_it_is_migrated_once(tmp_path):
    """Two runs opening one collection at once (CI saw "could not run: duplicate column
    name: dek"): the second waits for the first's migration and finds it done."""
    path = tmp_path / "catalog.sqlite"
    old = sqlite3.connect(path)
    old.executescript(SCHEMA)       # an index as version 1 left it (user_version 0)
    old.close()
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")     # the other process is migrating it now

    def finish_migrating():
        time.sleep(0.3)     # while this process reads the version and the columns
        for name, kind in NEW_COLUMNS.items():
            other.execute(f"ALTER TABLE packages ADD COLUMN {name} {kind}")
        for statement in filter(str.strip, SEARCH_SCHEMA.split(";")):
            other.execute(statement)
        other.execute(f"PRAGMA user_version = {VERSION}")
        other.execute("COMMIT")

    migrating = threading.Thread(target=finish_migrating)
    migrating.start()
    index = CatalogIndex(path)
    migrating.join()
    columns = {row[1] for row in index.db.execute("PRAGMA table_info(packages)")}
    assert set(NEW_COLUMNS) <= columns
    assert index.db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert index.stale is False     # the other process re-reads the rows, not this one


def steps(index, question):
    """How many SQLite VM steps `question(index)` takes (what it reads, not how long)."""
    count = [0]

    def tick():
        count[0] += 1
    index.db.set_progress_handler(tick, 1)
    try:
        question(index)
    finally:
        index.db.set_progress_handler(None, 1)
    return count[0]


def packages(index, first, count, logged=True):
    index.add_many([(clipping(n, f"Headline {n}"), f"packages/clip-{n}", None)
                    for n in range(first, first + count)])
    if logged:
        index.mark_logged([(f"seal-{n}", f"clip-{n}") for n in range(first, first + count)])
        index.db.execute("UPDATE packages SET ingested = 1")
        index.db.commit()


@pytest.mark.parametrize("question", [
    lambda index: index.unlogged(), lambda index: index.not_ingested(),
    lambda index: index.audit_queue(limit=1), lambda index: index.count()],
    ids=["unlogged", "not_ingested", "audit_queue", "count"])
def test_what_a_run_asks_each_time_does_not_read_every_package(tmp_path, question):
    small, large = CatalogIndex(tmp_path / "small.sqlite"), CatalogIndex(tmp_path / "large.sqlite")
    try:
        for index, count in ((small, 10), (large, 1000)):
            packages(index, 0, count)
            index.note_logged()
            packages(index, 5000, 3, logged=False)
        assert steps(large, question) < steps(small, question) + 200
    finally:
        small.close()
        large.close()


def test_the_count_to_audit_leaves_out_the_withdrawn(index):
    assert index.count() == 3
    index.mark_withdrawn("clip-2", {"reason": "test"}, None)
    index.mark_superseded("clip-1", "clip-3")
    assert index.count() == 2


def test_packages_known_logged_are_asked_about_again_once_a_logged_seal_is_forgotten(tmp_path):
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    packages(index, 0, 5)
    packages(index, 10, 1, logged=False)
    index.note_logged()
    assert [row[0] for row in index.unlogged()] == ["clip-10"]
    packages(index, 20, 2, logged=False)                  # newer ones are asked about
    assert [row[0] for row in index.unlogged()] == ["clip-10", "clip-20", "clip-21"]
    index.mark_logged([("seal-10", "clip-10"), ("seal-20", "clip-20")])
    index.note_logged()
    assert [row[0] for row in index.unlogged()] == ["clip-21"]

    with index.db:                       # as docs/collections.md says to re-read one
        index.db.execute("DELETE FROM logged_seals WHERE package_id = 'clip-3'")
    assert [row[0] for row in index.unlogged()] == ["clip-21", "clip-3"]
    index.mark_logged([("seal-3", "clip-3"), ("seal-21", "clip-21")])
    index.note_logged()
    assert index.unlogged() == []
    index.db.execute("DROP TABLE logged_seals")           # a catalog from before the table
    index.close()
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    assert len(index.unlogged()) == 8
    index.close()
