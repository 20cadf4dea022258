"""How a reading room is set up (serve/settings.py), fixed when it starts: read-only, and
the largest upload, given as `archivekit serve` options and kept by every request."""

import dataclasses
from pathlib import Path

import pytest

from archivekit.serve.settings import Settings
from support.room import start_room


def test_settings_cannot_be_changed_once_made():
    settings = Settings(collection=Path("c"), trust_path=Path("t"), read_only=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.read_only = False


def test_read_only_room_offers_no_capture(tmp_path, page, room):
    running = start_room(room.cli, room.collection, "--read-only", "--max-upload", "1")
    try:
        page.goto(running.url + "/")
        assert page.get_by_role("link", name="Capture").count() == 0
        assert page.request.get(running.url + "/capture").status == 403
        # the largest upload, 1 MiB: a larger form is refused in words, a small one reaches
        # the room's checks (here, no CSRF token)
        large = page.request.post(running.url + "/capture", form={"text": "x" * (2 << 20)})
        assert large.status == 413 and "larger than this reading room accepts" in large.text()
        assert page.request.post(running.url + "/capture", form={"text": "x"}).status == 400
        page.locator("ol.clippings a.headline").first.click()
        page.get_by_role("button", name="Verify now").click()
        assert page.get_by_role("status").inner_text().startswith("Verified")
    finally:
        running.stop()
