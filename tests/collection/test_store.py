"""A collection folder (collection/store.py): made once, opened with a clear refusal when
it is not one, its packages listed from one reading of packages/, half-built ones removed
after an interrupted run, and one writer at a time. Real folders, real processes."""

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from archivekit._internal.fsutil import RACY_NS, TEMP_PREFIX, folder_stamp
from archivekit.collection.store import CONFIG, Collection, LockTimeout
from archivekit.errors import InputError, UsageError
from conftest import SEED
from support.collection import write_manifest


def test_a_collection_is_made_once_and_named_after_its_folder(tmp_path):
    made = Collection.init(tmp_path / "Flood desk")
    assert made.name == "Flood desk" and (tmp_path / "Flood desk" / CONFIG).is_file()
    assert Collection.open(tmp_path / "Flood desk").config == made.config
    with pytest.raises(UsageError, match="already a collection"):
        Collection.init(tmp_path / "Flood desk", name="Another")
    assert Collection.open(tmp_path / "Flood desk").name == "Flood desk"


def test_a_folder_that_is_no_collection_is_named_with_the_nearest_one(tmp_path):
    Collection.init(tmp_path / "clippings")
    with pytest.raises(InputError, match=r"clipings: not a collection .*did you mean 'clippings'"):
        Collection.open(tmp_path / "clipings")
    with pytest.raises(InputError) as refused:
        Collection.open(tmp_path / "elsewhere")
    assert refused.value.remedy == "init-collection"
    for text, said in (("name: [unclosed\n", "not valid YAML"),
                       ("organization: City Library\n", "expected a mapping with a 'name'")):
        (tmp_path / "clippings" / CONFIG).write_text(text)
        with pytest.raises(UsageError, match=said):
            Collection.open(tmp_path / "clippings")


def test_packages_are_folders_zips_and_tars_and_half_built_ones_are_removed(tmp_path):
    collection = Collection.init(tmp_path / "coll")
    packages = collection.packages_dir
    (packages / "a-folder").mkdir()
    with zipfile.ZipFile(packages / "b-zipped.zip", "w") as archive:
        archive.writestr("b-zipped/bagit.txt", "BagIt-Version: 1.0\n")
    (packages / "c-tarred.tar").write_bytes(b"")
    (packages / ".hidden").mkdir()
    (packages / f"{TEMP_PREFIX}half-built").mkdir()
    (packages / f"{TEMP_PREFIX}half-written.zip").write_bytes(b"PK")
    assert [p.name for p in collection.package_paths()] == ["a-folder", "b-zipped.zip",
                                                           "c-tarred.tar"]
    index = collection.index()
    try:
        removed, *_ = collection.recover(index, lambda path: {})
    finally:
        index.close()
    assert sorted(removed) == [f"{TEMP_PREFIX}half-built", f"{TEMP_PREFIX}half-written.zip"]
    assert sorted(p.name for p in packages.iterdir()) == [".hidden", "a-folder", "b-zipped.zip",
                                                         "c-tarred.tar"]


def test_a_package_outside_a_collection_s_packages_folder_is_refused(tmp_path):
    collection = Collection.init(tmp_path / "coll")
    (collection.packages_dir / "p1.zip").write_bytes(b"PK")
    loose = collection.root / "reports" / "loose"    # in the collection, not a package of it
    loose.mkdir()
    found, package_id = Collection.containing(collection.packages_dir / "p1.zip")
    assert (found.root, package_id) == (collection.root, "p1")
    with pytest.raises(InputError, match="not a package in a collection"):
        Collection.containing(loose)
    with pytest.raises(InputError, match=r"no such package \(did you mean 'p1.zip'\?\)"):
        Collection.containing(collection.packages_dir / "p2.zip")


def test_one_writer_at_a_time(tmp_path):
    collection = Collection.init(tmp_path / "coll")
    with collection.lock():
        started = time.monotonic()
        with pytest.raises(LockTimeout, match="another archivekit run holds this collection"):
            with Collection.open(tmp_path / "coll").lock(wait_seconds=0.3):
                pass
        assert time.monotonic() - started >= 0.3
    with Collection.open(tmp_path / "coll").lock(wait_seconds=0):
        pass                                            # let go when the holder is done


