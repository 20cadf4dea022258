"""Audits of a collection: tampering between audits, missing packages, policies, workers."""

import dataclasses
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archivekit._internal.timeutil import format_time, utc_now
from archivekit.collection.audit import MAX_DAYS, AuditPolicy
from archivekit.collection.store import Collection
from archivekit.errors import UsageError

from conftest import SAMPLES, SEED
from support.collection import clippings, log_entries, write_manifest


def test_tampering_between_audits_is_caught_and_logged(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}", f"path: {SAMPLES / 'scan-clipping.png'}"])
    assert cli("run", manifest).returncode == 0
    package = next(p for p in (tmp_path / "coll/packages").iterdir() if "spy-agency" in p.name)
    warc = package / "data/clipping.warc.gz"
    data = bytearray(warc.read_bytes())
    data[len(data) // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    audited = cli("audit", tmp_path / "coll", "--json")
    assert audited.returncode == 1
    report = json.loads(audited.stdout)
    assert report["audited"] == 2
    assert [f["package"] for f in report["audit_failures"]] == [package.name]
    failures = [e for e in log_entries(tmp_path / "coll")
                if e["type"] == "fixity check" and e["outcome"] == "failure"]
    assert [e["package"] for e in failures] == [package.name]
    assert "AK203" in failures[0]["detail"]
    listed = {r["id"]: r["last_outcome"] for r in json.loads(
        cli("list", tmp_path / "coll", "--json").stdout)}
    assert listed[package.name] == "failure"


def test_a_package_removed_from_disk_fails_the_audit(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    shutil.rmtree(next((tmp_path / "coll/packages").iterdir()))
    audited = cli("audit", tmp_path / "coll")
    assert audited.returncode == 1 and "missing" in audited.stdout


def test_parallel_and_serial_audits_agree(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 6)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    outcomes = []
    for workers in ("1", "2"):
        before = len(log_entries(tmp_path / "coll"))
        report = json.loads(cli("audit", tmp_path / "coll", "--workers", workers, "--json").stdout)
        assert report["audited"] == 6 and report["ok"]
        outcomes.append(sorted((e["package"], e["type"], e["outcome"], e["detail"])
                               for e in log_entries(tmp_path / "coll")[before:]))
    assert outcomes[0] == outcomes[1] and len(outcomes[0]) == 12


def test_fraction_policy_checks_the_least_recently_checked(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 4)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], "{policy: fraction, fraction: 0.5}")
    def checked_by_a_run():
        before = len(log_entries(tmp_path / "coll")) if (tmp_path / "coll").exists() else 0
        assert json.loads(cli("run", manifest, "--json").stdout)["audited"] == 2
        return {e["package"] for e in log_entries(tmp_path / "coll")[before:]
                if e["type"] == "fixity check"}
    first_ids = checked_by_a_run()
    time.sleep(1.1)   # audit times have one-second resolution
    second_ids = checked_by_a_run()
    assert len(first_ids) == len(second_ids) == 2 and not first_ids & second_ids


def test_an_interrupted_audit_is_resumed_not_restarted(cli, tmp_path):
    """As a kill leaves it: an audit began, recorded some batches, never finished."""
    folder = clippings(tmp_path / "inbox", 5)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    coll = tmp_path / "coll"
    time.sleep(1.1)   # audit times have one-second resolution
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        ids = [row[0] for row in db.execute("SELECT id FROM packages ORDER BY id")]
    now = format_time(utc_now())
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        db.execute("INSERT INTO audit_progress VALUES (?)", (now,))
        db.executemany("UPDATE packages SET last_audit = ? WHERE id = ?",
                       [(now, package_id) for package_id in ids[:2]])
    before = len(log_entries(coll))
    result = cli("audit", coll, "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["audited"] == 3
    assert any("resumed the audit" in note and "2 package(s)" in note for note in report["notes"])
    checked = {e["package"] for e in log_entries(coll)[before:] if e["type"] == "fixity check"}
    assert checked == set(ids[2:])
    again = json.loads(cli("audit", coll, "--json").stdout)     # finished: a whole audit again
    assert again["audited"] == 5 and not any("resumed" in note for note in again["notes"])


def test_batches_from_two_workers_are_recorded_once_each_in_one_chain(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 40)       # more than one batch of 32
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], "{workers: 1}")
    assert cli("run", manifest).returncode == 0
    assert cli("audit", tmp_path / "coll", "--workers", "2").returncode == 0
    assert cli("log", tmp_path / "coll", "--verify").returncode == 0
    events = [e for e in log_entries(tmp_path / "coll") if e["type"] == "fixity check"]
    assert len(events) == 80 and len({e["package"] for e in events}) == 40


