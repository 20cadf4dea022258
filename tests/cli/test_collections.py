"""`collection init`, `collection add`, `run` and `audit` as commands (cli/collections.py):
what they print, on a terminal and off it, their exit codes, and the audit page's facts.
What a run and an audit do is tests/collection/test_runs.py's and test_audit.py's."""

import json
import shutil

from support.browser import report_about
from support.collection import clippings, write_manifest


def test_a_collection_is_named_after_its_folder_unless_named(cli, tmp_path):
    made = cli("collection", "init", tmp_path / "Flood desk")
    assert made.returncode == 0
    assert made.stdout.strip() == f"Collection 'Flood desk' at {tmp_path / 'Flood desk'}"
    named = cli("collection", "init", tmp_path / "b", "--name", "Harbor Gazette clippings")
    assert named.stdout.startswith("Collection 'Harbor Gazette clippings' at ")
    again = cli("collection", "init", tmp_path / "b")
    assert again.returncode == 2 and "already a collection" in again.stderr


def test_the_audit_page_names_the_policy_it_ran_under(cli, tmp_path, page):
    folder = clippings(tmp_path / "inbox", 2)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    for policy, said in ((["--policy", "fraction", "--fraction", "0.5"], "fraction 0.5"),
                         (["--policy", "stale", "--days", "7"], "stale 7 days")):
        result = cli("audit", tmp_path / "coll", *policy, "--html", tmp_path / "audit.html")
        assert result.returncode == 0, result.stderr
        page.goto((tmp_path / "audit.html").as_uri())
        assert report_about(page)["Policy"] == said


def test_run_and_audit_in_a_terminal(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 3)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    code, shown = cli.in_terminal("run", manifest)
    assert code == 0, shown
    assert "Traceback" not in shown
    assert "capture" in shown and "audit" in shown and "3/3" in shown
    assert "3 captured, 0 already present, 0 failed; 3 audited, 0 failed" in shown

    code, shown = cli.in_terminal("audit", tmp_path / "coll")
    assert code == 0, shown
    assert "audit" in shown and "3/3" in shown and "3 audited, 0 failed" in shown
    quiet = cli("audit", tmp_path / "coll", "--json")  # not a terminal: clean JSON
    assert json.loads(quiet.stdout)["ok"] and quiet.stderr == ""

    damaged = next((tmp_path / "coll" / "packages").iterdir())
    shutil.rmtree(damaged / "signatures")
    code, shown = cli.in_terminal("audit", tmp_path / "coll")
    assert code == 1, shown
    assert "Traceback" not in shown and f"FAILED    {damaged.name}" in shown
