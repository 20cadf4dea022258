"""The collection's catalog index: SQLite (stdlib), rebuildable from the packages.

The packages are the truth; the index makes them searchable (FTS5 over headline, dek,
authors, body, credits, subjects and the cataloguer's fields) and remembers audits,
amendments and withdrawals. A package is `current`, `superseded` (an amendment made a
newer version) or `withdrawn`.
"""

import json
import sqlite3
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from archivekit.collection.search import Filters, match_expression, where_clause

VERSION = 2     # PRAGMA user_version: older indexes gain the new columns and are re-read
SCHEMA = """
CREATE TABLE IF NOT EXISTS packages (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, headline TEXT, publisher TEXT, published TEXT,
    sources TEXT NOT NULL, signer TEXT, sealed_at TEXT, created TEXT,
    ingested INTEGER NOT NULL DEFAULT 0, last_audit TEXT, last_outcome TEXT);
CREATE TABLE IF NOT EXISTS source_digests (
    sha256 TEXT NOT NULL, package_id TEXT NOT NULL REFERENCES packages(id),
    PRIMARY KEY (sha256, package_id));
-- What a run already knows, so that it does not rediscover it: inbox files by path with
-- the stat (and the digest of the catalog) that identified them, every seal in the
-- transparency log, and the checkpoint every stored proof was last brought up to.
-- An inbox file's ctime_ns is NULL where a version that did not keep it settled it.
CREATE TABLE IF NOT EXISTS inbox_files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, catalog TEXT NOT NULL, sha256 TEXT NOT NULL, ctime_ns INTEGER);
-- A glob's folder whose every matched file was settled: its stat then (mtime_ns, ctime_ns,
-- inode), how many files it matched, and where the rolling re-check of its files is.
CREATE TABLE IF NOT EXISTS inbox_folders (
    folder TEXT NOT NULL, pattern TEXT NOT NULL, catalog TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
    files INTEGER NOT NULL, cursor TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (folder, pattern, catalog));
-- A folder a glob over several folders reached (`inbox/**/*.txt`): its stat (mtime_ns,
-- ctime_ns, inode) before it was listed, its subfolders (JSON list of names) and its
-- symbolic links (whose targets may turn into folders or stop being ones unseen).
CREATE TABLE IF NOT EXISTS inbox_subfolders (
    folder TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, subfolders TEXT NOT NULL, links TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS logged_seals (
    seal_sha256 TEXT PRIMARY KEY, package_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS logged_seals_by_package ON logged_seals (package_id);
-- Every package up to rowid `mark` has a logged seal (but those unlogged() still finds
-- at or above it), as runs last found while logged_seals held `seals` rows: a run asks
-- only about newer packages. Forgetting a logged seal forgets the mark.
CREATE TABLE IF NOT EXISTS logged_through (mark INTEGER NOT NULL, seals INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS logged_seals_forgotten AFTER DELETE ON logged_seals
BEGIN DELETE FROM logged_through; END;
CREATE TABLE IF NOT EXISTS proofs_refreshed (checkpoint_sha256 TEXT NOT NULL);
-- packages/ as the last listing that found every package indexed saw it (one row).
CREATE TABLE IF NOT EXISTS packages_listed (
    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, inode INTEGER NOT NULL);
-- The audit log's last seq when ingestion lines were last about to be appended (one
-- row): a package not marked ingested whose line is after it was logged by a run killed
-- before marking it.
CREATE TABLE IF NOT EXISTS ingestion_log_position (seq INTEGER NOT NULL);
-- One row while an audit is under way: when it began (a killed audit resumes from it).
CREATE TABLE IF NOT EXISTS audit_progress (started TEXT NOT NULL);
"""
# Added in version 2 (ALTER TABLE keeps an older index's audit history).
NEW_COLUMNS = {"dek": "TEXT", "authors": "TEXT", "subjects": "TEXT", "call_number": "TEXT",
               "date": "TEXT", "catalog": "TEXT", "state": "TEXT NOT NULL DEFAULT 'current'",
               "supersedes": "TEXT", "superseded_by": "TEXT", "withdrawal": "TEXT"}
SEARCH_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS package_text USING fts5(
    headline, dek, authors, body, credits, subjects, catalog,
    content='', tokenize='unicode61 remove_diacritics 2');