@pytest.mark.parametrize("collection_policy, given, expected", [
    ({}, {}, ("all", 1.0, 30)),
    ({"audit": "stale", "days": 7}, {}, ("stale", 1.0, 7)),
    ({"audit": "stale", "days": 7}, {"mode": "fraction", "fraction": 0.25}, ("fraction", 0.25, 7)),
    ({"audit": "fraction", "fraction": 0.5}, {"days": 0}, ("fraction", 0.5, 0)),
])
def test_the_audit_policy_is_the_collections_with_what_is_given_instead(
        collection_policy, given, expected):
    policy = AuditPolicy.of(collection_policy, **given)
    assert (policy.mode, policy.fraction, policy.days) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.mode = "all"


def test_an_unknown_audit_policy_is_a_usage_error():
    with pytest.raises(UsageError, match="'sometimes': must be one of all, fraction, stale"):
        AuditPolicy.of({"audit": "sometimes"})


@pytest.mark.parametrize("collection_policy, given, said", [
    ({}, {"fraction": float("nan")}, "audit fraction nan: must be a number more than 0"),
    ({"fraction": -1}, {}, "audit fraction -1 (the policy in collection.yaml): must be"),
    ({"fraction": "half"}, {}, "audit fraction 'half' (the policy in collection.yaml)"),
    ({"days": "x"}, {}, "audit days 'x' (the policy in collection.yaml): must be a whole"),
    ({}, {"days": -1}, "audit days -1: must be a whole number, 0 or more"),
])
def test_an_audit_policy_out_of_range_is_a_usage_error(collection_policy, given, said):
    with pytest.raises(UsageError, match=re.escape(said)):
        AuditPolicy.of(collection_policy, **given)


def test_more_days_than_the_calendar_holds_do_not_overflow_it(tmp_path):
    policy = AuditPolicy.of({"audit": "stale"}, days=99_999_999_999)
    assert policy.days == MAX_DAYS
    policy.choose(Collection.init(tmp_path / "coll").index(), utc_now())   # no OverflowError


