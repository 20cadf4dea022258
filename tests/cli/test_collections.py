"""`collection init`, `collection add`, `run` and `audit` as commands (cli/collections.py):
what they print, on a terminal and off it, their exit codes, and the audit page's facts.
What a run and an audit do is tests/collection/test_runs.py's and test_audit.py's."""

import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from support.browser import report_about
from support.collection import clippings, run_json, settled, write_manifest


def test_a_collection_is_named_after_its_folder_unless_named(cli, tmp_path):
    made = cli("collection", "init", tmp_path / "Flood desk")
    assert made.returncode == 0
    assert made.stdout.strip() == f"Collection 'Flood desk' at {tmp_path / 'Flood desk'}"
    named = cli("collection", "init", tmp_path / "b", "--name", "Harbor Gazette clippings")
    assert named.stdout.startswith("Collection 'Harbor Gazette clippings' at ")
    again = cli("collection", "init", tmp_path / "b")
    assert again.returncode == 2 and "already a collection" in again.stderr


def test_the_audit_page_names_the_policy_it_ran_under(cli, tmp_path, page):
    folder = clippings(tmp_path / "inbox", 2)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    for policy, said in ((["--policy", "fraction", "--fraction", "0.5"], "fraction 0.5"),
                         (["--policy", "stale", "--days", "7"], "stale 7 days")):
        result = cli("audit", tmp_path / "coll", *policy, "--html", tmp_path / "audit.html")
        assert result.returncode == 0, result.stderr
        page.goto((tmp_path / "audit.html").as_uri())
        assert report_about(page)["Policy"] == said


def test_an_audit_policy_out_of_range_is_a_usage_error_before_any_work(cli, tmp_path):
    # NaN passed --fraction's range check and crashed the audit (a traceback, exit 1,
    # "verification failed"); --days 3000000 overflowed the calendar; a fraction of -1 in
    # collection.yaml audited nothing and exited 0; a run captured before it crashed.
    folder = clippings(tmp_path / "inbox", 1)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    assert cli("run", manifest).returncode == 0
    collection = tmp_path / "coll"
    log = (collection / "audit.jsonl").read_bytes()
    for given, said in ((["--policy", "fraction", "--fraction", "nan"], "audit fraction nan"),
                        (["--policy", "stale", "--days", "-1"], "audit days -1")):
        result = cli("audit", collection, *given)
        assert (result.returncode, result.stdout) == (2, ""), result.stderr
        assert f"archivekit: {said}: must be" in result.stderr
    assert (collection / "audit.jsonl").read_bytes() == log
    result = cli("audit", collection, "--policy", "stale", "--days", "3000000")
    assert result.returncode == 0 and "0 audited" in result.stdout, result.stderr
    log = (collection / "audit.jsonl").read_bytes()
    config = (collection / "collection.yaml").read_text()
    (collection / "collection.yaml").write_text(
        config.replace("audit: all", "audit: fraction").replace("fraction: 1", "fraction: -1"))
    (folder / "new.txt").write_text("Harbor Closes\n\nBy Jo Roe\n\nThe harbor closed.\n")
    for command in (["audit", collection], ["run", manifest]):
        result = cli(*command)
        assert result.returncode == 2, result.stderr
        assert ("archivekit: audit fraction -1 (the policy in collection.yaml): must be a "
                "number more than 0 and at most 1") in result.stderr
    assert (collection / "audit.jsonl").read_bytes() == log     # nothing audited or captured


def test_run_and_audit_in_a_terminal(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 3)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    code, shown = cli.in_terminal("run", manifest)
    assert code == 0, shown
    assert "Traceback" not in shown
    assert "capture" in shown and "audit" in shown and "3/3" in shown
    assert "3 captured, 0 already present, 0 failed; 3 audited, 0 failed" in shown

    code, shown = cli.in_terminal("audit", tmp_path / "coll")
    assert code == 0, shown
    assert "audit" in shown and "3/3" in shown and "3 audited, 0 failed" in shown
    quiet = cli("audit", tmp_path / "coll", "--json")  # not a terminal: clean JSON
    assert json.loads(quiet.stdout)["ok"] and quiet.stderr == ""

    damaged = next((tmp_path / "coll" / "packages").iterdir())
    shutil.rmtree(damaged / "signatures")
    code, shown = cli.in_terminal("audit", tmp_path / "coll")
    assert code == 1, shown
    assert "Traceback" not in shown and f"FAILED    {damaged.name}" in shown


def edit_keeping_mtime(path, old, new):
    """Bytes changed in place to the same size, the mtime put back (touch -r, rsync
    --inplace -t): only the ctime, which no call can set back, shows it."""
    before, text = path.stat(), path.read_text()
    assert len(old) == len(new) and old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)


