"""`audit --html` and `verify --html` opened in Debian's Chromium (headless, through
Playwright): what a reader sees on screen, and that the page prints."""

from conftest import SEED


def about(page) -> dict:
    terms = page.locator("dl.about dt").all_inner_texts()
    return dict(zip(terms, page.locator("dl.about dd").all_inner_texts()))


def prints(page, tmp_path) -> None:
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf


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
    facts = about(page)
    assert facts["By"].startswith("archivekit ") and facts["Made"].endswith("Z")
    assert str(cli.home / "trust.yaml") in facts["Trust store"] and "local (ed25519:" in facts["Trust store"]
    assert facts["Policy"] == "all" and str((tmp_path / "coll").resolve()) in facts["Collection"]
    assert "2 package(s) audited: 0 verified, 1 failed, 1 withdrawn" in page.inner_text("body")
    rows = page.locator("table tr").all_inner_texts()[1:]
    assert len(rows) == 2 and rows[0].startswith(budget.name) and "failed" in rows[0]          # failures first
    assert any(spy.name in row and "withdrawn" in row and "duplicate <b>copy</b>" in row
               for row in rows)                                           # escaped, shown as text
    assert page.locator("b").count() == 0
    prints(page, tmp_path)


def test_the_verify_page_names_its_date_tool_and_trust_store(package, tmp_path, page):
    cli, path = package
    assert cli("verify", path, "--html", tmp_path / "verify.html").returncode == 0
    page.goto((tmp_path / "verify.html").as_uri())
    assert page.title() == "Verification report"
    facts = about(page)
    assert set(facts) == {"Made", "By", "Trust store"} and str(cli.home) in facts["Trust store"]
    assert "1 of 1 package(s) verified." in page.inner_text("body")
    prints(page, tmp_path)
