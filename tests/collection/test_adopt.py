"""Putting packages into a collection properly: `capture --into` and `collection add`
(verified first), so that a run never finds them as "recovered"."""

import json

from conftest import SEED
from support.collection import log_entries
from support.disk import small_disk, stopped_after_placing


def test_collection_add_verifies_then_copies_in(cli, tmp_path):
    loose = cli("capture", SEED, "--out", tmp_path / "loose")
    assert loose.returncode == 0
    made = tmp_path / "loose" / loose.stdout.strip().rsplit("/", 1)[-1]
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    added = cli("collection", "add", collection, made)
    assert added.returncode == 0 and added.stdout.startswith("added")
    assert (collection / "packages" / made.name).is_dir() and made.is_dir()   # a copy
    entries = [e for e in log_entries(collection) if e["type"] == "ingestion"]
    assert len(entries) == 1 and "verified: sealed by local" in entries[0]["detail"]
    report = json.loads(cli("audit", collection, "--json").stdout)
    assert report["recovered"] == [] and report["ok"]
    assert "already in the collection" in cli("collection", "add", collection, made).stdout


def test_a_package_that_does_not_verify_is_not_added(cli, tmp_path):
    loose = cli("capture", SEED, "--out", tmp_path / "loose")
    made = tmp_path / "loose" / loose.stdout.strip().rsplit("/", 1)[-1]
    (made / "bag-info.txt").write_text((made / "bag-info.txt").read_text() + "Extra: 1\n")
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    refused = cli("collection", "add", collection, made)
    assert refused.returncode == 1 and "does not verify" in refused.stderr
    assert list((collection / "packages").iterdir()) == []


def test_an_addition_a_full_disk_stopped_is_named_and_finished_by_adding_again(cli, tmp_path):
    """It said 'could not run:' and a list of every file shutil.copytree could not copy
    (its errors gathered without an errno), or 'database or disk is full' naming
    nothing; added again, a package in place but not recorded was 'already in the
    collection', unindexed and its seals unlogged until a run found it."""
    loose = cli("capture", SEED, "--out", tmp_path / "loose")
    made = tmp_path / "loose" / loose.stdout.strip().rsplit("/", 1)[-1]
    with small_disk(tmp_path / "disk") as disk:
        collection = disk / "coll"
        assert cli("collection", "init", collection).returncode == 0
        tries = stopped_after_placing(disk, lambda: cli("collection", "add", collection, made),
                                      lambda: (collection / "packages" / made.name).exists(),
                                      4096)
        said = f"archivekit: {collection}: no space left on the collection's filesystem ("
        assert all(stopped.returncode == 3 for stopped in tries)
        assert tries[0].stderr.startswith(   # the first, with no room for the package
            f"{said}copying {made} to {collection / 'packages' / made.name}: No space left "
            "on device; nothing was kept); the collection add stopped; free some space "
            "there, then collection add again"), tries[0].stderr
        assert tries[-1].stderr.startswith(f"{said}writing {collection}/"), tries[-1].stderr
        assert list(collection.rglob(".ak-tmp-*")) == []

        again = cli("collection", "add", collection, made)
        assert again.returncode == 0 and again.stdout.split() == ["added", made.name]
        assert [row["id"] for row in json.loads(cli("list", collection, "--json").stdout)] \
            == [made.name]
        assert [e["package"] for e in log_entries(collection) if e["type"] == "ingestion"] \
            == [made.name]
        proof = cli("log", "prove", collection, made.name)   # its seals are in the log
        assert proof.returncode == 0, proof.stderr
        report = json.loads(cli("audit", collection, "--json").stdout)
        assert report["recovered"] == [] and report["ok"]
