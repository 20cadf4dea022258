"""A reading room as a user meets it: `archivekit serve` in a subprocess on 127.0.0.1,
over a collection made with `archivekit run`. tests/conftest.py's `room` fixture serves a
copy of `samples_collection` (the seed clipping, a saved page and a scan, captured once
per session) this way."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path


SHOTS = Path(os.environ.get("ARCHIVEKIT_SCREENSHOTS", "/tmp/archivekit-screenshots"))


class Room:
    """A running reading room and what it serves."""

    def __init__(self, process, url: str, collection: Path, cli, said: str = ""):
        self.process, self.url, self.collection, self.cli = process, url, collection, cli
        self.said = said   # what it wrote to stderr up to the line with its address

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def start_room(cli, collection: Path, *extra, env=None) -> Room:
    process = subprocess.Popen(
        [sys.executable, "-m", "archivekit", "serve", str(collection), "--port", "0", *extra],
        env=cli.env(**(env or {})), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    line = said = ""
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        said += line
        found = re.search(r"(http://(?:[0-9.]+|\[[0-9a-f:]+\]):\d+)/", line)
        if found:
            return Room(process, found.group(1), collection, cli, said)
        if process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"serve did not start: {line}{process.stderr.read()}")


def make_collection(cli, root: Path, sources: list[tuple[Path, str | None]]) -> Path:
    """A collection made the way a librarian makes one: a job manifest and `archivekit run`."""
    entries = []
    for path, url in sources:
        entries.append(f"  - path: {path}\n" + (f"    url: {url}\n" if url else ""))
    manifest = root / "job.yaml"
    manifest.write_text(f"collection: {root / 'collection'}\nname: Reading room test\n"
                        "organization: City Library\nsources:\n" + "".join(entries))
    result = cli("run", manifest)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "collection"


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
