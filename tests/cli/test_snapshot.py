"""A collection read from a read-only snapshot (a backup, a read-only mount): its catalog
cannot be written. Reading commands read it as it is, through an up-to-date private copy
where this version must change it first, and leave it byte for byte; commands that would
change the collection stop with a clear error. Real commands; the snapshot is made with
chattr +i."""

import hashlib
import json
import sqlite3

from conftest import SEED
from support.collection import immutable, older_collection
from support.room import start_room


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(collection) -> dict:
    """Each file in the collection but the lock's: its digest."""
    return {str(p.relative_to(collection)): _digest(p) for p in collection.rglob("*")
            if p.is_file() and p.name != ".lock"}


def test_an_older_catalog_on_a_read_only_snapshot_is_read_and_left_as_it_is(
        cli, tmp_path, sealed, page):
    # Before: list, search and serve failed 'attempt to write a readonly database' (the
    # catalog, of version 1, was to be brought up to date in place).
    _, package = sealed
    collection = older_collection(tmp_path / "coll", package)
    catalog = collection / "catalog.sqlite"
    before = _digest(catalog)
    temporary = tmp_path / "tmp"      # where the private copies go, and must not stay
    temporary.mkdir()
    env = {"TMPDIR": str(temporary)}
    with immutable(catalog, collection):
        listed = cli("list", collection, "--json", env=env)
        assert listed.returncode == 0, listed.stderr
        [row] = json.loads(listed.stdout)
        assert row["id"] == package.name and row["last_audit"] == "2026-01-01T00:00:00Z"
        assert row["call_number"] == "CLIP 2023-12-28 NYT A1"   # read again from the package
        assert "is from an older archivekit and cannot be written here" in listed.stderr
        found = cli("search", collection, "spy", "agency", "--json", env=env)
        assert [r["id"] for r in json.loads(found.stdout)] == [package.name]
        shown = cli("show", collection / "packages" / package.name, env=env)
        # Read whole from the snapshot; not verified here only because this home trusts
        # no one (the package's own verification is tested elsewhere).
        assert shown.returncode == 1, shown.stderr
        assert "Chinese Spy Agency Rising" in shown.stdout
        assert "no key in the trust store made this signature" in shown.stdout
        room = start_room(cli, collection, "--read-only", env=env)
        try:
            assert "the reading room reads an up-to-date copy of it" in room.said
            page.goto(room.url + "/")
            assert "Chinese Spy Agency Rising" in page.inner_text("body")
        finally:
            room.stop()     # SIGTERM: the room's copy is removed on the way out
        refused = cli("serve", collection, "--port", "0", env=env)     # not --read-only
        assert refused.returncode == 3
        assert f"{catalog}: cannot be written here" in refused.stderr
        assert "'serve --read-only' read it as it is" in refused.stderr
        for change in (["audit", collection], ["capture", SEED, "--into", collection]):
            refused = cli(*change, env=env)     # refused by the lock, before any work
            assert refused.returncode == 3, (change, refused.stderr)
            assert f"{catalog}: cannot be written here ({catalog} is read-only)" \
                in refused.stderr
        assert _digest(catalog) == before
    files = _files(collection)
    with immutable(catalog):    # the catalog alone (restored read-only, say): no change
        for change in (["audit", collection], ["capture", SEED, "--into", collection]):
            refused = cli(*change, env=env)
            assert refused.returncode == 3, (change, refused.stderr)
            assert f"{catalog}: cannot be written here" in refused.stderr
        assert _files(collection) == files
    assert list(temporary.iterdir()) == []
    writable = cli("list", collection)      # where it can be written: upgraded in place
    assert writable.returncode == 0 and "older archivekit" not in writable.stderr
    with sqlite3.connect(catalog) as upgraded:
        assert upgraded.execute("PRAGMA user_version").fetchone()[0] == 2


def test_an_older_catalog_in_a_folder_that_cannot_be_written_is_read_through_a_copy(
        cli, tmp_path, sealed):
    # The catalog file could be written, but not the journal SQLite makes beside it:
    # refused as SQLITE_CANTOPEN, not SQLITE_READONLY (catalog.cannot_write takes both).
    _, package = sealed
    collection = older_collection(tmp_path / "coll", package)
    before = _digest(collection / "catalog.sqlite")
    with immutable(collection):
        listed = cli("list", collection, "--json")
        assert listed.returncode == 0, listed.stderr
        assert [row["id"] for row in json.loads(listed.stdout)] == [package.name]
        assert "is from an older archivekit and cannot be written here" in listed.stderr
    assert _digest(collection / "catalog.sqlite") == before


def test_a_current_catalog_never_served_is_served_read_only_from_a_snapshot(
        cli, tmp_path, page):
    # The reading room makes its browsing indexes and facet summary at its start: on a
    # catalog that cannot be written it failed 'attempt to write a readonly database'.
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    assert cli("capture", SEED, "--into", collection).returncode == 0
    catalog = collection / "catalog.sqlite"
    before = _digest(catalog)
    with immutable(catalog, collection):
        room = start_room(cli, collection, "--read-only")
        try:
            page.goto(room.url + "/")
            assert "Chinese Spy Agency Rising" in page.inner_text("body")
            assert "The New York Times" in " ".join(
                page.locator("section.facet").all_inner_texts())
        finally:
            room.stop()
        assert _digest(catalog) == before


def test_a_current_catalog_that_cannot_be_written_stops_every_change_before_it_begins(
        cli, tmp_path):
    # Before: 'could not run: attempt to write a readonly database', naming nothing, and
    # capture --into (or a run) had written its package first, left unrecorded.
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    assert cli("capture", SEED, "--into", collection).returncode == 0
    [package] = (collection / "packages").iterdir()
    catalog = collection / "catalog.sqlite"
    other = tmp_path / "other.txt"
    other.write_text("Port Reopens\n\nBy Al Roe\n\nThe port reopened on Monday.\n")
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - path: {other}\n")
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\n")
    files = _files(collection)
    with immutable(catalog):
        for change in (["capture", other, "--into", collection], ["run", job],
                       ["audit", collection], ["amend", package, "--catalog", fixed],
                       ["withdraw", package, "--reason", "takedown"],
                       ["collection", "add", collection, package]):
            refused = cli(*change)
            assert refused.returncode == 3, (change, refused.stderr)
            assert refused.stderr.startswith(
                f"archivekit: {catalog}: cannot be written here ({catalog} is read-only); "
                "list, search, show and 'serve --read-only' read it as it is"), refused.stderr
        assert _files(collection) == files
        assert cli("list", collection).returncode == 0
