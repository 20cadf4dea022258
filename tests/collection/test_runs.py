"""Scheduled runs, through real subprocesses: idempotent, locked, surviving SIGKILL at any
moment, a full disk and a failed capture; progress only on a terminal."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SAMPLES, SEED
from support.tsa import trust_tsa
from support.collection import clippings, log_entries, run_json, write_manifest


def test_samples_job_runs_and_is_idempotent(cli, tmp_path):
    manifest = tmp_path / "samples.yaml"
    text = (ROOT / "manifests/samples.yaml").read_text().replace(
        "../collections/samples", str(tmp_path / "coll")).replace("../samples/", f"{SAMPLES}/")
    manifest.write_text(text)
    first, report = run_json(cli, manifest)
    assert first.returncode == 0, first.stderr
    assert len(report["captured"]) == 4 and report["ok"]
    assert report["audited"] == 4 and report["audit_failures"] == []
    second, again = run_json(cli, manifest)
    assert second.returncode == 0
    assert again["captured"] == [] and again["skipped"] == 4
    assert len(list((tmp_path / "coll/packages").iterdir())) == 4
    types = [e["type"] for e in log_entries(tmp_path / "coll")]
    assert types.count("ingestion") == 4 and types.count("fixity check") == 8
    assert cli("log", tmp_path / "coll", "--verify").returncode == 0
    listed = json.loads(cli("list", tmp_path / "coll", "--json").stdout)
    assert {row["last_outcome"] for row in listed} == {"success"}
    assert len(list((tmp_path / "coll/reports").glob("run-*.json"))) == 2


def test_second_run_waits_for_the_lock_then_gives_up(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time\nfrom archivekit.collection.store import Collection\n"
         "with Collection.open(sys.argv[1]).lock():\n    print('held', flush=True)\n"
         "    sys.stdin.readline()\n", tmp_path / "coll"],     # held until told to let go
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=cli.env())
    assert holder.stdout.readline().strip() == "held"
    try:
        refused = cli("run", manifest, "--wait", "0.5")
        assert refused.returncode == 3
        assert "another archivekit run holds this collection" in refused.stderr
        waiting = subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest),
                                    "--wait", "60"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=cli.env())
        time.sleep(1)
        assert waiting.poll() is None                  # still waiting for the lock
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert waiting.wait(timeout=60) == 0, waiting.stderr.read()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_two_concurrent_runs_capture_each_source_once(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 12)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    procs = [subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest), "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=cli.env()) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    reports = [json.loads(out) for out, _ in outputs]
    assert sorted(len(r["captured"]) for r in reports) == [0, 12]
    assert len(list((tmp_path / "coll/packages").iterdir())) == 12
    assert cli("log", tmp_path / "coll", "--verify").returncode == 0


@pytest.mark.parametrize("delay", [0.1, 0.3, 0.45, 0.6, 0.8])   # capture, log, audit phases
def test_sigkill_at_any_moment_then_rerun_completes(cli, tmp_path, delay):
    folder = clippings(tmp_path / "inbox", 25)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], "{workers: 1}")
    victim = subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cli.env())
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    packages = tmp_path / "coll/packages"
    if packages.exists():
        whole = [p for p in packages.iterdir() if not p.name.startswith(".ak-tmp-")]
        if whole:   # every package in place is whole and verifies
            checked = cli("verify", *whole)
            assert checked.returncode == 0, checked.stdout
    if (tmp_path / "coll/audit.jsonl").exists():
        assert cli("log", tmp_path / "coll", "--verify").returncode == 0
    rerun, report = run_json(cli, manifest)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert len(report["captured"]) + report["skipped"] == 25
    assert sorted(p.name for p in packages.iterdir() if p.name.startswith(".")) == []
    assert len(list(packages.iterdir())) == 25
    assert report["ok"]   # an audit killed partway is resumed, not restarted
    listed = json.loads(cli("list", tmp_path / "coll", "--json").stdout)
    assert len(listed) == 25 and {row["last_outcome"] for row in listed} == {"success"}
    ingested = [e["package"] for e in log_entries(tmp_path / "coll") if e["type"] == "ingestion"]
    assert sorted(set(ingested)) == sorted(p.name for p in packages.iterdir())


def test_capture_failure_is_recorded_and_the_rest_continues(cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    manifest = write_manifest(tmp_path, [f"path: {empty}", f"path: {SEED}"])
    result, report = run_json(cli, manifest)
    assert result.returncode == 1
    assert len(report["captured"]) == 1 and "empty" in report["failed"][0]["error"]
    failures = [e for e in log_entries(tmp_path / "coll") if e["type"] == "capture failure"]
    assert len(failures) == 1 and failures[0]["outcome"] == "failure"


@pytest.fixture
def tiny_disk(tmp_path):
    """A 400 KiB filesystem (tmpfs), where the machine lets root mount one."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {made.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_disk_full_is_reported_recorded_and_leaves_the_collection_consistent(cli, tmp_path,
                                                                           tiny_disk):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(6):   # ~80 KB each of incompressible text: the disk fills up
        (inbox / f"clip-{number}.txt").write_text(os.urandom(60000).hex()[:80000])
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tiny_disk / 'coll'}\nsources:\n  - glob: {inbox}/*.txt\n")
    result, report = run_json(cli, job)
    assert result.returncode in (1, 3), result.stderr
    assert "Traceback" not in result.stderr
    if report:   # the run could still write its report: failures are named
        assert report["failed"] and all("No space left" in f["error"] for f in report["failed"])
    packages = tiny_disk / "coll/packages"
    leftovers = [p.name for p in packages.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    whole = list(packages.iterdir())
    assert whole and cli("verify", *whole).returncode == 0
    assert cli("log", tiny_disk / "coll", "--verify").returncode == 0
    failures = [e for e in log_entries(tiny_disk / "coll") if e["type"] == "capture failure"]
    assert failures and "No space left" in failures[0]["detail"]


def test_collection_policy_timestamps_every_new_seal(cli, tmp_path, tsa):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    config = collection / "collection.yaml"
    config.write_text(config.read_text().replace("policy:", f"policy:\n  tsa: {tsa.url()}"))
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - path: {SEED}\n")
    trust_tsa(cli, tsa, tmp_path)
    result = cli("run", job)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list(collection.glob("packages/*/signatures/*.tsr"))) == 1
