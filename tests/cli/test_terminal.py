"""Commands as a person at a terminal sees them: stdin, stdout and stderr on a
pseudo-terminal, where progress bars are drawn and where a crash would show."""

from conftest import SEED, SEED_URL, reseal, signing_key
from support.collection import assert_next_run_finishes, clippings, write_manifest
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


def test_ctrl_c_at_a_terminal_stops_a_run_with_its_own_exit_code_and_loses_nothing(
        cli, tmp_path):
    # Not click's "Aborted!" and exit 1: 1 means "verification failed" to a script.
    inbox = clippings(tmp_path / "inbox", 200)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    code, shown = cli.in_terminal("run", manifest, press=("/200", b"\x03"))
    assert code == 130, shown
    assert "archivekit: stopped (Ctrl-C)" in shown
    assert "Traceback" not in shown and "Aborted" not in shown
    assert shown.rindex("\x1b[?25h") > shown.rindex("\x1b[?25l")    # the cursor shown again
    packages = tmp_path / "coll" / "packages"
    assert len(list(packages.iterdir())) < 200                       # stopped partway
    assert_next_run_finishes(cli, manifest, tmp_path / "coll", 200)
