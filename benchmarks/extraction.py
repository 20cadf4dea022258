"""Extraction accuracy against hand-checked expectations.

    .venv/bin/python benchmarks/extraction.py [--corpus ../shared/corpus/readability] [--verbose]

Runs archivekit's extractor over the corpus pages and the project's own fixtures and
prints per-field accuracy: headline (exact, whitespace and quotes folded), authors
(set F1), published (to the day), publisher, print line (date, section, page, edition,
headline all equal). As a baseline in the same run, Readability's own output
(`expected-metadata.json` beside each page) is scored against the same expectations.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import extract  # noqa: E402

EXPECTED = ROOT / "tests/fixtures/extraction-expected.json"
SEED = ROOT / "samples/nyt-2023-12-28-chinese-spy-agency.txt"
SEED_EXPECTED = {
    "headline": "Chinese Spy Agency Rising to Challenge the C.I.A.",
    "authors": ["Edward Wong", "Julian E. Barnes", "Muyi Xiao", "Chris Buckley"],
    "published": "2023-12-27", "publisher": "The New York Times",
    "print": {"date": "2023-12-28", "section": "A", "page": "1", "edition": "New York",
              "headline": "Beijing-Washington Spy Competition Escalates"},
}
FIELDS = ("headline", "authors", "published", "publisher", "print")


def fold(text):
    if text is None:
        return None
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"^the\s+", "", " ".join(text.split()).lower())


def author_f1(expected, found):
    expected, found = {fold(n) for n in expected}, {fold(n) for n in found}
    if not expected and not found:
        return 1.0
    hits = len(expected & found)
    if not hits:
        return 0.0
    precision, recall = hits / len(found), hits / len(expected)
    return 2 * precision * recall / (precision + recall)


def score(expected: dict, found: dict) -> dict:
    scores = {}
    for field in FIELDS:
        if field not in expected:
            continue
        want, got = expected[field], found.get(field)
        if field == "authors":
            scores[field] = author_f1(want, got or [])
        elif field == "print":
            keys = ("date", "section", "page", "edition", "headline")
            scores[field] = float((want is None and got is None) or (
                want is not None and got is not None and
                all(fold(want.get(k)) == fold(got.get(k)) for k in keys)))
        elif field == "published":
            scores[field] = float((want or None) == ((got or "")[:10] or None))
        else:
            scores[field] = float(fold(want) == fold(got))
    return scores


def ours(data: bytes, media_type: str, url=None) -> dict:
    meta = extract(data, media_type, url).to_dict()
    printed = meta["print"]
    return {"headline": meta["headline"], "authors": [a["name"] for a in meta["authors"]],
            "published": meta["published"], "publisher": (meta["publisher"] or {}).get("name"),
            "print": printed}


def readability(page_dir: Path) -> dict:
    data = json.loads((page_dir / "expected-metadata.json").read_text())
    byline = data.get("byline") or ""
    byline = re.sub(r"^(by|par)\s+", "", byline.strip(), flags=re.I)
    return {"headline": data.get("title"), "authors": [byline] if byline else [],
            "published": data.get("publishedTime"), "publisher": data.get("siteName"),
            "print": None}


def table(title, rows):
    print(f"\n{title}")
    print(f"  {'field':10} {'pages':>5} {'accuracy':>9}")
    for field in FIELDS:
        values = [r[field] for r in rows if field in r]
        if values:
            print(f"  {field:10} {len(values):5d} {100 * sum(values) / len(values):8.1f}%")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared/corpus/readability"))
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    expectations = json.loads(EXPECTED.read_text())["pages"]
    our_rows, their_rows = [], []
    started = time.perf_counter()
    total_bytes = 0
    for page, expected in sorted(expectations.items()):
        source = corpus / page / "source.html"
        if not source.exists():
            print(f"skipped {page}: {source} not found", file=sys.stderr)
            continue
        data = source.read_bytes()
        total_bytes += len(data)
        found = ours(data, "text/html")
        our_rows.append(score(expected, found))
        their_rows.append(score(expected, readability(source.parent)))
        if args.verbose:
            for field, value in our_rows[-1].items():
                if value < 1:
                    print(f"  miss {page}.{field}: expected {expected[field]!r}, "
                          f"found {found.get(field)!r}")
    elapsed = time.perf_counter() - started
    seed_row = score(SEED_EXPECTED, ours(SEED.read_bytes(), "text/plain; charset=utf-8",
                                         "https://www.nytimes.com/2023/12/27/us/politics/"
                                         "china-spy-agency-cia.html"))
    print(f"archivekit extraction over {len(our_rows)} corpus pages "
          f"({total_bytes / 1e6:.1f} MB in {elapsed:.2f} s, "
          f"{total_bytes / 1e6 / max(elapsed, 1e-9):.1f} MB/s)")
    table("archivekit, corpus pages", our_rows)
    table("Readability's own output (baseline), same pages and expectations", their_rows)
    table("archivekit, the seed text clipping", [seed_row])


if __name__ == "__main__":
    main()
