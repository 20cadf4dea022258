"""Atomic writes (a temporary file on the same filesystem, fsync, rename, fsync dir),
and reading files we were handed: regular files only, bounded."""

import ctypes
import errno
import os
import stat
import tempfile
import time
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries to disk, so that a file created or renamed in it survives a
    crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


TEMP_PREFIX = ".ak-tmp-"


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o644,
                       overwrite: bool = True, temp_dir: Path | None = None) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    `temp_dir` (same filesystem) keeps the temporary file out of the target's folder:
    inside a sealed package, a temporary left by a killed process would be a stray file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=".tmp",
                               dir=temp_dir or path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target exists: no window in which we could clobber it.
            os.link(tmp, path)
            os.unlink(tmp)
        fsync_dir(path.parent)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:   # a write names no file
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def own_file(path) -> Path:
    """Where a write replacing the user's own file `path` (a trust store, a settings file,
    a report they named) must go: through a symbolic link to the file it names, so a
    store kept elsewhere and linked in stays the one written (a rename over the link
    replaced it with a copy, and the two went separate ways); never over a device, a
    FIFO or a folder (a rename over /dev/null replaced the device with a file)."""
    target = Path(os.path.realpath(path))
    if os.path.lexists(target) and not target.is_file():
        raise OSError(errno.EEXIST, "it exists and is not a regular file, so it is not "
                      "replaced", str(path))
    return target


def fsync_tree(root: Path) -> None:
    """fsync every file and directory below root (before renaming it into place)."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def _load_syncfs():
    """Linux's syncfs(2), which Python's os module lacks; None elsewhere."""
    try:
        # The running program's own symbols, libc's among them (find_library("c") would
        # run ldconfig: about 6 ms at every start).
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


_syncfs = _load_syncfs()


def flush_tree(root: Path) -> None:
    """Make everything below root durable before it is renamed into place.

    One syncfs(2) of root's filesystem replaces an fsync per file and per directory
    (14 for a package): capture measured 1.4x faster. Where syncfs is missing or
    fails, every file and directory is fsynced instead.
    """
    if _syncfs is not None:
        fd = os.open(root, os.O_RDONLY)
        try:
            if _syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    fsync_tree(root)


def append_lines(path: Path, data: bytes) -> None:
    """Append whole lines (`data` ends with a newline) durably: one write, one fsync.

    A line without its newline at the end of the file is what a crash leaves of a write
    that never completed: it is cut off first, so it can never join the next line. A
    write that fails (a full disk writes part of the lines, then refuses) is cut off
    too: the file is left as it was, and the OSError names it."""
    path = Path(path)
    new = not path.exists()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        end = _end_of_last_line(fd)
        try:
            _write_all(fd, data, end)
            os.ftruncate(fd, end + len(data))
            os.fsync(fd)
        except OSError as exc:
            os.ftruncate(fd, end)
            raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)
    if new:
        fsync_dir(path.parent)


def _write_all(fd: int, data: bytes, offset: int) -> None:
    """Write all of `data` at `offset`: a full disk first writes less than asked (a short
    count, no error), then raises ENOSPC."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def _end_of_last_line(fd: int) -> int:
    """The offset just past the file's last newline (0 if none), read from the end."""
    end = size = os.fstat(fd).st_size
    block = 4096
    while end > 0:
        start = max(0, end - block)
        cut = os.pread(fd, end - start, start).rfind(b"\n")
        if cut >= 0:
            return size if start + cut + 1 == size else start + cut + 1
        end = start
    return 0


def shown_path(path) -> str:
    """A path as text any file, report or terminal can take: a byte of its name that is
    not UTF-8 (os.listdir gives it as a lone surrogate) written as \\xNN."""
    return os.fsencode(path).decode(errors="backslashreplace")


def describe_mode(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    return ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a character device"
            if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode) else "a socket"
            if stat.S_ISSOCK(mode) else "a directory" if stat.S_ISDIR(mode) else "not a file")


