"""A collection: a directory of sealed packages, their catalog index and audit log.

    collection.yaml   name, organization, policy
    packages/         sealed packages (directories, .zip or .tar)
    withdrawn/        a signed tombstone per withdrawn package (<id>.tombstone.dsse.json)
    quarantine/       the content of withdrawn packages, kept out of the collection
    audit.jsonl       hash-chained PREMIS events
    catalog.sqlite    the searchable index (rebuildable from packages/)
    reports/          one JSON report per run
    .lock             held while a run writes
"""

import fcntl
import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import yaml

from archivekit._internal.suggest import did_you_mean
from archivekit.collection.auditlog import AuditLog
from archivekit.errors import ArchivekitError, InputError, NoSpace, UsageError, no_space
from archivekit._internal import safeyaml
from archivekit._internal.folderwatch import FolderWatch, watching
from archivekit._internal.fsutil import (TEMP_PREFIX, atomic_write_bytes, folder_stamp, outlast,
                                         racy, read_regular, shown_path)
from archivekit._internal.limits import Limits
from archivekit.collection.catalog import CatalogIndex, cannot_write, copy_catalog
from archivekit.collection.search import Filters
from archivekit.package.contents import read_descriptor

CONFIG = "collection.yaml"
DEFAULT_POLICY = {"audit": "all", "fraction": 1, "days": 30}


def _entry(name: str, is_dir) -> tuple[str | None, str] | None:
    """(package id, name) of an entry of packages/ named `name`, the id None for a
    half-built temporary; None when it is not a package (a hidden file, a stray file, the
    lost+found of a packages/ that is a filesystem of its own). `is_dir()` is asked only
    when the name does not tell."""
    if name.startswith(TEMP_PREFIX):
        return None, name
    if name.startswith(".") or name == "lost+found":
        return None
    if name.endswith((".zip", ".tar")) and not is_dir():
        return name[:-4], name
    return (name, name) if is_dir() else None


class Refused(NamedTuple):
    """An entry of packages/ (or quarantine/) that recovery did not index: its path
    (shown with \\xNN), why, and whether that is damage (it cannot be read as a
    package), not a name or a copy out of place."""
    path: str
    why: str
    damaged: bool = False


def _package_id(path: Path) -> str:
    """The id a package at `path` must hold: its name, less .zip or .tar for a file."""
    name = path.name
    return name[:-4] if name.endswith((".zip", ".tar")) and not path.is_dir() else name


def _utf8(name: str) -> bool:
    """Whether a name os.listdir gave is valid UTF-8 (not, it holds lone surrogates)."""
    return shown_path(name) == name


class LockTimeout(ArchivekitError):
    """Another run holds the collection."""


