"""Putting packages into a collection properly: `capture --into` and `collection add`
(verified first), so that a run never finds them as "recovered"."""

import json

from conftest import SEED
from support.collection import log_entries


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
