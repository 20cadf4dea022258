"""Commands as a person at a terminal sees them: stdin, stdout and stderr on a
pseudo-terminal, where progress bars are drawn and where a crash would show."""

from conftest import SEED, SEED_URL, reseal, signing_key
from support.tamper import edit_descriptor


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


def test_a_headline_that_is_not_a_string_is_a_finding(package, tmp_path):
    cli, bag = package
    edit_descriptor(bag, lambda d: d["metadata"].update(headline={"<b>": ["x"]}))
    reseal(bag, signing_key(cli))
    page = tmp_path / "report.html"
    result, report = cli.verify_json(bag, "--html", page)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "metadata.headline is not a string" in result.stdout
    assert "<b>" not in page.read_text()
