"""What a run reads of an inbox (issue 16): a folder as it was is neither listed nor its
files statted; a file rewritten in place is still found, by the rolling re-check within
RECHECK_RUNS runs or at once with --rescan; a folder changed lately is scanned again."""

import errno
import glob
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from archivekit._internal.fsutil import RACY_NS, folder_stamp
from archivekit.collection import inbox as inbox_module
from archivekit.collection.catalog import CatalogIndex
from archivekit.collection.inbox import (RECHECK_RUNS, InboxScan, KnownSubfolders,
                                        catalog_digest, file_identity)
from archivekit.collection.jobs import load_manifest

from support.collection import clippings, run_json, settled, write_manifest


def rewrite_in_place(path, text, mtime_put_back=False):
    """New content under the same name and inode: the folder's own stat does not change.
    `mtime_put_back`: and the file's mtime as it was (touch -r, rsync --inplace -t)."""
    stamp, before = os.stat(path.parent).st_mtime_ns, os.stat(path)
    with open(path, "r+") as handle:
        handle.write(text)
        handle.truncate()
    if mtime_put_back:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert os.stat(path.parent).st_mtime_ns == stamp


def folders(coll):
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        return db.execute("SELECT folder, pattern, files FROM inbox_folders").fetchall()


def inbox_rows(coll):
    with sqlite3.connect(coll / "catalog.sqlite") as db:
        return sorted(os.path.basename(row[0])
                      for row in db.execute("SELECT path FROM inbox_files"))


@pytest.mark.parametrize("mtime_put_back", [False, True])
def test_a_file_rewritten_in_place_is_found_by_the_rolling_recheck_or_rescan(
        cli, tmp_path, mtime_put_back):
    # Put back, only the file's ctime shows the change (its size is the same too).
    inbox = settled(clippings(tmp_path / "inbox", 3))
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    first, report = run_json(cli, manifest)
    assert len(report["captured"]) == 3
    assert folders(tmp_path / "coll") == [(str(inbox), "*.txt", 3)]

    # The folder is as it was: not listed; one file of the three is re-checked a run
    # (an eighth, rounded up), in name order, so clip-001 comes up in the second run.
    clip = inbox / "clip-001.txt"
    rewrite_in_place(clip, clip.read_text().replace("Budget", "Bridge"), mtime_put_back)
    runs = [run_json(cli, manifest)[1] for _ in range(2)]
    assert [len(r["captured"]) for r in runs] == [0, 1]
    assert runs[0]["skipped"] == 3 and runs[1]["skipped"] == 2
    assert runs[1]["captured"][0]["source"] == str(inbox / "clip-001.txt")

    # That run scanned the folder whole: the next slice is clip-000's; --rescan checks all.
    clip = inbox / "clip-002.txt"
    rewrite_in_place(clip, clip.read_text().replace("Budget", "Bridge"), mtime_put_back)
    result, report = run_json(cli, manifest, "--rescan")
    assert [item["source"] for item in report["captured"]] == [str(inbox / "clip-002.txt")]
    assert RECHECK_RUNS == 8


def test_every_known_file_is_rechecked_within_recheck_runs(cli, tmp_path):
    inbox = settled(clippings(tmp_path / "inbox", 20))     # three a run: 20 within 7 runs
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    rewrite_in_place(inbox / "clip-019.txt", "Last Clipping Rewritten\n\nBy Al Ng\n\nYes.\n")
    captured = [len(run_json(cli, manifest)[1]["captured"]) for _ in range(RECHECK_RUNS)]
    assert captured == [0] * 6 + [1, 0]


def test_a_sidecar_rewritten_in_place_is_found_by_the_recheck(cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 1)
    (inbox / "clip-000.yaml").write_text("call_number: 352.1\n")
    settled(inbox)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"], extra="on_change: amend\n")
    assert cli("run", manifest).returncode == 0
    rewrite_in_place(inbox / "clip-000.yaml", "call_number: 352.17\n")
    result, report = run_json(cli, manifest)
    assert [item["changed"] for item in report["amended"]] == [["call_number"]]


def test_a_known_file_with_a_sidecar_is_not_read_again(cli, tmp_path, monkeypatch):
    inbox = clippings(tmp_path / "inbox", 2)
    (inbox / "clip-000.yaml").write_text("call_number: 352.1\n")
    settled(inbox)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    # Every file compared (as --rescan does): the one with a sidecar by its stat and
    # the sidecar's catalog, neither handed out to be read nor hashed.
    monkeypatch.setattr(inbox_module, "content_digest", None)     # hashing would fail
    index = CatalogIndex(tmp_path / "coll" / "catalog.sqlite")
    try:
        scan = InboxScan(load_manifest(manifest), index, rescan=True)
        assert list(scan.found()) == [] and scan.skipped == 2
    finally:
        index.close()


def test_a_folder_changed_lately_is_scanned_again_and_a_new_file_is_found_at_once(
        cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 3)        # written just now: racily clean
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    assert folders(tmp_path / "coll") == []          # not trusted, so every file checked:
    rewrite_in_place(inbox / "clip-002.txt", "Rewritten at Once\n\nBy Al Ng\n\nYes.\n")
    assert len(run_json(cli, manifest)[1]["captured"]) == 1

    settled(inbox, inbox / "clip-002.txt")         # a file that recent is not kept either
    assert cli("run", manifest).returncode == 0
    assert len(folders(tmp_path / "coll")) == 1
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    result, report = run_json(cli, manifest)       # the folder changed: listed again
    assert [item["source"] for item in report["captured"]] == [str(inbox / "new.txt")]


