"""Scheduled runs, through real subprocesses: idempotent, locked, surviving SIGKILL at any
moment or stopped by SIGTERM, a full disk and a failed capture; progress only on a terminal."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import bagit
import pytest

from conftest import ROOT, SAMPLES, SEED
from support.disk import fill, small_disk
from support.tsa import trust_tsa
from support.collection import (assert_next_run_finishes, clippings, log_entries, run_json,
                                write_manifest)


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


def test_sigterm_stops_a_run_with_its_own_exit_code_and_loses_nothing(cli, tmp_path):
    """A nightly run that systemd or timeout(1) stops said nothing and left no trace of
    why in the job's log (exit -15): it stops as at a Ctrl-C, with exit 143."""
    inbox = clippings(tmp_path / "inbox", 200)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    packages = tmp_path / "coll" / "packages"
    run = subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest)],
                           env=cli.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    deadline = time.monotonic() + 120
    while not (packages.is_dir() and len(list(packages.iterdir())) >= 5):
        assert run.poll() is None and time.monotonic() < deadline, run.communicate()
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 143, (run.returncode, stderr)
    assert stderr.startswith("archivekit: stopped (SIGTERM); what was written so far is "
                             "whole"), stderr
    assert "Traceback" not in stderr
    assert len(list(packages.iterdir())) < 200                       # stopped partway
    assert_next_run_finishes(cli, manifest, tmp_path / "coll", 200)


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
    assert result.returncode == 4 and report["outcome"] == "sources failed"
    assert len(report["captured"]) == 1 and "empty" in report["failed"][0]["error"]
    assert report["audited"] == 1 and report["audit_failures"] == []
    failures = [e for e in log_entries(tmp_path / "coll") if e["type"] == "capture failure"]
    assert len(failures) == 1 and failures[0]["outcome"] == "failure"


@pytest.fixture
def disk(tmp_path):
    with small_disk(tmp_path / "disk") as mounted:
        yield mounted


def big_clippings(folder: Path, count: int) -> None:
    """Clippings of 60 KB of incompressible text each: a few do not fit a full disk."""
    for number in range(count):
        (folder / f"big-{number}.txt").write_text(os.urandom(30000).hex())


def whole_and_valid(cli, collection: Path) -> list[Path]:
    """Nothing half-written in the collection: no temporary anywhere, every package a
    valid bag (bagit-python) that verifies, the audit log's chain whole. Reading needs
    no space: this holds on the full disk too."""
    assert [p for p in collection.rglob(".ak-tmp-*")] == []
    packages = sorted((collection / "packages").iterdir())
    for package in packages:
        bagit.Bag(str(package)).validate()
    checked = cli("verify", *packages)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    logged = cli("log", collection, "--verify")
    assert logged.returncode == 0, logged.stdout
    return packages