def open_regular(path, follow_links: bool = True):
    """Open `path` for reading only if it is a regular file: a FIFO would block for ever,
    /dev/zero never ends. Raises OSError (EINVAL, naming what it is) otherwise."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)   # O_NONBLOCK: opening a FIFO must not wait for a writer
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"{describe_mode(mode)}, not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path, limit: int) -> bytes:
    """The bytes of the regular file `path`; OSError (EFBIG) when over `limit` bytes."""
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return data


def atomic_write_many(items: list[tuple[Path, bytes]], temp_dir: Path) -> None:
    """atomic_write_bytes for many files at once: every temporary written, one flush of
    the filesystem, then every rename and one more flush, instead of two fsyncs per
    file. Each target still holds its old bytes or its new ones, never half; a crash
    can leave temporaries (TEMP_PREFIX) in `temp_dir`, which must be on the targets'
    filesystem."""
    temp_dir = Path(temp_dir)
    written = []
    try:
        for target, data in items:
            fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{Path(target).name}.",
                                       suffix=".tmp", dir=temp_dir)
            written.append((tmp, target))
            os.fchmod(fd, 0o644)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if _syncfs is None:
                    os.fsync(handle.fileno())
        _flush_filesystem(temp_dir)
        for tmp, target in written:
            os.replace(tmp, target)
        targets = {Path(target).parent for _, target in written}
        written = []
        if not _flush_filesystem(temp_dir):
            for folder in targets:
                fsync_dir(folder)
    finally:
        for tmp, _ in written:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _flush_filesystem(path: Path) -> bool:
    """syncfs(2) of path's filesystem; False where it is missing or fails."""
    if _syncfs is None:
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        return _syncfs(fd) == 0
    finally:
        os.close(fd)


# A folder changed this recently may change again within the same tick of its clock
# (FAT's times are 2 s apart) and keep its time: its stamp is not trusted yet.
RACY_NS = 3_000_000_000


def is_file(entry: os.DirEntry) -> bool:
    """Whether a listed entry is a regular file, a link followed, as os.path.isfile
    says: False when that cannot be told (a loop of links), where DirEntry.is_file
    raises, which would stop the listing of every other file of the folder."""
    try:
        return entry.is_file()
    except OSError:
        return False


def folder_stamp(path) -> tuple[int, int, int] | None:
    """(mtime_ns, ctime_ns, inode) of a folder, which change when an entry is added,
    removed or renamed in it; None if it cannot be statted."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def racy(stamp: tuple[int, int, int], since_ns: int) -> bool:
    """Whether a folder's stamp is too recent to be trusted: its last change was less
    than RACY_NS before `since_ns` (a moment taken before the stamp), so another change
    could follow within the same tick unseen (git's "racily clean" entries). The last
    change is the later of mtime and ctime: rsync -t, cp -p and unzip put a folder's
    mtime back after adding to it, which only its ctime shows (on FAT, whose "ctime" is
    the creation time, the mtime is the change time)."""
    return max(stamp[0], stamp[1]) >= since_ns - RACY_NS


# Linux gives a change the time of a clock that moves in ticks (1-10 ms: CONFIG_HZ); one
# this far behind this machine's clock is past any tick a later change could share.
TICK_NS = 20_000_000


def outlast(stamp: tuple[int, int, int]) -> bool:
    """Wait (a tick at most) until any change to the folder from now on must be given a
    later time than the stamp's last change, and so change its stamp; False, at once,
    where that cannot be known: its times are whole seconds (a file system that keeps no
    finer ones: the next change may fall within the same second) or ahead of this
    machine's clock (not the clock that timed them)."""
    last = max(stamp[0], stamp[1])
    if stamp[0] % 10**9 == 0 and stamp[1] % 10**9 == 0:
        return False
    if last - time.time_ns() > 0:
        return False
    while (wait := last + TICK_NS - time.time_ns()) >= 0:
        time.sleep(wait / 1e9 + 0.001)
    return True
