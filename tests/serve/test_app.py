"""The reading room as a user meets it (serve/app.py: its pages and journeys):
`archivekit serve` in a subprocess on 127.0.0.1, driven by Debian's Chromium through
Playwright (never a downloaded browser). Its defences are tests/serve/test_security.py's,
what a clipping page reads test_clipping.py's, background jobs test_serve_jobs.py's."""

import json
import re
import shutil
from pathlib import Path

from conftest import CLI
from support.disk import small_disk, stopped_after_placing
from support.room import make_collection, shot, start_room


# --- journeys -------------------------------------------------------------------------------

def test_search_open_and_verify_now(room, page):
    page.goto(room.url + "/")
    page.get_by_label("Search the collection").fill("Spy Agency")
    page.get_by_role("button", name="Search").click()
    results = page.locator("ol.clippings a.headline")
    assert results.all_inner_texts() == ["Chinese Spy Agency Rising to Challenge the C.I.A."]
    results.first.click()
    assert page.locator("h1").inner_text() == "Chinese Spy Agency Rising to Challenge the C.I.A."
    assert "Julian E. Barnes" in page.locator(".byline").inner_text()
    page.get_by_role("button", name="Verify now").click()
    verdict = page.get_by_role("status")
    assert verdict.inner_text().startswith("Verified just now")
    assert "signature valid, key trusted" in page.locator(".seal").inner_text()
    credits = page.get_by_role("region", name="Credits").inner_text()
    assert "photograph: Getty Images" in credits and "None" not in credits
    shot(page, "clipping-verified")


def test_the_package_and_a_report_download_and_verify_elsewhere(room, page, tmp_path):
    page.goto(room.url + "/?text=Spy+Agency")
    page.locator("ol.clippings a.headline").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="The whole package (zip)").click()
    handed = tmp_path / "elsewhere" / download.value.suggested_filename
    download.value.save_as(handed)
    assert handed.suffix == ".zip"
    checked = room.cli("verify", handed)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with page.expect_download() as download:
        page.get_by_role("link", name="A verification report").click()
    report = Path(download.value.path()).read_text()
    assert "Trust store" in report and "archivekit " in report and "Chinese Spy Agency" in report
    # a package that no longer verifies is not handed over
    package = next(p for p in (room.collection / "packages").iterdir() if "spy" in p.name)
    descriptor = package / "archivekit" / "package.json"
    descriptor.write_bytes(descriptor.read_bytes().replace(b"Rising", b"Falling", 1))
    refused = page.request.get(page.url + "/package.zip")
    assert refused.status == 409 and "does not verify" in refused.text()


def test_a_tampered_package_shows_as_failed_in_words(room, page):
    package = next(p for p in (room.collection / "packages").iterdir() if "spy" in p.name)
    descriptor = package / "archivekit" / "package.json"
    descriptor.write_bytes(descriptor.read_bytes().replace(b"Rising", b"Falling", 1))
    page.goto(room.url + "/")
    page.locator("ol.clippings a.headline", has_text="Challenge").click()
    page.get_by_role("button", name="Verify now").click()
    assert page.get_by_role("status").inner_text().startswith("Verification FAILED")
    problems = page.locator(".findings li.bad").all_inner_texts()
    assert any("AK2" in p for p in problems), problems
    shot(page, "clipping-failed")


def test_paste_capture_seals_and_appears_in_search(room, page):
    page.goto(room.url + "/capture")
    page.get_by_label("The clipping's text").fill(
        "Library Board Approves Longer Hours\n\nBy Ada Lovelace\n\nMarch 4, 2024\n\n"
        "The library board voted on Tuesday to keep the reading room open until nine.\n")
    page.get_by_label("Call number").fill("027.4")
    page.get_by_label("Subjects (one per line)").fill("Libraries\nOpening hours")
    page.get_by_role("button", name="Capture and seal").click()
    page.wait_for_url(re.compile(r".*/p/[^/]+$"), timeout=60_000)
    assert "Library Board Approves Longer Hours" in page.locator("h1").inner_text()
    assert "027.4" in page.get_by_role("region", name="Catalog").inner_text()
    shot(page, "clipping-captured")
    page.goto(room.url + "/?text=Longer+Hours")
    assert page.locator("ol.clippings a.headline").all_inner_texts() == [
        "Library Board Approves Longer Hours"]
    # the same capture in the collection's own records: verified by the CLI
    result = room.cli("verify", *sorted((room.collection / "packages").iterdir()))
    assert result.returncode == 0, result.stdout


def test_a_capture_a_full_disk_stopped_is_named_and_made_when_asked_again(
        samples_collection, tmp_path, page):
    """Stopped once its package was in place it failed with 'OperationalError: database
    or disk is full', and the package stayed unrecorded until a run. The space left
    grows a page at a time until the package is in place when the disk stops it."""
    with small_disk(tmp_path / "disk", "8m") as disk:
        collection = disk / "collection"
        shutil.copytree(samples_collection / "collection", collection)
        shutil.copytree(samples_collection / "home", tmp_path / "home")
        room = start_room(CLI(tmp_path / "home"), collection)
        try:
            def submit():
                page.goto(room.url + "/capture")
                page.get_by_label("The clipping's text").fill(
                    "Flood Closes the River Road\n\nBy Ada Lovelace\n\n" + "Water. " * 4000)
                page.get_by_role("button", name="Capture and seal").click()

            def stopped():
                submit()
                alert = page.get_by_role("alert")
                alert.wait_for(timeout=60_000)
                return alert.inner_text()
            before = len(list((collection / "packages").iterdir()))
            for said in stopped_after_placing(
                    disk, stopped,
                    lambda: len(list((collection / "packages").iterdir())) > before, 32 << 10):
                assert said.startswith(
                    f"The capture failed: {collection}: no space left on the collection's "
                    f"filesystem ("), said
                assert "the capture stopped" in said
            submit()
            page.wait_for_url(re.compile(r".*/p/[^/]+$"), timeout=60_000)
            assert page.locator("h1").inner_text() == "Flood Closes the River Road"
        finally:
            room.stop()
        listed = json.loads(room.cli("list", collection, "--json").stdout)
        assert [row["headline"] for row in listed].count("Flood Closes the River Road") == 1
        assert sorted(row["id"] for row in listed) == sorted(
            p.name for p in (collection / "packages").iterdir())


