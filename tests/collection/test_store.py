"""A collection folder (collection/store.py): made once, opened with a clear refusal when
it is not one, its packages listed from one reading of packages/, half-built ones removed
after an interrupted run, and one writer at a time. Real folders, real processes."""

import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from archivekit._internal.fsutil import RACY_NS, TEMP_PREFIX
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
        removed, _ = collection.recover(index, lambda path: {})
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
        assert collection.recover(index, lambda path: None) == ([], [])
        assert listed == []                                # as it was: not listed
        (collection.packages_dir / f"{TEMP_PREFIX}half-built").mkdir()   # a killed run's
        monkeypatch.undo()
        removed, _ = collection.recover(index, lambda path: None)
        assert removed == [f"{TEMP_PREFIX}half-built"]
    finally:
        index.close()


def test_a_package_copied_in_by_hand_while_a_run_is_under_way_is_indexed_by_the_next(
        tmp_path):
    from archivekit.collection.jobs import load_manifest
    from archivekit.collection.runs import run_job
    from archivekit.trust.home import Home
    home = Home(tmp_path / "home")

    def job(name: str, text: str):
        (tmp_path / name).mkdir()
        (tmp_path / name / "clip.txt").write_text(text)
        manifest = tmp_path / f"{name}.yaml"
        manifest.write_text(f"collection: {tmp_path / name}-coll\nsources:\n"
                            f"  - glob: {tmp_path / name}/*.txt\n")
        return load_manifest(manifest)
    run_job(job("other", "Ferry Service Resumes\n\nBy Ann Lee\n\nOn Monday.\n"), home, None, "me")
    restored = next((tmp_path / "other-coll/packages").iterdir())   # e.g. from a backup
    desk = job("desk", "Council Votes\n\nBy Jane Doe\n\nThe council voted.\n")
    run_job(desk, home, None, "me")
    time.sleep(RACY_NS / 1e9 + 0.1)      # packages/ old enough for its stamp to be kept
    (tmp_path / "desk/new.txt").write_text("Mayor Resigns\n\nBy Ann Lee\n\nToday.\n")
    packages = tmp_path / "desk-coll/packages"

    def copy_by_hand(stage, done, total):      # cp takes no lock: it lands mid-run
        if stage == "capture" and not (packages / restored.name).exists():
            shutil.copytree(restored, packages / restored.name)
    report = run_job(load_manifest(tmp_path / "desk.yaml"), home, None, "me",
                     progress=copy_by_hand)
    assert len(report.captured) == 1
    report = run_job(load_manifest(tmp_path / "desk.yaml"), home, None, "me")
    assert report.recovered == [restored.name] and report.audited == 3
