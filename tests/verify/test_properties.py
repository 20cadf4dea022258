"""Every reader of untrusted input, fed bytes near a genuine input (and any bytes at
all): a finding or a clear error, never an exception, within the budget. A few hundred
examples each here; scripts/fuzz.py runs long campaigns of the same properties."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from support.fuzzing import regression_inputs, mutations, workbench_from

READERS = ["zip", "tar", "warc", "descriptor", "bag-info", "manifest", "seal", "trust",
           "catalog", "json"]


@pytest.fixture(scope="module")
def bench(sealed):
    runner, package = sealed
    made = workbench_from(package, runner.home)
    yield made
    shutil.rmtree(made.folder)


@pytest.mark.parametrize("reader", READERS)
@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_finding_or_a_clear_error_never_an_exception(bench, reader, data):
    bench.readers[reader](data.draw(mutations(bench.seeds[reader]), label="input"))


def test_the_genuine_inputs_read_cleanly(bench):
    """The seeds themselves verify: the property tests start from real inputs."""
    for name in ("zip", "tar"):
        path = bench.folder / f"package.{name}"
        path.write_bytes(bench.seeds[name])
        report = bench.verifier.verify(path, bench.policy)
        # Rebuilt in memory, the bag directory is the package's own name: it verifies.
        assert report.verified, [f.message for f in report.findings]


@pytest.mark.parametrize("reader, path", regression_inputs() or [pytest.param(
    None, None, marks=pytest.mark.skip(reason="no fuzzing finds kept yet"))])
def test_inputs_kept_from_fuzzing_campaigns(bench, reader, path):
    bench.readers[reader](path.read_bytes())