class Collection:
    """A collection folder: sealed packages, the catalog index, the audit log (`log`)
    and the transparency log of its seals (`tlog`)."""

    def __init__(self, root: Path, config: dict, reading: bool = False):
        self.root = Path(root)
        self.config = config
        self.reading = reading      # opened only to read (Collection.open)
        # A private copy of catalog.sqlite read instead of it (read_catalog_copy), or None.
        self.catalog_copy: Path | None = None
        self._copy_folder: tempfile.TemporaryDirectory | None = None

    # --- creation and opening -------------------------------------------------------------
    @classmethod
    def init(cls, root, name: str | None = None, organization: str = "",
             policy: dict | None = None) -> "Collection":
        """Make a new collection at `root`; refuses a folder that already is one."""
        root = Path(root)
        if (root / CONFIG).exists():
            raise UsageError(f"{root} is already a collection")
        config = {"name": name or root.resolve().name, "organization": organization,
                  "policy": dict(DEFAULT_POLICY, **(policy or {}))}
        try:
            (root / "packages").mkdir(parents=True, exist_ok=True)
            (root / "reports").mkdir(exist_ok=True)
            atomic_write_bytes(root / CONFIG, yaml.safe_dump(config, sort_keys=False).encode(),
                               overwrite=False)
        except FileExistsError:
            raise UsageError(f"{root} is already a collection") from None
        except OSError as exc:
            raise InputError(f"{root}: cannot make a collection here: {exc.strerror}") from None
        collection = cls(root, config)
        collection.index().close()
        return collection

    @classmethod
    def open(cls, root, reading: bool = False) -> "Collection":
        """The collection at `root`; raises if there is none. `reading`: only to read it,
        so a catalog that cannot be written here and must be brought up to date first (an
        older version's, on a read-only snapshot) is read through a private copy
        (read_catalog_copy); opened to change it, such a catalog stops the change."""
        root = Path(root)
        path = root / CONFIG
        if not path.exists():
            parent = root.parent if str(root.parent) else Path(".")
            near = [p.name for p in parent.iterdir() if (p / CONFIG).exists()] \
                if parent.is_dir() else []
            hint = did_you_mean(root.name, near)
            raise InputError(f"{root}: not a collection (no {CONFIG}){hint}",
                             remedy=None if hint else "init-collection", subject=str(root))
        try:
            config = safeyaml.load(read_regular(path, Limits().config_bytes).decode("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(config, dict) or not isinstance(config.get("name"), str):
            raise UsageError(f"{path}: expected a mapping with a 'name'")
        config["policy"] = dict(DEFAULT_POLICY, **(config.get("policy") or {}))
        for folder in ("packages", "reports"):
            (root / folder).mkdir(exist_ok=True)
        return cls(root, config, reading)

    @classmethod
    def containing(cls, package) -> tuple["Collection", str]:
        """The collection a package path sits in (its packages/ folder), and its id."""
        path = Path(package)
        if not os.path.lexists(path):
            siblings = [p.name for p in path.parent.iterdir()] if path.parent.is_dir() else []
            raise InputError(f"{path}: no such package{did_you_mean(path.name, siblings)}")
        root = path.resolve().parent.parent
        if path.resolve().parent.name != "packages" or not (root / CONFIG).exists():
            raise InputError(f"{path}: not a package in a collection (COLLECTION/packages/"
                             "NAME); its index and audit log keep the history of a change")
        name = path.resolve().name
        return cls.open(root), (name.rsplit(".", 1)[0] if path.is_file() else name)

    @classmethod
    def open_or_init(cls, root, name=None, organization="") -> "Collection":
        """The collection at `root`, made first if there is none (safe when two runs race)."""
        if not (Path(root) / CONFIG).exists():
            try:
                return cls.init(root, name, organization)
            except UsageError:
                pass   # another run made it a moment ago
        return cls.open(root)

    # --- parts ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The collection's name, from collection.yaml."""
        return self.config["name"]

    @property
    def packages_dir(self) -> Path:
        """The folder that holds the packages."""
        return self.root / "packages"

    @property
    def audit_log(self) -> AuditLog:
        """The audit log: PREMIS events, chained by hash (audit.jsonl)."""
        return AuditLog(self.root / "audit.jsonl")

    @property
    def transparency_log(self):
        """The transparency log of the collection's seals (tlog/)."""
        from archivekit.trust.tlog import TransparencyLog
        origin = self.config.get("log_origin") or f"archivekit.local/{self.name}".replace(" ", "-")
        return TransparencyLog(self.root / "tlog", origin)

    @property
    def withdrawn_dir(self) -> Path:
        """Where the signed tombstones of withdrawn packages are kept."""
        return self.root / "withdrawn"

    @property
    def quarantine_dir(self) -> Path:
        """Where a withdrawn package's bytes are kept when they are not deleted."""
        return self.root / "quarantine"

    def tombstone_path(self, package_id: str) -> Path:
        """The signed tombstone of the withdrawn package `package_id`."""
        return self.withdrawn_dir / f"{package_id}.tombstone.dsse.json"

    def current_version(self, index: CatalogIndex, package_id: str) -> dict:
        """The index row of the newest version of `package_id`; an error naming the
        problem (with the nearest id) when there is none or it was withdrawn."""
        row = index.get(package_id)
        if row is None:
            raise InputError(f"{package_id}: no such package in the collection {self.root}"
                             f"{did_you_mean(package_id, index.ids())}")
        seen = {row["id"]}
        while row["superseded_by"] and row["superseded_by"] not in seen:
            row = index.get(row["superseded_by"]) or row
            seen.add(row["id"])
        if row["state"] == "withdrawn":
            when = (row["withdrawal"] or {}).get("withdrawn_at", "")
            raise UsageError(f"{row['id']} was withdrawn {when}".rstrip() + "; it cannot change")
        return row

    @property
    def catalog_path(self) -> Path:
        """The catalog file this collection reads: catalog.sqlite, or its private copy."""
        return self.catalog_copy or self.root / "catalog.sqlite"

    def index(self) -> CatalogIndex:
        """The catalog index (catalog.sqlite); close it when done. One made by an older
        archivekit that cannot be written here (a read-only snapshot) is read through a
        private copy brought up to date when the collection was opened for `reading`."""
        try:
            index = CatalogIndex(self.catalog_path)
        except sqlite3.OperationalError as exc:
            self.read_catalog_copy(exc)
            index = CatalogIndex(self.catalog_path)
        if index.stale:   # made by an older archivekit: read the packages again
            self.reindex(index)
        return index

    def read_catalog_copy(self, refused: sqlite3.OperationalError) -> None:
        """catalog.sqlite refused a change it must have to be read (`refused`: an older
        version's catalog brought up to date, a reading room's indexes): from now on read
        (and change) a private copy of it, made in a temporary folder removed with this
        object, if the refusal is that it cannot be written here and the collection was
        opened for reading. catalog.sqlite is left as it is; a run where it can be
        written changes it."""
        catalog = self.root / "catalog.sqlite"
        if self.catalog_copy or not cannot_write(refused):
            raise refused
        if not self.reading:
            raise InputError(f"{catalog}: cannot be written here ({refused}), and this "
                             "version must bring it up to date first",
                             remedy="writable-catalog", subject=str(self.root))
        self._copy_folder = tempfile.TemporaryDirectory(prefix="archivekit-catalog-")
        copy = Path(self._copy_folder.name) / "catalog.sqlite"
        copy_catalog(catalog, copy)
        self.catalog_copy = copy

    def search(self, filters: Filters) -> list[dict]:
        """Packages matching `filters` (best first with words, else newest first)."""
        return list(self.iter_search(filters))

    def iter_search(self, filters: Filters) -> Iterator[dict]:
        """The same, one row at a time (memory flat however many match)."""
        index = self.index()
        try:
            yield from index.iter_search(filters)
        finally:
            index.close()

    def reindex(self, index: CatalogIndex) -> int:
        """Re-read every indexed package's descriptor: the search text, authors, subjects
        and catalog fields come from the packages again; audit history, seals and states
        are kept. Returns how many packages were read."""
        index.clear_text()
        read = []

        def packages():   # read lazily: one descriptor in memory at a time
            for row in index.rows():
                try:
                    descriptor = read_descriptor(self.root / row["path"])
                except ArchivekitError:
                    continue   # gone or damaged: the audit reports it
                read.append(row["id"])
                yield descriptor, row["path"], {"signer": row["signer"],
                                                "sealed_at": row["sealed_at"]}
        index.add_many(packages())
        return len(read)

    def package_paths(self) -> list[Path]:
        """Every package in the collection (folders, .zip and .tar), sorted."""
        return sorted(self.packages_dir / name for name in self._scan()[1].values())

    def _scan(self) -> tuple[list[Path], dict[str, str]]:
        """(temporaries, {package id: entry name}) in packages/, from one listing."""
        temporaries, packages = [], {}
        for package_id, name in self._listing():
            if package_id is None:
                temporaries.append(self.packages_dir / name)
            else:
                packages[package_id] = name
        return temporaries, packages

    def _unindexed(self, index: CatalogIndex) -> tuple[list[Path], dict[str, str]]:
        """(temporaries, {package id: entry name} of the packages the index does not
        hold) in packages/, from one listing looked at entry by entry against the
        index's ids (a dict of every entry besides them held ~15 MiB more at 100,000
        packages, and took longer to build than the listing)."""
        known = index.ids()
        temporaries, missing = [], {}
        for package_id, name in self._listing():
            if package_id is None:
                temporaries.append(self.packages_dir / name)
            elif package_id not in known:
                missing[package_id] = name
        return temporaries, missing

    def _listing(self):
        """(package id, entry name) of each entry of packages/, the id None for a
        half-built temporary; the kind of each entry comes with the listing (no stat
        per package), and names stay strings (a Path each would cost more than the
        listing)."""
        with os.scandir(self.packages_dir) as entries:
            for entry in entries:
                found = _entry(entry.name, entry.is_dir)
                if found is not None:
                    yield found

    @contextmanager
    def lock(self, wait_seconds: float = 60.0):
        """Exclusive while a run writes; a second run waits, then gives up clearly. A
        collection whose catalog cannot be written here (a read-only mount or snapshot,
        an immutable file) is refused first, before anything is written: SQLite would
        refuse only the first change to the catalog, after a package was made."""
        catalog = self.root / "catalog.sqlite"
        for path in (catalog, self.root):     # the folder: SQLite's journal goes there
            if os.path.exists(path) and not os.access(path, os.W_OK):
                raise InputError(f"{catalog}: cannot be written here ({path} is read-only)",
                                 remedy="writable-catalog", subject=str(self.root))
        handle = open(self.root / ".lock", "a+")
        deadline = time.monotonic() + wait_seconds
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(f"{self.root}: another archivekit run holds this "
                                          f"collection; gave up after {wait_seconds:g} s") from None
                    time.sleep(0.2)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            handle.close()   # closing releases the lock, also when the process dies

    @contextmanager
    def stops_on_full_disk(self, kind: str):
        """A full disk stops the `kind` of work ("run", "audit", "capture", "amend",
        "withdraw", "collection add", "log refresh"...) where it is, as a kill would:
        what was written before is whole, what was being written is not kept, and the
        next run (or the same command again) finishes the rest. Raises NoSpace naming
        the collection and the file, its `stopped` saying why, for a report."""
        try:
            yield
        except (NoSpace, OSError, sqlite3.Error) as exc:
            if isinstance(exc, NoSpace):      # a package: its writer named it
                writing = exc.message
            elif isinstance(exc, OSError) and no_space(exc):
                writing = f"writing {exc.filename or self.root}: {exc.strerror}"
            elif no_space(exc):
                writing = f"writing {self.root / 'catalog.sqlite'}: {exc}"
            else:
                raise
            stopped = f"no space left on the collection's filesystem ({writing})"
            error = NoSpace(f"{self.root}: {stopped}; the {kind} stopped",
                            remedy="free-space", subject=kind)
            error.stopped = stopped
            raise error from None

    # --- recovery -------------------------------------------------------------------------
    def recover(self, index: CatalogIndex,
                seal_of) -> tuple[list[str], list[str], list[Refused]]:
        """After an interrupted run, from one listing of packages/: (names of the
        half-built temporaries removed, ids of the packages indexed, those refused: not
        indexed, listed again each run until repaired, renamed or removed). Not listed
        when its stamp (mtime, ctime, inode) is as a listing that found every package
        indexed recorded it: every writer holds the lock, and each adds, removes or
        renames an entry of packages/ (a package a killed run left changes the stamp, so
        the next run lists it)."""
        started = time.time_ns()
        stamp = folder_stamp(self.packages_dir)
        if stamp is not None and stamp == index.packages_stamp():
            return [], [], []
        temporaries, missing = self._unindexed(index)
        removed = self._remove(temporaries)
        indexed, refused = self._index_missing(index, seal_of, missing)
        if stamp is not None and not racy(stamp, started) and not refused:
            index.remember_packages_stamp(stamp)
        return removed, indexed, refused

    def watch_packages(self):
        """A context: the kernel's account of the entries of packages/ that change
        while it lasts (a FolderWatch), or None where it cannot be had whole."""
        return watching(self.packages_dir)

    def note_indexed(self, watch: FolderWatch | None = None) -> None:
        """Remember packages/ as it is now, every package in it indexed (the caller
        holds the lock and indexed what it added): the next run need not list it. A
        package copied in by hand while the run was under way (cp takes no lock) changed
        the stamp too, and, recorded unseen, would never be listed, indexed or audited:
        so each entry `watch` (begun before recovery looked at the stamp) saw change is
        looked at, and packages/ is listed, as recovery lists it, only when that account
        is not whole or an entry is not the run's own (not indexed, a temporary left).
        The order leaves no change unseen: the stamp; a wait until any later change
        must be given a later time (and so a new stamp); then the events, which hold
        every change up to that moment (docs/collections.md). Where no such wait can
        be had (times in whole seconds, no watch) a stamp this recent is not recorded:
        a copy after the listing could share its tick; the next run lists packages/."""
        index = self.index()
        try:
            started = time.time_ns()
            stamp = folder_stamp(self.packages_dir)
            if stamp is None or stamp == index.packages_stamp():
                return
            outlasted = watch is not None and outlast(stamp)
            if not outlasted and racy(stamp, started):
                return
            if outlasted and self._changed_indexed(index, watch):
                index.remember_packages_stamp(stamp)
                return
            temporaries, missing = self._unindexed(index)
            if not temporaries and not missing:
                index.remember_packages_stamp(stamp)
        finally:
            index.close()

    def _changed_indexed(self, index: CatalogIndex, watch: FolderWatch) -> bool:
        """Whether every entry of packages/ the watch saw change is gone, not a
        package, or a package the index holds (no temporary left), as a listing would
        find it; False when the watch cannot say."""
        names = watch.changed()
        if names is None:
            return False
        ids = set()
        for name in names:
            path = self.packages_dir / name
            found = _entry(name, path.is_dir) if os.path.lexists(path) else None
            if found is None:
                continue                        # gone, or not a package
            if found[0] is None or not _utf8(name):
                return False        # a temporary left; a name the catalog cannot hold
            ids.add(found[0])
        return len(index.indexed(sorted(ids))) == len(ids)

    @staticmethod
    def _remove(temporaries: list[Path]) -> list[str]:
        """Half-built packages of an interrupted run (only ever in temp directories)."""
        for path in temporaries:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return [path.name for path in temporaries]

    def _index_missing(self, index: CatalogIndex, seal_of,
                       missing: dict[str, str]) -> tuple[list[str], list[Refused]]:
        """Index the packages of packages/ not in the index (`missing`: a run killed
        between moving a package into place and indexing it), and those quarantined.
        Returns their ids and those refused (tried again next run): a name not UTF-8
        (the catalog's text cannot hold it; shown with \\xNN), a package whose name is
        not its id (a copy kept beside it, `P.bak`: indexed, it took the row of the
        package whose id it holds, and that one was audited as missing), and, damaged,
        an entry that cannot be read as a package (never indexed, no audit would
        otherwise look at it)."""
        added = []
        paths = [self.packages_dir / missing[i] for i in sorted(missing)]
        if self.quarantine_dir.is_dir():   # withdrawn packages whose content was kept
            kept = [(found[0], self.quarantine_dir / found[1])
                    for found in (_entry(p.name, p.is_dir)
                                  for p in sorted(self.quarantine_dir.iterdir()))
                    if found and found[0]]   # as in packages/: no hidden or stray file
            known = index.indexed([package_id for package_id, path in kept
                                   if _utf8(path.name)])
            paths += [path for package_id, path in kept if package_id not in known]
        refused = []
        for path in paths:
            shown = shown_path(path.relative_to(self.root))
            if not _utf8(path.name):
                refused.append(Refused(shown, "its name is not valid UTF-8"))
                continue
            try:
                descriptor = read_descriptor(path)
            except ArchivekitError as exc:
                refused.append(Refused(shown, f"cannot be read as a package ({exc.message}), "
                                              "so it was never indexed or audited", True))
                continue
            if descriptor["id"] != _package_id(path):
                refused.append(Refused(shown, f"it holds package {descriptor['id']} under "
                                              "another name"))
                continue
            index.add(descriptor, str(path.relative_to(self.root)), seal_of(path))
            added.append(descriptor["id"])
        if added:
            self.restore_states(index)
        return added, refused

    def restore_states(self, index: CatalogIndex) -> None:
        """Amendments and withdrawals as the packages and tombstones say, for an index
        rebuilt from the packages."""
        from archivekit.formats.seal import SealFormatError
        from archivekit.formats.withdrawal import read_tombstone
        for row in index.rows():
            older = row["supersedes"] and index.get(row["supersedes"])
            if older and older["state"] == "current":
                index.mark_superseded(older["id"], row["id"])
        for path in sorted(self.withdrawn_dir.glob("*.tombstone.dsse.json")):
            try:
                _, statement = read_tombstone(path.read_bytes())
            except (OSError, SealFormatError):
                continue   # the audit checks every withdrawn package's tombstone
            row = index.get(statement["package_id"])
            if row and row["state"] != "withdrawn":
                index.mark_withdrawn(row["id"], {
                    "withdrawn_at": statement["withdrawn_at"], "reason": statement["reason"],
                    "by": statement["signer"].get("name") if isinstance(
                        statement.get("signer"), dict) else None,
                    "content": statement["content"],
                    "tombstone": str(path.relative_to(self.root))}, None)