CREATE INDEX IF NOT EXISTS packages_date ON packages(date, id);
CREATE INDEX IF NOT EXISTS packages_call_number ON packages(call_number);
CREATE INDEX IF NOT EXISTS packages_outcome ON packages(last_outcome);
"""
# The folder of an inbox file's path, its separator kept ("/a/b/c.txt" -> "/a/b/"): the
# path less its trailing characters that are not a separator. Indexed, it finds the files
# directly in a folder without reading those of its subfolders (the inbox's top folder of
# a `**` glob holds no file, and a range of paths would read every file under it).
_FOLDER_OF = "rtrim(path, replace(path, '/', ''))"
# What a run asks each time, answered from an index instead of every row (at 100,000
# packages ~30 ms a question): the audit's next packages (NULL, never audited, sorts
# first), how many can be audited, which are not yet in the audit log, the known inbox
# files directly in a folder. The withdrawn are few: a partial index holds only them.
# (An index on every package's state misled SQLite, which has no statistics here, into
# taking `state IN ('current')` for a narrow filter: the reading room's page and each
# page of `list` sorted the whole catalog.)
INDEXES = f"""
CREATE INDEX IF NOT EXISTS packages_audit ON packages(last_audit, id);
DROP INDEX IF EXISTS packages_state;
CREATE INDEX IF NOT EXISTS packages_withdrawn ON packages(id) WHERE state = 'withdrawn';
CREATE INDEX IF NOT EXISTS packages_to_ingest ON packages(id) WHERE ingested = 0;
CREATE INDEX IF NOT EXISTS inbox_files_by_folder ON inbox_files ({_FOLDER_OF}, path);
"""
# Words that match many packages are ranked (bm25) among the newest this many matches
# that pass the filters: ranking every match costs ~20 us each (2 s at 100,000).
RANK_WINDOW = 1000
# Rows read per query when results are streamed (list, search): each page is one short
# read transaction.
PAGE = 500
COLUMNS = ("id", "path", "headline", "dek", "authors", "publisher", "published", "date",
           "subjects", "call_number", "catalog", "sources", "signer", "sealed_at", "created",
           "ingested", "last_audit", "last_outcome", "state", "supersedes", "superseded_by",
           "withdrawal")
# JSON columns, and what a row shows when one is empty.
_JSON = {"authors": "[]", "subjects": "[]", "sources": "[]", "catalog": "null",
         "withdrawal": "null"}


# A known inbox file; its catalog digest None when its content left the collection.
_KNOWN_ROWS = ("SELECT path, size, mtime_ns, inode, ctime_ns, CASE WHEN EXISTS (SELECT 1 FROM "
               "source_digests s WHERE s.sha256 = f.sha256) THEN catalog END "
               "FROM inbox_files f")


def _folder_key(folder: str) -> str:
    """`folder` as _FOLDER_OF gives it for the files directly in it."""
    return folder.rstrip("/") + "/"


def cannot_write(error: sqlite3.Error) -> bool:
    """Whether SQLite refused a change because the catalog cannot be written here (a
    read-only mount or file, an immutable file, a folder where its journal cannot be
    made)."""
    name = getattr(error, "sqlite_errorname", None) or ""
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN"))


def copy_catalog(path: Path, to: Path) -> None:
    """A consistent copy of the catalog at `path` made at `to` (SQLite's backup), the
    catalog opened read-only."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        target = sqlite3.connect(to)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


class CatalogIndex:
    """The collection's catalog: an SQLite index of its packages (what each descriptor
    says, where the package is, its seal, state and last audit) with full-text search.
    Rebuildable from the packages, which stay the record."""

    def __init__(self, path: Path):
        """Open the catalog at `path`, brought up to this version (sqlite3.OperationalError,
        cannot_write, when it must be and cannot be written)."""
        self.db = sqlite3.connect(path, timeout=30)
        try:
            self._create(SCHEMA)
            self.stale = self._migrate()
            self._once(lambda: "ctime_ns" not in self._columns("inbox_files"),
                       lambda: self.db.execute("ALTER TABLE inbox_files ADD COLUMN "
                                               "ctime_ns INTEGER"))
            self._create(INDEXES)
        except BaseException:
            self.db.close()
            raise

    def _create(self, script: str) -> None:
        """Make the tables and indexes a newer version added, where missing. A catalog
        that cannot be written (a read-only mount, a backup, an immutable file) is read
        as it is: what reading asks needs none of them (an index only speeds a run up),
        and the next run that can write makes them."""
        try:
            self.db.executescript(script)
        except sqlite3.OperationalError as exc:
            if not cannot_write(exc):
                raise

    def _migrate(self) -> bool:
        """Bring an older index to VERSION; True when its rows must be re-read."""
        return self._once(lambda: self._version() < VERSION, self._add_columns) and \
            self.db.execute("SELECT count(*) FROM packages").fetchone()[0] > 0

    def _add_columns(self) -> None:
        present = self._columns("packages")
        for name, kind in NEW_COLUMNS.items():
            if name not in present:
                self.db.execute(f"ALTER TABLE packages ADD COLUMN {name} {kind}")
        for statement in SEARCH_SCHEMA.split(";"):   # executescript would commit first
            if statement.strip():
                self.db.execute(statement)
        self.db.execute(f"PRAGMA user_version = {VERSION}")

    def _once(self, needed, change) -> bool:
        """Make a change to the schema if `needed()`, asking again once the write lock is
        held: two processes opening an older index at once would both make it ("duplicate
        column name"). Whether this one made it."""
        if not needed():
            return False
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if not needed():        # another process changed it meanwhile
                self.db.rollback()
                return False
            change()
            self.db.commit()
        except BaseException:
            self.db.rollback()
            raise
        return True

    def _columns(self, table: str) -> set[str]:
        return {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}

    def _version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def clear_text(self) -> None:
        """Empty the full-text index (contentless: rows cannot be replaced one by one)."""
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS package_text")
            self.db.executescript(SEARCH_SCHEMA)

    def add(self, descriptor: dict, path: str, seal: dict | None) -> None:
        """Index one package (again, if known: its audit history and state are kept)."""
        self.add_many([(descriptor, path, seal)])

    def add_many(self, packages) -> None:
        """(descriptor, path, seal) of many packages, in one transaction."""
        with self.db:
            for descriptor, path, seal in packages:
                self._add(descriptor, path, seal)

    def stage(self, descriptor: dict, path: str, seal: dict | None) -> None:
        """Index one package in the open transaction, uncommitted: commit() records it,
        with every package staged since the last commit (any write that commits does
        too); rollback() forgets them all. This connection sees them meanwhile."""
        self._add(descriptor, path, seal)

    def uncommitted(self) -> bool:
        """Whether a transaction is open (something staged and not yet committed)."""
        return self.db.in_transaction

    def commit(self) -> None:
        """Record what was staged."""
        self.db.commit()

    def rollback(self) -> None:
        """Forget what was staged and not committed."""
        self.db.rollback()

    def _add(self, descriptor: dict, path: str, seal: dict | None) -> None:
        meta = descriptor.get("metadata") or {}
        catalog = descriptor.get("catalog") or {}
        sources = descriptor.get("sources") or []
        authors = [a.get("name") for a in meta.get("authors") or [] if isinstance(a, dict)]
        authors += [c for c in _strings(catalog.get("creators")) if c not in authors]
        subjects = _strings(catalog.get("subjects"))
        printed = meta.get("print") or {}
        date = next((d[:10] for d in (printed.get("date"), meta.get("published"),
                                      catalog.get("date"), descriptor.get("created"))
                     if isinstance(d, str) and d[:4].isdigit()), None)
        row = {"id": descriptor["id"], "path": path, "headline": meta.get("headline"),
               "dek": meta.get("description"), "authors": json.dumps(authors),
               "publisher": (meta.get("publisher") or {}).get("name"),
               "published": meta.get("published"), "date": date,
               "subjects": json.dumps(subjects),
               "call_number": catalog.get("call_number") if isinstance(
                   catalog.get("call_number"), str) else None,
               "catalog": json.dumps(catalog, ensure_ascii=False),
               "sources": json.dumps([s.get("filename") or s.get("uri") for s in sources]),
               "signer": (seal or {}).get("signer"), "sealed_at": (seal or {}).get("sealed_at"),
               "created": descriptor.get("created"),
               "supersedes": (descriptor.get("amendment") or {}).get("supersedes")}
        names = list(row)
        self.db.execute(
            f"INSERT INTO packages ({', '.join(names)}) VALUES "
            f"({', '.join('?' * len(names))}) ON CONFLICT(id) DO UPDATE SET "
            + ", ".join(f"{n} = excluded.{n}" for n in names[1:]), list(row.values()))
        self.db.executemany("INSERT OR IGNORE INTO source_digests VALUES (?, ?)",
                            [(s.get("sha256"), descriptor["id"]) for s in sources])
        rowid = self.db.execute("SELECT rowid FROM packages WHERE id = ?",
                                (row["id"],)).fetchone()[0]
        if not self.db.execute("SELECT 1 FROM package_text WHERE rowid = ?",
                               (rowid,)).fetchone():   # a re-read starts from clear_text
            self.db.execute(
                "INSERT INTO package_text (rowid, headline, dek, authors, body, credits, "
                "subjects, catalog) VALUES (?,?,?,?,?,?,?,?)",
                (rowid, meta.get("headline"), meta.get("description"), " ; ".join(authors),
                 meta.get("body"), _credits_text(meta), " ; ".join(subjects),
                 _catalog_text(catalog)))

    def package_for_digest(self, sha256: str) -> str | None:
        """The current package holding these source bytes (a withdrawn one counts: its
        source is not captured again behind the library's back)."""
        row = self.db.execute(
            "SELECT s.package_id FROM source_digests s JOIN packages p ON p.id = s.package_id "
            "WHERE s.sha256 = ? ORDER BY p.state = 'superseded', p.created DESC",
            (sha256,)).fetchone()
        return row[0] if row else None

    def known_files(self, paths: list[str]) -> dict[str, tuple]:
        """Which of `paths` are inbox files already settled in the collection: (size,
        mtime_ns, inode, ctime_ns, catalog digest) as they were then (ctime_ns None if
        a version that did not keep it settled the file). A file whose content left
        the collection is not known. Looked up by path (a day's folder of 100 files costs
        the same in a collection of 1M)."""
        return {row[0]: row[1:] for row in self._rows_in(
            "SELECT path, size, mtime_ns, inode, ctime_ns, catalog FROM inbox_files f "
            "WHERE path IN ({}) AND EXISTS "
            "(SELECT 1 FROM source_digests s WHERE s.sha256 = f.sha256)", paths)}

    def known_rows_in(self, folder: str):
        """(path, size, mtime_ns, inode, ctime_ns, catalog digest) of every settled file
        directly in `folder`, row by row in path order (none held: read them before
        writing); a file whose content left the collection has catalog None."""
        return self.db.execute(f"{_KNOWN_ROWS} WHERE {_FOLDER_OF} = ? ORDER BY path",
                               (_folder_key(folder),))

    def remember_files(self, files: list[tuple]) -> None:
        """(path, size, mtime_ns, inode, ctime_ns, catalog digest, sha256) of inbox files
        now settled in the collection."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO inbox_files (path, size, mtime_ns, inode, ctime_ns, "
                "catalog, sha256) VALUES (?,?,?,?,?,?,?)", files)

    def settled_digest(self, path: str) -> str | None:
        """The SHA-256 of an inbox file's bytes when it was settled, or None."""
        row = self.db.execute("SELECT sha256 FROM inbox_files WHERE path = ?", (path,)).fetchone()
        return row and row[0]

    def forget_files(self, paths: list[str]) -> None:
        """Inbox files no longer there (a removed file's row would fail every re-check)."""
        with self.db:
            self.db.executemany("DELETE FROM inbox_files WHERE path = ?",
                                [(path,) for path in paths])

    def known_slice(self, folder: str, after: str, limit: int):
        """(path, size, mtime_ns, inode, ctime_ns, catalog digest) of up to `limit`
        settled files directly in `folder`, in path order from the one after `after`,
        wrapping round to the first and on to `after` itself (a folder of one file
        has it in every slice), row by row (none held); a file whose content left the
        collection has catalog None."""
        key = _folder_key(folder)
        count = 0
        for row in self.db.execute(f"{_KNOWN_ROWS} WHERE {_FOLDER_OF} = ? AND path > ? "
                                   "ORDER BY path LIMIT ?", (key, after, limit)):
            count += 1
            yield row
        if count < limit and after > key:     # round to the first, up to `after`
            yield from self.db.execute(f"{_KNOWN_ROWS} WHERE {_FOLDER_OF} = ? AND path <= ? "
                                       "ORDER BY path LIMIT ?", (key, after, limit - count))

    def unknown_in(self, folder: str, files) -> tuple[list[str], int]:
        """Of `files` ((name, matched) of a folder's files, an iterable read once), the
        matched names the catalog does not know, and how many are matched (a known name
        is compared by its stat, inode included, by the caller). Streamed through a
        temporary table and compared in one EXCEPT (sorted by SQLite, spilled to disk
        when large): no more is held in memory than SQLite's cache and the names
        returned. listed_with_stem and listed_matched ask the same table."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS listing "
                        "(name TEXT NOT NULL, matched INTEGER)")
        self.db.execute("DROP INDEX IF EXISTS temp.listing_by_name")
        with self.db:
            self.db.execute("DELETE FROM temp.listing")
            self.db.executemany("INSERT INTO temp.listing VALUES (?, ?)", files)
        key = _folder_key(folder)
        unknown = [row[0] for row in self.db.execute(
            "SELECT name FROM temp.listing WHERE matched EXCEPT "
            f"SELECT substr(path, ?) FROM inbox_files WHERE {_FOLDER_OF} = ?",
            (len(key) + 1, key))]
        matched = self.db.execute("SELECT count(*) FROM temp.listing WHERE matched").fetchone()[0]
        return unknown, matched

    def listed_with_stem(self, stem: str) -> list[tuple[str, bool]]:
        """(name, matched) of the listed files named STEM.something (and a few more:
        the caller splits the names)."""
        self.db.execute("CREATE INDEX IF NOT EXISTS temp.listing_by_name ON listing (name)")
        return [(name, bool(matched)) for name, matched in self.db.execute(
            "SELECT name, matched FROM temp.listing WHERE name > ? AND name < ?",
            (stem + ".", stem + "/"))]

    def listed_matched(self, names: list[str]) -> list[str]:
        """Those of `names` the glob matched in the folder last listed."""
        return [row[0] for row in self._rows_in(
            "SELECT name FROM temp.listing WHERE matched AND name IN ({})", names)]

    def folder_state(self, folder: str, pattern: str, catalog: str) -> tuple | None:
        """(mtime_ns, ctime_ns, inode, files, cursor) of a glob's folder as recorded when
        its every file was settled, or None."""
        return self.db.execute(
            "SELECT mtime_ns, ctime_ns, inode, files, cursor FROM inbox_folders "
            "WHERE folder = ? AND pattern = ? AND catalog = ?",
            (folder, pattern, catalog)).fetchone()

    def remember_folder(self, folder: str, pattern: str, catalog: str, stamp: tuple,
                        files: int) -> None:
        """Record a glob's folder, every file of which was compared and is settled: its
        stat (mtime_ns, ctime_ns, inode) before it was listed, and how many files the
        glob matched (the rolling re-check starts again)."""
        with self.db:
            self.db.execute(
                "INSERT INTO inbox_folders VALUES (?,?,?,?,?,?,?,'') "
                "ON CONFLICT (folder, pattern, catalog) DO UPDATE SET mtime_ns = "
                "excluded.mtime_ns, ctime_ns = excluded.ctime_ns, inode = excluded.inode, "
                "files = excluded.files, cursor = ''",
                (folder, pattern, catalog, *stamp, files))

    def forget_folder(self, folder: str, pattern: str, catalog: str) -> None:
        """The folder must be scanned again by the next run."""
        with self.db:
            self.db.execute("DELETE FROM inbox_folders WHERE folder = ? AND pattern = ? "
                            "AND catalog = ?", (folder, pattern, catalog))

    def move_folder_cursors(self, moves: list[tuple[str, str, str, str]]) -> None:
        """(folder, pattern, catalog, cursor) of folders whose next re-check of their
        known files starts after `cursor`; in one transaction."""
        with self.db:
            self.db.executemany("UPDATE inbox_folders SET cursor = ? WHERE folder = ? AND "
                                "pattern = ? AND catalog = ?",
                                [(cursor, *key) for *key, cursor in moves])

    def subfolders_of(self, folder: str) -> tuple[tuple, list[str], list[str]] | None:
        """(stamp, subfolders, links) of `folder` as last listed, or None."""
        row = self.db.execute("SELECT mtime_ns, ctime_ns, inode, subfolders, links FROM "
                              "inbox_subfolders WHERE folder = ?", (folder,)).fetchone()
        return row and (row[:3], json.loads(row[3]), json.loads(row[4]))

    def remember_subfolders(self, folders: list[tuple[str, tuple, list[str], list[str]]]) -> None:
        """Record (folder, stamp, subfolders, links) of folders listed whole."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO inbox_subfolders VALUES (?,?,?,?,?,?)",
                [(folder, *stamp, json.dumps(subfolders), json.dumps(links))
                 for folder, stamp, subfolders, links in folders])

    def forget_folders(self, folders: list[str]) -> None:
        """Forget folders no longer there and all that was in them: their subfolders'
        records, their records as a glob's folder, their files (one transaction)."""
        with self.db:
            for folder in folders:
                # Below `folder`: from "folder/" up to "folder0" ("0" follows "/").
                below = (folder, folder + "/", folder + "0")
                for table in ("inbox_subfolders", "inbox_folders"):
                    self.db.execute(f"DELETE FROM {table} WHERE folder = ? OR "
                                    "(folder >= ? AND folder < ?)", below)
                self.db.execute("DELETE FROM inbox_files WHERE path >= ? AND path < ?",
                                below[1:])

    def packages_stamp(self) -> tuple | None:
        """(mtime_ns, ctime_ns, inode) of packages/ when a listing last found every
        package in it indexed, or None."""
        return self.db.execute("SELECT mtime_ns, ctime_ns, inode FROM packages_listed").fetchone()

    def remember_packages_stamp(self, stamp: tuple) -> None:
        """Note packages/'s stamp: every package in it is indexed."""
        with self.db:
            self.db.execute("DELETE FROM packages_listed")
            self.db.execute("INSERT INTO packages_listed VALUES (?, ?, ?)", stamp)

    def proofs_refreshed_for(self) -> str | None:
        """What every stored proof was last brought up to: the SHA-256 of a checkpoint
        (proofs: each run) or of the key that signed it (on request; runs.py)."""
        row = self.db.execute("SELECT checkpoint_sha256 FROM proofs_refreshed").fetchone()
        return row[0] if row else None

    def mark_proofs_refreshed(self, checkpoint_sha256: str) -> None:
        """Note that every stored log proof was brought up to the checkpoint with this
        SHA-256."""
        with self.db:
            self.db.execute("DELETE FROM proofs_refreshed")
            self.db.execute("INSERT INTO proofs_refreshed VALUES (?)", (checkpoint_sha256,))

    def unlogged(self) -> list[tuple[str, str]]:
        """(id, path) of packages none of whose seals is known to be in the
        transparency log (a withdrawn package's seals joined it, if ever, before).
        Only packages newer than those runs last found logged are asked about."""
        return sorted(self.db.execute(   # sorted here: ORDER BY id would walk every id
            f"SELECT id, path FROM packages p WHERE rowid > ? AND {_UNLOGGED}",
            (self._logged_mark(),)))

    def note_logged(self) -> None:
        """Remember that every package is logged but those unlogged() still finds (the
        next run asks only about these and newer ones)."""
        mark = self._logged_mark()
        first = self.db.execute(f"SELECT min(rowid) FROM packages p WHERE rowid > ? AND "
                                f"{_UNLOGGED}", (mark,)).fetchone()[0]
        new = first - 1 if first is not None else \
            self.db.execute("SELECT ifnull(max(rowid), 0) FROM packages").fetchone()[0]
        if new != mark:
            seals = self.db.execute("SELECT count(*) FROM logged_seals").fetchone()[0]
            with self.db:
                self.db.execute("DELETE FROM logged_through")
                self.db.execute("INSERT INTO logged_through VALUES (?, ?)", (new, seals))

    def _logged_mark(self) -> int:
        """The rowid up to which every package is known to be logged (0: none is). A
        count of logged seals lower than when it was noted means some were forgotten
        (a dropped table fires no trigger)."""
        row = self.db.execute("SELECT mark, seals FROM logged_through").fetchone()
        if row is None or self.db.execute(
                "SELECT count(*) FROM logged_seals").fetchone()[0] < row[1]:
            return 0
        return row[0]

    def mark_logged(self, seals: list[tuple[str, str]]) -> None:
        """(seal_sha256, package_id) of seals now in the transparency log."""
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO logged_seals VALUES (?, ?)", seals)

    def ids(self) -> set[str]:
        """Every package id in the index."""
        return {row[0] for row in self.db.execute("SELECT id FROM packages")}

    def indexed(self, ids: list[str]) -> set[str]:
        """Those of `ids` the index holds."""
        return {row[0] for row in self._rows_in("SELECT id FROM packages WHERE id IN ({})", ids)}

    def _rows_in(self, query: str, values: list):
        """The rows of `query`, whose {} is a list of parameters, for `values` 500 at a
        time (SQLite took at most 999 parameters before 3.32)."""
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            yield from self.db.execute(query.format(", ".join("?" * len(chunk))), chunk)

    def not_ingested(self) -> list[str]:
        """Ids of packages indexed whose ingestion is not yet in the audit log."""
        return [r[0] for r in self.db.execute("SELECT id FROM packages WHERE ingested = 0")]

    def stage_log_position(self, seq: int) -> None:
        """Note, uncommitted, that the audit log ends at entry `seq` before the ingestion
        lines of packages not yet marked ingested are appended."""
        self.db.execute("DELETE FROM ingestion_log_position")
        self.db.execute("INSERT INTO ingestion_log_position VALUES (?)", (seq,))

    def note_log_position(self, seq: int) -> None:
        """stage_log_position before one package's line is appended (a capture, an
        amendment), unless packages already wait unmarked with a position noted before
        them: a command killed after their lines kept those lines past that position, and
        this package's line will be past it too."""
        if self.log_position() is None or self.db.execute(
                "SELECT 1 FROM packages WHERE ingested = 0 LIMIT 1").fetchone() is None:
            self.stage_log_position(seq)

    def log_position(self) -> int | None:
        """The audit log's last seq as stage_log_position last noted it, or None."""
        row = self.db.execute("SELECT seq FROM ingestion_log_position").fetchone()
        return row[0] if row else None

    def mark_ingested(self, *package_ids: str) -> None:
        """Note that the packages' ingestion is in the audit log (one transaction)."""
        with self.db:
            self.db.executemany("UPDATE packages SET ingested = 1 WHERE id = ?",
                                [(package_id,) for package_id in package_ids])

    def record_audit(self, package_id: str, when: str, outcome: str) -> None:
        """The outcome of one package's audit, and when."""
        self.record_audits([(package_id, when, outcome)])

    def record_audits(self, outcomes: list[tuple[str, str, str]]) -> None:
        """(package id, when, outcome) of a batch, in one transaction."""
        with self.db:
            self.db.executemany("UPDATE packages SET last_audit = ?, last_outcome = ? "
                                "WHERE id = ?", [(when, outcome, package_id)
                                                 for package_id, when, outcome in outcomes])

    def count(self) -> int:
        """Packages an audit checks (a withdrawn one's content is gone: its tombstone is
        checked instead)."""
        # All less the withdrawn: SQLite counts a whole table from its pages' cell counts
        # and finds the withdrawn in packages_withdrawn; `state != 'withdrawn'` would visit
        # every package (4 ms at 100,000).
        return self.db.execute(
            "SELECT (SELECT count(*) FROM packages) - "
            "(SELECT count(*) FROM packages WHERE state = 'withdrawn')").fetchone()[0]

    def withdrawn(self) -> list[dict]:
        """The rows of withdrawn packages, in id order."""
        cursor = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM packages "
                                 "WHERE state = 'withdrawn' ORDER BY id")
        return [_row(row) for row in cursor]

    def audit_queue(self, stale_before: str | None = None, not_since: str | None = None,
                    limit: int | None = None) -> "AuditQueue":
        """(id, path) of packages not withdrawn: never audited first, then the longest
        unchecked; `stale_before`, `not_since`: only those not checked since then; at most
        `limit`. Kept in a temporary table, not in memory: a million chosen packages
        would be ~300 MiB as a list."""
        where, args = ["state != 'withdrawn'"], []
        for moment in (stale_before, not_since):
            if moment:
                where.append("(last_audit IS NULL OR last_audit < ?)")
                args.append(moment)
        sql = (f"SELECT id, path FROM packages WHERE {' AND '.join(where)} "
               "ORDER BY last_audit, id")    # NULL first: packages_audit gives the order
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self.db:
            self.db.execute("DROP TABLE IF EXISTS temp.audit_queue")
            self.db.execute("CREATE TEMP TABLE audit_queue "
                            "(n INTEGER PRIMARY KEY, id TEXT NOT NULL, path TEXT NOT NULL)")
            self.db.execute(f"INSERT INTO temp.audit_queue (id, path) {sql}", args)
        return AuditQueue(self.db)

    def audit_in_progress(self) -> str | None:
        """When an audit that never finished began (it was killed), or None."""
        row = self.db.execute("SELECT min(started) FROM audit_progress").fetchone()
        return row[0] if row else None

    def audited_since(self, moment: str) -> int:
        """How many packages were audited at or after `moment`."""
        return self.db.execute("SELECT count(*) FROM packages WHERE last_audit >= ?",
                               (moment,)).fetchone()[0]

    def begin_audit(self, started: str) -> None:
        """Note that an audit began at `started` (audit_in_progress finds it if it never
        ends)."""
        with self.db:
            self.db.execute("INSERT INTO audit_progress VALUES (?)", (started,))

    def end_audit(self) -> None:
        """Note that the audit under way finished."""
        with self.db:
            self.db.execute("DELETE FROM audit_progress")

    def mark_superseded(self, old_id: str, new_id: str) -> None:
        """Note that `old_id` was replaced by its amended version `new_id`."""
        with self.db:
            self.db.execute("UPDATE packages SET state = 'superseded', superseded_by = ? "
                            "WHERE id = ?", (new_id, old_id))

    def mark_withdrawn(self, package_id: str, withdrawal: dict, path: str | None) -> None:
        """Note that the package was withdrawn (`withdrawal`: who, when, why); `path`: where
        its tombstone now is, if it moved."""
        with self.db:
            self.db.execute("UPDATE packages SET state = 'withdrawn', withdrawal = ?, "
                            "path = COALESCE(?, path) WHERE id = ?",
                            (json.dumps(withdrawal, ensure_ascii=False), path, package_id))

    def get(self, package_id: str) -> dict | None:
        """The row of one package, or None."""
        cursor = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM packages WHERE id = ?",
                                 (package_id,))
        row = cursor.fetchone()
        return _row(row) if row else None

    def history(self, package_id: str) -> list[dict]:
        """Every version of a package, oldest first (it may be any one of them)."""
        first = package_id
        while True:
            row = self.db.execute("SELECT supersedes FROM packages WHERE id = ?",
                                  (first,)).fetchone()
            if not row or not row[0] or row[0] == package_id:
                break
            first = row[0]
        versions, seen, current = [], set(), first
        while current and current not in seen:
            seen.add(current)
            row = self.get(current)
            if not row:
                break
            versions.append(row)
            current = row["superseded_by"]
        return versions

    def rows(self, filters: Filters | None = None) -> list[dict]:
        """Packages in id order; with `filters`, those matching them (ranked when words
        are given), as search would."""
        if filters is not None:
            return self.search(filters)
        cursor = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM packages ORDER BY id")
        return [_row(row) for row in cursor]

    def search(self, filters: Filters) -> list[dict]:
        """Packages matching `filters`, ranked by relevance when words are given; one
        page of them (`filters.offset`, `filters.limit`)."""
        return list(self.iter_search(filters))

    def iter_search(self, filters: Filters) -> Iterator[dict]:
        """The rows of search(), read PAGE at a time: memory does not grow with the
        matches, and no read lock is held between pages (an open `list | less` would
        otherwise keep a run from committing for as long as the reader dawdles)."""
        conditions, params, match = where_clause(filters)
        if filters.text.strip() and not match_expression(filters.text):
            return   # words were asked for, but none has a letter or digit
        if match:
            yield from self._ranked(conditions, [match] + params, filters)
            return
        end = filters.offset + filters.limit if filters.limit >= 0 else None
        yield from islice(self._newest_first(conditions, params, end), filters.offset, end)

    def _ranked(self, conditions: str, params: list, filters: Filters) -> Iterator[dict]:
        """Matches of words, best first: bm25 among the newest RANK_WINDOW (or as many as
        asked for), ranked in one query that returns rowids only; rows follow by page."""
        window = max(RANK_WINDOW, filters.offset + filters.limit) if filters.limit > 0 else -1
        rowids = [rowid for (rowid,) in self.db.execute(
            "SELECT rowid FROM (SELECT p.rowid AS rowid, p.id AS id, t.rank AS score "
            "FROM package_text t JOIN packages p ON p.rowid = t.rowid "
            f"WHERE package_text MATCH ? AND {conditions} ORDER BY t.rowid DESC "
            f"LIMIT {window}) ORDER BY score, id LIMIT ? OFFSET ?",
            params + [filters.limit, filters.offset])]
        columns = ", ".join(COLUMNS)
        for start in range(0, len(rowids), PAGE):
            page = rowids[start:start + PAGE]
            found = {row[0]: row[1:] for row in self.db.execute(
                f"SELECT rowid, {columns} FROM packages "
                f"WHERE rowid IN ({', '.join('?' * len(page))})", page)}
            yield from (_row(found[rowid]) for rowid in page if rowid in found)

    def _newest_first(self, conditions: str, params: list, end: int | None) -> Iterator[dict]:
        """Rows by date, newest first (ties by id), each page a query that starts where
        the last one stopped (a seek in packages_date, not an OFFSET that walks every
        earlier row). ORDER BY date DESC puts undated rows last: they are paged apart.
        The date index is named: a filter's index (packages_outcome, say), which SQLite
        without statistics takes for a narrow one, would sort every match again for each
        page. Filters are checked along it: all the pages read the index once."""
        columns = ", ".join(f"p.{c}" for c in COLUMNS)
        shown = 0
        for dated, after in ((True, "(p.date, p.id) < (?, ?)"), (False, "p.id < ?")):
            last = None
            while end is None or shown < end:
                where = f"{conditions} AND p.date IS {'NOT ' if dated else ''}NULL"
                if last is not None:
                    where += f" AND {after}"
                size = PAGE if end is None else min(PAGE, end - shown)
                rows = self.db.execute(
                    f"SELECT {columns} FROM packages p INDEXED BY packages_date "
                    f"WHERE {where} ORDER BY p.date DESC, p.id DESC LIMIT ?",
                    params + (list(last) if last else []) + [size]).fetchall()
                for row in rows:
                    yield _row(row)
                shown += len(rows)
                if len(rows) < size:
                    break
                last = (row[COLUMNS.index("date")], row[0]) if dated else (row[0],)


