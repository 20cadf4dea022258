"""The collection's catalog index: SQLite (stdlib), rebuildable from the packages.

The packages are the truth; the index makes them searchable and remembers audits.
"""

import json
import sqlite3
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS packages (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, headline TEXT, publisher TEXT, published TEXT,
    sources TEXT NOT NULL, signer TEXT, sealed_at TEXT, created TEXT,
    ingested INTEGER NOT NULL DEFAULT 0, last_audit TEXT, last_outcome TEXT);
CREATE TABLE IF NOT EXISTS source_digests (
    sha256 TEXT NOT NULL, package_id TEXT NOT NULL REFERENCES packages(id),
    PRIMARY KEY (sha256, package_id));
-- What a run already knows, so that it does not rediscover it (issue 16): inbox files
-- by path with the stat that identified them, and every seal in the transparency log.
CREATE TABLE IF NOT EXISTS inbox_files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS logged_seals (
    seal_sha256 TEXT PRIMARY KEY, package_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS logged_seals_by_package ON logged_seals (package_id);
-- One row while an audit is under way: when it began (a killed audit resumes from it).
CREATE TABLE IF NOT EXISTS audit_progress (started TEXT NOT NULL);
"""
COLUMNS = ("id", "path", "headline", "publisher", "published", "sources", "signer",
           "sealed_at", "created", "ingested", "last_audit", "last_outcome")


class CatalogIndex:
    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, timeout=30)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def add(self, descriptor: dict, path: str, seal: dict | None) -> None:
        meta = descriptor.get("metadata") or {}
        sources = descriptor.get("sources") or []
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO packages (id, path, headline, publisher, published, "
                "sources, signer, sealed_at, created, ingested) VALUES (?,?,?,?,?,?,?,?,?,"
                "COALESCE((SELECT ingested FROM packages WHERE id = ?), 0))",
                (descriptor["id"], path, meta.get("headline"),
                 (meta.get("publisher") or {}).get("name"), meta.get("published"),
                 json.dumps([s.get("filename") or s.get("uri") for s in sources]),
                 (seal or {}).get("signer"), (seal or {}).get("sealed_at"),
                 descriptor.get("created"), descriptor["id"]))
            self.db.executemany("INSERT OR IGNORE INTO source_digests VALUES (?, ?)",
                                [(s.get("sha256"), descriptor["id"]) for s in sources])

    def package_for_digest(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT package_id FROM source_digests WHERE sha256 = ?",
                              (sha256,)).fetchone()
        return row[0] if row else None

    def known_files(self) -> dict[str, tuple[int, int, int]]:
        """Inbox files already captured or found to be in the collection, by path:
        (size, mtime_ns, inode) as they were then. A file whose content left the
        collection is not known."""
        cursor = self.db.execute(
            "SELECT path, size, mtime_ns, inode FROM inbox_files f WHERE EXISTS "
            "(SELECT 1 FROM source_digests s WHERE s.sha256 = f.sha256)")
        return {path: (size, mtime, inode) for path, size, mtime, inode in cursor}

    def remember_files(self, files: list[tuple[str, int, int, int, str]]) -> None:
        """(path, size, mtime_ns, inode, sha256) of inbox files now in the collection."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO inbox_files VALUES (?,?,?,?,?)", files)

    def unlogged(self) -> list[tuple[str, str]]:
        """(id, path) of packages none of whose seals is known to be in the
        transparency log."""
        return list(self.db.execute(
            "SELECT id, path FROM packages p WHERE NOT EXISTS "
            "(SELECT 1 FROM logged_seals l WHERE l.package_id = p.id) ORDER BY id"))

    def mark_logged(self, seals: list[tuple[str, str]]) -> None:
        """(seal_sha256, package_id) of seals now in the transparency log."""
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO logged_seals VALUES (?, ?)", seals)

    def ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT id FROM packages")}

    def not_ingested(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM packages WHERE ingested = 0")]

    def mark_ingested(self, package_id: str) -> None:
        with self.db:
            self.db.execute("UPDATE packages SET ingested = 1 WHERE id = ?", (package_id,))

    def record_audit(self, package_id: str, when: str, outcome: str) -> None:
        self.record_audits([(package_id, when, outcome)])

    def record_audits(self, outcomes: list[tuple[str, str, str]]) -> None:
        """(package id, when, outcome) of a batch, in one transaction."""
        with self.db:
            self.db.executemany("UPDATE packages SET last_audit = ?, last_outcome = ? "
                                "WHERE id = ?", [(when, outcome, package_id)
                                                 for package_id, when, outcome in outcomes])

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM packages").fetchone()[0]

    def audit_queue(self, stale_before: str | None = None, not_since: str | None = None,
                    limit: int | None = None) -> list[tuple[str, str]]:
        """(id, path): never audited first, then the longest unchecked; `stale_before`,
        `not_since`: only those not checked since then; at most `limit`."""
        where, args = ["1"], []
        for moment in (stale_before, not_since):
            if moment:
                where.append("(last_audit IS NULL OR last_audit < ?)")
                args.append(moment)
        sql = (f"SELECT id, path FROM packages WHERE {' AND '.join(where)} "
               "ORDER BY last_audit IS NOT NULL, last_audit, id")
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return list(self.db.execute(sql, args))

    def audit_in_progress(self) -> str | None:
        """When an audit that never finished began (it was killed), or None."""
        row = self.db.execute("SELECT min(started) FROM audit_progress").fetchone()
        return row[0] if row else None

    def audited_since(self, moment: str) -> int:
        return self.db.execute("SELECT count(*) FROM packages WHERE last_audit >= ?",
                               (moment,)).fetchone()[0]

    def begin_audit(self, started: str) -> None:
        with self.db:
            self.db.execute("INSERT INTO audit_progress VALUES (?)", (started,))

    def end_audit(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM audit_progress")

    def rows(self) -> list[dict]:
        cursor = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM packages ORDER BY id")
        return [dict(zip(COLUMNS, row)) for row in cursor]
