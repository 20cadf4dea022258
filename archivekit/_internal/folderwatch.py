"""The kernel's account of what changed in one folder while we watched it (Linux inotify):
the names of the entries added, removed or renamed there, so a caller that knows which of
them it made need not list the folder to find someone else's.

Not their attributes: a watch for those (IN_ATTRIB) makes the kernel mark each entry of
the folder it holds in memory when the watch begins (~34 ms at 104,000 entries, against
0.1 ms without), and a change of mode or times adds no entry.

Only where the account is whole: on Linux, on a local file system. inotify reports the
changes made through this kernel, so on NFS, SMB, FUSE or 9p another machine's change
would go unreported; an overlay's lower layers can change beneath it unseen. Where it
cannot be had, `watching` gives None; once it is not whole (the queue overflowed, the
folder itself moved or went, its path leads to another folder now: a link re-pointed, a
mount over it), `FolderWatch.changed` gives None.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# File systems that only this kernel writes to (a disk, or memory): what inotify reports
# of them is every change.
LOCAL_FILESYSTEMS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "zfs", "f2fs",
                               "jfs", "reiserfs", "bcachefs", "nilfs2"})


class FolderWatch:
    """The changes to the entries of one folder since it was first watched."""

    def __init__(self, inotify, folder: Path, identity: tuple[int, int]):
        self._inotify = inotify
        self._folder, self._identity = folder, identity    # (device, inode) watched
        self._names: set[str] | None = set()

    def changed(self) -> set[str] | None:
        """The names of the entries added, removed or renamed since the watch began, up
        to now; None when that account is not whole: the kernel's queue overflowed
        (16,384 events by default), the folder itself moved, went or was unmounted, or
        its path now leads to another folder (a link re-pointed, a mount over it: no
        event tells, and that folder's changes were never watched)."""
        for event in self._inotify.read(timeout=0):   # what is queued: never waits
            if not event.name:      # not an entry: the folder itself, or a lost queue
                self._names = None
            elif self._names is not None:
                self._names.add(event.name)
        if self._names is not None and _identity(self._folder) != self._identity:
            self._names = None
        return None if self._names is None else set(self._names)

    def close(self) -> None:
        """Stop watching."""
        self._inotify.close()


def _identity(folder: Path) -> tuple[int, int] | None:
    """(device, inode) of the folder `folder` leads to now, or None."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def filesystem_type(path, mountinfo: str) -> str | None:
    """The type of the file system `path` (resolved) is on, from the text of
    /proc/self/mountinfo: that of the last mount at the longest mount point above it."""
    target = os.path.realpath(path)
    found, depth = None, -1
    for line in mountinfo.splitlines():
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        point = _unescape(parts[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= depth:
            found, depth = rest.split()[0], len(point)
    return found


def _unescape(field: str) -> str:
    """A mountinfo path: space, tab, newline and backslash are written as \\040 etc."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


@contextmanager
def watching(folder: Path) -> Iterator[FolderWatch | None]:
    """A watch over the entries of `folder` for the duration of the block, or None where
    the kernel's account could miss a change: not Linux, not a local file system, or
    inotify refused (the per-user limit of instances or watches, no file descriptor
    left)."""
    watch = None
    if sys.platform == "linux":
        try:
            watch = _start(folder)
        except (OSError, ImportError):
            watch = None
    try:
        yield watch
    finally:
        if watch is not None:
            watch.close()


def _start(folder: Path) -> FolderWatch | None:
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as handle:
        if filesystem_type(folder, handle.read()) not in LOCAL_FILESYSTEMS:
            return None
    from inotify_simple import INotify, flags
    # Watched through a descriptor of the folder, so the folder watched is the one
    # statted (its path could be re-pointed between a stat and a watch by name).
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    inotify = None
    try:
        info = os.fstat(handle)
        inotify = INotify()
        inotify.add_watch(f"/proc/self/fd/{handle}", flags.CREATE | flags.DELETE
                          | flags.MOVED_FROM | flags.MOVED_TO | flags.DELETE_SELF
                          | flags.MOVE_SELF | flags.ONLYDIR)
    except OSError:
        if inotify is not None:
            inotify.close()
        raise
    finally:
        os.close(handle)
    return FolderWatch(inotify, folder, (info.st_dev, info.st_ino))
