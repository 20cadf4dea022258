"""The audit log: PREMIS events chained by hash, and any hand edit found."""

import json

import pytest

from conftest import SEED
from support.collection import log_entries, write_manifest


def test_events_carry_loc_premis_uris_and_chain(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    entries = log_entries(tmp_path / "coll")
    assert entries[0]["prev"] == "0" * 64
    for before, after in zip(entries, entries[1:]):
        assert after["prev"] == before["hash"] and after["seq"] == before["seq"] + 1
    uris = {e["type"]: e["premis_uri"] for e in entries}
    assert uris["ingestion"] == "http://id.loc.gov/vocabulary/preservation/eventType/ing"
    assert uris["fixity check"] == "http://id.loc.gov/vocabulary/preservation/eventType/fix"


@pytest.mark.parametrize("edit", ["change", "remove", "swap"])
def test_hand_edited_audit_log_is_detected(cli, tmp_path, edit):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    path = tmp_path / "coll/audit.jsonl"
    lines = path.read_text().splitlines(keepends=True)
    assert len(lines) >= 3
    if edit == "change":
        lines[1] = lines[1].replace('"success"', '"failure"', 1)
    elif edit == "remove":
        del lines[1]
    else:
        lines[0], lines[1] = lines[1], lines[0]
    path.write_text("".join(lines))
    result = cli("log", tmp_path / "coll", "--verify", "--json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)["problems"]
    assert problems and problems[0]["line"] in (1, 2)
