"""Reports for people and machines (verify/render.py): the page `verify --html` writes,
opened in Debian's Chromium; text from a package escaped on it; the JSON and text forms."""

import json
from html.parser import HTMLParser

import pytest

from archivekit.trust.truststore import TrustStore
from archivekit.verify.findings import WARNING, Report
from archivekit.verify.render import about, seal_sentence, to_html, to_json, to_text
from support.browser import check_it_prints, report_about
from support.hostile import SHOWN_HEADLINE, hostile_package, raw_controls

HOSTILE = "<script>document.title='owned'</script><img src=x onerror=alert(1)>\x1b[2K\u202e"


class Tags(HTMLParser):
    """The elements a page opens, and its text."""
    def __init__(self, page: str):
        super().__init__()
        self.opened, self.text = set(), []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.opened.add(tag)

    def handle_data(self, data):
        self.text.append(data)


def hostile_report() -> Report:
    """A failed package whose every word came from its (hostile) bytes."""
    report = Report(HOSTILE, facts={"package_id": HOSTILE, "headline": HOSTILE, "seals": [
        {"signer": HOSTILE, "organization": HOSTILE, "key_id": HOSTILE, "sealed_at": HOSTILE,
         "valid": False, "trusted": True, "problems": ["AK502"]}]})
    report.add("AK203", HOSTILE, path=HOSTILE, record=HOSTILE, expected=HOSTILE, found=HOSTILE)
    return report


def test_text_from_a_package_is_text_on_the_page():
    page = to_html([hostile_report()], about(TrustStore(None), ("Collection", HOSTILE)))
    tags = Tags(page)
    assert tags.opened.isdisjoint({"script", "img"}), tags.opened
    text = "".join(tags.text)
    shown = HOSTILE.replace("\x1b", "\\u001b").replace("\u202e", "\\u202e")
    # the target, id, headline, seal sentence, message, where, expected, found, "Collection"
    assert text.count(shown) >= 9
    assert raw_controls(page) == []


def test_the_html_report_escapes_the_headline(cli, tmp_path):
    bag = hostile_package(cli, tmp_path)
    page = tmp_path / "report.html"
    result = cli("verify", bag, "--html", page)
    assert result.returncode == 0, result.stderr
    text = page.read_text()
    assert raw_controls(text) == []
    assert SHOWN_HEADLINE in text


def test_the_verify_page_names_its_date_tool_and_trust_store(package, tmp_path, page):
    cli, path = package
    assert cli("verify", path, "--html", tmp_path / "verify.html").returncode == 0
    page.goto((tmp_path / "verify.html").as_uri())
    assert page.title() == "Verification report"
    facts = report_about(page)
    assert set(facts) == {"Made", "By", "Trust store"} and str(cli.home) in facts["Trust store"]
    assert "1 of 1 package(s) verified." in page.inner_text("body")
    check_it_prints(page)


def test_the_json_holds_every_report_and_fails_when_one_fails():
    good, bad = Report("good"), hostile_report()
    good.add("AK705", "a warning", severity=WARNING)
    document = json.loads(to_json([good, bad]))
    assert document["packages"] == [good.to_dict(), bad.to_dict()]
    assert document["verified"] is False
    assert json.loads(to_json([good]))["verified"] is True


def test_the_text_names_the_verdict_what_to_do_and_every_finding():
    report = hostile_report()
    report.add("AK705", "nothing expected", severity=WARNING, found="something")
    lines = to_text(report).splitlines()
    assert lines[0] == f"{report.verdict.name.upper()}  {HOSTILE}"
    assert lines[1] == f"  what to do: {report.verdict.remedy}"
    assert any("AK203" in line and f"[{HOSTILE} {HOSTILE}]" in line for line in lines)
    assert f"          expected {HOSTILE}, found {HOSTILE}" in lines
    assert "          expected nothing, found something" in lines
    assert lines[-1] == "  1 error(s), 1 warning(s)"


SEAL = {"signer": "Ada", "key_id": "ed25519:abc", "sealed_at": "2026-01-01T00:00:00Z",
        "valid": True, "trusted": True, "problems": []}


@pytest.mark.parametrize("changes, state", [
    ({}, "signature valid, key trusted"),
    ({"valid": False, "trusted": False}, "key NOT trusted"),
    ({"valid": False, "problems": ["AK510"]}, "not believed for this seal"),
    ({"valid": False, "problems": ["AK502"]}, "signature NOT valid"),
    ({"valid": False, "problems": ["AK510"], "key_state": "revoked"}, "(key revoked)"),
])
def test_each_seal_is_one_sentence_that_says_whether_it_holds(changes, state):
    sentence = seal_sentence({**SEAL, **changes})
    assert sentence.startswith("Seal by Ada, key ed25519:abc, dated 2026-01-01T00:00:00Z")
    assert state in sentence.split(": ", 1)[1]      # what is said after who and when


def test_a_timestamped_seal_names_its_authority():
    sentence = seal_sentence({**SEAL, "timestamp": "2026-01-02T00:00:00Z", "tsa": "Test TSA"})
    assert "timestamped 2026-01-02T00:00:00Z by Test TSA" in sentence
