"""Collections for tests: job manifests, folders of clippings, run reports, the audit log."""

import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path

import pytest


def write_manifest(tmp_path, sources, audit=None, extra="") -> Path:
    lines = [f"collection: {tmp_path / 'coll'}", "name: Test collection", "sources:"]
    for source in sources:
        lines.append(f"  - {source}")
    if audit:
        lines.append(f"audit: {audit}")
    path = tmp_path / "job.yaml"
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def clippings(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"clip-{number:03d}.txt").write_text(
            f"Council Votes on Budget Item {number}\n\nBy Jane Doe\n\n"
            f"The council voted {number} times on the matter, officials said.\n")
    return folder


def settled(*paths):
    """Wait until the paths' last change (the later of mtime and ctime) is RACY_NS old:
    a run trusts only a folder's stamp, or a file's, that old (and a ctime cannot be
    set back). Files written into a folder changed it; one rewritten in place did not."""
    from archivekit._internal.fsutil import RACY_NS
    last = max(max(os.stat(p).st_mtime_ns, os.stat(p).st_ctime_ns) for p in paths)
    time.sleep(max(0, last + RACY_NS - time.time_ns()) / 1e9 + 0.05)
    return paths[0]


def run_json(cli, *args):
    result = cli("run", *args, "--json")
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def log_entries(collection: Path):
    return [json.loads(line) for line in (collection / "audit.jsonl").read_text().splitlines()]


def assert_next_run_finishes(cli, manifest: Path, collection: Path, count: int) -> None:
    """The run after one stopped partway: each of the `count` sources captured or
    skipped, each package in the collection with one ingestion line, none twice."""
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert len(report["captured"]) + report["skipped"] == count
    ingested = Counter(e["package"] for e in log_entries(collection)
                       if e["type"] == "ingestion")
    assert sorted(ingested) == sorted(p.name for p in (collection / "packages").iterdir())
    assert set(ingested.values()) == {1}


def clipping(number, headline, body="", authors=(), publisher="The Daily Courier",
             published="2023-05-01", catalog=None, credits=()):
    """A package descriptor as the catalog index reads it, id clip-NUMBER."""
    return {"id": f"clip-{number}", "created": "2026-01-01T00:00:00Z",
            "metadata": {"headline": headline, "description": None, "body": body,
                         "authors": [{"name": a} for a in authors],
                         "publisher": {"name": publisher}, "published": published,
                         "credits": [{"role": "photograph", "name": n, "agency": "AP"}
                                     for n in credits]},
            "catalog": catalog or {}, "sources": [{"filename": f"{number}.txt",
                                                   "sha256": f"{number:064x}"}]}


def three_clippings(path: Path):
    """A CatalogIndex at `path` holding three clippings (clip-1, clip-2, clip-3) that differ
    in every field search reads; close it when done."""
    from archivekit.collection.catalog import CatalogIndex
    index = CatalogIndex(path)
    index.add_many([(d, f"packages/{d['id']}", {"signer": "desk"}) for d in [
        clipping(1, "Council Passes Budget", "The council met on Monday.", ["Jane Doe"],
                 catalog={"call_number": "027.4", "subjects": ["Municipal finance"]}),
        clipping(2, "Storm Closes Schools", "The council said schools reopen Friday.",
                 ["Ann Lee"], publisher="Harbor Gazette", published="2021-11-30"),
        clipping(3, "Müller Wins the Marathon", "A runner from Zürich.", ["Omar Haddad"],
                 published="2019-04-15", credits=["Doug Mills"],
                 catalog={"call_number": "796.42", "notes": "Front page, above the fold"}),
    ]])
    return index


def ids(rows) -> list[str]:
    return [row["id"] for row in rows]


def seed_in_a_collection(cli, tmp_path) -> Path:
    """The seed clipping and its catalog sidecar, run into the collection tmp_path/coll."""
    from conftest import SEED, SEED_CATALOG
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n"
                   f"  - path: {SEED}\n    catalog: {SEED_CATALOG}\n")
    assert cli("run", job).returncode == 0
    return next((tmp_path / "coll/packages").iterdir())


def older_collection(root: Path, package: Path) -> Path:
    """A collection at `root` holding a copy of `package`, its catalog as version 1 left
    it: no search text and no catalog fields (read again from the package once brought
    up to date), one audit on record."""
    from archivekit.collection.store import Collection
    Collection.init(root, "Old")
    (root / "catalog.sqlite").unlink()
    shutil.copytree(package, root / "packages" / package.name)
    with closing(sqlite3.connect(root / "catalog.sqlite")) as old:
        old.executescript(
            "CREATE TABLE packages (id TEXT PRIMARY KEY, path TEXT NOT NULL, headline TEXT, "
            "publisher TEXT, published TEXT, sources TEXT NOT NULL, signer TEXT, "
            "sealed_at TEXT, created TEXT, ingested INTEGER NOT NULL DEFAULT 0, "
            "last_audit TEXT, last_outcome TEXT);")
        old.execute("INSERT INTO packages VALUES (?, ?, 'x', 'y', NULL, '[]', 'desk', NULL, "
                    "NULL, 1, '2026-01-01T00:00:00Z', 'success')",
                    (package.name, f"packages/{package.name}"))
        old.commit()
    return root


@contextmanager
def immutable(*paths: Path):
    """The paths made immutable (chattr +i, which binds root too: nothing in a folder so
    made can be made, removed or renamed) as on a read-only snapshot; skips the test
    where that is not available."""
    done = []
    try:
        for path in paths:
            if subprocess.run(["chattr", "+i", path], capture_output=True).returncode != 0:
                pytest.skip("chattr +i is not available here (not root, or no such attribute)")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", path], check=True)
