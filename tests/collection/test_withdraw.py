"""Withdrawing packages through the real CLI: a signed tombstone, a PREMIS deaccession,
content quarantined or removed, audits that say "withdrawn" (not "missing") and fail
only when the tombstone does not prove the withdrawal."""

import base64
import json
from pathlib import Path

import pytest

from conftest import SEED
from support.collection import log_entries


@pytest.fixture
def collected(cli, tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "budget.txt").write_text(
        "Council Passes Budget\n\nBy Jane Doe\n\nThe council passed the budget on Monday.\n")
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - path: {SEED}\n"
                   f"  - glob: {inbox}/*.txt\n")
    assert cli("run", job).returncode == 0
    return next(p for p in (tmp_path / "coll/packages").iterdir() if "spy" in p.name)


def audit(cli, collection):
    result = cli("audit", collection, "--json")
    report = json.loads(result.stdout)
    return result, {a["package"]: a | {"state": state} for state, key in
                    (("withdrawn", "withdrawn"), ("failed", "audit_failures"))
                    for a in report[key]}


def test_a_withdrawal_is_signed_logged_quarantined_and_audited_as_withdrawn(cli, tmp_path,
                                                                            collected):
    collection = tmp_path / "coll"
    result = cli("withdraw", collected, "--reason", "takedown request 2026-17")
    assert result.returncode == 0, result.stderr
    assert not collected.exists()
    assert (collection / "quarantine" / collected.name / "data/clipping.warc.gz").exists()
    tombstone = json.loads((collection / "withdrawn" /
                            f"{collected.name}.tombstone.dsse.json").read_text())
    assert tombstone["payloadType"] == "application/vnd.archivekit.withdrawal+json"
    statement = json.loads(base64.b64decode(tombstone["payload"]))
    assert statement["package_id"] == collected.name
    assert statement["reason"] == "takedown request 2026-17"
    assert statement["content"] == "quarantined" and len(statement["tagmanifest_sha256"]) == 64
    events = [e for e in log_entries(collection) if e["type"] == "deaccession"]
    assert len(events) == 1 and events[0]["premis_uri"].endswith("/eventType/dea")
    checked, audited = audit(cli, collection)
    assert checked.returncode == 0, checked.stdout                 # not "missing"
    assert audited[collected.name]["state"] == "withdrawn"
    assert "takedown request 2026-17" in audited[collected.name]["withdrawn"]
    assert cli("log", collection, "--verify").returncode == 0
    human = cli("audit", collection)
    assert f"withdrawn {collected.name} (on " in human.stdout


def test_search_hides_withdrawn_packages_unless_asked(cli, tmp_path, collected):
    collection = tmp_path / "coll"
    assert cli("withdraw", collected, "--reason", "duplicate").returncode == 0
    assert json.loads(cli("search", collection, "spy", "--json").stdout) == []
    shown = json.loads(cli("search", collection, "spy", "--withdrawn", "--json").stdout)
    assert [(r["id"], r["state"]) for r in shown] == [(collected.name, "withdrawn")]
    assert shown[0]["withdrawal"]["reason"] == "duplicate"
    assert len(json.loads(cli("list", collection, "--json").stdout)) == 1


def test_a_takedown_removes_the_content_and_the_audit_still_passes(cli, tmp_path, collected):
    collection = tmp_path / "coll"
    result = cli("withdraw", collected, "--reason", "court order", "--remove-content")
    assert result.returncode == 0 and "content removed" in result.stdout
    assert not collected.exists() and not (collection / "quarantine").exists()
    checked, audited = audit(cli, collection)
    assert checked.returncode == 0 and audited[collected.name]["state"] == "withdrawn"


def test_a_rerun_does_not_capture_a_withdrawn_source_again(cli, tmp_path, collected):
    assert cli("withdraw", collected, "--reason", "mistake").returncode == 0
    rerun = json.loads(cli("run", tmp_path / "job.yaml", "--json").stdout)
    assert rerun["captured"] == [] and rerun["outcome"] == "ok"


@pytest.mark.parametrize("forgery", ["edited", "deleted", "untrusted"])
def test_an_unproven_withdrawal_fails_the_audit(cli, tmp_path, collected, forgery):
    collection = tmp_path / "coll"
    assert cli("withdraw", collected, "--reason", "duplicate").returncode == 0
    path = collection / "withdrawn" / f"{collected.name}.tombstone.dsse.json"
    if forgery == "edited":
        envelope = json.loads(path.read_text())
        statement = json.loads(base64.b64decode(envelope["payload"]))
        statement["reason"] = "someone else's reason"
        envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
        path.write_text(json.dumps(envelope))
    elif forgery == "deleted":
        path.unlink()
    else:   # the other package, withdrawn with a key this trust store does not hold
        intruder = {"ARCHIVEKIT_HOME": str(tmp_path / "intruder")}
        assert cli("keys", "generate", "intruder", env=intruder).returncode == 0
        other = next((collection / "packages").iterdir())
        assert cli("withdraw", other, "--reason", "x", env=intruder).returncode == 0
    checked, audited = audit(cli, collection)
    assert checked.returncode == 1
    failed = [a for a in audited.values() if a["state"] == "failed"]
    assert len(failed) == 1 and failed[0]["errors"][0].startswith("AK100")


def test_an_index_rebuilt_from_the_packages_knows_amendments_and_withdrawals(cli, tmp_path,
                                                                             collected):
    collection = tmp_path / "coll"
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 1\n")
    other = next(p for p in (collection / "packages").iterdir() if p != collected)
    assert cli("amend", other, "--catalog", fixed).returncode == 0
    assert cli("withdraw", collected, "--reason", "duplicate").returncode == 0
    (collection / "catalog.sqlite").unlink()
    assert cli("audit", collection).returncode == 0          # the run rebuilds the index
    states = {r["id"]: r["state"] for r in json.loads(
        cli("list", collection, "--withdrawn", "--history", "--json").stdout)}
    assert states == {collected.name: "withdrawn", other.name: "superseded",
                      f"{other.name}-v2": "current"}
