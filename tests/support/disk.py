"""A real full disk for tests: a small tmpfs, filled to leave a known amount free."""

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(mount_point: Path, size: str = "2m"):
    """A tmpfs of `size` mounted at `mount_point` (made), unmounted after; the test is
    skipped, saying why, where the machine does not let us mount one (not root, a
    container without CAP_SYS_ADMIN)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                           str(mount_point)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"a full disk needs a small filesystem, and mount -t tmpfs is not "
                    f"permitted here: {made.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """A file taking every byte of `disk` but about `leave` (rounded to pages); its path,
    to remove when space is freed."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    size = max(0, stats.f_bavail * stats.f_frsize - leave)
    with open(filler, "wb") as handle:
        handle.write(b"\0" * size)   # zeros: tmpfs stores them like any bytes
    return filler


def stopped_after_placing(disk: Path, command, placed, start: int):
    """Run `command()` with `start` bytes left on `disk`, then a page more each time,
    until `placed()` (its package is whole and in place) after a try: what each try
    returned, for the caller to check that each was stopped by the full disk, the last
    once its package was in place, not yet recorded."""
    results = []
    for leave in range(start, start + (256 << 10), 4096):
        filler = fill(disk, leave)
        try:
            results.append(command())
        finally:
            filler.unlink()
        if placed():
            return results
    pytest.fail("the disk stopped every try before the package was in place")
