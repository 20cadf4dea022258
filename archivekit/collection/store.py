"""A collection: a directory of sealed packages, their catalog index and audit log.

    collection.yaml   name, organization, policy
    packages/         sealed packages (directories, .zip or .tar)
    audit.jsonl       hash-chained PREMIS events
    catalog.sqlite    the searchable index (rebuildable from packages/)
    reports/          one JSON report per run
    .lock             held while a run writes
"""

import fcntl
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

from archivekit.collection.auditlog import AuditLog
from archivekit.errors import ArchivekitError, InputError, UsageError
from archivekit._internal import safeyaml
from archivekit._internal.fsutil import TEMP_PREFIX, atomic_write_bytes, read_regular
from archivekit._internal.limits import Limits
from archivekit.collection.catalog import CatalogIndex
from archivekit.package.contents import read_descriptor

CONFIG = "collection.yaml"
DEFAULT_POLICY = {"audit": "all", "fraction": 1, "days": 30}


class LockTimeout(ArchivekitError):
    """Another run holds the collection."""


class Collection:
    def __init__(self, root: Path, config: dict):
        self.root = Path(root)
        self.config = config

    # --- creation and opening -------------------------------------------------------------
    @classmethod
    def init(cls, root, name: str | None = None, organization: str = "",
             policy: dict | None = None) -> "Collection":
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
    def open(cls, root) -> "Collection":
        root = Path(root)
        path = root / CONFIG
        if not path.exists():
            raise InputError(f"{root}: not a collection (no {CONFIG}); "
                             f"make one with 'archivekit collection init {root}'")
        try:
            config = safeyaml.load(read_regular(path, Limits().config_bytes).decode("utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(config, dict) or not isinstance(config.get("name"), str):
            raise UsageError(f"{path}: expected a mapping with a 'name'")
        config["policy"] = dict(DEFAULT_POLICY, **(config.get("policy") or {}))
        for folder in ("packages", "reports"):
            (root / folder).mkdir(exist_ok=True)
        return cls(root, config)

    @classmethod
    def open_or_init(cls, root, name=None, organization="") -> "Collection":
        if not (Path(root) / CONFIG).exists():
            try:
                return cls.init(root, name, organization)
            except UsageError:
                pass   # another run made it a moment ago
        return cls.open(root)

    # --- parts ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.config["name"]

    @property
    def packages_dir(self) -> Path:
        return self.root / "packages"

    @property
    def log(self) -> AuditLog:
        return AuditLog(self.root / "audit.jsonl")

    @property
    def tlog(self):
        from archivekit.trust.tlog import TransparencyLog
        origin = self.config.get("log_origin") or f"archivekit.local/{self.name}".replace(" ", "-")
        return TransparencyLog(self.root / "tlog", origin)

    def index(self) -> CatalogIndex:
        return CatalogIndex(self.root / "catalog.sqlite")

    def package_paths(self) -> list[Path]:
        return sorted(self.packages_dir / name for name in self._scan()[1].values())

    def _scan(self) -> tuple[list[Path], dict[str, str]]:
        """(temporaries, {package id: entry name}) in packages/, from one listing; the kind
        of each entry comes with the listing (no stat per package), and names stay
        strings (a Path each would cost more than the listing)."""
        temporaries, packages = [], {}
        with os.scandir(self.packages_dir) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith(TEMP_PREFIX):
                    temporaries.append(Path(entry.path))
                elif name.startswith("."):
                    continue
                elif name.endswith((".zip", ".tar")) and not entry.is_dir():
                    packages[name[:-4]] = name
                elif entry.is_dir():
                    packages[name] = name
        return temporaries, packages

    @contextmanager
    def lock(self, wait_seconds: float = 60.0):
        """Exclusive while a run writes; a second run waits, then gives up clearly."""
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

    # --- recovery -------------------------------------------------------------------------
    def recover(self, index: CatalogIndex, seal_of) -> tuple[list[str], list[str]]:
        """After an interrupted run, from one listing of packages/: (names of the
        half-built temporaries removed, ids of the packages indexed)."""
        temporaries, packages = self._scan()
        return self._remove(temporaries), self._index_missing(index, seal_of, packages)

    @staticmethod
    def _remove(temporaries: list[Path]) -> list[str]:
        """Half-built packages of an interrupted run (only ever in temp directories)."""
        for path in temporaries:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return [path.name for path in temporaries]

    def _index_missing(self, index: CatalogIndex, seal_of, packages: dict[str, str]) -> list[str]:
        """Index packages present on disk but not in the index (a run killed between
        moving a package into place and indexing it). Returns their ids."""
        added = []
        for package_id in sorted(packages.keys() - index.ids()):
            path = self.packages_dir / packages[package_id]
            try:
                descriptor = read_descriptor(path)
            except ArchivekitError:
                continue   # damaged: the audit will report it
            index.add(descriptor, str(path.relative_to(self.root)), seal_of(path))
            added.append(descriptor["id"])
        return added
