"""Findings and the report that collects them (verify/findings.py): every code documented,
warnings that never fail a package, and the JSON form that keeps a package's own words as
they were (escaping them is the job of whoever shows them: tests/verify/test_render.py,
tests/cli/test_cli_app.py)."""

import json

import pytest

from archivekit.verify.findings import ERROR, WARNING, Finding, Report
from archivekit.verify.verdicts import verdict_for

HOSTILE = "<script>alert(1)</script> \x1b[2K\u202e \"quoted\" \\ \x00"


def test_a_code_the_documentation_does_not_name_is_refused():
    with pytest.raises(AssertionError, match="AK000"):
        Finding("AK000", "a check nobody documented")
    with pytest.raises(AssertionError):
        Report("x").add("AK000", "nor through a report")


def test_warnings_never_fail_a_package_and_errors_always_do():
    report = Report("package")
    report.add("AK705", "a warning", severity=WARNING)
    assert report.verified and report.errors == [] and report.codes() == {"AK705"}
    error = report.add("AK203", "an error")
    assert error.severity == ERROR and report.errors == [error]
    assert not report.verified and report.codes() == {"AK705", "AK203"}
    assert report.verdict == verdict_for({"AK203"})          # judged on errors alone


def test_the_json_form_counts_each_severity_and_names_only_what_is_known():
    report = Report("package")
    report.add("AK203", "changed", path="data/clipping.warc.gz", expected="a", found="b")
    report.add("AK705", "a warning", severity=WARNING)
    document = report.to_dict()
    assert (document["errors"], document["warnings"], document["verified"]) == (1, 1, False)
    assert document["verdict"] == report.verdict.name and document["remedy"]
    assert document["findings"][1] == {"code": "AK705", "message": "a warning",
                                       "severity": WARNING}     # no record, path, expected...
    assert set(document["findings"][0]) == {"code", "message", "severity", "path",
                                            "expected", "found"}


def test_a_package_s_own_words_reach_the_json_unaltered():
    report = Report(HOSTILE, facts={"headline": HOSTILE})
    report.add("AK203", HOSTILE, path=HOSTILE, record=HOSTILE, expected=HOSTILE, found=HOSTILE)
    document = json.loads(json.dumps(report.to_dict()))
    finding = document["findings"][0]
    assert document["target"] == document["facts"]["headline"] == HOSTILE
    assert [finding[k] for k in ("message", "path", "record", "expected", "found")] == [HOSTILE] * 5