@pytest.mark.parametrize("on_change", ["skip", "amend"])
def test_run_rescan_reads_an_edit_whose_mtime_was_put_back(cli, tmp_path, on_change):
    inbox = clippings(tmp_path / "inbox", 3)
    (inbox / "clip-001.yaml").write_text("call_number: 352.1\n")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"],
                              extra=f"on_change: {on_change}\n")
    settled(inbox)
    assert cli("run", manifest).returncode == 0
    edit_keeping_mtime(inbox / "clip-000.txt", "Budget", "Bridge")     # a new clipping
    edit_keeping_mtime(inbox / "clip-001.yaml", "352.1", "352.2")      # its catalog
    packages = sorted((tmp_path / "coll" / "packages").iterdir())

    result = cli("run", manifest, "--rescan")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines if line.endswith("clip-000.txt")] == ["captured"]
    said = [line for line in lines if "clip-001" in line]
    if on_change == "amend":
        assert len(said) == 1 and said[0].startswith("amended ") and "(call_number)" in said[0]
        assert "1 captured, 1 amended, 1 already present, 0 failed" in result.stdout
    else:
        assert len(said) == 1 and said[0].startswith("note ") and "not amended" in said[0]
        assert "1 captured, 2 already present, 0 failed" in result.stdout
    assert len(list((tmp_path / "coll" / "packages").iterdir())) == \
        len(packages) + (2 if on_change == "amend" else 1)


def test_a_restored_inbox_is_hashed_once_and_nothing_is_captured_again(cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 3)
    (inbox / "clip-001.yaml").write_text("call_number: 352.1\n")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"], extra="on_change: amend\n")
    settled(inbox)
    assert cli("run", manifest).returncode == 0
    # A restore from a backup: every file copied anew (new inodes, new ctimes, the
    # mtimes kept), under the same names.
    os.rename(inbox, tmp_path / "backup")
    subprocess.run(["cp", "-a", tmp_path / "backup", inbox], check=True)
    packages, log = (sorted((tmp_path / "coll" / "packages").iterdir()),
                     (tmp_path / "coll" / "audit.jsonl").read_text())
    settled(*inbox.iterdir())

    result = cli("run", manifest)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith("0 captured, 3 already present, 0 failed")
    assert sorted((tmp_path / "coll" / "packages").iterdir()) == packages
    assert '"ingestion"' not in (tmp_path / "coll" / "audit.jsonl").read_text()[len(log):]
    with sqlite3.connect(tmp_path / "coll" / "catalog.sqlite") as db:   # known as they are
        rows = db.execute("SELECT path, size, mtime_ns, inode, ctime_ns FROM inbox_files "
                          "ORDER BY path").fetchall()
    assert rows == [(str(p), s.st_size, s.st_mtime_ns, s.st_ino, s.st_ctime_ns)
                    for p, s in ((p, p.stat()) for p in sorted(inbox.glob("*.txt")))]


def test_run_of_a_starstar_job_captures_a_new_file_deep_below_folders_it_knows(cli, tmp_path):
    inbox = tmp_path / "inbox"
    deep = [clippings(inbox / day, 1) for day in ("2026/01/01", "2026/01/02")]
    (deep[1] / "clip-000.txt").write_text("Ferry Service Resumes\n\nBy Ann Lee\n\nMonday.\n")
    clippings(inbox / ".drafts", 1)         # hidden: `**` does not go there, as glob
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"])
    settled(*deep, inbox / "2026" / "01", inbox / "2026", inbox)
    first = run_json(cli, manifest)[1]
    assert sorted(item["source"] for item in first["captured"]) == \
        [str(day / "clip-000.txt") for day in deep]

    (deep[0] / "late.txt").write_text("Library Opens on Sundays\n\nBy Al Roe\n\nMarch.\n")
    settled(deep[0])
    result, report = run_json(cli, manifest)
    assert result.returncode == 0, result.stderr
    assert [item["source"] for item in report["captured"]] == [str(deep[0] / "late.txt")]
    assert report["skipped"] == 2


def test_run_names_a_file_whose_name_is_not_utf8_as_failed_and_captures_the_rest(cli, tmp_path):
    # It crashed (UnicodeEncodeError from SQLite) before capturing anything.
    inbox = clippings(tmp_path / "inbox", 1)
    (inbox / os.fsdecode(b"caf\xe9.txt")).write_text("Named in Latin-1\n")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    for _ in range(2):      # failed each run until it is renamed
        result = cli("run", manifest)
        assert result.returncode == 4, result.stderr     # a source failed
        assert f"FAILED    {inbox}/caf\\xe9.txt: its name is not valid UTF-8" in result.stdout
    assert f'"source": "{inbox}/caf\\\\xe9.txt"' in (tmp_path / "coll" / "audit.jsonl").read_text()
    assert len(list((tmp_path / "coll" / "packages").iterdir())) == 1
