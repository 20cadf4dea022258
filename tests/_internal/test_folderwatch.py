"""The kernel's account of a folder's changed entries (real inotify, real files)."""

import os
import resource
import shutil
import sys
from pathlib import Path

import pytest

from archivekit._internal.folderwatch import filesystem_type, watching

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="inotify is Linux's")


def test_entries_added_removed_and_renamed_are_named(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "kept").write_text("x")
    (tmp_path / "gone").write_text("x")
    with watching(tmp_path) as watch:
        assert watch is not None and watch.changed() == set()
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / "inside.txt").write_text("not an entry of the folder")
        os.rename(tmp_path / "old", tmp_path / "renamed")
        os.unlink(tmp_path / "gone")
        os.utime(tmp_path / "kept", ns=(0, 0))          # an attribute: no entry added
        os.utime(tmp_path, ns=(0, 0))                   # nor by the folder's own
        assert watch.changed() == {"new", "old", "renamed", "gone"}
        (tmp_path / "later.zip").write_bytes(b"PK")
        assert watch.changed() == {"new", "old", "renamed", "gone", "later.zip"}


def test_the_folder_moved_or_gone_makes_the_account_not_whole(tmp_path):
    changes = (lambda folder: os.rename(folder, folder.with_name(f"{folder.name}-moved")),
               lambda folder: shutil.rmtree(folder))
    for number, change in enumerate(changes):
        folder = tmp_path / f"watched{number}"
        folder.mkdir()
        with watching(folder) as watch:
            (folder / "a").mkdir()
            change(folder)
            assert watch.changed() is None
            assert watch.changed() is None               # and stays so


def test_a_path_that_leads_to_another_folder_now_makes_the_account_not_whole(tmp_path):
    # A link re-pointed (or a mount over the folder) sends no event to the folder
    # watched, and the changes of the one the path now leads to were never watched.
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
    (tmp_path / "packages").symlink_to("first")
    with watching(tmp_path / "packages") as watch:
        (tmp_path / "packages" / "a").mkdir()
        assert watch.changed() == {"a"}
        (tmp_path / "second" / "b").mkdir()                 # unwatched
        (tmp_path / "packages").unlink()
        (tmp_path / "packages").symlink_to("second")
        assert watch.changed() is None
        (tmp_path / "packages").unlink()
        (tmp_path / "packages").symlink_to("first")        # and back: stays not whole
        assert watch.changed() is None


def test_an_overflowing_queue_makes_the_account_not_whole(tmp_path):
    queued = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    with watching(tmp_path) as watch:
        for number in range(queued // 2 + 1):          # two events each: past the queue
            (tmp_path / f"t{number}").mkdir()
            (tmp_path / f"t{number}").rmdir()
        assert watch.changed() is None


def test_no_watch_where_the_kernel_cannot_account_for_every_change(tmp_path):
    with watching(Path("/proc/self")) as watch:         # not a local file system
        assert watch is None
    with watching(tmp_path / "missing") as watch:
        assert watch is None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    lowest_free = os.dup(0)
    os.close(lowest_free)
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, hard))   # no descriptor left
    try:
        with watching(tmp_path) as watch:
            assert watch is None
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    with watching(tmp_path) as watch:
        assert watch is not None


MOUNTINFO = r"""27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
25 24 0:23 / /srv rw,relatime - xfs /dev/vdb rw
40 25 0:40 / /srv/shared\040files rw,relatime - nfs4 server:/export rw
41 25 0:41 / /srv/shared rw,relatime - ext4 /dev/vdc rw
42 41 0:42 / /srv/shared rw,relatime - fuse.sshfs host:/x rw
"""


def test_the_file_system_is_that_of_the_last_mount_at_the_longest_mount_point_above():
    assert filesystem_type("/home/librarian", MOUNTINFO) == "ext4"
    assert filesystem_type("/srv/packages", MOUNTINFO) == "xfs"
    assert filesystem_type("/srv/shared files/packages", MOUNTINFO) == "nfs4"
    assert filesystem_type("/srv/shared", MOUNTINFO) == "fuse.sshfs"    # mounted over
    assert filesystem_type("/srv/sharedx", MOUNTINFO) == "xfs"          # not below it
    assert filesystem_type("/", "") is None
