"""Amending a package's catalog with provenance, through the real CLI: the original
stays sealed and verifiable, the new version names it, both pass honest audits, and
bagit-python accepts the new bag."""

import hashlib
import json
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import bagit
import pytest

from conftest import SEED_CATALOG
from support.collection import log_entries, seed_in_a_collection
from support.tsa import trust_tsa


@pytest.fixture
def collected(cli, tmp_path) -> Path:
    return seed_in_a_collection(cli, tmp_path)


def fingerprint(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def descriptor(package: Path) -> dict:
    return json.loads((package / "archivekit/package.json").read_text())


def fixed_catalog(tmp_path, text="call_number: 327.51\nsubjects: [Espionage -- China]\n") -> Path:
    path = tmp_path / "fixed.yaml"
    path.write_text(text)
    return path


def test_an_amendment_is_a_new_sealed_version_naming_the_old(cli, tmp_path, collected):
    before = fingerprint(collected)
    result = cli("amend", collected, "--catalog", fixed_catalog(tmp_path),
                 "--reason", "call number corrected")
    assert result.returncode == 0, result.stderr
    new = Path(result.stdout.splitlines()[-1])
    assert new.name == f"{collected.name}-v2"
    assert fingerprint(collected) == before                       # the original untouched
    assert cli("verify", collected, new).returncode == 0          # both verify
    bagit.Bag(str(new)).validate()                                # an independent validator
    old, amended = descriptor(collected), descriptor(new)
    assert amended["catalog"] == {"call_number": "327.51", "subjects": ["Espionage -- China"]}
    assert amended["metadata"] == old["metadata"] and amended["sources"] == old["sources"]
    assert (new / "data/clipping.warc.gz").read_bytes() == \
        (collected / "data/clipping.warc.gz").read_bytes()
    record = amended["amendment"]
    assert record["supersedes"] == collected.name and record["reason"] == "call number corrected"
    assert record["supersedes_tagmanifest_sha256"] == hashlib.sha256(
        (collected / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
    assert record["previous_catalog"] == old["catalog"]
    assert set(record["changed"]) >= {"call_number", "subjects"}
    assert [e["type"] for e in amended["events"]] == [
        "capture", "metadata modification", "message digest calculation",
        "information package creation", "digital signature generation"]
    logged = [e for e in log_entries(tmp_path / "coll") if e["type"] == "metadata modification"]
    assert len(logged) == 1 and logged[0]["package"] == new.name
    assert logged[0]["premis_uri"].endswith("/eventType/mem")
    assert "call number corrected" in logged[0]["detail"]
    assert list(new.glob("signatures/*.tlog.json"))               # in the transparency log


def test_the_collection_shows_the_current_version_and_keeps_the_history(cli, tmp_path, collected):
    assert cli("amend", collected, "--catalog", fixed_catalog(tmp_path)).returncode == 0
    current = json.loads(cli("list", tmp_path / "coll", "--json").stdout)
    assert [r["id"] for r in current] == [f"{collected.name}-v2"]
    assert current[0]["supersedes"] == collected.name and current[0]["call_number"] == "327.51"
    history = json.loads(cli("list", tmp_path / "coll", "--history", "--json").stdout)
    states = {r["id"]: (r["state"], r["superseded_by"]) for r in history}
    assert states[collected.name] == ("superseded", f"{collected.name}-v2")
    audit = cli("audit", tmp_path / "coll", "--json")
    assert audit.returncode == 0                                  # an honest audit passes
    checked = json.loads(audit.stdout)
    assert checked["audited"] == 2 and checked["audit_failures"] == [] == checked["withdrawn"]
    # Amending the old id again amends the current version: v3 supersedes v2.
    again = cli("amend", collected, "--catalog", fixed_catalog(tmp_path, "call_number: 327.52\n"))
    assert again.returncode == 0, again.stderr
    assert descriptor(Path(again.stdout.splitlines()[-1]))["amendment"]["supersedes"] == \
        f"{collected.name}-v2"


def test_nothing_changes_when_the_catalog_is_the_same(cli, tmp_path, collected):
    result = cli("amend", collected, "--catalog", SEED_CATALOG)
    assert result.returncode == 2 and "catalog is unchanged" in result.stderr
    assert len(list((tmp_path / "coll/packages").iterdir())) == 1


def test_a_damaged_original_is_not_amended(cli, tmp_path, collected):
    warc = collected / "data/clipping.warc.gz"
    warc.write_bytes(warc.read_bytes()[:-5])
    result = cli("amend", collected, "--catalog", fixed_catalog(tmp_path))
    assert result.returncode == 1 and "does not verify" in result.stderr
    assert len(list((tmp_path / "coll/packages").iterdir())) == 1


def test_an_amendment_is_timestamped_when_a_tsa_is_given(cli, tmp_path, collected, tsa):
    trust_tsa(cli, tsa, tmp_path)
    result = cli("amend", collected, "--catalog", fixed_catalog(tmp_path), "--tsa", tsa.url())
    assert result.returncode == 0, result.stderr
    new = Path(result.stdout.splitlines()[-1])
    assert list(new.glob("signatures/*.tsr"))
    report = json.loads(cli("verify", "--json", new).stdout)
    assert report[0]["verified"] if isinstance(report, list) else report["verified"]


def _budget_job(tmp_path, on_change: str) -> tuple[Path, Path]:
    """(an inbox of one clipping with its sidecar, a job over it with `on_change`)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "budget.txt").write_text(
        "Council Passes Budget\n\nBy Jane Doe\n\nThe council passed the budget on Monday.\n")
    (inbox / "budget.yaml").write_text("call_number: 352.1\n")
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\non_change: {on_change}\n"
                   f"sources:\n  - glob: {inbox}/*.txt\n")
    return inbox, job


@pytest.mark.parametrize("on_change", ["skip", "amend"])
def test_a_rerun_with_a_changed_sidecar_follows_on_change(cli, tmp_path, on_change):
    inbox, job = _budget_job(tmp_path, on_change)
    assert cli("run", job).returncode == 0
    (inbox / "budget.yaml").write_text("call_number: 352.17\n")   # the cataloguer's fix
    result = cli("run", job, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    listed = json.loads(cli("list", tmp_path / "coll", "--json").stdout)
    if on_change == "skip":
        assert report["amended"] == [] and report["skipped"] == 1
        assert any("not amended (on_change: skip" in note for note in report["notes"])
        assert [r["call_number"] for r in listed] == ["352.1"]
    else:
        assert [a["changed"] for a in report["amended"]] == [["call_number"]]
        assert [r["call_number"] for r in listed] == ["352.17"]
        assert report["audited"] == 2 and report["audit_failures"] == []
        again = json.loads(cli("run", job, "--json").stdout)        # now in step: no new version
        assert again["amended"] == [] and len(list((tmp_path / "coll/packages").iterdir())) == 2


# A real run's process, SIGKILLed as it writes the amendment's audit line or as it marks
# the new version ingested (the step replaced by the kill).
KILLED_AT = {
    "line": ("from archivekit.collection.auditlog import AuditLog as Step\n"
             "name, before = 'append', lambda self, kind, *rest, **kw: kind == "
             "'metadata modification'\n"),
    "mark": ("from archivekit.collection.catalog import CatalogIndex as Step\n"
             "name, before = 'mark_ingested', lambda self, *ids: any(i.endswith('-v2') "
             "for i in ids)\n")}


@pytest.mark.parametrize("step", KILLED_AT)
def test_a_run_killed_as_it_records_an_amendment_leaves_the_new_version_one_line(
        cli, tmp_path, step):
    # The new version was marked ingested before its line was written: a run killed in
    # between left it current with no line in the audit log, and no later run wrote
    # one (found by SIGKILLing real runs at random moments). Killed after the line,
    # the next run must not write a second.
    inbox, job = _budget_job(tmp_path, "amend")
    assert cli("run", job).returncode == 0
    (inbox / "budget.yaml").write_text("call_number: 352.17\n")
    killed_there = KILLED_AT[step] + (
        "import os, signal, sys\n"
        "original = getattr(Step, name)\n"
        "def or_die(*args, **kwargs):\n"
        "    if before(*args, **kwargs):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return original(*args, **kwargs)\n"
        "setattr(Step, name, or_die)\n"
        "from archivekit.cli import main\n"
        "sys.argv = ['archivekit', 'run', sys.argv[1]]\n"
        "main()\n")
    killed = subprocess.run([sys.executable, "-c", killed_there, str(job)],
                            env=cli.env(), capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert cli("run", job).returncode == 0
    packages = sorted(p.name for p in (tmp_path / "coll/packages").iterdir())
    assert len(packages) == 2 and packages[1].endswith("-v2")
    lines = Counter(entry["package"] for entry in log_entries(tmp_path / "coll")
                    if entry["type"] in ("ingestion", "metadata modification"))
    assert lines == {packages[0]: 1, packages[1]: 1}
    assert cli("log", tmp_path / "coll", "--verify").returncode == 0
