"""Finding clippings again: words and filters over the catalog index.

`Filters` is the whole question (a small frozen object a web page or the CLI fills in);
`Collection.search(filters)` answers it from SQLite FTS5 with ranked rows. Words are matched
as words, never as FTS5 syntax: a user's `"`, `-`, `:` or `AND` cannot break a query.
"""

import re
from dataclasses import dataclass
from datetime import date

AUDIT_STATES = ("verified", "failed", "never")
STATES = ("current", "superseded", "withdrawn")
_WORD = re.compile(r"[\w*]+(?:['’.-][\w*]+)*", re.UNICODE)


@dataclass(frozen=True)
class Filters:
    """A catalog search: words anywhere, an author, publisher or subject, a date range, a
    call number, an audit outcome, whether withdrawn and superseded versions count, and
    which page of results."""
    text: str = ""                    # words anywhere: headline, dek, authors, body, credits, catalog
    author: str | None = None         # words of an author's name
    publisher: str | None = None      # words of the publisher's name
    subject: str | None = None        # words of a subject heading
    since: str | None = None          # YYYY[-MM[-DD]], the clipping's date (print, else published)
    until: str | None = None          #   inclusive
    call_number: str | None = None    # a call number, or its beginning
    audit: str | None = None          # verified | failed | never
    withdrawn: bool = False           # include withdrawn packages
    history: bool = False             # include versions an amendment superseded
    limit: int = 50                   # -1: no limit
    offset: int = 0

    @property
    def empty(self) -> bool:
        """Whether nothing narrows the search (every package matches)."""
        return not any((self.text.strip(), self.author, self.publisher, self.subject,
                        self.since, self.until, self.call_number, self.audit))


def match_expression(words: str, column: str | None = None) -> str:
    """An FTS5 MATCH expression: every word must occur (a trailing * matches a prefix).
    Each word becomes a quoted string, so nothing the user types is FTS5 syntax."""
    terms = []
    for word in _WORD.findall(words):
        prefix = word.endswith("*")
        word = word.replace("*", "")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    if not terms:
        return ""
    joined = " AND ".join(terms)
    return f"{column} : ({joined})" if column else joined


def date_bound(value: str, end: bool) -> str:
    """'2023' -> '2023-01-01' (or '2023-12-31' as an end); raises ValueError otherwise."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value or ""):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    try:   # a month 13 or a 30 February compared as text and silently found something
        date.fromisoformat((value + "-01-01")[:10])
    except ValueError:
        raise ValueError(f"{value!r} is not a date in the calendar") from None
    if len(value) == 10:
        return value
    return value + ("-12-31" if len(value) == 4 else "-31") if end else \
        value + ("-01-01" if len(value) == 4 else "-01")


def where_clause(filters: Filters) -> tuple[str, list, str]:
    """(SQL conditions on `packages p`, their parameters, the FTS5 MATCH expression)."""
    conditions, params = [], []
    match = " AND ".join(f"({m})" for m in (
        match_expression(filters.text), match_expression(filters.author or "", "authors"),
        match_expression(filters.subject or "", "subjects")) if m)
    if filters.publisher:
        words = [w for w in _WORD.findall(filters.publisher.replace("*", ""))]
        for word in words:
            conditions.append("p.publisher LIKE ? ESCAPE '\\'")
            params.append("%" + _like(word) + "%")
    if filters.since:
        conditions.append("p.date >= ?")
        params.append(date_bound(filters.since, end=False))
    if filters.until:
        conditions.append("p.date <= ?")
        params.append(date_bound(filters.until, end=True))
    if filters.call_number:   # a range, not LIKE: the index answers it
        prefix = filters.call_number.strip()
        conditions.append("p.call_number >= ? AND p.call_number < ?")
        params += [prefix, prefix + "\U0010ffff"]
    if filters.audit:
        if filters.audit not in AUDIT_STATES:
            raise ValueError(f"audit state {filters.audit!r}: expected one of "
                             f"{', '.join(AUDIT_STATES)}")
        conditions.append({"verified": "p.last_outcome = 'success'",
                           "failed": "p.last_outcome = 'failure'",
                           "never": "p.last_outcome IS NULL"}[filters.audit])
    states = ["current"] + (["withdrawn"] if filters.withdrawn else []) + \
        (["superseded"] if filters.history else [])
    conditions.append(f"p.state IN ({', '.join('?' * len(states))})")
    params += states
    return " AND ".join(conditions), params, match


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
