"""Reading-room page times with a large catalog: is every page still quick at 100,000?

    .venv/bin/python benchmarks/reading_room.py [--count 100000]

The samples are captured for real (so clipping pages read real packages); the catalog
is then filled with `--count` synthetic rows, as many packages would fill it, because
browse, facets, paging and the audit dashboard read only the catalog. Baseline, in the
same run: the same pages over the samples' 4-row catalog. Each page is asked for
through Flask's test client (the application's own work, without a network).
"""

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT  # noqa: E402

PUBLISHERS = ["The New York Times", "The Guardian", "The Washington Post", "Reuters",
              "Associated Press", "Le Monde", "Der Spiegel", "The Economist"]


def fill(catalog: Path, count: int) -> None:
    rng = random.Random(7)
    db = sqlite3.connect(catalog)
    rows = []
    for n in range(count):
        year = 1990 + n % 35
        created = f"{2020 + n % 6}-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z"
        outcome = rng.choice(["success"] * 40 + ["failure", None])
        rows.append((f"synthetic-{n:07d}", f"packages/synthetic-{n:07d}",
                     f"Headline number {n} about {rng.choice(['budgets', 'floods', 'libraries'])}",
                     rng.choice(PUBLISHERS), f"{year}-03-04", "[]", "local", created, created, 1,
                     created if outcome else None, outcome))
    with db:
        db.executemany("INSERT INTO packages (id, path, headline, publisher, published, sources, "
                       "signer, sealed_at, created, ingested, last_audit, last_outcome) "
                       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.close()


def page_times(collection: Path, home: Path, paths: list[str], repeat: int = 7) -> dict:
    os.environ["ARCHIVEKIT_HOME"] = str(home)
    from archivekit.serve.app import create_app
    from archivekit.serve.settings import Settings
    app = create_app(Settings(collection=collection, trust_path=home / "trust.yaml", home=home))
    client = app.test_client()
    times = {}
    for path in paths:
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
        times[path] = (samples[0] * 1000, statistics.median(samples[1:]) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ak-room-"))
    home = work / "home"
    manifest = work / "job.yaml"
    manifest.write_text(f"collection: {work / 'collection'}\nname: Bench\nsources:\n"
                        f"  - glob: {ROOT / 'samples'}/*.*\n")
    env = dict(os.environ, ARCHIVEKIT_HOME=str(home), PYTHONPATH=str(ROOT))
    subprocess.run([sys.executable, "-m", "archivekit", "run", str(manifest)], env=env,
                   check=True, capture_output=True)
    collection = work / "collection"
    db = sqlite3.connect(collection / "catalog.sqlite")
    real = db.execute("SELECT id FROM packages ORDER BY id LIMIT 1").fetchone()[0]
    db.close()
    paths = ["/", "/?publisher=Reuters", "/?year=2001&audit=failure", "/?text=floods",
             f"/p/{real}", "/audits"]
    small = page_times(collection, home, paths)
    fill(collection / "catalog.sqlite", args.count)
    large = page_times(collection, home, paths + ["/?after=2022-06-15T10:00:00Z|synthetic-0050000"])
    # First: the first request after the catalog changed (facet counts are then computed
    # and kept); again: the median of the next six.
    print(f"Reading-room pages, ms, over a catalog of 4 rows and of {args.count:,} rows")
    print(f"  {'page':48} {'4 first':>8} {'4 again':>8} {'N first':>8} {'N again':>8}")
    for path, (first, again) in large.items():
        small_first, small_again = small.get(path, (float("nan"), float("nan")))
        print(f"  {path[:48]:48} {small_first:8.1f} {small_again:8.1f} {first:8.1f} {again:8.1f}")


if __name__ == "__main__":
    main()
