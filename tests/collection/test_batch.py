"""A run records its captured packages a batch at a time (collection/batch.py): killed in
any gap of a batch, or refused by a failing catalog, the next run ends with every source
captured once, every package indexed and one ingestion line each. Real runs in real
processes; the fault (SIGKILL, a failing catalog) is injected at the exact step."""

import json
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest

from support.collection import clippings, log_entries, run_json, write_manifest

# Run a job with one step of recording replaced by FAULT (Python, the step's
# arguments as `args`) when WHEN holds; every capture in one batch, however slow the
# machine.
STOPPED_RUN = """
import os, signal, sys
from archivekit.collection import batch
batch.BATCH_SECONDS = 600
from archivekit.collection.auditlog import AuditLog
from archivekit.collection.catalog import CatalogIndex
from archivekit.cli import main
owner, name = {owner}, {name!r}
step = getattr(owner, name)
def faulty(self, *args, **kwargs):
    if {when}:
        {fault}
    return step(self, *args, **kwargs)
setattr(owner, name, faulty)
main(["run", sys.argv[1], "--json"])
"""
KILL = "os.kill(os.getpid(), signal.SIGKILL)"


def stopped_run(cli, manifest, owner, name, when="True", fault=KILL):
    script = STOPPED_RUN.format(owner=owner, name=name, when=when, fault=fault)
    return subprocess.run([sys.executable, "-c", script, str(manifest)], capture_output=True,
                          text=True, env=cli.env(), timeout=120)


def indexed(collection) -> dict[str, int]:
    """Package id: ingested (0 or 1), as the catalog holds them now."""
    with sqlite3.connect(collection / "catalog.sqlite") as db:
        return dict(db.execute("SELECT id, ingested FROM packages"))


def ingestion_lines(collection) -> Counter:
    if not (collection / "audit.jsonl").exists():
        return Counter()
    return Counter(e["package"] for e in log_entries(collection) if e["type"] == "ingestion")


def assert_every_source_once(cli, tmp_path, count):
    """A run after the fault: every source captured once, indexed, logged once."""
    manifest = tmp_path / "job.yaml"
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert report["failed"] == []
    collection = tmp_path / "coll"
    packages = sorted(p.name for p in (collection / "packages").iterdir())
    assert len(packages) == count
    assert indexed(collection) == dict.fromkeys(packages, 1)
    assert ingestion_lines(collection) == Counter(packages)   # one line each, none twice
    assert cli("log", collection, "--verify").returncode == 0
    again, report = run_json(cli, manifest)
    assert report["captured"] == [] and report["skipped"] == count   # each file settled
    return report


# The gaps of a batch: packages in place, not committed; committed, no lines; lines
# written, not marked ingested.
GAPS = {"before the commit": ("CatalogIndex", "commit", "True"),
        "before the lines": ("AuditLog", "append_many", "args[0][0]['event_type'] == 'ingestion'"),
        "before the mark": ("CatalogIndex", "mark_ingested", "True")}


@pytest.mark.parametrize("gap", GAPS)
def test_a_run_killed_in_a_gap_of_a_batch_loses_and_repeats_nothing(cli, tmp_path, gap):
    folder = clippings(tmp_path / "inbox", 12)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    killed = stopped_run(cli, manifest, *GAPS[gap])
    assert killed.returncode == -9, killed.stderr
    collection = tmp_path / "coll"
    in_place = [p.name for p in (collection / "packages").iterdir()]
    assert len(in_place) == 12     # one batch of every package was under way
    catalog, lines = indexed(collection), ingestion_lines(collection)
    if gap == "before the commit":
        assert set(in_place) - set(catalog) == set(in_place)
    elif gap == "before the lines":
        assert set(catalog) == set(in_place) and not lines
    else:
        assert set(lines) == set(in_place) and set(catalog.values()) == {0}
    assert_every_source_once(cli, tmp_path, 12)


def test_a_catalog_refusing_a_batch_fails_each_source_by_name(cli, tmp_path):
    # (A full disk stops the run instead: test_runs.py, on a real full filesystem.)
    folder = clippings(tmp_path / "inbox", 5)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    refused = "raise sqlite3.OperationalError('disk I/O error')"
    result = stopped_run(cli, manifest, "CatalogIndex", "commit",
                         fault="import sqlite3; " + refused)
    report = json.loads(result.stdout)
    assert result.returncode == 4 and report["captured"] == []
    assert sorted(f["source"] for f in report["failed"]) == sorted(
        str(p) for p in folder.iterdir())
    collection = tmp_path / "coll"
    for failure in report["failed"]:
        assert "but the catalog could not record it (disk I/O error); the next " \
               "run will" in failure["error"]
        assert failure["error"].split()[2].rstrip(",") in \
            {p.name for p in (collection / "packages").iterdir()}
    assert indexed(collection) == {} and ingestion_lines(collection) == Counter()
    with sqlite3.connect(collection / "catalog.sqlite") as db:   # no file settled unindexed
        assert db.execute("SELECT count(*) FROM inbox_files").fetchone() == (0,)
    report = assert_every_source_once(cli, tmp_path, 5)


def test_a_second_file_with_the_same_bytes_finds_the_package_not_yet_committed(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 4)
    (folder / "clip-copy.txt").write_bytes((folder / "clip-001.txt").read_bytes())
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert len(report["captured"]) == 4 and report["skipped"] == 1
    again, report = run_json(cli, manifest)
    assert report["captured"] == [] and report["skipped"] == 5


def test_a_source_amending_a_package_of_its_own_batch(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 3)
    (folder / "clip-copy.txt").write_bytes((folder / "clip-001.txt").read_bytes())
    (folder / "clip-copy.yaml").write_text("call_number: 352.17\n")
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], extra="on_change: amend\n")
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert len(report["captured"]) == 3
    [amended] = report["amended"]
    assert amended["changed"] == ["call_number"] and amended["package"].endswith("-v2")
    collection = tmp_path / "coll"
    assert ingestion_lines(collection) == Counter(c["package"] for c in report["captured"])
    events = [(e["type"], e["package"]) for e in log_entries(collection)]
    assert events.index(("ingestion", amended["supersedes"])) < \
        events.index(("metadata modification", amended["package"]))   # the batch first
    assert cli("log", collection, "--verify").returncode == 0
    listed = json.loads(cli("list", collection, "--json").stdout)
    assert sorted(r["call_number"] or "" for r in listed) == ["", "", "352.17"]


def test_an_amendment_killed_before_its_line_is_logged_by_the_next_run(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 2)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"], extra="on_change: amend\n")
    assert run_json(cli, manifest)[0].returncode == 0
    (folder / "clip-001.yaml").write_text("call_number: 352.17\n")
    killed = stopped_run(cli, manifest, "AuditLog", "append",
                         when="args[0] == 'metadata modification'")
    assert killed.returncode == -9, killed.stderr
    collection = tmp_path / "coll"
    [amendment] = [p.name for p in (collection / "packages").iterdir() if p.name.endswith("-v2")]
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    lines = Counter(e["type"] for e in log_entries(collection) if e["package"] == amendment)
    assert lines["ingestion"] == 1      # its arrival is in the log, found in place
    assert indexed(collection)[amendment] == 1
    assert cli("log", collection, "--verify").returncode == 0
