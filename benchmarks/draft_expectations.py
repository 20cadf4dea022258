"""Draft the corpus expectations for benchmarks/extraction.py, for a person to check.

    .venv/bin/python benchmarks/draft_expectations.py > /tmp/draft.json

For every corpus page it gathers what the page declares about itself (JSON-LD, OpenGraph,
`article:` and author meta tags, the h1s, the <title>) and the corpus project's hints, and
proposes one value per field, preferring what a reader sees in `copied.txt`. The output is a
draft: benchmarks/corpus-expectations.json was made from it and then corrected page by page
by reading the page. This script is kept so the process can be repeated on new pages; it
never overwrites the checked file.
"""

import json
import re
import sys
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import structured  # noqa: E402
from archivekit.extract.dates import machine_date  # noqa: E402

# ../shared/corpus beside the checkout (or beside the folder of worktrees)
CORPUS = next((p / "shared/corpus" for p in ROOT.parents if (p / "shared/corpus").is_dir()),
              ROOT.parent / "shared/corpus")


def squash(text):
    return " ".join((text or "").split())


def visible(candidate, copied_lines):
    return bool(candidate) and squash(candidate) in copied_lines


def draft(page_dir: Path) -> dict:
    html = page_dir.joinpath("source.html").read_bytes()
    copied = page_dir.joinpath("copied.txt").read_text(errors="replace")
    copied_lines = {squash(line) for line in copied.splitlines()}
    doc = lxml.html.document_fromstring(html)
    warnings = []
    article = structured.json_ld_article(doc, warnings) or {}
    tags = structured.meta_tags(doc)
    hints = {}
    if page_dir.joinpath("expected-metadata.json").exists():
        hints = json.loads(page_dir.joinpath("expected-metadata.json").read_text())
    h1s = [squash(h.text_content()) for h in doc.xpath("//h1")]
    headline_candidates = [structured.text_of(article.get("headline")), tags.get("og:title"),
                           *h1s, hints.get("title"), squash(doc.findtext(".//title"))]
    headline = next((c for c in headline_candidates if visible(c, copied_lines)),
                    next((c for c in headline_candidates if c), None))
    people = structured.people(article.get("author")) if article else []
    if not people and tags.get("author") and not tags["author"].startswith("http"):
        people = [tags["author"]]
    if not people and hints.get("byline"):
        people = [re.sub(r"^(by|par)\s+", "", hints["byline"], flags=re.I)]
    published = machine_date(structured.text_of(article.get("datePublished")) or
                             tags.get("article:published_time") or
                             hints.get("publishedTime"))
    publisher = structured.text_of(article.get("publisher")) or tags.get("og:site_name") or \
        hints.get("siteName")
    lowered = copied.lower()
    return {
        "headline": headline,
        "authors": people,
        "authors_in_copy": [p for p in people if p.lower() in lowered],
        "published": published[:10] if published else None,
        "publisher": publisher,
        "candidates": {"headline": [c for c in dict.fromkeys(headline_candidates) if c][:6]},
    }


def main():
    pages = {}
    for folder in ("readability", "newspaper"):
        for page_dir in sorted((CORPUS / folder).iterdir()):
            if page_dir.joinpath("copied.txt").exists():
                try:
                    pages[f"{folder}/{page_dir.name}"] = draft(page_dir)
                except Exception as exc:   # a draft, not a verdict: note and go on
                    pages[f"{folder}/{page_dir.name}"] = {"error": repr(exc)}
    json.dump({"pages": pages}, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
