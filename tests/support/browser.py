"""Debian's Chromium, headless, through Playwright (never a downloaded browser): the
`browser` (one per session) and `page` (a fresh context each test) fixtures, which
tests/conftest.py offers to every test."""

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def report_about(page) -> dict:
    """What a report page (verify --html, audit --html) says of itself: label -> value."""
    terms = page.locator("dl.about dt").all_inner_texts()
    return dict(zip(terms, page.locator("dl.about dd").all_inner_texts()))


def check_it_prints(page) -> None:
    """The page, as printed: the sheet's width, and a PDF with a page."""
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.body).maxWidth") == "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
