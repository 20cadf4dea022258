"""The reading room's defences (serve/security.py), as a browser meets them: the headers
of every answer, a stored page sandboxed away from the room's origin and the network,
CSRF tokens, the login, package ids checked before they reach the catalog or the disk."""

import http.server
import threading
import urllib.request

import pytest
from werkzeug.exceptions import NotFound

from archivekit.serve.security import checked_package_id, password_matches
from conftest import CLI
from support.room import make_collection, shot, start_room


def test_every_answer_carries_the_defensive_headers(room, page):
    """The room's pages allow no script at all; a stored page is sandboxed (an opaque
    origin) and may reach nothing."""
    page.goto(room.url + "/?text=Sudan")
    page.locator("ol.clippings a.headline").first.click()
    stored = page.locator("iframe.stored").get_attribute("src")
    answers = {"app": page.request.get(page.url), "stored": page.request.get(room.url + stored)}
    for name, answer in answers.items():
        assert answer.status == 200, name
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["referrer-policy"] == "no-referrer", name
        policy = [p.strip() for p in headers["content-security-policy"].split(";")]
        assert "default-src 'none'" in policy and not any("script-src" in p for p in policy)
    assert "sandbox" in answers["stored"].headers["content-security-policy"].split("; ")
    assert "sandbox" not in answers["app"].headers["content-security-policy"].split("; ")


def test_a_package_id_from_a_url_is_checked_before_it_is_used(sealed):
    """Before the catalog or the disk is asked (either may also say 404, which is why
    this is tested here and not only through the room)."""
    _, package = sealed
    assert checked_package_id(package.name) == package.name
    for hostile in ("..", "../catalog.sqlite", ".lock", "a/b", "a\x00b", "", "-rf",
                    "x" * 202, "caf\u00e9"):
        with pytest.raises(NotFound):
            checked_package_id(hostile)


def test_a_password_must_match_whole():
    assert password_matches("correct horse battery staple", "correct horse battery staple")
    for wrong in ("", "correct horse battery", "correct horse battery staplE",
                  "correct horse battery staple "):
        assert not password_matches(wrong, "correct horse battery staple")


def test_a_stored_page_can_run_no_script_and_reach_no_network(tmp_path, page):
    hits = []

    class Beacon(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass
    beacon = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Beacon)
    threading.Thread(target=beacon.serve_forever, daemon=True).start()
    there = f"http://127.0.0.1:{beacon.server_port}"
    evil = tmp_path / "evil.html"
    evil.write_text(
        "<html><head><title>Evil page</title>"
        f"<link rel=stylesheet href='{there}/css'><script src='{there}/js'></script></head>"
        "<body><h1>Evil <script>document.title='x'</script>headline</h1>"
        f"<img src='{there}/img'><iframe src='{there}/frame'></iframe>"
        "<script>parent.document.body.innerHTML='PWNED';"
        f"fetch('{there}/fetch');</script>"
        f"<form action='{there}/form'><input name=q></form>"
        "<p>Text of the evil article that a librarian saved.</p></body></html>")
    cli = CLI(tmp_path / "home")
    collection = make_collection(cli, tmp_path, [(evil, "https://evil.example/story.html")])
    running = start_room(cli, collection)
    try:
        page.goto(running.url + "/")
        page.locator("ol.clippings a.headline").first.click()
        frame = page.frame_locator("iframe.stored")
        assert "Text of the evil article" in frame.locator("body").inner_text()
        page.wait_for_timeout(1500)
        assert "PWNED" not in page.locator("body").inner_text()
        assert hits == []
        shot(page, "stored-page-sandboxed")
    finally:
        running.stop()
        beacon.shutdown()


def test_forms_need_this_sessions_token(room, page):
    page.goto(room.url + "/")
    response = page.request.post(room.url + "/capture", form={"mode": "text", "text": "x"})
    assert response.status == 400
    assert "expired" in response.text()


def test_paths_never_reach_the_disk_unchecked(room, page):
    for path in ("/p/..%2f..%2fcollection.yaml", "/p/.lock", "/p/a%00b", "/p/nope/source/0",
                 "/p/x/source/99", "/jobs/..%2f"):
        assert page.request.get(room.url + path).status == 404, path


PASSWORD = "correct horse battery staple"


@pytest.fixture
def guarded(room, tmp_path):
    """The room's collection served again behind PASSWORD (--auth)."""
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD + "\n")
    running = start_room(room.cli, room.collection, "--auth", secret)
    try:
        yield running
    finally:
        running.stop()


def test_a_room_with_a_password_lets_in_only_who_gives_it(guarded, page):
    page.goto(guarded.url + "/audits")
    assert "/login" in page.url
    page.get_by_label("Password").fill("wrong password here")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "That password is not right."
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/audits") and page.locator("h1").inner_text() == "Audits"
    with urllib.request.urlopen(guarded.url + "/login") as answer:
        cookie = answer.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Strict" in cookie


def test_signing_in_never_sends_the_browser_to_another_site(guarded, page):
    # "next" was checked for "//" only; a browser drops the tab of "/%09/evil.example"
    # and went to //evil.example: a link to the room's login that leads elsewhere.
    for given, landed in (("/audits", "/audits"), ("/%09/evil.example/", "/"),
                          ("/%5C/evil.example/", "/"), ("/%0A/evil.example/", "/")):
        page.goto(f"{guarded.url}/login?next={given}")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.url == guarded.url + landed, given
