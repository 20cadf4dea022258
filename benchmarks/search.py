"""Search speed over a large catalog, against a plain LIKE scan, in one run.

    .venv/bin/python benchmarks/search.py [--packages 100000] [--keep DIR]

Builds a synthetic catalog index (CatalogIndex.add_many over made-up descriptors with
headline, dek, authors, a 300-word body drawn Zipf-like from 3,030 words, credits,
subjects and a call number; "the" in every clipping, "zeppelin" in 1 of 1,000), then
times, in this process and warm (the median of --repeat runs of each):
  ours       Collection.search for common and rare words, words with filters, filters
             alone (author, subject, date range, call number, audit state), and `list`'s
             first page
  baseline   the first word as a LIKE '%word%' scan of headline and dek, first 50 (what
             a catalog without a full-text index does; it cannot even look at the body)
and prints milliseconds and the baseline's ratio. Goal (issue 15): every query under
200 ms at 100,000 packages.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archivekit.collection.catalog import CatalogIndex  # noqa: E402
from archivekit.collection.search import Filters  # noqa: E402

WORDS = ("council budget school library river storm election court police hospital "
         "bridge museum festival harbor railway mayor senate tax housing water energy "
         "farm market theater union strike vote park fire flood drought").split()
NAMES = ["Jane Doe", "Ann Lee", "Omar Haddad", "Li Wei", "Maria Garcia", "John Smith",
         "Edward Wong", "Priya Patel", "Kofi Mensah", "Sara Berg"]
PUBLISHERS = ["The Daily Courier", "The New York Times", "Evening Post", "The Guardian",
              "Harbor Gazette"]


# A news vocabulary: the topic words above plus 3,000 made-up ones, drawn with Zipf-like
# weights (a few words in most clippings, most words in few), and "the" in every one.
VOCABULARY = WORDS + [f"w{n:04d}" for n in range(3000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]


def descriptor(number: int, rng: random.Random) -> dict:
    words = ["the"] + rng.choices(VOCABULARY, WEIGHTS, k=300)
    if number % 1000 == 0:
        words.append("zeppelin")                         # a rare word: 1 in 1,000
    year = 1990 + number % 35
    date = f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}"
    return {"id": f"{date}-clipping-{number:08d}", "created": "2026-01-01T00:00:00Z",
            "metadata": {"headline": " ".join(words[:8]).title(),
                         "description": " ".join(words[8:30]),
                         "authors": [{"name": rng.choice(NAMES)}],
                         "publisher": {"name": rng.choice(PUBLISHERS)}, "published": date,
                         "body": " ".join(words),
                         "credits": [{"role": "photograph", "name": rng.choice(NAMES),
                                      "agency": "Associated Press"}]},
            "catalog": {"subjects": [f"{rng.choice(WORDS).title()} -- {rng.choice(WORDS)}"],
                        "call_number": f"{number % 1000:03d}.{number % 10}"},
            "sources": [{"filename": f"clip-{number}.txt", "sha256": f"{number:064x}"}]}


def build(path: Path, count: int) -> None:
    rng = random.Random(15)
    index = CatalogIndex(path)
    try:
        batch = 5000
        for start in range(0, count, batch):
            index.add_many((descriptor(n, rng), f"packages/clip-{n}", {"signer": "bench"})
                           for n in range(start, min(count, start + batch)))
        with index.db:   # some audit history, so the audit filter has something to do
            index.db.execute("UPDATE packages SET last_audit = '2026-01-02T00:00:00Z', "
                             "last_outcome = CASE WHEN rowid % 97 = 0 THEN 'failure' "
                             "ELSE 'success' END WHERE rowid % 3 = 0")
    finally:
        index.close()


def timed_ms(function, repeat: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = len(function())
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="Build the catalog here and keep it.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ak-search-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "catalog.sqlite"
    if not path.exists():
        start = time.perf_counter()
        build(path, args.packages)
        print(f"built {args.packages:,} packages in {time.perf_counter() - start:.1f} s; "
              f"catalog {path.stat().st_size / 2**20:.0f} MiB ({path})")
    index = CatalogIndex(path)
    queries = [
        ("a word in every clipping (the)", Filters("the")),
        ("common word (council)", Filters("council")),
        ("two common words (council budget)", Filters("council budget")),
        ("rare word (zeppelin)", Filters("zeppelin")),
        ("prefix (zepp*)", Filters("zepp*")),
        ("word + author + date range", Filters("storm", author="ann lee", since="2000",
                                                until="2004-06")),
        ("word + subject", Filters("council", subject="library")),
        ("author alone", Filters(author="omar haddad")),
        ("date range alone (one year)", Filters(since="2010", until="2010")),
        ("call number prefix (027)", Filters(call_number="027")),
        ("audit failed", Filters(audit="failed")),
        ("list: first page, newest first", Filters()),
    ]
    print(f"\n  {'query (first 50, ranked)':40} {'ms':>8} {'found':>6}   baseline LIKE ms   ratio")
    db = index.db
    for label, filters in queries:
        ms, found = timed_ms(lambda: index.search(filters), args.repeat)
        baseline = ""
        if filters.text:
            like = "%" + filters.text.split()[0].rstrip("*") + "%"
            base_ms, _ = timed_ms(lambda: db.execute(
                "SELECT id FROM packages WHERE headline LIKE ? OR dek LIKE ? LIMIT 50",
                (like, like)).fetchall(), 3)
            baseline = f"{base_ms:8.1f}          {base_ms / ms:6.1f}x"
        flag = "" if ms < 200 else "   OVER 200 ms"
        print(f"  {label:40} {ms:8.1f} {found:6}   {baseline}{flag}")
    index.close()


if __name__ == "__main__":
    main()