def test_second_run_waits_for_the_lock_then_gives_up(cli, tmp_path):
    manifest = write_manifest(tmp_path, [f"path: {SEED}"])
    assert cli("run", manifest).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time\nfrom archivekit.collection.store import Collection\n"
         "with Collection.open(sys.argv[1]).lock():\n    print('held', flush=True)\n"
         "    sys.stdin.readline()\n", tmp_path / "coll"],     # held until told to let go
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=cli.env())
    assert holder.stdout.readline().strip() == "held"
    try:
        refused = cli("run", manifest, "--wait", "0.5")
        assert refused.returncode == 3
        assert "another archivekit run holds this collection" in refused.stderr
        waiting = subprocess.Popen([sys.executable, "-m", "archivekit", "run", str(manifest),
                                    "--wait", "60"], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=cli.env())
        time.sleep(1)
        assert waiting.poll() is None                  # still waiting for the lock
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert waiting.wait(timeout=60) == 0, waiting.stderr.read()
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_packages_are_not_listed_again_while_the_folder_is_as_a_full_listing_left_it(
        tmp_path, monkeypatch):
    collection = Collection.init(tmp_path / "coll")
    (collection.packages_dir / "a-folder").mkdir()
    index = collection.index()
    try:
        collection.recover(index, lambda path: None)      # changed just now: racy
        assert index.packages_stamp() is None
        then = time.time_ns() - 3600 * 10**9
        os.utime(collection.packages_dir, ns=(then, then))   # its mtime put back (rsync -t):
        collection.recover(index, lambda path: None)      # the ctime says it changed now
        assert index.packages_stamp() is None
        now = time.time_ns
        monkeypatch.setattr(time, "time_ns", lambda: now() + 2 * RACY_NS)   # looked at later
        collection.recover(index, lambda path: None)      # a damaged package is not indexed:
        assert index.packages_stamp() is None              # tried again next time
        shutil.rmtree(collection.packages_dir / "a-folder")
        collection.recover(index, lambda path: None)
        assert index.packages_stamp() is not None

        listed = []
        monkeypatch.setattr(Collection, "_scan", lambda self: listed.append(1) or ([], {}))
        assert collection.recover(index, lambda path: None) == ([], [], [])
        assert listed == []                                # as it was: not listed
        (collection.packages_dir / f"{TEMP_PREFIX}half-built").mkdir()   # a killed run's
        monkeypatch.undo()
        removed, *_ = collection.recover(index, lambda path: None)
        assert removed == [f"{TEMP_PREFIX}half-built"]
    finally:
        index.close()


def _job(tmp_path, name: str, text: str, container: str = "dir") -> Path:
    """A job over NAME/*.txt into NAME-coll, with one clipping in its inbox."""
    (tmp_path / name).mkdir()
    (tmp_path / name / "clip.txt").write_text(text)
    manifest = tmp_path / f"{name}.yaml"
    manifest.write_text(f"collection: {tmp_path / name}-coll\ncontainer: {container}\n"
                        f"sources:\n  - glob: {tmp_path / name}/*.txt\n")
    return manifest


def _run(manifest: Path, **options):
    from archivekit.collection.jobs import load_manifest
    from archivekit.collection.runs import run_job
    from archivekit.trust.home import Home
    return run_job(load_manifest(manifest), Home(manifest.parent / "home"), None, "me",
                   **options)


def _restored_and_desk(tmp_path) -> tuple[Path, Path]:
    """(a package of another collection, as if restored from a backup; the job of a
    collection "desk" run once)."""
    _run(_job(tmp_path, "other", "Ferry Service Resumes\n\nBy Ann Lee\n\nOn Monday.\n"))
    restored = next((tmp_path / "other-coll/packages").iterdir())
    manifest = _job(tmp_path, "desk", "Council Votes\n\nBy Jane Doe\n\nThe council voted.\n")
    _run(manifest)
    return restored, manifest


def _listings(monkeypatch) -> list:
    """Each listing of packages/ looked at against the index (recovery's, note_indexed's)."""
    listed, unindexed = [], Collection._unindexed
    monkeypatch.setattr(Collection, "_unindexed",
                        lambda self, index: listed.append(1) or unindexed(self, index))
    return listed


def _later(monkeypatch) -> None:
    """This process's clock moved on past the 3-s rule: packages/ as the last run left
    it is old enough for its stamp to be kept (instead of a sleep)."""
    now = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: now() + 2 * RACY_NS)


