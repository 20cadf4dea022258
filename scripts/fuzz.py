#!/usr/bin/env python3
"""Long fuzzing campaigns of every reader of untrusted input (hypothesis-driven).

    .venv/bin/python scripts/fuzz.py                     # 10,000 inputs per reader
    .venv/bin/python scripts/fuzz.py --examples 500 --reader zip --reader warc

Each reader gets inputs near a genuine one (a sealed package, its zip and tar, WARC,
descriptor, manifests, seal, trust store, a catalog) and arbitrary bytes. The property
is the suite's (tests/support/fuzzing.py): a finding or a clear error, never an
exception, and here also within 10 s per input. An input that breaks it is kept under
tests/fixtures/fuzz/<reader>/, where tests/verify/test_properties.py replays it.
"""

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from support.fuzzing import keep, mutations, workbench_from  # noqa: E402

SEED = ROOT / "samples" / "nyt-2023-12-28-chinese-spy-agency.txt"
SECONDS_PER_INPUT = 10


def sealed_package(folder: Path) -> tuple[Path, Path]:
    home = folder / "home"
    made = subprocess.run([sys.executable, "-m", "archivekit", "--home", str(home), "capture",
                           str(SEED), "--catalog", str(SEED.with_suffix(".yaml")),
                           "--out", str(folder / "archive")],
                          capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    return Path(made.stdout.strip()), home


def campaign(bench, reader: str, examples: int) -> dict:
    read = bench.readers[reader]
    slowest = [0.0]

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        value = data.draw(mutations(bench.seeds[reader]))
        started = time.monotonic()
        try:
            read(value)
        except BaseException:
            print(f"  kept {keep(reader, value)}", flush=True)
            raise
        took = time.monotonic() - started
        slowest[0] = max(slowest[0], took)
        if took > SECONDS_PER_INPUT:
            print(f"  kept {keep(reader, value)} (took {took:.1f} s)", flush=True)
            raise AssertionError(f"{reader}: {took:.1f} s for one input")

    started = time.monotonic()
    try:
        run()
        outcome = "ok"
    except Exception as exc:   # noqa: BLE001 -- the campaign reports and goes on
        outcome = f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return {"reader": reader, "examples": examples, "seconds": time.monotonic() - started,
            "slowest": slowest[0], "outcome": outcome}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--reader", action="append", help="only these readers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ak-fuzz-") as scratch:
        package, home = sealed_package(Path(scratch))
        bench = workbench_from(package, home)
        failed = 0
        for reader in args.reader or sorted(bench.readers):
            result = campaign(bench, reader, args.examples)
            failed += result["outcome"] != "ok"
            print(f"{reader:11} {result['examples']:>6} inputs  {result['seconds']:7.1f} s  "
                  f"slowest {result['slowest']:5.2f} s  {result['outcome']}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