class AuditQueue:
    """The packages an audit chose, in order, read back a batch at a time (the audit
    records outcomes in between, which moves the chosen rows in the packages' own order)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.length = db.execute("SELECT count(*) FROM temp.audit_queue").fetchone()[0]

    def __len__(self) -> int:
        return self.length

    def batches(self, size: int):
        """Lists of at most `size` (id, path), in the chosen order."""
        after = 0
        while True:
            rows = self.db.execute("SELECT n, id, path FROM temp.audit_queue WHERE n > ? "
                                   "ORDER BY n LIMIT ?", (after, size)).fetchall()
            if not rows:
                return
            after = rows[-1][0]
            yield [(package_id, path) for _, package_id, path in rows]

    def __iter__(self):
        for batch in self.batches(1000):
            yield from batch


# A package with no seal known to be in the transparency log (withdrawn ones aside).
_UNLOGGED = ("state != 'withdrawn' AND NOT EXISTS "
             "(SELECT 1 FROM logged_seals l WHERE l.package_id = p.id)")


def _row(values) -> dict:
    row = dict(zip(COLUMNS, values))
    for name, empty in _JSON.items():
        row[name] = json.loads(row[name] or empty)
    return row


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _credits_text(meta: dict) -> str:
    return " ; ".join(" ".join(str(c.get(k)) for k in ("role", "name", "agency") if c.get(k))
                      for c in meta.get("credits") or [] if isinstance(c, dict))


def _catalog_text(catalog: dict) -> str:
    """Every cataloguer's value, words only (the field names are not searched)."""
    words = []
    for value in catalog.values():
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        words += _strings(value)
    return " ; ".join(words)