@pytest.mark.parametrize("container, watched", [("dir", True), ("zip", True), ("dir", False)])
def test_a_run_s_own_packages_and_temporaries_do_not_make_it_list_packages(
        tmp_path, monkeypatch, container, watched):
    # The kernel's events account for what the run itself did in packages/ (each package
    # built in a temporary and renamed into place or linked, as a zip; the proofs'
    # temporaries beside the folders): its stamp is recorded without a listing, and the
    # next run does not list it either. Where it cannot watch, each such run lists it.
    from contextlib import nullcontext
    manifest = _job(tmp_path, "desk", "Council Votes\n\nBy Jane Doe\n\nThe council voted.\n",
                    container)
    _run(manifest)
    _later(monkeypatch)
    if not watched:
        monkeypatch.setattr(Collection, "watch_packages", lambda self: nullcontext(None))
    listed = _listings(monkeypatch)
    collection = Collection.open(tmp_path / "desk-coll")
    for number in range(2):
        (tmp_path / f"desk/new{number}.txt").write_text(
            f"Mayor Resigns {number}\n\nBy Ann Lee\n\nToday.\n")
        assert len(_run(manifest).captured) == 1
        index = collection.index()
        assert index.packages_stamp() == folder_stamp(collection.packages_dir)
        index.close()
    assert len(_run(manifest).captured) == 0
    assert len(listed) == (1 if watched else 3)    # recovery's first, then only unwatched
    assert sorted(p.name for p in collection.packages_dir.iterdir()) == sorted(
        f"{package_id}.zip" if container == "zip" else package_id
        for package_id in collection.index().ids())


def test_a_package_copied_in_by_hand_while_a_run_is_under_way_is_indexed_by_the_next(
        tmp_path, monkeypatch):
    restored, manifest = _restored_and_desk(tmp_path)    # e.g. from a backup
    _later(monkeypatch)
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")
    packages = tmp_path / "desk-coll/packages"
    listed = _listings(monkeypatch)

    def copy_by_hand(stage, done, total):      # cp takes no lock: it lands mid-run
        if stage == "capture" and not (packages / restored.name).exists():
            subprocess.run(["cp", "-a", str(restored), str(packages)], check=True)
    report = _run(manifest, progress=copy_by_hand)
    assert len(report.captured) == 1
    assert len(listed) == 2     # recovery's, and the end's: the watch saw a name not indexed
    report = _run(manifest)
    assert report.recovered == [restored.name] and report.audited == 3


def test_packages_re_pointed_mid_run_to_another_folder_is_listed(tmp_path, monkeypatch):
    # packages/ a link to the storage in use; a librarian moves it to a new disk while a
    # run captures (a copy, then the link re-pointed: no event reaches the folder
    # watched). The new folder holds a package restored there: indexed by the next run.
    restored, manifest = _restored_and_desk(tmp_path)
    coll = tmp_path / "desk-coll"
    os.rename(coll / "packages", coll / "disk1")
    (coll / "packages").symlink_to("disk1")
    _run(manifest)
    _later(monkeypatch)
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")

    def move_to_new_disk(stage, done, total):
        if stage == "capture" and not (coll / "disk2").exists():
            shutil.copytree(coll / "disk1", coll / "disk2", symlinks=True)
            shutil.copytree(restored, coll / "disk2" / restored.name)
            (coll / "packages").unlink()
            (coll / "packages").symlink_to("disk2")
    assert len(_run(manifest, progress=move_to_new_disk).captured) == 1
    assert _run(manifest).recovered == [restored.name]


def test_a_package_whose_name_is_not_utf8_is_named_each_run_until_renamed(
        tmp_path, monkeypatch):
    # The catalog's text cannot hold the name: it crashed the run that watched it copied
    # in, then every run's recovery (nothing captured) until someone renamed it.
    restored, manifest = _restored_and_desk(tmp_path)
    _later(monkeypatch)
    packages = tmp_path / "desk-coll/packages"
    odd = Path(os.fsdecode(os.fsencode(packages) + b"/restored-\xff"))

    def copy_by_hand(stage, done, total):
        if stage == "capture" and not odd.exists():
            shutil.copytree(restored, odd)
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")
    assert len(_run(manifest, progress=copy_by_hand).captured) == 1
    note = ("packages/restored-\\xff is not indexed or audited: its name is not valid "
            "UTF-8; rename or remove it")
    (tmp_path / "desk/later.txt").write_text("Bridge Reopens\n\nBy Ann Lee\n\nToday.\n")
    report = _run(manifest)
    assert note in report.notes and len(report.captured) == 1
    assert note in _run(manifest).notes                 # each run, until renamed
    os.rename(odd, packages / restored.name)
    report = _run(manifest)
    assert report.recovered == [restored.name] and note not in report.notes