def test_an_audit_killed_leaves_no_worker_holding_the_collection(cli, tmp_path):
    """SIGKILLed, an audit's worker processes went on waiting for work forever, holding
    the collection's lock (inherited through fork): every later run gave up on it."""
    folder = clippings(tmp_path / "inbox", 40)       # more than one batch: workers start
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], "{workers: 1}")
    assert cli("run", manifest).returncode == 0
    victim = subprocess.Popen([sys.executable, "-m", "archivekit", "audit", tmp_path / "coll",
                               "--workers", "2"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, env=cli.env())
    children = Path(f"/proc/{victim.pid}/task/{victim.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split():      # the workers are started
        assert victim.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    workers = [int(pid) for pid in children.read_text().split()]
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    deadline = time.monotonic() + 10
    try:
        while any(_state(pid) != "Z" for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived the audit that started it"
            time.sleep(0.05)
    finally:
        for pid in workers:
            if _state(pid) != "Z":
                os.kill(pid, signal.SIGKILL)
    result = cli("audit", tmp_path / "coll", "--wait", "5", "--json")
    assert result.returncode == 0, result.stderr
    assert cli("log", tmp_path / "coll", "--verify").returncode == 0


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"      # gone


def test_a_ctrl_c_as_the_audit_starts_its_workers_ends_the_run(tmp_path):
    # Ctrl-C (KeyboardInterrupt) after the pool forked a worker and before it started the
    # thread that stops its workers: the worker waited for work, and the interpreter's
    # exit waited for it, for ever, holding the collection's lock (1 of ~30 SIGINTs
    # sent to real runs at random moments).
    ctrl_c_there = (
        "import multiprocessing.process as processes\n"
        "from archivekit.collection import audit\n"
        "start = processes.BaseProcess.start\n"
        "def start_then_ctrl_c(self):\n"
        "    start(self)\n"
        "    raise KeyboardInterrupt\n"
        "processes.BaseProcess.start = start_then_ctrl_c\n"
        "list(audit._on_processes(iter([['a'], ['b'], ['c']]), '/nowhere', '', None, None, 2))\n")
    ended = subprocess.run([sys.executable, "-c", ctrl_c_there], capture_output=True,
                           text=True, timeout=60, cwd=tmp_path)
    assert ended.returncode != 0 and "KeyboardInterrupt" in ended.stderr   # ended, at once


def test_an_audit_interrupted_right_after_another_resumes_every_package_it_had_not_checked(
        cli, tmp_path):
    """Audit times are whole seconds, and a resumed audit skips the packages checked at or
    after its start: begun in the second the audit before it ended (a run's audit, then
    `archivekit audit`), it took that audit's packages for its own and, interrupted,
    never checked them (the next audit audited 0 of 38)."""
    from archivekit.collection.audit import BATCH, audit_collection
    from archivekit.collection.runs import home_verifier
    from archivekit.trust.home import Home
    folder = clippings(tmp_path / "inbox", BATCH + 8)          # two batches
    assert cli("run", write_manifest(tmp_path, [f"glob: {folder}/*.txt"])).returncode == 0
    collection = Collection.open(tmp_path / "coll")
    verifier = home_verifier(Home(cli.home))
    policy = AuditPolicy.of(collection.config["policy"])

    def killed_after_a_batch(done, total):
        raise KeyboardInterrupt
    with sqlite3.connect(tmp_path / "coll" / "catalog.sqlite") as db:   # all checked now
        db.execute("UPDATE packages SET last_audit = ?", (format_time(utc_now()),))
    with pytest.raises(KeyboardInterrupt):
        audit_collection(collection, policy, verifier, 1, progress=killed_after_a_batch)
    resumed = audit_collection(collection, policy, verifier, 1)
    assert (resumed.skipped_as_done, resumed.audited) == (BATCH, 8)


def test_what_is_no_package_in_packages_fails_the_audit_but_a_filesystem_s_own_does_not(
        cli, tmp_path):
    """A damaged package file never indexed, or an emptied folder, was passed over by
    every audit (exit 0); now each is a failure named by its path. Hidden files (a
    Finder's .DS_Store), a note in quarantine/ and a filesystem's lost+found are not
    packages and no failure."""
    folder = clippings(tmp_path / "inbox", 1)
    assert cli("run", write_manifest(tmp_path, [f"glob: {folder}/*.txt"])).returncode == 0
    coll = tmp_path / "coll"
    (coll / "packages" / "stray.zip").write_bytes(b"not a zip\n")
    (coll / "packages" / "emptied").mkdir()
    (coll / "packages" / "lost+found").mkdir()
    (coll / "packages" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (coll / "quarantine").mkdir(exist_ok=True)
    (coll / "quarantine" / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (coll / "quarantine" / "README.txt").write_text("withdrawn clippings kept for the record\n")
    result = cli("audit", coll, "--json", "--html", tmp_path / "audit.html")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert sorted((f["package"], f.get("unreadable")) for f in report["audit_failures"]) \
        == [("packages/emptied", True), ("packages/stray.zip", True)]
    assert report["audited"] == 3 and report["outcome"] == "damaged"
    assert "is in this report only" in (tmp_path / "audit.html").read_text()
    for name in ("stray.zip", "emptied"):
        path = coll / "packages" / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    again = json.loads(cli("audit", coll, "--json").stdout)
    assert (again["outcome"], again["audit_failures"], again["notes"]) == ("ok", [], [])