def test_text_from_a_package_is_escaped(tmp_path, page):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("<script>document.title='owned'</script><b>Bold</b> Headline\n\n"
                       "By Eve\n\nThe body.\n")
    cli = CLI(tmp_path / "home")
    collection = make_collection(cli, tmp_path, [(hostile, None)])
    running = start_room(cli, collection)
    try:
        page.goto(running.url + "/")
        page.locator("ol.clippings a.headline").first.click()
        assert "<script>" in page.locator("h1").inner_text() or "<b>" in page.content()
        assert page.title() != "owned"
        assert page.locator("h1 b").count() == 0
    finally:
        running.stop()


def test_every_form_field_has_a_label_and_pages_reflow_at_200_percent(room, browser):
    context = browser.new_context(viewport={"width": 600, "height": 900}, device_scale_factor=2)
    page = context.new_page()
    try:
        for path in ("/", "/capture", "/audits"):
            page.goto(room.url + path)
            fields = page.locator("input:not([type=hidden]), textarea, select")
            for i in range(fields.count()):
                field_id = fields.nth(i).get_attribute("id")
                assert field_id and page.locator(f"label[for='{field_id}']").count() == 1, path
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways at 200% zoom"
        page.goto(room.url + "/")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    finally:
        context.close()


def test_a_scan_is_shown_beside_its_reading(room, page):
    page.goto(room.url + "/")
    page.locator("ol.clippings a.headline").first.click()   # the newest: the scan
    # Waited for, not asked at once: the page is there before its image has loaded
    # (fresh-clone CI saw complete false); a scan that never shows still fails here.
    page.wait_for_function("() => { const img = document.querySelector('.scan img'); "
                           "return img && img.complete && img.naturalWidth > 0; }",
                           timeout=15_000)
    derived = page.locator(".derived").inner_text()
    assert "derived reading of the scan" in derived and "tesseract" in derived
    assert re.search(r"confidence \d+%", derived)
    shot(page, "clipping-scan")


def test_amend_makes_a_new_sealed_version_and_keeps_the_original(room, page):
    before = len(list((room.collection / "packages").iterdir()))
    page.goto(room.url + "/?text=Spy+Agency")
    page.locator("ol.clippings a.headline").first.click()
    page.wait_for_url(re.compile(r".*/p/[^/]+$"))
    original = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name="Amend the catalog").click()
    assert page.get_by_label("Call number").input_value() == "CLIP 2023-12-28 NYT A1"
    page.get_by_label("Call number").fill("CLIP 2023-12-28 NYT A1 (corrected)")
    page.evaluate("document.querySelector('#reason').required = false")   # the server checks too
    page.get_by_role("button", name="Seal the amended version").click()
    assert "Say why" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Call number").input_value() == "CLIP 2023-12-28 NYT A1 (corrected)"
    page.get_by_label("Reason for the amendment (signed into the new version)").fill("call number typo")
    page.get_by_role("button", name="Seal the amended version").click()
    page.wait_for_url(re.compile(r".*-v2$"))
    assert "(corrected)" in page.get_by_role("region", name="Catalog").inner_text()
    assert page.get_by_role("region", name="Versions").locator("a").inner_text() == original
    shot(page, "clipping-amended")
    page.goto(f"{room.url}/p/{original}")
    assert "An older version" in page.get_by_role("note").inner_text()
    # search shows the current version only, and both versions verify
    page.goto(room.url + "/?text=Spy+Agency")
    assert page.locator("ol.clippings a.headline").count() == 1
    packages = sorted((room.collection / "packages").iterdir())
    assert len(packages) == before + 1
    assert room.cli("verify", *packages).returncode == 0


def test_withdraw_needs_a_reason_and_confirmation_and_hides_the_clipping(room, page):
    page.goto(room.url + "/?text=Sudan")
    page.locator("ol.clippings a.headline").first.click()
    page.wait_for_url(re.compile(r".*/p/[^/]+$"))   # not the list's "Show withdrawn" link
    page.get_by_role("link", name="Withdraw", exact=True).press("Enter")   # by keyboard
    page.wait_for_url(re.compile(r".*/withdraw$"))
    page.get_by_label("Reason (signed into the tombstone)").fill("takedown request 2026-17")
    page.evaluate("document.querySelector('#confirm').required = false")
    page.get_by_role("button", name="Withdraw").click()
    assert "confirmation" in page.get_by_role("alert").inner_text()
    page.get_by_label("Reason (signed into the tombstone)").fill("takedown request 2026-17")
    page.get_by_label("I understand that a withdrawal is recorded for good").check()
    page.get_by_role("button", name="Withdraw").click()
    banner = page.get_by_role("note").inner_text()
    assert banner.startswith("Withdrawn") and "takedown request 2026-17" in banner
    shot(page, "clipping-withdrawn")
    page.goto(room.url + "/?text=Sudan")
    assert page.locator("ol.clippings a.headline").count() == 0
    page.goto(room.url + "/?text=Sudan&withdrawn=1")
    assert page.locator("ol.clippings .tag").inner_text() == "withdrawn"
    audit = room.cli("audit", room.collection)
    assert audit.returncode == 0, audit.stdout + audit.stderr
