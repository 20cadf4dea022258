"""Pages of a collection's catalog for people: newest first, a few facets, keyset paging
(the cost of a page does not grow with how far in it is)."""

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archivekit.collection.search import match_expression

PAGE_SIZE = 25
FACETS = {
    "publisher": "publisher",
    "year": "substr(published, 1, 4)",
    "audit": "COALESCE(last_outcome, 'never audited')",
}
# One index per facet expression (counts read the index, not the table) and one for
# the newest-first order.
INDEXES = """
CREATE INDEX IF NOT EXISTS packages_newest ON packages(created DESC, id DESC);
CREATE INDEX IF NOT EXISTS packages_publisher ON packages(publisher);
CREATE INDEX IF NOT EXISTS packages_year ON packages(substr(published, 1, 4));
CREATE INDEX IF NOT EXISTS packages_audit ON packages(COALESCE(last_outcome, 'never audited'));
CREATE INDEX IF NOT EXISTS packages_outcome_time ON packages(last_outcome, last_audit);
CREATE INDEX IF NOT EXISTS packages_last_audit ON packages(last_audit);
"""


@dataclass(frozen=True)
class Selection:
    """What a reader chose on the browse page: facet values, words, withdrawn or not.
    (Search from the command line has its own, richer search.Filters.)"""
    publisher: str | None = None
    year: str | None = None
    audit: str | None = None
    text: str | None = None
    withdrawn: bool = False      # show withdrawn clippings too (never superseded versions)

    def query(self, **changes) -> dict:
        """The URL parameters of these filters with `changes` (None removes one)."""
        values = {**self.__dict__, **changes}
        return {k: ("1" if v is True else v) for k, v in values.items() if v}

    def where(self) -> tuple[str, list]:
        """The SQL WHERE clause of these filters and its values (words through the full-text
        index, never as FTS syntax)."""
        states = ("'current', 'withdrawn'" if self.withdrawn else "'current'")
        clauses, values = [f"state IN ({states})"], []
        for name, expression in FACETS.items():
            value = getattr(self, name)
            if value:
                clauses.append(f"{expression} = ?")
                values.append(value)
        if self.text:   # words, through the catalog's full-text index (never FTS syntax)
            clauses.append("rowid IN (SELECT rowid FROM package_text WHERE package_text MATCH ?)")
            values.append(match_expression(self.text) or '""')
        return " WHERE " + " AND ".join(clauses), values


@dataclass(frozen=True)
class Page:
    """One page of packages, and the cursor of the next (None on the last)."""
    rows: list[dict]
    after: str | None     # the cursor of the next page, or None on the last


def ensure_indexes(db: sqlite3.Connection) -> None:
    """Make the indexes browsing relies on, if they are not there yet."""
    db.executescript(INDEXES)


def newest(db: sqlite3.Connection, filters: Selection, after: str | None = None,
           size: int = PAGE_SIZE) -> Page:
    """Packages newest first. `after` is the cursor `created|id` of the last row shown."""
    where, values = filters.where()
    if after and "|" in after:
        created, package_id = after.split("|", 1)
        where += " AND (created, id) < (?, ?)"
        values += [created, package_id]
    cursor = db.execute(
        "SELECT id, headline, publisher, published, created, last_audit, last_outcome, state "
        f"FROM packages{where} ORDER BY created DESC, id DESC LIMIT ?", values + [size + 1])
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, row)) for row in cursor]
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, f"{rows[-1]['created']}|{rows[-1]['id']}" if more and rows else None)


# Facet counts for browsing without words come from a summary with one row per state,
# publisher, year and audit outcome (a few thousand rows for a large collection), which
# triggers keep as the catalog changes: counting 100,000 packages on the first page after
# each change took 0.3-2 s. Words narrow the set through the full-text index, and those
# counts are made from the matching packages.
TRIGGERS = ("facet_summary_insert", "facet_summary_delete", "facet_summary_update")


def _key(row: str) -> str:
    """A package row's summary key: the FACETS expressions, blanks as ''."""
    return (f"{row}.state, COALESCE({row}.publisher, ''), "
            f"COALESCE(substr({row}.published, 1, 4), ''), "
            f"COALESCE({row}.last_outcome, 'never audited')")


