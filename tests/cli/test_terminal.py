"""Commands as a person at a terminal sees them: stdin, stdout and stderr on a
pseudo-terminal, where progress bars are drawn and where a crash would show."""

import json
import shutil

from conftest import SEED, SEED_URL, reseal, signing_key
from support.tamper import edit_descriptor

from support.collection import clippings, write_manifest


def test_verify_in_a_terminal_reports_a_failure(package):
    cli, bag = package
    (bag / "data" / "extra.txt").write_text("slipped in")
    code, shown = cli.in_terminal("verify", bag)
    assert code == 1, shown
    assert "Traceback" not in shown and f"CONTENT CHANGED  {bag}" in shown


def test_capture_in_a_terminal(cli, tmp_path):
    code, shown = cli.in_terminal("capture", SEED, "--url", SEED_URL, "--out", tmp_path / "out")
    assert code == 0, shown
    made = [p for p in (tmp_path / "out").iterdir()]
    assert len(made) == 1 and str(made[0]) in shown
    assert "made signing key 'local'" in shown


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


def test_a_headline_that_is_not_a_string_is_a_finding(package, tmp_path):
    cli, bag = package
    edit_descriptor(bag, lambda d: d["metadata"].update(headline={"<b>": ["x"]}))
    reseal(bag, signing_key(cli))
    page = tmp_path / "report.html"
    result, report = cli.verify_json(bag, "--html", page)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "metadata.headline is not a string" in result.stdout
    assert "<b>" not in page.read_text()
