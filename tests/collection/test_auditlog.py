"""The audit log: PREMIS events chained by hash, and any hand edit found."""

import json

import pytest

from archivekit.collection.auditlog import GENESIS, AuditLog, entry_hash
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


BROKEN = "chain broken: an entry before this one was removed, edited or moved"


def _forged(entries):
    """Entries rewritten as a forger would: every hash and link recomputed."""
    prev, lines = GENESIS, []
    for entry in entries:
        entry = dict(entry, prev=prev)
        entry["hash"] = prev = entry_hash(entry)
        lines.append(json.dumps(entry) + "\n")
    return "".join(lines)


@pytest.mark.parametrize("damage, problems", [
    (lambda entries, text: _forged([dict(e, seq=e["seq"] + 4) for e in entries]),
     [(1, "sequence number 5 where 1 was expected")]),
    (lambda entries, text: _forged([entries[0], dict(entries[1], type="tea break"),
                                    *entries[2:]]),
     [(2, "unknown event type 'tea break'")]),
    (lambda entries, text: text[:-1],
     [(3, "last line is incomplete")]),
    (lambda entries, text: text.replace(json.dumps(entries[1], sort_keys=True), "{oops", 1),
     [(2, "not a JSON entry"), (3, BROKEN), (3, "sequence number 3 where 2 was expected")]),
    (lambda entries, text: text.replace('"outcome": "success"', '"outcome": "failure"', 1),
     [(1, "entry was edited: its hash does not match its content")]),
    (lambda entries, text: "".join(text.splitlines(True)[::2]),
     [(2, BROKEN), (2, "sequence number 3 where 2 was expected")]),
])
def test_each_break_in_the_chain_is_named(tmp_path, damage, problems):
    log = AuditLog(tmp_path / "audit.jsonl")
    for number in range(3):
        log.append("fixity check", "success", f"check {number}", package="p")
    text = log.path.read_text()
    log.path.write_text(damage(log.entries(), text))
    found, _, _ = log.verify()
    assert [(p.line, p.message) for p in found] == problems
