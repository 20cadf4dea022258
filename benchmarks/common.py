"""Helpers shared by the benchmarks: timing a command in a fresh process with its peak RSS."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# Runs a command and reports its wall time and peak RSS; a fresh wrapper process per
# measurement, so RUSAGE_CHILDREN holds that command's figures alone.
_WRAPPER = (
    "import json, resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'seconds': time.perf_counter() - start, 'code': code,\n"
    "                  'cpu_seconds': usage.ru_utime + usage.ru_stime,\n"
    "                  'rss_mib': usage.ru_maxrss / 1024}))\n"
)


def measure(command: list[str], env: dict | None = None, repeat: int = 1) -> dict:
    """Best of `repeat` runs: {'seconds', 'code', 'rss_mib'}."""
    best = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _WRAPPER, *map(str, command)],
                             capture_output=True, text=True, env=env or os.environ.copy())
        result = json.loads(out.stdout)
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def python_snippet(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def table(rows: list[tuple[str, dict]], size_bytes: int, baseline: float | None = None) -> None:
    print(f"  {'what':52} {'seconds':>8} {'MB/s':>8} {'peak RSS':>9} {'ratio':>7}")
    for label, result in rows:
        speed = size_bytes / 1e6 / result["seconds"]
        ratio = f"{baseline / result['seconds']:.2f}x" if baseline else ""
        flag = "" if result.get("code", 0) in (0, None) else f"  (exit {result['code']})"
        print(f"  {label:52} {result['seconds']:8.2f} {speed:8.0f} "
              f"{result['rss_mib']:7.0f}Mi {ratio:>7}{flag}")


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def html_document(data: bytes):
    """A saved page parsed as extraction reads it: decoded by its BOM, <meta charset> or
    UTF-8 first (lxml left alone guesses some pages' encoding wrong), to edit and give
    back through `html_bytes`."""
    import lxml.html
    from archivekit.extract.decode import decode_html
    parser = lxml.html.HTMLParser(encoding="utf-8")
    return lxml.html.document_fromstring(decode_html(data)[0].encode("utf-8"), parser=parser)


def html_bytes(doc) -> bytes:
    """An edited page as UTF-8 bytes that say so: its own charset declarations go, so
    the bytes are not read again in the charset they were first written in."""
    import lxml.html
    for node in doc.xpath("//meta[@charset or translate(@http-equiv, 'CONTEPY', "
                          "'contepy')='content-type']"):
        node.getparent().remove(node)
    return lxml.html.tostring(doc, encoding="utf-8")
