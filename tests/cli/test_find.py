"""`archivekit search` and `list`, through the real CLI over a collection a job made."""

import json

import pytest

from conftest import SEED, SEED_CATALOG


@pytest.fixture
def collection(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "budget.txt").write_text(
        "Council Passes Budget\n\nBy Jane Doe\n\nThe council passed the budget on Monday.\n")
    (inbox / "budget.yaml").write_text("call_number: 027.4\nsubjects: [Municipal finance]\n"
                                       "creators: [Jane Doe]\n")
    (inbox / "storm.txt").write_text(
        "Storm Closes Schools\n\nBy Ann Lee\n\nThe storm closed every school on Tuesday.\n")
    (inbox / "storm.yaml").write_text("creators: [Ann Lee]\n")
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - glob: {inbox}/*.txt\n"
                        f"  - path: {SEED}\n    catalog: {SEED_CATALOG}\n")
    assert cli("run", manifest).returncode == 0
    return tmp_path / "coll"


def test_search_finds_by_words_and_filters(cli, collection):
    found = cli("search", collection, "council", "--json")
    assert found.returncode == 0, found.stderr
    rows = json.loads(found.stdout)
    assert [r["headline"] for r in rows] == ["Council Passes Budget"]
    assert rows[0]["authors"] == ["Jane Doe"] and rows[0]["call_number"] == "027.4"
    assert rows[0]["subjects"] == ["Municipal finance"]
    spy = json.loads(cli("search", collection, "spy", "--subject", "espionage", "--json").stdout)
    assert [r["call_number"] for r in spy] == ["CLIP 2023-12-28 NYT A1"]
    human = cli("search", collection, "storm")
    assert "Storm Closes Schools | Ann Lee" in human.stdout


def test_nothing_found_says_so_on_stderr(cli, collection):
    result = cli("search", collection, "zeppelin")
    assert result.returncode == 0 and result.stdout == ""
    assert "no clipping matches" in result.stderr


def test_list_takes_the_same_filters_and_richer_json(cli, collection):
    every = json.loads(cli("list", collection, "--json").stdout)
    assert len(every) == 3
    assert all({"authors", "subjects", "call_number", "state", "catalog"} <= set(r) for r in every)
    narrowed = json.loads(cli("list", collection, "--call-number", "027", "--json").stdout)
    assert [r["headline"] for r in narrowed] == ["Council Passes Budget"]
    assert json.loads(cli("list", collection, "--audit", "failed", "--json").stdout) == []
    assert len(json.loads(cli("list", collection, "--audit", "verified", "--json").stdout)) == 3


def test_a_bad_date_is_a_usage_error_naming_the_option(cli, collection):
    result = cli("search", collection, "council", "--since", "last week")
    assert result.returncode == 2 and "--since" in result.stderr and "not a date" in result.stderr
    for bad in ("2023-13", "2023-02-30"):      # compared as text, they found something
        result = cli("list", collection, "--until", bad)
        assert result.returncode == 2 and result.stdout == "", result.stdout
        assert f"--until: '{bad}' is not a date in the calendar" in result.stderr


def test_a_limit_larger_than_can_be_stored_shows_them_all(cli, collection):
    # More than SQLite's largest integer was a traceback (islice, or SQLite's OverflowError).
    huge = str(10 ** 23)
    for command in (["list", collection], ["search", collection, "council OR storm"]):
        result = cli(*command, "--limit", huge, "--json")
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert len(json.loads(result.stdout)) == len(json.loads(cli(*command, "--json").stdout))
    assert len(json.loads(cli("list", collection, "--json").stdout)) == 3


def test_a_mistyped_collection_gets_the_nearest_name(cli, collection):
    result = cli("list", str(collection)[:-1])
    assert result.returncode == 3 and "did you mean 'coll'?" in result.stderr
    fresh = cli("list", collection.parent / "elsewhere")
    assert "make one with 'archivekit collection init" in fresh.stderr


def test_json_rows_are_printed_as_one_indented_list(cli, collection):
    # Rows are written one at a time: the bytes must be those of the whole list at once.
    for args in (["list"], ["search", "council"], ["list", "--since", "2090"]):
        shown = cli(*args[:1], collection, *args[1:], "--json")
        assert shown.returncode == 0, shown.stderr
        rows = json.loads(shown.stdout)
        assert shown.stdout == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(cli("list", collection, "--json").stdout) != []


def test_a_hostile_headline_reaches_the_terminal_escaped(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "flood.txt").write_text("Flood \x1b]0;owned\x07\x1b[2J\u202egnp.exe\n\n"
                                     "By Jane Doe\n\nThe river rose on Monday.\n")
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - glob: {inbox}/*.txt\n")
    assert cli("run", manifest).returncode == 0
    for command in (["list"], ["search", "flood"], ["list", "--json"]):
        code, shown = cli.in_terminal(command[0], tmp_path / "coll", *command[1:])
        assert code == 0, shown
        assert "Flood \\u001b]0;owned\\u0007\\u001b[2J\\u202egnp.exe" in shown
        assert "\x1b]" not in shown and "\x07" not in shown and "\u202e" not in shown
