"""WACZ 1.1.1 (Webrecorder's zipped web archive): names, and reading its JSON files.

A WACZ is a zip holding `datapackage.json` (title, software, and every resource with
its sha256 and size), optionally `datapackage-digest.json` (the sha256 of
datapackage.json, and an authsign signature over that hash string), `pages/pages.jsonl`
(the pages a replay offers), `indexes/` (CDX/CDXJ) and `archive/*.warc.gz`.
"""

import json
import zipfile
import zlib

WACZ_VERSION = "1.1.1"
DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"
PAGES = "pages/pages.jsonl"
ARCHIVE_DIR = "archive/"
INDEX_DIR = "indexes/"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
# archivekit's package, carried inside a WACZ it exports: the bag's tag files, seals and
# proofs under this folder, its payload being the WACZ's own archive/ files.
ARCHIVEKIT_DIR = "archivekit/"
# What reading a damaged zip raises besides BadZipFile: a member cut short (EOFError), a
# method or version zipfile does not know (NotImplementedError), bad deflate data
# (zlib.error), encryption (RuntimeError).
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                   NotImplementedError, RuntimeError, KeyError)


def load_json(data: bytes) -> tuple[dict | None, str | None]:
    """A JSON object, or why not."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"not JSON: {str(exc)[:120]}"
    if not isinstance(value, dict):
        return None, "not a JSON object"
    return value, None


def parse_pages(text: str) -> tuple[list[dict], list[str]]:
    """pages.jsonl: a header line, then one JSON object per page (`url`, `ts`, `title`)."""
    pages, problems = [], []
    # JSON Lines ends a line at \n alone: str.splitlines() would also cut at U+2028, U+0085
    # and the like, which JSON (and pages_text) leave unescaped inside a title.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            problems.append(f"line {number} is not JSON")
            continue
        if not isinstance(value, dict):
            problems.append(f"line {number} is not a JSON object")
        elif "format" in value and number == 1:
            continue     # the header
        elif not isinstance(value.get("url"), str):
            problems.append(f"line {number} has no url")
        else:
            pages.append(value)
    return pages, problems


def pages_text(pages: list[dict]) -> bytes:
    """pages.jsonl: its header line, then one JSON line per page."""
    lines = [json.dumps(PAGES_HEADER)] + [json.dumps(p, ensure_ascii=False) for p in pages]
    return ("\n".join(lines) + "\n").encode("utf-8")