def test_a_copy_of_a_package_under_another_name_does_not_take_its_place(
        tmp_path, monkeypatch):
    # A backup kept beside the package (`cp -a P packages/P.bak`) was indexed by its
    # descriptor's id, so P's row pointed at the copy (the audit failed it: AK404), and
    # once the copy was removed P, in place and whole, was audited as missing.
    manifest = _job(tmp_path, "desk", "Council Votes\n\nBy Jane Doe\n\nThe council voted.\n")
    _run(manifest)
    original = next((tmp_path / "desk-coll/packages").iterdir())
    copy = original.with_name(f"{original.name}.bak")
    shutil.copytree(original, copy)
    _later(monkeypatch)
    report = _run(manifest)
    assert f"packages/{copy.name} is not indexed or audited: it holds package " \
           f"{original.name} under another name; rename or remove it" in report.notes
    assert report.audited == 1 and report.audit_failures == []
    shutil.rmtree(copy)
    report = _run(manifest)
    assert report.notes == [] and report.audited == 1 and report.audit_failures == []


def test_where_times_are_whole_seconds_a_copy_after_the_run_s_last_listing_is_listed_next(
        tmp_path, monkeypatch):
    # ext4 made with 128-byte inodes, reiserfs: the stamp's times are whole seconds, so
    # the watch cannot vouch (a later change may share the second) and the run listed
    # packages/ and recorded the stamp; a copy just after, within the same second, left
    # packages/ with the stamp recorded: never listed again. Simulated: the stamp as
    # such a file system gives it (the copy lands within ~10 ms of the stamp).
    from archivekit.collection import runs, store
    restored, manifest = _restored_and_desk(tmp_path)
    packages = tmp_path / "desk-coll/packages"

    def whole_seconds(path):
        mtime_ns, ctime_ns, inode = folder_stamp(path)
        return mtime_ns // 10**9 * 10**9, ctime_ns // 10**9 * 10**9, inode
    for module in (runs, store):
        monkeypatch.setattr(module, "folder_stamp", whole_seconds)
    index = Collection.open(packages.parent).index()
    index.remember_packages_stamp(whole_seconds(packages))     # as a run left it
    index.close()
    time.sleep(1.01 - time.time() % 1)         # the run's own package: a second later
    note_indexed = Collection.note_indexed

    def then_a_copy(self, watch):       # within the second of the run's last change
        note_indexed(self, watch)
        subprocess.run(["cp", "-a", str(restored), str(packages)], check=True)
    monkeypatch.setattr(Collection, "note_indexed", then_a_copy)
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")
    assert len(_run(manifest).captured) == 1
    assert (packages / restored.name).exists()
    assert _run(manifest).recovered == [restored.name]


def _overflow(packages):      # past the kernel's queue of events
    queued = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    for number in range(queued // 2 + 1):
        (packages / f"{TEMP_PREFIX}{number}").mkdir()
        (packages / f"{TEMP_PREFIX}{number}").rmdir()


def _strays(packages):         # not packages, as a listing finds them
    (packages / ".DS_Store").write_bytes(b"")
    (packages / "README.txt").write_text("restored from tape 12\n")


@pytest.mark.parametrize("change, listed, kept", [
    (_overflow, 2, True),                                   # the account is not whole
    (lambda packages: (packages / f"{TEMP_PREFIX}left").mkdir(), 2, False),
    (_strays, 1, True),
    (lambda packages: os.utime(packages, ns=(0, 0)), 1, True)])   # rsync -t: no entry
def test_packages_is_listed_when_the_watch_cannot_account_for_a_change_as_a_listing_would(
        tmp_path, monkeypatch, change, listed, kept):
    manifest = _job(tmp_path, "desk", "Council Votes\n\nBy Jane Doe\n\nThe council voted.\n")
    _run(manifest)
    _later(monkeypatch)
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")
    collection = Collection.open(tmp_path / "desk-coll")
    listings, changed = _listings(monkeypatch), []

    def meanwhile(stage, done, total):
        if stage == "capture" and not changed:
            changed.append(change(collection.packages_dir))
    assert len(_run(manifest, progress=meanwhile).captured) == 1
    assert len(listings) == listed     # recovery's, and the end's when it must
    index = collection.index()
    recorded = index.packages_stamp() == folder_stamp(collection.packages_dir)
    index.close()
    assert recorded == kept            # not while a temporary is left: the next run lists
    assert _run(manifest).notes == ([] if kept else [f"removed half-built {TEMP_PREFIX}left "
                                                    "left by an interrupted run"])
