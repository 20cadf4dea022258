"""`audit --html` (cli/pages.py) opened in Debian's Chromium (headless, through
Playwright): what a reader sees on screen, and that the page prints. The verification
report page is tests/verify/test_render.py's."""

from conftest import SEED
from support.browser import check_it_prints, report_about


def test_the_audit_page_names_its_date_tool_trust_store_failures_and_withdrawals(cli, tmp_path, page):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "budget.txt").write_text("Council Passes Budget\n\nThe council passed it.\n")
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - path: {SEED}\n"
                   f"  - glob: {inbox}/*.txt\n")
    assert cli("run", job).returncode == 0
    spy = next(p for p in (tmp_path / "coll/packages").iterdir() if "spy" in p.name)
    assert cli("withdraw", spy, "--reason", "duplicate <b>copy</b>").returncode == 0
    budget = next((tmp_path / "coll/packages").iterdir())
    (budget / "bagit.txt").write_text("BagIt-Version: 0.97\n")
    result = cli("audit", tmp_path / "coll", "--html", tmp_path / "audit.html")
    assert result.returncode == 1
    page.goto((tmp_path / "audit.html").as_uri())
    assert page.title() == "Fixity audit report"
    facts = report_about(page)
    assert facts["By"].startswith("archivekit ") and facts["Made"].endswith("Z")
    assert str(cli.home / "trust.yaml") in facts["Trust store"] and "local (ed25519:" in facts["Trust store"]
    assert facts["Policy"] == "all" and str((tmp_path / "coll").resolve()) in facts["Collection"]
    assert "2 package(s) audited: 0 verified, 1 failed, 1 withdrawn" in page.inner_text("body")
    rows = page.locator("table tr").all_inner_texts()[1:]
    assert len(rows) == 2 and rows[0].startswith(budget.name) and "failed" in rows[0]          # failures first
    assert any(spy.name in row and "withdrawn" in row and "duplicate <b>copy</b>" in row
               for row in rows)                                           # escaped, shown as text
    assert page.locator("b").count() == 0
    check_it_prints(page)