def test_a_removed_file_is_forgotten_and_a_quiet_folder_still_says_so(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    inbox = settled(clippings(tmp_path / "inbox", 2), empty)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    (inbox / "clip-000.txt").unlink()
    settled(inbox)
    assert cli("run", manifest).returncode == 0
    assert inbox_rows(tmp_path / "coll") == ["clip-001.txt"]   # else each re-check fails
    assert folders(tmp_path / "coll") == [(str(inbox), "*.txt", 1)]

    quiet = write_manifest(tmp_path, [f"glob: {empty}/*.txt"])
    for _ in range(2):
        result, report = run_json(cli, quiet)
        assert sum("matches no file" in note for note in report["notes"]) == 1


def test_a_changed_folder_has_every_known_file_checked_by_its_stat(cli, tmp_path):
    # A file rewritten in place, or deleted and saved again under its name (ext4 gives it
    # the freed inode back), keeps its name and inode: in a folder that changed, the
    # listing cannot tell it from a known file; its stat (the ctime) can.
    inbox = clippings(tmp_path / "inbox", 10)
    (inbox / "clip-003.yaml").write_text("call_number: 352.1\n")
    settled(inbox)
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*"], extra="on_change: amend\n")
    assert len(run_json(cli, manifest)[1]["captured"]) == 10      # the sidecar is no clipping
    rewrite_in_place(inbox / "clip-009.txt", "Rewritten in Place\n\nBy Al Ng\n\nYes.\n")
    replaced = inbox / "clip-008.txt"                 # a new file (inode) under an old name
    (inbox / "new-008").write_text("Replaced by Rename\n\nBy Ann Lee\n\nNo.\n")
    os.replace(inbox / "new-008", replaced)
    (inbox / "clip-003.yaml").write_text("call_number: 352.17\n")   # in place: checked, as
    (inbox / "clip-005.yaml").write_text("call_number: 070.4\n")    # every file with one is
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    settled(inbox)

    result, report = run_json(cli, manifest)
    assert sorted(item["source"] for item in report["captured"]) == [
        str(replaced), str(inbox / "clip-009.txt"), str(inbox / "new.txt")]
    assert sorted(item["source"] for item in report["amended"]) == [
        str(inbox / "clip-003.txt"), str(inbox / "clip-005.txt")]
    assert report["skipped"] == 6
    assert folders(tmp_path / "coll") == [(str(inbox), "*", 11)]
    assert not any("clip-005.yaml" in item["source"] for item in report["captured"])
    assert run_json(cli, manifest, "--rescan")[1]["captured"] == []


def test_a_run_that_captured_leaves_packages_known_as_listed(cli, tmp_path):
    inbox = settled(clippings(tmp_path / "inbox", 1))
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    packages = tmp_path / "coll" / "packages"
    settled(packages)
    assert cli("run", manifest).returncode == 0           # listed, found all indexed

    def listed():
        with sqlite3.connect(tmp_path / "coll" / "catalog.sqlite") as db:
            return db.execute("SELECT * FROM packages_listed").fetchone()
    assert listed() == folder_stamp(packages)
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    assert len(run_json(cli, manifest)[1]["captured"]) == 1
    assert listed() == folder_stamp(packages)            # the next run need not list it

    (inbox / "broken.txt").write_text("Storm Warning\n\nBy Al Ng\n\nTonight.\n")
    (inbox / "broken.yaml").write_text("call_number: [unclosed\n")    # fails: recorded
    (inbox / "newer.txt").write_text("Bridge Closes for Repairs\n\nBy Al Ng\n\nIn May.\n")
    result, report = run_json(cli, manifest)
    assert len(report["captured"]) == 1 and report["failed"]
    assert listed() != folder_stamp(packages)            # a failure: listed next run


def test_dated_folders_are_each_known_by_their_stat_and_one_quiet_day_is_not_noted(
        cli, tmp_path):
    inbox = tmp_path / "inbox"
    days = [clippings(inbox / day, 2) for day in ("2026-01-01", "2026-01-02")]
    for number, clip in enumerate(sorted(days[1].iterdir())):     # not the same texts
        clip.write_text(f"Mayor Opens Bridge {number}\n\nBy Ann Lee\n\nToday.\n")
    (inbox / "2026-01-03").mkdir()              # a quiet day
    settled(*days, *days[1].iterdir(), inbox / "2026-01-03")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*/*.txt"])
    result, report = run_json(cli, manifest)
    assert len(report["captured"]) == 4
    assert not any("matches no file" in note for note in report["notes"])
    assert folders(tmp_path / "coll") == [(str(day), "*.txt", 2) for day in days] + \
        [(str(inbox / "2026-01-03"), "*.txt", 0)]

    # A new day's folder: read; the others as recorded (neither listed nor statted).
    (inbox / "2026-01-04").mkdir()
    (inbox / "2026-01-04" / "clip-000.txt").write_text("Port Reopens\n\nBy Al Roe\n\nYes.\n")
    settled(inbox / "2026-01-04")
    result, report = run_json(cli, manifest)
    assert [item["source"] for item in report["captured"]] == \
        [str(inbox / "2026-01-04" / "clip-000.txt")]
    assert report["skipped"] == 4
    assert run_json(cli, manifest)[1]["skipped"] == 5

    # A pattern whose folders hold no match at all is noted once.
    quiet = write_manifest(tmp_path, [f"glob: {inbox}/*/*.png"])
    result, report = run_json(cli, quiet)
    assert sum("matches no file" in note for note in report["notes"]) == 1


def test_a_run_stopped_partway_records_no_folder_it_did_not_finish(cli, tmp_path):
    # Ctrl-C while the first glob is captured: the files after it and the second glob's
    # folder were never looked at. Recorded as settled, the new file there would be
    # skipped by every later run (its folder's stamp unchanged).
    # 200 files: a run captures 40 in well under a second, sometimes before a starved
    # polling loop below sees its first two packages.
    first, second = clippings(tmp_path / "first", 200), tmp_path / "second"
    second.mkdir()
    (second / "new.txt").write_text("Ferry Service Resumes\n\nBy Ann Lee\n\nOn Monday.\n")
    manifest = write_manifest(tmp_path, [f"glob: {first}/*.txt", f"glob: {second}/*.txt"])
    settled(first, second)
    # Ctrl-C as at a terminal: a job started in the background by a shell without job
    # control (as CI may start the suite) inherits SIGINT ignored, and so would the run.
    run = subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env(),
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    packages = tmp_path / "coll" / "packages"   # (logged a batch at a time: not the log)
    deadline = time.monotonic() + 60
    while not (packages.exists() and
               len([p for p in packages.iterdir() if not p.name.startswith(".")]) >= 2):
        assert run.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    run.send_signal(signal.SIGINT)
    run.communicate(timeout=60)
    assert folders(tmp_path / "coll") == []

    result, report = run_json(cli, manifest)
    assert str(second / "new.txt") in [item["source"] for item in report["captured"]]
    assert report["skipped"] + len(report["captured"]) == 201


def test_a_file_added_with_the_folder_s_mtime_put_back_is_found(cli, tmp_path):
    inbox = settled(clippings(tmp_path / "inbox", 2))
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    assert cli("run", manifest).returncode == 0
    assert len(folders(tmp_path / "coll")) == 1
    # rsync -t, cp -p and unzip add a file, then put the folder's mtime back: its ctime
    # (which no one can set back) still says it changed, and when.
    before = os.stat(inbox)
    (inbox / "new.txt").write_text("Library Opens on Sundays\n\nBy Ann Lee\n\nFrom March.\n")
    os.utime(inbox, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(inbox).st_mtime_ns == before.st_mtime_ns
    result, report = run_json(cli, manifest)
    assert [item["source"] for item in report["captured"]] == [str(inbox / "new.txt")]
    # Changed a moment ago by its ctime, though its mtime is old: not recorded yet (a
    # file added within the same tick of a coarse clock would leave the stamp as it is).
    assert folders(tmp_path / "coll") == []


def test_a_glob_beside_another_in_one_folder_has_its_files_rechecked_within_recheck_runs(
        cli, tmp_path):
    # The re-check goes through the folder's known files in name order; another glob's
    # files there are passed over, not counted among the eighth due.
    inbox = clippings(tmp_path / "inbox", 16)
    (inbox / "z-lone.txt").write_text("Lone Clipping\n\nBy Al Ng\n\nOnce.\n")
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/z-*.txt", f"glob: {inbox}/clip-*.txt"])
    settled(inbox)
    assert len(run_json(cli, manifest)[1]["captured"]) == 17
    assert len(folders(tmp_path / "coll")) == 2
    rewrite_in_place(inbox / "z-lone.txt", "Lone Clipping Rewritten\n\nBy Al Ng\n\nTwice.\n")
    found = [len(run_json(cli, manifest)[1]["captured"]) for _ in range(RECHECK_RUNS)]
    assert sum(found) == 1 and found.index(1) < 2      # one file: checked every other run


def test_a_file_written_again_within_the_clock_tick_it_was_captured_in_is_read_again(
        cli, tmp_path):
    inbox = clippings(tmp_path / "inbox", 1)            # written a moment ago
    manifest = write_manifest(tmp_path, [f"glob: {inbox}/*.txt"])
    clip, before = inbox / "clip-000.txt", os.stat(inbox / "clip-000.txt")
    assert len(run_json(cli, manifest)[1]["captured"]) == 1
    # Where times are 1 s (or FAT's 2 s) apart, bytes written again within the same tick
    # keep the size and mtime: the run must not have trusted so recent a stat.
    rewrite_in_place(clip, clip.read_text().replace("Budget", "Bridge"))
    os.utime(clip, ns=(before.st_atime_ns, before.st_mtime_ns))
    now = os.stat(clip)
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)
    result, report = run_json(cli, manifest)
    assert [item["source"] for item in report["captured"]] == [str(clip)]


# A settled clipping (with or without a sidecar), then any mix of what can happen to
# it: its bytes edited (to the same size or not), its mtime put back (touch -r), its
# mode changed (chmod: only the ctime moves), replaced by a copy renamed over it (a new
# inode: cp -a, a restore), its sidecar edited. Whatever the stat shows, a run hands it
# out to be read exactly when its bytes or its catalog differ from what was settled,
# and remembers the rest as they are now.
CHANGES = st.fixed_dictionaries({
    "bytes": st.sampled_from(["same", "same size", "longer"]),
    "mtime put back": st.booleans(), "chmod": st.booleans(), "renamed over": st.booleans(),
    "sidecar": st.sampled_from([None, "same", "edited"])})


@settings(max_examples=60, deadline=None)
@given(change=CHANGES, kind=st.sampled_from(["glob", "glob **", "path"]))
def test_a_file_is_read_again_exactly_when_its_bytes_or_catalog_changed(change, kind):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clip = clippings(tmp / "inbox", 1) / "clip-000.txt"
        sidecar = clip.with_suffix(".yaml")
        if change["sidecar"]:
            sidecar.write_text("call_number: 352.1\n")
        source = {"glob": f"glob: {tmp}/inbox/*.txt", "glob **": f"glob: {tmp}/**/*.txt",
                  "path": f"path: {clip}"}[kind]
        manifest = load_manifest(write_manifest(tmp, [source]))
        index = CatalogIndex(tmp / "catalog.sqlite")
        try:
            sha256 = hashlib.sha256(clip.read_bytes()).hexdigest()
            index.add({"id": "p", "sources": [{"sha256": sha256}]}, "packages/p", None)
            found, = InboxScan(manifest, index).found()          # as a run settles it
            index.remember_files([(str(clip), *found.identity, sha256)])

            before = clip.stat()
            text = clip.read_text()
            text = {"same": text, "same size": text.replace("Council", "Cabinet"),
                    "longer": text + "Corrected.\n"}[change["bytes"]]
            if change["renamed over"]:
                (tmp / "inbox" / "copy").write_text(text)
                os.replace(tmp / "inbox" / "copy", clip)
            elif change["bytes"] != "same":
                rewrite_in_place(clip, text)
            if change["mtime put back"]:
                os.utime(clip, ns=(before.st_atime_ns, before.st_mtime_ns))
            if change["chmod"]:
                clip.chmod(0o600)
            if change["sidecar"] == "edited":
                sidecar.write_text("call_number: 352.2\n")

            scan = InboxScan(load_manifest(write_manifest(tmp, [source])), index, rescan=True)
            scan.trusted_before = time.time_ns() + 10**9     # as if the run began later
            handed_out = [str(item.spec.path) for item in scan.found()]
            changed = change["bytes"] != "same" or change["sidecar"] == "edited"
            assert handed_out == ([str(clip)] if changed else [])
            scan.remember()           # unread, it is known as it is now (not hashed again)
            now = clip.stat()
            stat = (now.st_size, now.st_mtime_ns, now.st_ino, now.st_ctime_ns)
            known = index.known_files([str(clip)])[str(clip)]
            assert known[:4] == (found.identity[:4] if changed else stat)
        finally:
            index.close()


def test_a_folder_restored_whole_is_compared_a_chunk_at_a_time(tmp_path, monkeypatch):
    # Every name of a folder copied back is checked (new inodes): the catalog's rows are
    # looked up, and the unchanged files remembered again, CHUNK at a time.
    monkeypatch.setattr(inbox_module, "CHUNK", 2)
    inbox = clippings(tmp_path / "inbox", 5)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/*.txt"]))
    index = CatalogIndex(tmp_path / "catalog.sqlite")
    try:
        for found in InboxScan(manifest, index).found():      # as a run settles them
            sha256 = hashlib.sha256(found.spec.path.read_bytes()).hexdigest()
            index.add({"id": found.spec.path.stem, "sources": [{"sha256": sha256}]},
                      f"packages/{found.spec.path.stem}", None)
            index.remember_files([(str(found.spec.path), *found.identity, sha256)])
        os.rename(inbox, tmp_path / "backup")
        subprocess.run(["cp", "-a", tmp_path / "backup", inbox], check=True)
        edited = [inbox / "clip-001.txt", inbox / "clip-004.txt"]
        for clip in edited:
            rewrite_in_place(clip, clip.read_text().replace("Budget", "Bridge"), True)

        scan = InboxScan(manifest, index)
        scan.trusted_before = time.time_ns() + 10**9     # as if the run began later
        assert [(item.number, item.spec.path) for item in scan.found()] == [
            (2, edited[0]), (5, edited[1])]
        assert scan.skipped == 3
        scan.remember()
        known = index.known_files([str(path) for path in sorted(inbox.iterdir())])
        assert {Path(path): row[2] == Path(path).stat().st_ino      # known as they are now
                for path, row in known.items()} == {
            path: path not in edited for path in sorted(inbox.iterdir())}
    finally:
        index.close()


# A glob over several folders (`inbox/**/*.txt`): each folder it reaches is known by its
# stat with its subfolders. Random trees, random changes between runs, and after each
# run what it read checked against glob.glob. The runs are InboxScan's, with capture
# played by the catalog (the bytes' digest recorded as a package's source) and the
# clock given: `started` RACY_NS+ after the changes trusts every stamp, as a run 10 s
# later would, or right after them, none.

FOLDER_NAMES = ["a", "b", "2024-01", ".h", "sub"]
FILE_NAMES = ["x.txt", "y.txt", ".z.txt", "w.html", "sub"]
GLOBS = ["inbox/**/*.txt", "inbox/*/*.txt", "inbox/**/2024-*/*.txt", "inbox/**",
         "inbox/**/.*/*.txt", "inbox/**/sub/*.txt", "inbox/*/**/*.txt", "inbox/**/[ab]/*"]
DAY_NS = 86_400 * 10**9


class Tree:
    """An inbox, a folder outside it that links may point at (made and removed between
    runs: a link's target turning into a folder changes no folder's stat), folders
    made elsewhere to be moved in, and files rewritten in place to the same size with
    the mtime put back (`stealthy`, by inode): no folder's stat shows them, only the
    file's ctime, to the rolling re-check within RECHECK_RUNS runs (tests above) or to
    --rescan, so they are checked at the end, not after every run."""

    def __init__(self, root: str):
        self.root, self.inbox = root, os.path.join(root, "inbox")
        self.outside = os.path.join(root, "outside")
        self.written, self.stealthy, self.looped = 0, set(), False
        os.mkdir(self.inbox)

    def write(self, path: str) -> None:
        self.written += 1
        with open(path, "w") as handle:
            handle.write(f"Clipping {self.written:08d}\n")   # one size, new bytes

    def folders(self) -> list[str]:
        return [top for top, _, _ in os.walk(self.inbox)]     # links not followed

    def files(self) -> list[str]:
        return [os.path.join(top, name) for top, _, names in os.walk(self.inbox)
                for name in names if not os.path.islink(os.path.join(top, name))]

    def change(self, data) -> None:
        kinds = ["add file", "remove file", "rename file", "rewrite unseen", "add folder",
                 "remove folder", "rename folder", "move in", "link outside", "outside",
                 "link loop"]
        for _ in range(data.draw(st.integers(1, 4))):
            kind = data.draw(st.sampled_from(kinds))
            folders, files = self.folders(), self.files()
            parent = data.draw(st.sampled_from(folders))
            path = os.path.join(parent, data.draw(st.sampled_from(
                FILE_NAMES if "file" in kind else FOLDER_NAMES)))
            if kind == "outside":       # the links' target appears or goes
                if os.path.exists(self.outside):
                    shutil.rmtree(self.outside)
                else:
                    os.mkdir(self.outside)
                    self.write(os.path.join(self.outside, "e.txt"))
            elif os.path.lexists(path):
                continue
            elif kind == "add file":
                self.write(path)
            elif kind == "add folder":
                os.mkdir(path)
                for name in data.draw(st.lists(st.sampled_from(FILE_NAMES), unique=True)):
                    self.write(os.path.join(path, name))
            elif kind == "move in":     # made elsewhere a day ago: mv keeps its times
                made = os.path.join(self.root, f"made{self.written}")
                os.makedirs(os.path.join(made, "2024-01"))
                for name in ("x.txt", "2024-01/y.txt"):
                    self.write(os.path.join(made, name))
                for old in ("2024-01/y.txt", "x.txt", "2024-01", ""):
                    old_ns = time.time_ns() - DAY_NS
                    os.utime(os.path.join(made, old), ns=(old_ns, old_ns))
                os.rename(made, path)
            elif kind == "link outside":
                os.symlink(self.outside, path)
            elif kind == "link loop" and not self.looped:   # one loop: glob walks ~40 deep
                os.symlink(self.inbox, path)
                self.looped = True
            elif kind in ("remove file", "rename file", "rewrite unseen") and files:
                victim = data.draw(st.sampled_from(files))
                if kind == "remove file":
                    os.remove(victim)
                elif kind == "rename file":
                    os.rename(victim, path)
                else:
                    before = os.stat(victim)
                    self.write(victim)
                    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
                    self.stealthy.add(before.st_ino)
            elif kind in ("remove folder", "rename folder") and len(folders) > 1:
                victim = data.draw(st.sampled_from(folders[1:]))
                if kind == "remove folder":
                    shutil.rmtree(victim)
                elif not (path + os.sep).startswith(victim + os.sep):
                    os.rename(victim, path)

def tick(folder) -> None:
    """Wait until the file system's clock has moved on (a few ms): runs here trust
    stamps as fresh as the changes before them, which a real run would call racy; a
    change in the same tick as a stamp trusted so would go unseen, as the racy rule
    exists to prevent."""
    probe = os.path.join(folder, "probe")
    open(probe, "w").close()
    first = os.stat(probe).st_mtime_ns
    while os.stat(probe).st_mtime_ns == first:
        time.sleep(0.001)
        os.utime(probe)


def scan_run(manifest, catalog, started, rescan=False, fail=False, stop_after=None):
    """One run's inbox part as capture_sources does it: each file handed out is read
    and its bytes recorded as captured (a package's source), then settled; `fail`: the
    first one fails (neither captured nor settled); `stop_after`: Ctrl-C after that
    many files."""
    index = CatalogIndex(catalog)
    scan = InboxScan(manifest, index, rescan, started)
    handed = []
    try:
        for found in scan.found():
            if len(handed) == stop_after:
                raise KeyboardInterrupt
            path = str(found.spec.path)
            handed.append(path)
            if (fail and len(handed) == 1) or found.identity is None:
                continue
            sha256 = sha256_of(path)
            if index.package_for_digest(sha256) is None:
                index.add({"id": sha256, "sources": [{"sha256": sha256}]}, path, None)
            scan.settle(path, found.identity, sha256)
    except KeyboardInterrupt:
        pass
    finally:
        scan.remember()
    return handed, scan, index


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(GLOBS))
def test_a_glob_over_several_folders_reads_what_glob_finds_run_after_run(data, pattern):
    with tempfile.TemporaryDirectory() as root:
        tree = Tree(root)
        manifest = load_manifest(write_manifest(Path(root), [f"glob: {root}/{pattern}"]))
        catalog, shared = Path(root, "catalog.sqlite"), catalog_digest({})
        runs = data.draw(st.integers(2, 5))
        for run in range(runs):
            tree.change(data)
            last = run == runs - 1              # settles everything for the end's check
            late, fail = last or data.draw(st.booleans()), not last and data.draw(st.booleans())
            stop_after = None if last else data.draw(st.none() | st.integers(0, 3))
            handed, scan, index = scan_run(
                manifest, catalog, time.time_ns() + (RACY_NS + 10**9 if late else 0),
                data.draw(st.booleans()), fail, stop_after)
            tick(root)
            if stop_after is not None and len(handed) == stop_after:
                index.close()
                continue                        # stopped: the next run finishes the job
            globbed = {path for path in glob.glob(f"{root}/{pattern}", recursive=True)
                       if os.path.isfile(path)}
            assert sorted(handed) == sorted(set(handed)) and set(handed) <= globbed
            assert scan.skipped + len(handed) == len(globbed)
            failed = set(handed[:1]) if fail else set()
            tree.stealthy -= {os.stat(path).st_ino for path in handed}
            for path in globbed - set(handed):  # what a run with --rescan would not read
                if os.stat(path).st_ino not in tree.stealthy:
                    assert index.known_files([path]).get(path) == \
                        file_identity(path, shared), path
            for path in globbed - failed:       # every file's bytes are in the collection
                if os.stat(path).st_ino not in tree.stealthy:
                    assert index.package_for_digest(sha256_of(path)), path
            index.close()
        # --rescan (every folder listed, every file's stat compared) reads only what
        # the stat shows changed since it was settled: the files rewritten in place.
        handed, scan, index = scan_run(manifest, catalog, time.time_ns() + RACY_NS, True)
        index.close()
        assert {os.stat(path).st_ino for path in handed} <= tree.stealthy


def sha256_of(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def subfolder_rows(catalog):
    with sqlite3.connect(catalog) as db:
        return {row[0]: json.loads(row[1]) for row in
                db.execute("SELECT folder, subfolders FROM inbox_subfolders")}


def listings(monkeypatch):
    """The folders os.scandir is asked to list from now on."""
    listed = []
    scandir = os.scandir

    def counted(path="."):
        listed.append(os.fspath(path))
        return scandir(path)
    monkeypatch.setattr(os, "scandir", counted)
    return listed


def test_a_folder_reached_by_starstar_as_it_was_is_not_listed_and_a_deep_change_is_found(
        tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    for day in ("2026/01/01", "2026/01/02", "2025/12/31"):
        clippings(inbox / day, 2)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 6
    assert subfolder_rows(catalog)[str(inbox)] == ["2025", "2026"]
    assert subfolder_rows(catalog)[str(inbox / "2026" / "01")] == ["01", "02"]

    listed = listings(monkeypatch)
    assert scan_run(manifest, catalog, later)[0] == []
    assert listed == []                 # no folder listed, no file statted but the re-check's
    tick(tmp_path)
    (inbox / "2026" / "01" / "02" / "new.txt").write_text("Deep\n")   # parents unchanged
    handed, scan, index = scan_run(manifest, catalog, later)
    assert handed == [str(inbox / "2026" / "01" / "02" / "new.txt")] and scan.skipped == 6
    assert set(listed) == {str(inbox / "2026" / "01" / "02")}   # for subfolders, files


def test_a_folder_moved_in_with_its_old_times_is_listed(tmp_path):
    inbox = clippings(tmp_path / "inbox" / "2026-01-01", 1).parent
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 1
    made = clippings(tmp_path / "elsewhere" / "2025-12-31", 1)
    (made / "clip-000.txt").write_text("Another clipping\n")
    old = time.time_ns() - DAY_NS
    for path in (made / "clip-000.txt", made, made.parent):
        os.utime(path, ns=(old, old))
    os.rename(made.parent, inbox / "archive")        # mv keeps the folder's mtime
    assert scan_run(manifest, catalog, later)[0] == [
        str(inbox / "archive" / "2025-12-31" / "clip-000.txt")]


def test_a_folder_changed_lately_is_not_recorded_with_its_subfolders(tmp_path):
    inbox = clippings(tmp_path / "inbox" / "a", 1).parent
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog = tmp_path / "catalog.sqlite"
    scan_run(manifest, catalog, time.time_ns())         # changed just now: racy
    assert subfolder_rows(catalog) == {}
    scan_run(manifest, catalog, time.time_ns() + RACY_NS + 10**9)
    assert subfolder_rows(catalog) == {str(inbox): ["a"], str(inbox / "a"): []}


def test_a_link_whose_target_becomes_a_folder_is_followed_though_no_folder_changed(tmp_path):
    inbox, target = tmp_path / "inbox", tmp_path / "target"
    inbox.mkdir()
    (inbox / "elsewhere").symlink_to(target)             # nothing there yet
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert scan_run(manifest, catalog, later)[0] == []
    stamp = folder_stamp(inbox)
    clippings(target, 1)
    assert folder_stamp(inbox) == stamp
    assert scan_run(manifest, catalog, later)[0] == [str(inbox / "elsewhere" / "clip-000.txt")]


def test_a_folder_that_vanishes_during_the_walk_is_noted_by_name(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    for day in ("a", "b"):
        clippings(inbox / day, 1)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    listed = KnownSubfolders.__call__

    def vanishing(self, folder):
        names = listed(self, folder)
        if folder == str(inbox):            # gone between its parent's listing and its own
            shutil.rmtree(inbox / "b")
        return names
    monkeypatch.setattr(KnownSubfolders, "__call__", vanishing)
    handed, scan, index = scan_run(manifest, tmp_path / "catalog.sqlite", time.time_ns())
    assert handed == [str(inbox / "a" / "clip-000.txt")]
    assert scan.notes == [f"{inbox / 'b'}: cannot be listed (No such file or directory); "
                          "its files were not looked at"]


def test_a_catalog_from_before_the_subfolder_record_is_walked_and_recorded(tmp_path):
    inbox = clippings(tmp_path / "inbox" / "a", 1).parent
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    CatalogIndex(catalog).close()
    with sqlite3.connect(catalog) as db:
        db.execute("DROP TABLE inbox_subfolders")
    assert len(scan_run(manifest, catalog, later)[0]) == 1
    assert subfolder_rows(catalog) == {str(inbox): ["a"], str(inbox / "a"): []}


def test_a_loop_of_links_in_an_inbox_folder_leaves_its_other_files_found(tmp_path):
    # Telling whether a link loop is a file raises (ELOOP): that stopped the listing,
    # and the folder's files were taken for none.
    inbox = clippings(tmp_path / "inbox", 2)
    (inbox / "loop.txt").symlink_to(inbox / "loop.txt")
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/*.txt"]))
    handed, scan, index = scan_run(manifest, tmp_path / "catalog.sqlite", time.time_ns())
    assert handed == [str(inbox / "clip-000.txt"), str(inbox / "clip-001.txt")]
    assert scan.notes == []


def test_rescan_lists_every_folder_whatever_its_record_says(tmp_path):
    # Where a folder's stat cannot show a new subfolder (FAT, docs/collections.md),
    # --rescan is the remedy: it takes no folder's subfolders from the record.
    inbox = clippings(tmp_path / "inbox" / "a", 1).parent
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    scan_run(manifest, catalog, later)
    clippings(inbox / "a" / "b", 1)
    with sqlite3.connect(catalog) as db:         # as if a's stat had not changed
        db.execute("UPDATE inbox_subfolders SET mtime_ns = ?, ctime_ns = ? WHERE folder = ?",
                   (*folder_stamp(inbox / "a")[:2], str(inbox / "a")))
    assert scan_run(manifest, catalog, later)[0] == []
    assert scan_run(manifest, catalog, later, rescan=True)[0] == [
        str(inbox / "a" / "b" / "clip-000.txt")]


def test_a_literal_name_that_is_a_file_is_passed_over_as_glob_passes_it(tmp_path):
    # `sub` names a folder in 2026 and a file in 2025: globbed under, or listed for
    # subfolders, the file is neither noted nor recorded as a folder.
    inbox = clippings(tmp_path / "inbox" / "2026" / "sub" / "d", 1).parent.parent.parent
    clippings(inbox / "2026" / "sub", 1)
    (inbox / "2025").mkdir()
    (inbox / "2025" / "sub").write_text("not a folder\n")
    manifest = load_manifest(write_manifest(
        tmp_path, [f"glob: {inbox}/**/sub/*.txt", f"glob: {inbox}/**/sub/*/*.txt"]))
    catalog = tmp_path / "catalog.sqlite"
    handed, scan, index = scan_run(manifest, catalog, time.time_ns() + RACY_NS + 10**9)
    assert handed == [str(inbox / "2026" / "sub" / "clip-000.txt"),
                      str(inbox / "2026" / "sub" / "d" / "clip-000.txt")]
    assert scan.notes == []
    assert [row[0] for row in folders(tmp_path)] == [str(inbox / "2026" / "sub"),
                                                     str(inbox / "2026" / "sub" / "d")]


def test_names_that_are_not_utf8_fail_or_are_noted_and_the_rest_is_read(tmp_path):
    # Such a name (Python holds its bytes as surrogates) made SQLite raise
    # UnicodeEncodeError: the run crashed before reading any file, every night.
    inbox = tmp_path / "inbox"
    clippings(inbox / "a", 1)
    clippings(inbox / os.fsdecode(b"b\xff"), 1)                 # a folder so named
    bad_file = inbox / "a" / os.fsdecode(b"z\xfe.txt")
    bad_file.write_text("Named in Latin-1\n")
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    bad = f"{inbox}/a/z\\xfe.txt"     # its bytes shown, in the report and the audit log
    note = f"{inbox}/b\\xff: its name is not valid UTF-8; its files were not looked at " \
        "(rename the folder)"
    handed, scan, index = scan_run(manifest, catalog, later)
    assert handed == [str(inbox / "a" / "clip-000.txt"), bad] and scan.notes == [note]
    handed, scan, index = scan_run(manifest, catalog, later)    # again, until renamed
    assert handed == [bad] and scan.notes == [note]
    assert index.folder_state(str(inbox / "a"), "*.txt", scan.folders[0].shared) is None
    bad_file.rename(inbox / "a" / "z.txt")
    (inbox / os.fsdecode(b"b\xff")).rename(inbox / "b")
    handed, scan, index = scan_run(manifest, catalog, later)
    assert handed == [str(inbox / "a" / "z.txt"), str(inbox / "b" / "clip-000.txt")]
    assert scan.notes == []


@pytest.mark.parametrize("replacement", ["folder", "dangling link", "loop of links"])
def test_a_known_file_replaced_by_no_file_is_forgotten_not_handed_out_every_run(
        tmp_path, replacement):
    # Its row was kept (the name still exists): the folder was listed whole and the name
    # handed out every run, a failure ("is a folder", "no such file") each night.
    inbox = clippings(tmp_path / "inbox", 2)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 2
    victim = inbox / "clip-000.txt"
    victim.unlink()
    if replacement == "folder":
        victim.mkdir()
    else:
        victim.symlink_to(tmp_path / "nowhere" if replacement == "dangling link" else victim)
    for _ in range(2):
        handed, scan, index = scan_run(manifest, catalog, later)
        assert handed == [] and scan.skipped == 1
        assert list(index.known_files([str(victim), str(inbox / "clip-001.txt")])) == \
            [str(inbox / "clip-001.txt")]
    with sqlite3.connect(catalog) as db:      # recorded, with the one file it has
        assert db.execute("SELECT files FROM inbox_folders WHERE folder = ?",
                          (str(inbox),)).fetchall() == [(1,)]


def test_a_file_saved_again_under_its_name_beside_a_removed_one_is_read_at_once(tmp_path):
    # ext4 gives a file made just after one was deleted the freed inode (200 of 200
    # tries): deleted and saved again, a known name comes back with its known inode.
    # A folder whose re-check slice held only removed files was trusted by name and
    # inode, and the new bytes were not read (found by a random run of changes).
    inbox = clippings(tmp_path / "inbox", 2)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 2
    saved = inbox / "clip-001.txt"
    saved.unlink()
    saved.write_text("A corrected clipping, saved under the same name\n")
    with sqlite3.connect(catalog) as db:    # the inode reused, where this file system did not
        db.execute("UPDATE inbox_files SET inode = ? WHERE path = ?",
                   (saved.stat().st_ino, str(saved)))
    (inbox / "clip-000.txt").unlink()       # the one the re-check looks at this run
    assert scan_run(manifest, catalog, later)[0] == [str(saved)]


def test_the_recheck_of_a_folder_of_one_file_looks_at_it_every_run(tmp_path):
    # Coming round, the slice stopped before the file it last looked at: a folder of
    # one file had an empty slice every other run, trusted on no evidence.
    inbox = clippings(tmp_path / "inbox", 1)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 1
    for run in range(3):
        assert scan_run(manifest, catalog, later)[0] == []      # the slice: the one file
        tick(tmp_path)
        rewrite_in_place(inbox / "clip-000.txt", f"Rewritten {run}\n")
        assert scan_run(manifest, catalog, later)[0] == [str(inbox / "clip-000.txt")]


def known_paths(catalog, root) -> set[tuple[str, str]]:
    """Every folder and file the catalog knows of the inbox: (its table, its path from
    `root`)."""
    with sqlite3.connect(catalog) as db:
        return {(table, os.path.relpath(row[0], root)) for table, column in (
            ("inbox_files", "path"), ("inbox_folders", "folder"),
            ("inbox_subfolders", "folder")) for row in db.execute(f"SELECT {column} FROM {table}")}


def paths(known) -> set[str]:
    return {path for _, path in known}


def dated_inbox(tmp_path):
    """An inbox of dated folders (2026-12-01 with a subfolder, and 2026-12-01-evening,
    whose name begins with its), a `**` job over it run once; (inbox, manifest, catalog,
    run's start)."""
    inbox = tmp_path / "inbox"
    for day in ("2026-11-30", "2026-12-01", "2026-12-01/late", "2026-12-01-evening"):
        clippings(inbox / day, 2)
    manifest = load_manifest(write_manifest(tmp_path, [f"glob: {inbox}/**/*.txt"]))
    catalog, later = tmp_path / "catalog.sqlite", time.time_ns() + RACY_NS + 10**9
    assert len(scan_run(manifest, catalog, later)[0]) == 8
    return inbox, manifest, catalog, later


def below(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + "/")


@pytest.mark.parametrize("rescan", [False, True])
def test_a_folder_removed_from_the_inbox_is_forgotten_with_all_it_held(tmp_path, rescan):
    # Its rows stayed for ever: the catalog grew with every dated folder ever seen. A
    # --rescan run lists its parent again, and compares with the record all the same.
    inbox, manifest, catalog, later = dated_inbox(tmp_path)
    known = known_paths(catalog, inbox)
    assert {("inbox_subfolders", "2026-12-01/late"), ("inbox_folders", "2026-12-01/late"),
            ("inbox_files", "2026-12-01/late/clip-000.txt")} <= known
    shutil.rmtree(inbox / "2026-12-01")          # the librarian clears out a day
    handed, scan, _ = scan_run(manifest, catalog, later, rescan=rescan)
    assert handed == [] and scan.notes == []
    assert known_paths(catalog, inbox) == {
        row for row in known if not below(row[1], "2026-12-01")}
    assert "2026-12-01-evening/clip-001.txt" in paths(known_paths(catalog, inbox))  # a prefix
    assert subfolder_rows(catalog)[str(inbox)] == ["2026-11-30", "2026-12-01-evening"]


@pytest.mark.parametrize("unmounted", ["gone", "an empty mount point"])
def test_an_inbox_whose_volume_is_not_mounted_keeps_all_it_knew_and_says_so(
        tmp_path, unmounted):
    inbox, manifest, catalog, later = dated_inbox(tmp_path)
    known = known_paths(catalog, inbox)
    os.rename(inbox, tmp_path / "volume")
    if unmounted == "an empty mount point":
        inbox.mkdir()
    handed, scan, _ = scan_run(manifest, catalog, later)
    assert handed == []
    assert known_paths(catalog, inbox) == known
    assert scan.notes == [
        f"{inbox}: cannot be listed (No such file or directory); its files were not looked at"
        if unmounted == "gone" else f"{inbox}: none of the 3 folder(s) it held is there now "
        "(an unmounted volume?); what the catalog knows of them is kept",
        manifest.sources[0].no_match()]
    if inbox.exists():
        inbox.rmdir()
    os.rename(tmp_path / "volume", inbox)        # mounted again: nothing read again
    handed, scan, _ = scan_run(manifest, catalog, later)
    assert handed == [] and scan.skipped == 8 and known_paths(catalog, inbox) == known


def test_a_folder_that_cannot_be_listed_forgets_nothing(tmp_path, monkeypatch):
    inbox, manifest, catalog, later = dated_inbox(tmp_path)
    known = known_paths(catalog, inbox)
    shutil.rmtree(inbox / "2026-12-01")
    listing = inbox_module._subfolders_and_links

    def failing(folder):
        if folder == str(inbox):
            raise OSError(errno.EIO, os.strerror(errno.EIO), folder)
        return listing(folder)
    monkeypatch.setattr(inbox_module, "_subfolders_and_links", failing)
    handed, scan, _ = scan_run(manifest, catalog, later)
    assert handed == [] and known_paths(catalog, inbox) == known
    assert f"{inbox}: cannot be listed (Input/output error); its files were not looked at" \
        in scan.notes
    monkeypatch.setattr(inbox_module, "_subfolders_and_links", listing)   # readable again
    scan_run(manifest, catalog, later)
    assert not any(below(path, "2026-12-01") for path in paths(known_paths(catalog, inbox)))
