"""An audit on a Dask cluster: a LocalCluster of two worker processes on 127.0.0.1
verifies the batches; the CLI process holds the lock and writes the logs."""

import json

import pytest

from conftest import ROOT, SEED
from support.collection import clippings, log_entries, write_manifest

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", str(ROOT))     # the workers import this tree's archivekit
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=":0") as cluster:
            yield cluster.scheduler_address


def test_an_audit_on_a_cluster_agrees_with_a_local_one(cli, tmp_path, scheduler):
    folder = clippings(tmp_path / "inbox", 3)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt", f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    coll = tmp_path / "coll"
    damaged = next(p for p in (coll / "packages").iterdir() if "spy-agency" in p.name)
    warc = damaged / "data/clipping.warc.gz"
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))

    outcomes = []
    for where in (["--scheduler", scheduler], ["--workers", "1"]):
        before = len(log_entries(coll))
        result = cli("audit", coll, "--json", *where)
        report = json.loads(result.stdout)
        assert result.returncode == 1 and report["audited"] == 4
        assert [f["package"] for f in report["audit_failures"]] == [damaged.name]
        outcomes.append(sorted((e["package"], e["type"], e["outcome"], e["detail"])
                               for e in log_entries(coll)[before:]))
    assert outcomes[0] == outcomes[1] and len(outcomes[0]) == 8
    assert cli("log", coll, "--verify").returncode == 0


def test_an_unreachable_scheduler_is_a_clear_error(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    result = cli("audit", tmp_path / "coll", "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 3 and "tcp://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
