"""Incremental runs (issue 16): a run reads what is new, not what it already knows —
inbox files known by their stat, seals known to be logged, leaves appended in place."""

import json
import os
import sqlite3

from archivekit._internal.fsutil import append_lines
from archivekit.trust.tlog import TransparencyLog

from support.collection import clippings, run_json, settled, write_manifest


def collected(cli, tmp_path, count: int):
    """(inbox, manifest, collection) after a first run has captured `count` clippings."""
    inbox = clippings(tmp_path / "inbox", count)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    return inbox, manifest, tmp_path / "coll"


def test_a_known_inbox_file_is_not_read_again_and_a_changed_one_is(cli, tmp_path):
    inbox = settled(clippings(tmp_path / "inbox", 3))   # a stat that recent is not kept
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    first, report = run_json(cli, manifest)
    assert first.returncode == 0 and len(report["captured"]) == 3

    # Touched with new content: read, hashed, captured.
    changed = inbox / "clip-001.txt"
    changed.write_text(changed.read_text() + "A correction was appended.\n")
    # Same size, same inode, mtime put back (touch -r): the ctime still shows it.
    same = inbox / "clip-000.txt"
    stat = same.stat()
    with open(same, "r+b") as handle:
        handle.write(b"X")
    os.utime(same, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    again, report = run_json(cli, manifest, "--rescan")   # every file's stat, now
    assert again.returncode == 0
    assert sorted(item["source"] for item in report["captured"]) == [str(same), str(changed)]
    assert report["skipped"] == 1
    text = cli("run", manifest).stdout                # in words: a count, no line per source
    assert "0 captured, 3 already present" in text and "skipped" not in text


def test_a_run_with_nothing_new_reads_no_seal_and_appends_leaves_in_place(cli, tmp_path):
    inbox, manifest, coll = collected(cli, tmp_path, 2)
    leaves = coll / "tlog/leaves.jsonl"
    inode, checkpoint = leaves.stat().st_ino, (coll / "tlog/checkpoint").read_text()

    # A seal changed after it was logged: a run that re-read every seal would find it
    # unlogged and say it does not verify. This one knows it is logged and reads nothing;
    # the audit is what finds the damage.
    seal = next(coll.glob("packages/*/signatures/*.dsse.json"))
    seal.write_bytes(seal.read_bytes().replace(b'"payload"', b'"payload" '))
    result, report = run_json(cli, manifest, "--workers", "1")
    assert not any("not logged" in note for note in report["notes"])
    assert (coll / "tlog/checkpoint").read_text() == checkpoint

    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    result, report = run_json(cli, manifest)
    assert len(report["captured"]) == 1
    assert leaves.stat().st_ino == inode            # appended, not rewritten
    assert len(TransparencyLog(coll / "tlog", "x").leaves()) == 3


def test_a_collection_without_the_logged_seals_table_is_caught_up_once(cli, tmp_path):
    """Collections made before the catalog knew which seals are logged: the first run
    reads their seals once, finds them in the log, adds no leaf twice."""
    inbox, manifest, coll = collected(cli, tmp_path, 3)
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        db.execute("DROP TABLE logged_seals")
        db.execute("DROP TABLE inbox_files")
    settled(inbox)                       # files that recent would not be remembered
    result, report = run_json(cli, manifest)
    assert result.returncode == 0 and report["skipped"] == 3
    assert len(TransparencyLog(coll / "tlog", "x").leaves()) == 3
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        assert db.execute("SELECT count(*) FROM logged_seals").fetchone()[0] == 3
        assert db.execute("SELECT count(*) FROM inbox_files").fetchone()[0] == 3


def test_append_lines_cuts_a_torn_last_line_first(tmp_path):
    path = tmp_path / "leaves.jsonl"
    append_lines(path, b'{"a":1}\n')
    with open(path, "ab") as handle:
        handle.write(b'{"b":')                   # a crash in the middle of a write
    append_lines(path, b'{"c":3}\n')
    assert path.read_bytes() == b'{"a":1}\n{"c":3}\n'
    with open(path, "ab") as handle:
        handle.write(b"x" * 10000)               # a torn line longer than one block
    assert [json.loads(line) for line in TransparencyLog(tmp_path, "x").leaves()] == \
        [{"a": 1}, {"c": 3}]
    append_lines(path, b'{"d":4}\n')
    assert path.read_bytes() == b'{"a":1}\n{"c":3}\n{"d":4}\n'


def test_zip_packages_enter_the_transparency_log(cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 2)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    manifest.write_text(manifest.read_text() + "container: zip\n")
    assert cli("run", manifest).returncode == 0
    coll = tmp_path / "coll"
    zips = sorted((coll / "packages").iterdir())
    assert [p.suffix for p in zips] == [".zip", ".zip"]
    leaves = [json.loads(leaf) for leaf in TransparencyLog(coll / "tlog", "x").leaves()]
    assert sorted(leaf["package_id"] for leaf in leaves) == [p.stem for p in zips]
    assert (coll / "tlog/checkpoint").read_text().split("\n")[1] == "2"
    proofs = json.loads(cli("log", "prove", coll, zips[0].stem).stdout)
    assert proofs[0]["leaf"] and proofs[0]["tree_size"] == 2
    assert run_json(cli, manifest)[0].returncode == 0          # known to be logged now
    assert len(TransparencyLog(coll / "tlog", "x").leaves()) == 2


def test_stored_proofs_are_brought_up_once_per_checkpoint_and_a_killed_refresh_is_finished(
        cli, tmp_path):
    inbox, manifest, coll = collected(cli, tmp_path, 1)
    config = coll / "collection.yaml"
    config.write_text(config.read_text() + "proofs: each run\n")
    proof = next(coll.glob("packages/*/signatures/*.tlog.json"))
    at_one = proof.read_bytes()
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    assert cli("run", manifest).returncode == 0
    assert json.loads(proof.read_text())["tree_size"] == 2       # brought up by the run

    proof.write_bytes(at_one)        # as if the run had been killed before it got here
    assert cli("run", manifest).returncode == 0                  # nothing new: not read
    assert proof.read_bytes() == at_one
    with sqlite3.connect(coll / "catalog.sqlite") as db:         # the run never finished
        db.execute("DELETE FROM proofs_refreshed")
    assert cli("run", manifest).returncode == 0
    assert json.loads(proof.read_text())["tree_size"] == 2


def test_a_sidecar_that_changes_makes_a_known_file_read_again(cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 1)
    (inbox / "clip-000.yaml").write_text("call_number: 352.1\n")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    (inbox / "clip-000.yaml").write_text("call_number: 352.17\n")  # the source is unchanged
    for _ in range(2):     # on_change: skip: the difference is noted by every run
        result, report = run_json(cli, manifest)
        assert report["skipped"] == 1 and report["captured"] == []
        assert any("not amended (on_change: skip" in note for note in report["notes"])


def test_by_default_older_proofs_are_left_to_log_refresh_until_the_log_key_changes(
        cli, tmp_path):
    inbox, manifest, coll = collected(cli, tmp_path, 1)       # proofs: on request
    config = coll / "collection.yaml"
    proof = next(coll.glob("packages/*/signatures/*.tlog.json"))
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    result, report = run_json(cli, manifest)
    assert result.returncode == 0 and len(report["captured"]) == 1
    assert json.loads(proof.read_text())["tree_size"] == 1       # left as it was
    newest = [p for p in coll.glob("packages/*/signatures/*.tlog.json") if p != proof]
    assert [json.loads(p.read_text())["tree_size"] for p in newest] == [2]
    assert "AK533" in cli("verify", proof.parent.parent).stdout  # a warning with its remedy
    assert cli("log", "refresh", coll).returncode == 0
    assert json.loads(proof.read_text())["tree_size"] == 2

    # A new log key: the run hands the log over, and brings every proof up with it (a
    # checkpoint only the replaced key signed would not be believed if it was stolen).
    assert cli("keys", "generate", "desk-2027").returncode == 0
    assert cli("keys", "retire", "local").returncode == 0
    (inbox / "newer.txt").write_text("Bridge Closes for Repairs\n\nBy Al Ng\n\nIn May.\n")
    assert cli("run", manifest).returncode == 0
    assert (coll / "tlog/transitions").is_dir()
    proofs = list(coll.glob("packages/*/signatures/*.tlog.json"))
    assert [json.loads(p.read_text())["tree_size"] for p in proofs] == [3, 3, 3]
    written = [p.stat().st_mtime_ns for p in proofs]
    assert cli("run", manifest).returncode == 0                   # done once, not again
    assert [p.stat().st_mtime_ns for p in proofs] == written

    config.write_text(config.read_text() + "proofs: sometimes\n")
    refused = cli("run", manifest)
    assert refused.returncode == 2 and "proofs: 'sometimes'" in refused.stderr


def test_a_collection_from_before_the_log_index_goes_on(cli, tmp_path):
    """Collections made before tlog/index.sqlite have none: the next run indexes the
    log once, adds no leaf twice, and the log stays consistent with what was seen."""
    inbox, manifest, coll = collected(cli, tmp_path, 2)
    (coll / "tlog/index.sqlite").unlink()
    seen = tmp_path / "seen.checkpoint"
    seen.write_text((coll / "tlog/checkpoint").read_text())
    with sqlite3.connect(coll / "catalog.sqlite") as db:     # and runs that forgot what
        db.execute("DELETE FROM logged_seals")               # they logged read every seal
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    result, report = run_json(cli, manifest)
    assert result.returncode == 0 and len(report["captured"]) == 1
    leaves = [json.loads(leaf) for leaf in TransparencyLog(coll / "tlog", "x").leaves()]
    assert len(leaves) == 3 == len({leaf["seal_sha256"] for leaf in leaves})
    assert (coll / "tlog/index.sqlite").exists()
    assert cli("log", "watch", coll, "--state", seen).returncode == 0     # 2 -> 3, consistent
    for package in (coll / "packages").iterdir():
        assert cli("verify", package).returncode == 0


def test_a_catalog_from_before_ctimes_were_kept_hashes_each_file_once_and_loses_no_edit(
        cli, tmp_path):
    inbox = settled(clippings(tmp_path / "inbox", 3))
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert len(run_json(cli, manifest)[1]["captured"]) == 3
    coll = tmp_path / "coll"
    with sqlite3.connect(coll / "catalog.sqlite") as db:     # as the previous version left it
        db.execute("ALTER TABLE inbox_files DROP COLUMN ctime_ns")
        assert db.execute("SELECT count(*) FROM inbox_folders").fetchone()[0] == 1
    # An edit that version could not see: same size, mtime put back.
    edited, before = inbox / "clip-002.txt", os.stat(inbox / "clip-002.txt")
    edited.write_text(edited.read_text().replace("Budget", "Bridge"))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    settled(edited)

    result, report = run_json(cli, manifest)        # the first run after the upgrade
    assert [item["source"] for item in report["captured"]] == [str(edited)]
    assert report["skipped"] == 2 and report["amended"] == []
    with sqlite3.connect(coll / "catalog.sqlite") as db:      # each now known with its ctime
        rows = db.execute("SELECT path, ctime_ns FROM inbox_files ORDER BY path").fetchall()
    assert rows == [(str(path), path.stat().st_ctime_ns) for path in sorted(inbox.iterdir())]
    assert len(list((coll / "packages").iterdir())) == 4
