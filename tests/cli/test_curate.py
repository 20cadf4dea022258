"""`amend` and `withdraw` as commands (cli/curate.py): what they print, the warnings
they pass on, and what they refuse before anything is written. What an amendment and a
withdrawal make is tests/collection/test_amend.py's and test_withdraw.py's."""

import json

import pytest

from conftest import SEED
from support.collection import log_entries, seed_in_a_collection
from support.disk import small_disk, stopped_after_placing


@pytest.fixture
def collected(cli, tmp_path):
    return seed_in_a_collection(cli, tmp_path)


def test_amend_says_what_changed_and_where_the_new_version_is(cli, tmp_path, collected):
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\ncall_numbr: 1\n")
    result = cli("amend", collected, "--catalog", fixed, "--reason", "shelved again")
    assert result.returncode == 0, result.stderr
    first, path = result.stdout.splitlines()
    said = f"amended {collected.name} -> {collected.name}-v2 (changed: "
    assert first.startswith(said) and "call_number" in first[len(said):-1].split(", ")
    assert path == str(collected.parent / f"{collected.name}-v2")
    assert "archivekit: warning: " in result.stderr and "did you mean 'call_number'" in result.stderr


def test_withdraw_says_where_the_content_went(cli, collected):
    result = cli("withdraw", collected, "--reason", "takedown request", "--remove-content")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith(f"withdrew {collected.name} (content removed; tombstone ")
    assert not collected.exists()


def test_a_package_outside_a_collection_or_mistyped_is_named(cli, tmp_path, collected, sealed):
    _, loose = sealed      # a package in a plain folder (refused before anything is written)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\n")
    outside = cli("amend", loose, "--catalog", fixed)
    assert outside.returncode == 3 and "not a package in a collection" in outside.stderr
    typo = cli("amend", str(collected)[:-1] + "x", "--catalog", fixed)
    assert typo.returncode == 3 and f"did you mean '{collected.name}'?" in typo.stderr


def test_a_withdrawal_needs_a_reason(cli, collected):
    result = cli("withdraw", collected)
    assert result.returncode == 2 and "--reason" in result.stderr
    blank = cli("withdraw", collected, "--reason", "  ")
    assert blank.returncode == 2 and "needs a reason" in blank.stderr
    assert collected.exists()


def test_an_amendment_a_full_disk_stopped_is_finished_by_asking_again(cli, tmp_path):
    """With its new version sealed and in place but not yet recorded, an amendment on a
    full disk said only 'could not run: database or disk is full', and asked again was
    refused: '…-v2 already exists'. The space left grows a page at a time until the
    stop comes after the package is whole (before, nothing is written: asked again it
    is simply made)."""
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\n")
    with small_disk(tmp_path / "disk") as disk:
        collection = disk / "coll"
        assert cli("collection", "init", collection).returncode == 0
        assert cli("capture", SEED, "--into", collection).returncode == 0
        [original] = (collection / "packages").iterdir()
        size = sum(f.stat().st_size for f in original.rglob("*") if f.is_file())
        for stopped in stopped_after_placing(
                disk, lambda: cli("amend", original, "--catalog", fixed),
                lambda: len(list((collection / "packages").iterdir())) == 2, size):
            assert stopped.returncode == 3 and "Traceback" not in stopped.stderr
            assert stopped.stderr.startswith(
                f"archivekit: {collection}: no space left on the collection's filesystem "
                f"(writing {collection}/"), stopped.stderr
            assert "the amend stopped; free some space there, then amend again" in stopped.stderr

        again = cli("amend", original, "--catalog", fixed)
        assert again.returncode == 0, again.stderr
        assert again.stdout.splitlines() == [
            f"amended {original.name} -> {original.name}-v2 (changed: call_number)",
            str(original.parent / f"{original.name}-v2")]
        rows = {row["id"]: row for row in json.loads(cli("list", collection, "--history",
                                                                   "--json").stdout)}
        assert rows[original.name]["state"] == "superseded"
        assert rows[f"{original.name}-v2"]["state"] == "current"
        modified = [e["package"] for e in log_entries(collection)
                    if e["type"] == "metadata modification"]
        assert modified == [f"{original.name}-v2"]
        assert cli("log", collection, "--verify").returncode == 0
        audit = cli("audit", collection, "--json")
        assert audit.returncode == 0, audit.stdout
        same = cli("amend", original, "--catalog", fixed)   # done: nothing more to do
        assert same.returncode == 2 and "the catalog is unchanged" in same.stderr
