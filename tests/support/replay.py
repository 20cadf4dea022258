"""ReplayWeb.page, offline: its npm package's files and a WACZ served on 127.0.0.1 (with
HTTP range requests, which it uses to read a WACZ), for headless Chromium to load."""

import os
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# .ci/run fetches it: npm pack replaywebpage, unpacked into .replaywebpage/package
REPLAYWEBPAGE = Path(os.environ.get("ARCHIVEKIT_REPLAYWEBPAGE", ROOT / ".replaywebpage" / "package"))


def available() -> str | None:
    """Why the replay test cannot run here, or None."""
    if not (REPLAYWEBPAGE / "ui.js").exists():
        return f"ReplayWeb.page is not unpacked at {REPLAYWEBPAGE} (.ci/run: npm pack replaywebpage)"
    return None


class RangeHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_head(self):
        match = re.match(r"bytes=(\d+)-(\d*)$", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        handle = open(path, "rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return _Limited(handle, end - start + 1)


class _Limited:
    def __init__(self, handle, remaining):
        self.handle, self.remaining = handle, remaining

    def read(self, size=-1):
        size = self.remaining if size < 0 else min(size, self.remaining)
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self):
        self.handle.close()


def site(folder: Path, wacz: Path, url: str) -> Path:
    """A page embedding <replay-web-page> for `wacz`, opened at `url`."""
    (folder / "replay").mkdir(parents=True)
    for name in ("ui.js", "sw.js"):
        shutil.copy(REPLAYWEBPAGE / name, folder / name)
        shutil.copy(REPLAYWEBPAGE / name, folder / "replay" / name)
    shutil.copy(REPLAYWEBPAGE / "index.html", folder / "replay" / "index.html")
    shutil.copy(wacz, folder / "export.wacz")
    (folder / "index.html").write_text(
        "<!doctype html><html><head><script src='./ui.js'></script></head><body>"
        f"<replay-web-page source='export.wacz' url='{url}' replayBase='./replay/'>"
        "</replay-web-page></body></html>")
    return folder


class Server:
    def __init__(self, folder: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                         partial(RangeHandler, directory=str(folder)))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def replayed_text(page, folder: Path, wacz: Path, url: str, expect: str,
                  timeout_ms=30000) -> str:
    """The text of the archived page as ReplayWeb.page shows it in `page` (a Playwright page
    of the session's headless Chromium)."""
    server = Server(site(folder, wacz, url))
    try:
        page.goto(server.url + "index.html")
        page.wait_for_timeout(200)
        for _ in range(timeout_ms // 250):
            for frame in page.frames:
                if "/replay/w/" in frame.url:
                    try:
                        text = frame.inner_text("body", timeout=250)
                    except Exception:
                        continue
                    if expect in text:
                        return text
            page.wait_for_timeout(250)
        return ""
    finally:
        server.stop()