SUMMARY = f"""
DROP TABLE IF EXISTS facet_summary;
CREATE TABLE facet_summary (state TEXT, publisher TEXT, year TEXT, audit TEXT,
    n INTEGER NOT NULL, PRIMARY KEY (state, publisher, year, audit));
INSERT INTO facet_summary SELECT {_key("packages")}, count(*) FROM packages GROUP BY 1, 2, 3, 4;
DROP TRIGGER IF EXISTS facet_summary_insert;
DROP TRIGGER IF EXISTS facet_summary_delete;
DROP TRIGGER IF EXISTS facet_summary_update;
CREATE TRIGGER facet_summary_insert AFTER INSERT ON packages BEGIN
    INSERT INTO facet_summary VALUES ({_key("NEW")}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER facet_summary_delete AFTER DELETE ON packages BEGIN
    UPDATE facet_summary SET n = n - 1 WHERE (state, publisher, year, audit) = ({_key("OLD")});
END;
CREATE TRIGGER facet_summary_update AFTER UPDATE OF state, publisher, published, last_outcome
    ON packages BEGIN
    UPDATE facet_summary SET n = n - 1 WHERE (state, publisher, year, audit) = ({_key("OLD")});
    INSERT INTO facet_summary VALUES ({_key("NEW")}, 1) ON CONFLICT DO UPDATE SET n = n + 1;
END;
"""


def ensure_summary(db: sqlite3.Connection) -> None:
    """Make the facet summary and its triggers when any is missing (a new catalog, or one
    whose packages table was rebuilt, which drops its triggers), filled in one transaction."""
    present = {name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'facet_summary_%'")}
    if present == set(TRIGGERS):
        return
    try:
        db.executescript("BEGIN IMMEDIATE;" + SUMMARY + "COMMIT;")
    except BaseException:
        if db.in_transaction:
            db.rollback()
        raise


_facet_cache: dict = {}


def facet_counts(db: sqlite3.Connection, filters: Selection, limit: int = 12) -> dict[str, list]:
    """For each facet, its most common values under the other filters, with counts."""
    if not filters.text:
        ensure_summary(db)
        return _summary_facets(db, filters, limit)
    # Words: counting reads every matching row, so answers are kept until the catalog
    # changes (the file's size and time say when it has).
    key = (filters, limit, _catalog_version(db))
    if key not in _facet_cache:
        if len(_facet_cache) > 256:
            _facet_cache.clear()
        _facet_cache[key] = _count_facets(db, filters, limit)
    return _facet_cache[key]


def _summary_facets(db: sqlite3.Connection, filters: Selection, limit: int) -> dict[str, list]:
    states = ("current", "withdrawn") if filters.withdrawn else ("current",)
    counts = {}
    for name in FACETS:
        clauses = [f"state IN ({', '.join('?' * len(states))})"]
        values = list(states)
        for other in FACETS:
            if other != name and getattr(filters, other):
                clauses.append(f"{other} = ?")
                values.append(getattr(filters, other))
        counts[name] = db.execute(
            f"SELECT {name} AS value, sum(n) FROM facet_summary WHERE {' AND '.join(clauses)} "
            f"GROUP BY value HAVING value != '' AND sum(n) > 0 "
            f"ORDER BY sum(n) DESC, value LIMIT ?", values + [limit]).fetchall()
    return counts


def _catalog_version(db: sqlite3.Connection):
    path = db.execute("PRAGMA database_list").fetchone()[2]
    info = Path(path).stat()
    return path, info.st_size, info.st_mtime_ns


def _count_facets(db: sqlite3.Connection, filters: Selection, limit: int) -> dict[str, list]:
    counts = {}
    for name, expression in FACETS.items():
        others = Selection(**{**filters.__dict__, name: None})
        where, values = others.where()
        counts[name] = db.execute(
            f"SELECT {expression} AS value, count(*) FROM packages{where} "
            f"GROUP BY value HAVING value IS NOT NULL AND value != '' "
            f"ORDER BY count(*) DESC, value LIMIT ?", values + [limit]).fetchall()
    return counts


def failures_first(db: sqlite3.Connection, limit: int = 500) -> list[dict]:
    """The audit dashboard: failed, then never audited, then the longest unchecked —
    three index walks that stop at `limit`, never a sort of the whole catalog."""
    rows = []
    for where in ("last_outcome = 'failure' ORDER BY last_audit",
                  "last_audit IS NULL ORDER BY id",
                  "last_outcome = 'success' ORDER BY last_audit"):
        if len(rows) >= limit:
            break
        cursor = db.execute("SELECT id, headline, last_audit, last_outcome FROM packages "
                            f"WHERE state = 'current' AND {where} LIMIT ?", (limit - len(rows),))
        columns = [c[0] for c in cursor.description]
        rows += [dict(zip(columns, row)) for row in cursor]
    return rows
