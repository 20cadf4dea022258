"""`archivekit verify`: arguments, exit codes and what it prints."""

import shutil

from archivekit.cli.verify import exit_code_for
from archivekit.verify.verdicts import CHANGED, NOT_CHECKED, NOT_TRUSTED, VERIFIED
from support.bags import make_bag


def test_missing_path_could_not_run(cli, tmp_path):
    result = cli("verify", tmp_path / "nowhere")
    assert result.returncode == 3 and "nowhere: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_html_report_names_every_finding(package, tmp_path):
    cli, package = package
    damaged = tmp_path / "damaged" / package.name
    shutil.copytree(package, damaged)
    with open(damaged / "data/clipping.warc.gz", "ab") as warc:
        warc.write(b"x")
    report_path = tmp_path / "report.html"
    result = cli("verify", package, damaged, "--html", report_path)
    assert result.returncode == 1
    page = report_path.read_text()
    assert page.startswith("<!doctype html>") and "1 of 2 package(s) verified" in page
    assert "AK203" in page and "AK302" in page and str(damaged) in page
    assert "signature valid, key trusted" in page


def test_limits_are_raised_or_lowered_by_name(package):
    cli, bag = package
    result, report = cli.verify_json(bag, "--limit", "records=2", "--limit", "seconds=600")
    # a limit stops the check: nothing changed is known, so no replica is called for
    assert result.returncode == 3 and report["packages"][0]["verdict"] == "could not check"
    assert "reading limit" in report["packages"][0]["remedy"]
    [finding] = [f for f in report["packages"][0]["findings"] if f["code"] == "AK108"]
    assert "more than 2 records (records limit)" in finding["message"]
    assert cli.verify_json(bag, "--limit", "inflated_bytes=1GiB")[0].returncode == 0
    for wrong, said in (("recrods=2", "unknown limit recrods"), ("records=two", "NAME=NUMBER"),
                        ("records=0", "NAME=NUMBER")):
        result = cli("verify", bag, "--limit", wrong)
        assert result.returncode == 2 and said in result.stderr


def test_verify_bagit_reads_within_the_limits_given(cli, tmp_path):
    bag = make_bag(tmp_path / "bag")      # 12 entries
    assert cli("verify", "--bagit", bag).returncode == 0
    result, report = cli.verify_json("--bagit", bag, "--limit", "entries=6")
    codes = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and "AK108" in codes


def test_exit_code_of_several_verdicts():
    """A failed check outranks one that could not run: exit 1, else 3, else 0."""
    assert exit_code_for([]) == 0
    assert exit_code_for([VERIFIED, NOT_CHECKED]) == 3
    assert exit_code_for([NOT_CHECKED, NOT_TRUSTED]) == 1
    assert exit_code_for([VERIFIED, CHANGED]) == 1
