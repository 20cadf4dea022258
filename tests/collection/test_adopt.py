"""Putting packages into a collection properly: `capture --into` and `collection add`
(verified first), so that a run never finds them as "recovered"."""

import json

from conftest import SEED
from support.collection import log_entries


def test_capture_into_a_collection_indexes_logs_and_is_not_recovered_later(cli, tmp_path):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    first = cli("capture", SEED, "--into", collection)
    assert first.returncode == 0, first.stderr
    package = collection / "packages" / first.stdout.strip().rsplit("/", 1)[-1]
    assert package.is_dir() and list(package.glob("signatures/*.tlog.json"))
    again = cli("capture", SEED, "--into", collection)
    assert again.returncode == 0 and "already in the collection" in again.stderr
    assert [e["type"] for e in log_entries(collection)].count("ingestion") == 1
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - glob: {tmp_path}/none-*.txt\n")
    report = json.loads(cli("run", job, "--json").stdout)
    assert report["recovered"] == [] and report["outcome"] == "ok"
    assert json.loads(cli("search", collection, "spy", "--json").stdout)[0]["id"] == package.name


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