# With this much left free, the run stops writing the first big package, the catalog's
# record of it (it fits, its row does not: from about 68 to 108 KiB), or the second.
@pytest.mark.parametrize("leave", [0, 88 << 10, 120 << 10])
def test_a_full_disk_stops_the_run_keeping_everything_and_the_next_run_finishes(
        cli, tmp_path, disk, leave):
    collection = disk / "coll"
    inbox = clippings(tmp_path / "inbox", 1)
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - glob: {inbox}/*.txt\n")
    assert run_json(cli, job)[0].returncode == 0
    big_clippings(inbox, 6)
    filler = fill(disk, leave)
    result, report = run_json(cli, job)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (f"archivekit: {collection}: no space left on the collection's filesystem "
            f"(writing {collection}/") in result.stderr
    assert "the run stopped; free some space there, then run again" in result.stderr
    assert report["outcome"] == "stopped" and report["ok"] is False   # what it did: JSON
    assert report["stopped"].startswith(f"no space left on the collection's filesystem "
                                        f"(writing {collection}/")
    assert report["failed"] == []          # no source is blamed for the disk
    before = whole_and_valid(cli, collection)

    filler.unlink()
    again, report = run_json(cli, job)
    assert again.returncode == 0, again.stdout + again.stderr
    packages = whole_and_valid(cli, collection)
    assert len(packages) == 7 and set(before) <= set(packages)
    assert report["audited"] == 7 and report["audit_failures"] == []
    ingested = [e["package"] for e in log_entries(collection) if e["type"] == "ingestion"]
    assert sorted(ingested) == sorted(p.name for p in packages)   # each once


def test_a_full_disk_stops_an_audit_leaving_the_log_whole(cli, tmp_path):
    with small_disk(tmp_path / "disk", "4m") as disk:
        collection = disk / "coll"
        inbox = clippings(tmp_path / "inbox", 70)
        job = tmp_path / "job.yaml"
        job.write_text(f"collection: {collection}\nsources:\n  - glob: {inbox}/*.txt\n")
        assert run_json(cli, job)[0].returncode == 0
        # Room for the first batch's outcomes (32), not the second's: from about 68 to
        # 96 KiB left; with less, the catalog refuses the audit's start.
        filler = fill(disk, 80 << 10)
        result = cli("audit", collection, "--json", "--workers", "1")
        assert result.returncode == 3, result.stdout + result.stderr
        assert f"archivekit: {collection}: no space left on the collection's filesystem " \
               f"(writing {collection}/catalog.sqlite" in result.stderr
        assert "the audit stopped; free some space there, then audit again" in result.stderr
        stopped = json.loads(result.stdout)
        assert (stopped["outcome"], stopped["audited"]) == ("stopped", 32)   # what it did
        whole_and_valid(cli, collection)

        filler.unlink()
        again = json.loads(cli("audit", collection, "--json").stdout)
        assert (again["outcome"], again["audited"]) == ("ok", 70 - 32)      # resumed
        whole_and_valid(cli, collection)


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


def nightly(cli, tmp_path) -> tuple[Path, Path]:
    """manifests/nightly.yaml as shipped, with its /srv/archive paths moved under tmp,
    and the signing key it names."""
    assert cli("keys", "generate", "reading-room").returncode == 0
    base = tmp_path / "srv"
    text = (ROOT / "manifests/nightly.yaml").read_text().replace("/srv/archive", str(base))
    manifest = tmp_path / "nightly.yaml"
    manifest.write_text(text)
    (base / "inbox").mkdir(parents=True)
    return manifest, base


def run_strict_json(cli, manifest):
    result = cli("run", manifest, "--json")
    return result, json.loads(result.stdout)     # stdout must be exactly one JSON document


def event_types(collection: Path) -> list[str]:
    return [json.loads(line)["type"] for line in (collection / "audit.jsonl").read_text().splitlines()]


def test_the_shipped_nightly_job_survives_a_quiet_night(cli, tmp_path):
    manifest, base = nightly(cli, tmp_path)
    (base / "inbox/monday").mkdir()
    (base / "inbox/monday/budget.txt").write_text(
        "Council Passes Budget\n\nBy Jane Doe\n\nThe council passed the budget on Monday.\n")
    first, report = run_strict_json(cli, manifest)
    assert first.returncode == 0, first.stderr
    assert len(report["captured"]) == 1
    (base / "inbox/monday/budget.txt").unlink()           # the inbox is emptied each day

    quiet, report = run_strict_json(cli, manifest)
    assert quiet.returncode == 0, quiet.stderr
    assert report["outcome"] == "ok" and report["captured"] == [] and report["failed"] == []
    assert sum("matches no file" in note for note in report["notes"]) == 2   # .txt and .html
    assert "matches no file" in quiet.stderr                                 # logs on stderr
    assert report["audited"] == 1 and report["audit_failures"] == []  # the audit ran
    collection = base / "collections/clippings"
    assert event_types(collection).count("fixity check") == 2


def test_an_empty_inbox_and_a_new_collection_is_not_an_error(cli, tmp_path):
    manifest, base = nightly(cli, tmp_path)
    result, report = run_strict_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert report["audited"] == 0 and (base / "collections/clippings/collection.yaml").exists()


def test_one_missing_file_is_recorded_and_the_run_goes_on_to_the_audit(cli, tmp_path):
    missing = tmp_path / "gone.txt"
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n"
                        f"  - path: {missing}\n  - path: {SEED}\n")
    result, report = run_strict_json(cli, manifest)
    assert result.returncode == 4, result.stderr
    assert report["outcome"] == "sources failed"
    assert report["failed"] == [{"source": str(missing), "error": f"{missing}: no such file"}]
    assert len(report["captured"]) == 1 and report["audited"] == 1
    assert f"failed: {missing}" in result.stderr
    assert "capture failure" in event_types(tmp_path / "coll")
    human = cli("run", manifest)
    assert human.returncode == 4 and f"FAILED    {missing}" in human.stdout


def test_damage_outranks_a_failed_source(cli, tmp_path):
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - path: {SEED}\n")
    assert cli("run", manifest).returncode == 0
    warc = next((tmp_path / "coll/packages").iterdir()) / "data/clipping.warc.gz"
    warc.write_bytes(warc.read_bytes()[:-10])
    manifest.write_text(manifest.read_text() + f"  - path: {tmp_path / 'gone.txt'}\n")
    result, report = run_strict_json(cli, manifest)
    assert result.returncode == 1 and report["outcome"] == "damaged"


def test_per_file_sidecars_are_read_as_written_and_never_captured(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "library.txt").write_text(
        "Library Opens New Wing\n\nBy Ann Lee\n\nThe library opened a new wing today.\n")
    (inbox / "library.yaml").write_text(
        "call_number: 027.4\ndate: 2023-12-28\nsubjcts: [Libraries]\nshelf: 12.50\n")
    (inbox / "other.txt").write_text("Storm Closes Schools\n\nSchools closed on Tuesday.\n")
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - glob: {inbox}/*\n"
                        "    catalog: {rights: In copyright, call_number: 001.1}\n")
    result, report = run_strict_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert sorted(Path(c["source"]).name for c in report["captured"]) == ["library.txt",
                                                                         "other.txt"]
    catalogs = {}
    for package in (tmp_path / "coll/packages").iterdir():
        descriptor = json.loads((package / "archivekit/package.json").read_text())
        catalogs[descriptor["sources"][0]["filename"]] = descriptor["catalog"]
    assert catalogs["library.txt"] == {"rights": "In copyright", "call_number": "027.4",
                                       "date": "2023-12-28", "subjcts": ["Libraries"],
                                       "shelf": "12.50"}
    assert catalogs["other.txt"] == {"rights": "In copyright", "call_number": "001.1"}
    warning = next(n for n in report["notes"] if "subjcts" in n)
    assert f"{inbox / 'library.yaml'}:3: subjcts" in warning
    assert "did you mean 'subjects'?" in warning


def test_a_broken_sidecar_fails_its_own_file_only(cli, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("First Headline\n\nSome text of the first clipping.\n")
    (inbox / "a.yaml").write_text("subjects: [unclosed\n")
    (inbox / "b.txt").write_text("Second Headline\n\nSome text of the second clipping.\n")
    manifest = tmp_path / "job.yaml"
    manifest.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - glob: {inbox}/*.txt\n")
    result, report = run_strict_json(cli, manifest)
    assert result.returncode == 4
    assert [Path(f["source"]).name for f in report["failed"]] == ["a.txt"]
    assert "a.yaml: not valid YAML" in report["failed"][0]["error"]
    assert [Path(c["source"]).name for c in report["captured"]] == ["b.txt"]
