"""The audit log: PREMIS events chained by hash, and any hand edit found."""

import errno
import hashlib
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from archivekit.collection.auditlog import GENESIS, AuditLog, _lines_backwards, entry_hash
from conftest import SEED
from support.collection import clippings, log_entries, write_manifest
from support.disk import fill, small_disk


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


@pytest.fixture
def segmented(cli, tmp_path):
    """A collection whose audit log is sealed every 5 entries: two runs, two segments."""
    folder = clippings(tmp_path / "inbox", 3)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0           # 3 ingestions + 6 audit events
    config = tmp_path / "coll/collection.yaml"
    config.write_text(config.read_text() + "segment_entries: 5\n")
    assert cli("run", manifest).returncode == 0           # sealed: segment 1 (15 entries)
    assert cli("run", manifest).returncode == 0           # sealed: segment 2 (6 more)
    return tmp_path / "coll"


def verify(cli, coll, *args):
    result = cli("log", coll, "--verify", "--json", *args)
    return result.returncode, json.loads(result.stdout)


def test_sealed_segments_chain_and_verify_by_streaming(cli, segmented):
    audit = segmented / "audit"
    assert sorted(p.name for p in audit.iterdir()) == [
        "000001.checkpoint", "000001.jsonl", "000002.checkpoint", "000002.jsonl"]
    assert not (segmented / "audit.jsonl").exists()
    code, report = verify(cli, segmented)
    assert code == 0 and report["entries"] == 21
    assert report["checkpoint"] == (audit / "000002.checkpoint").read_text()
    second = (audit / "000002.checkpoint").read_text().split("\n")
    assert second[0].endswith("/audit") and second[1] == "21"
    assert second[3].startswith("segment 2 first 16 sha256 ")
    assert second[4] == "previous " + hashlib.sha256(
        (audit / "000001.checkpoint").read_bytes()).hexdigest()
    # Appending goes on from the last checkpoint: the open segment chains to it.
    assert cli("audit", segmented).returncode == 0
    entries = json.loads(cli("log", segmented, "--json").stdout)
    assert [e["seq"] for e in entries] == list(range(1, 28))
    code, report = verify(cli, segmented, "--since", audit / "000001.checkpoint")
    assert code == 0 and report["entries"] == 12           # segment 2 and the open one


@pytest.mark.parametrize("damage", ["edit", "cut", "rewrite", "checkpoint"])
def test_damage_to_a_sealed_segment_is_found(cli, segmented, damage, tmp_path):
    first = segmented / "audit/000001.jsonl"
    lines = first.read_text().splitlines(keepends=True)
    if damage == "edit":
        lines[2] = lines[2].replace('"success"', '"failure"', 1)
    elif damage == "cut":
        del lines[-1]
    elif damage == "rewrite":
        # A consistent rewrite: every hash recomputed, so the chain alone looks whole.
        from archivekit.collection.auditlog import entry_hash
        entries = [json.loads(line) for line in lines]
        entries[2]["outcome"] = "failure"
        for before, entry in zip([None] + entries, entries):
            entry["prev"] = before["hash"] if before else "0" * 64
            entry["hash"] = entry_hash(entry)
        lines = [json.dumps(e, sort_keys=True) + "\n" for e in entries]
    if damage == "checkpoint":
        other = segmented / "audit/000001.checkpoint"
        other.write_text(other.read_text().replace("segment 1 first 1", "segment 1 first 2"))
    else:
        first.write_text("".join(lines))
    code, report = verify(cli, segmented)
    assert code == 1
    files = {p["file"] for p in report["problems"]}
    assert "000001.jsonl" in files or "000001.checkpoint" in files
    if damage == "rewrite":
        assert any("not those its checkpoint vouches for" in p["message"]
                   for p in report["problems"])


def test_a_checkpoint_by_an_untrusted_key_is_a_problem(cli, segmented, tmp_path):
    empty = tmp_path / "nobody.yaml"
    empty.write_text("keys: []\n")
    code, report = verify(cli, segmented, "--trust", empty)
    assert code == 1
    assert any("not signed by any key in the trust store" in p["message"]
               for p in report["problems"])


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
    assert [(p.line, p.message) for p in log.verify().problems] == problems


@given(st.lists(st.binary(max_size=9).map(lambda b: b.replace(b"\n", b"")), max_size=12),
       st.binary(max_size=5).map(lambda b: b.replace(b"\n", b"")), st.integers(1, 8))
def test_lines_read_backwards_are_the_whole_lines_last_first(lines, torn, block):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.jsonl"
        path.write_bytes(b"".join(line + b"\n" for line in lines) + torn)
        assert list(_lines_backwards(path, block)) == list(reversed(lines))


def test_packages_after_reads_back_to_the_entry_given_across_a_sealed_segment(tmp_path):
    from archivekit.trust.signer import Signer
    log = AuditLog(tmp_path / "audit.jsonl")
    for number in range(1, 5):
        log.append("ingestion", "success", "captured", package=f"p{number}")
    signer = Signer.generate("Desk")
    assert log.seal("archivekit.local/test", signer.key, signer.name)
    log.append("fixity check", "success", "checked", package="p1")
    log.append("ingestion", "success", "captured", package="p5")
    assert log.last_seq() == 6
    assert log.packages_after(2, "ingestion") == {"p3", "p4", "p5"}
    assert log.packages_after(6, "ingestion") == set()
    with open(log.path, "ab") as handle:    # a torn last line is no entry
        handle.write(b'{"seq": 7, "type": "ingestion", "package": "p6"')
    assert log.packages_after(0, "ingestion") == {f"p{n}" for n in range(1, 6)}
    assert log.last_seq() == 6      # and left for the next append to drop, and say so
    assert "interrupted run was dropped" in log.append("ingestion", "success", "x")["detail"]
    log.seal("archivekit.local/test", signer.key, signer.name)
    assert log.last_seq() == 7      # from the checkpoint: the open segment is empty


def test_a_full_disk_leaves_the_log_as_it_was(tmp_path):
    """A full disk writes part of a batch, then refuses: none of it stays (a torn last
    line would break the chain until the next append), and the error names the log."""
    with small_disk(tmp_path / "disk", "64k") as disk:
        log = AuditLog(disk / "audit.jsonl")
        log.append("ingestion", "success", "first", package="clip-1")
        before = log.path.read_bytes()
        fill(disk, 0)
        events = [dict(event_type="fixity check", outcome="success", detail="x" * 500,
                       package=f"clip-{n}") for n in range(40)]   # ~30 KB: past the last page
        with pytest.raises(OSError) as raised:
            log.append_many(events)
        assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(log.path)
        assert log.path.read_bytes() == before
        assert log.verify().problems == []
