"""Which leaf of the transparency log holds a seal, kept on disk, so that a run that adds
100 seals reads those 100 leaves and not the whole log.

    tlog/index.sqlite    seal SHA-256 -> leaf number and the leaf's offset in
                         leaves.jsonl; and how far into leaves.jsonl the index (and the
                         stored tree, tree/) reach: leaves, bytes, and the file's stat
                         then (size, mtime, ctime, inode)

Like tree/, it is an index of leaves.jsonl, never the record: missing, or left behind
by a file that changed other than by an append, it is rebuilt from the leaves.
"""

import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS leaves (
    leaf INTEGER PRIMARY KEY, offset INTEGER NOT NULL, seal BLOB);
CREATE INDEX IF NOT EXISTS leaves_by_seal ON leaves (seal);
CREATE TABLE IF NOT EXISTS reach (
    leaves INTEGER NOT NULL, bytes INTEGER NOT NULL, stat TEXT NOT NULL);
"""


class SealIndex:
    """Seal digest -> leaf number (and its offset in leaves.jsonl), in tlog/index.sqlite."""
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    @classmethod
    def open(cls, path: Path, write: bool) -> "SealIndex | None":
        """The index at `path` (made if `write`); for a reader, None if it cannot be
        read (leaves are then found without it)."""
        if write:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30)
            db.executescript(SCHEMA)
            return cls(db)
        try:
            db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return None
        try:
            db.execute("SELECT 1 FROM reach")
        except sqlite3.Error:
            db.close()
            return None
        return cls(db)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def reach(self) -> tuple[int, int, str]:
        """(leaves, bytes, stat) of leaves.jsonl as far as indexed; (0, 0, "") if never."""
        row = self.db.execute("SELECT leaves, bytes, stat FROM reach").fetchone()
        return tuple(row) if row else (0, 0, "")

    def add(self, rows: list[tuple[int, int, bytes | None]], leaves: int, end: int,
            stat: str) -> None:
        """(leaf, offset, seal digest) of leaves read, and how far that reaches, in one
        transaction."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO leaves VALUES (?, ?, ?)", rows)
            self.db.execute("DELETE FROM reach")
            self.db.execute("INSERT INTO reach VALUES (?, ?, ?)", (leaves, end, stat))

    def clear(self) -> None:
        """Forget every leaf (the file is to be read again from its start)."""
        with self.db:
            self.db.execute("DELETE FROM leaves")
            self.db.execute("DELETE FROM reach")

    def find(self, digests: list[bytes]) -> dict[bytes, tuple[int, int]]:
        """digest -> (first leaf holding it, its offset), for the digests indexed."""
        found = {}
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            for seal, leaf, offset in self.db.execute(
                    "SELECT seal, leaf, offset FROM leaves WHERE seal IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY leaf DESC", chunk):
                found[seal] = (leaf, offset)     # the first leaf wins (rows come last first)
        return found

    def offset(self, leaf: int) -> int | None:
        """Where leaf number `leaf` starts in leaves.jsonl, if indexed."""
        row = self.db.execute("SELECT offset FROM leaves WHERE leaf = ?", (leaf,)).fetchone()
        return row[0] if row else None
