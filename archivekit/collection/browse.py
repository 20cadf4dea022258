"""Pages of a collection's catalog for people: newest first, a few facets, keyset paging
(the cost of a page does not grow with how far in it is)."""

import sqlite3
from dataclasses import dataclass

PAGE_SIZE = 25
FACETS = {
    "publisher": "publisher",
    "year": "substr(published, 1, 4)",
    "audit": "COALESCE(last_outcome, 'never audited')",
}
INDEXES = """
CREATE INDEX IF NOT EXISTS packages_newest ON packages(created DESC, id DESC);
CREATE INDEX IF NOT EXISTS packages_publisher ON packages(publisher);
"""


@dataclass(frozen=True)
class Filters:
    publisher: str | None = None
    year: str | None = None
    audit: str | None = None
    text: str | None = None

    def where(self) -> tuple[str, list]:
        clauses, values = [], []
        for name, expression in FACETS.items():
            value = getattr(self, name)
            if value:
                clauses.append(f"{expression} = ?")
                values.append(value)
        if self.text:
            clauses.append("(headline LIKE ? ESCAPE '\\' OR publisher LIKE ? ESCAPE '\\' "
                           "OR id LIKE ? ESCAPE '\\')")
            pattern = "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            values += [pattern] * 3
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", values


@dataclass(frozen=True)
class Page:
    rows: list[dict]
    after: str | None     # the cursor of the next page, or None on the last


def ensure_indexes(db: sqlite3.Connection) -> None:
    db.executescript(INDEXES)


def newest(db: sqlite3.Connection, filters: Filters, after: str | None = None,
           size: int = PAGE_SIZE) -> Page:
    """Packages newest first. `after` is the cursor `created|id` of the last row shown."""
    where, values = filters.where()
    if after and "|" in after:
        created, package_id = after.split("|", 1)
        where += (" AND " if where else " WHERE ") + "(created, id) < (?, ?)"
        values += [created, package_id]
    cursor = db.execute(
        "SELECT id, headline, publisher, published, created, last_audit, last_outcome "
        f"FROM packages{where} ORDER BY created DESC, id DESC LIMIT ?", values + [size + 1])
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, row)) for row in cursor]
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, f"{rows[-1]['created']}|{rows[-1]['id']}" if more and rows else None)


def facet_counts(db: sqlite3.Connection, filters: Filters, limit: int = 12) -> dict[str, list]:
    """For each facet, its most common values under the other filters, with counts."""
    counts = {}
    for name, expression in FACETS.items():
        others = Filters(**{**filters.__dict__, name: None})
        where, values = others.where()
        counts[name] = db.execute(
            f"SELECT {expression} AS value, count(*) FROM packages{where} "
            f"GROUP BY value HAVING value IS NOT NULL AND value != '' "
            f"ORDER BY count(*) DESC, value LIMIT ?", values + [limit]).fetchall()
    return counts


def failures_first(db: sqlite3.Connection, limit: int = 500) -> list[dict]:
    """The audit dashboard: failed, then never audited, then the longest unchecked."""
    cursor = db.execute(
        "SELECT id, headline, last_audit, last_outcome FROM packages ORDER BY "
        "CASE WHEN last_outcome = 'failure' THEN 0 WHEN last_audit IS NULL THEN 1 ELSE 2 END, "
        "last_audit, id LIMIT ?", (limit,))
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor]
