"""Atomic writes, durable appends and bounded reads of files we were handed."""

import errno
import os
import stat
import time

import pytest
from hypothesis import given, settings, strategies as st

from archivekit._internal import fsutil
from archivekit._internal.fsutil import (RACY_NS, TEMP_PREFIX, TICK_NS, append_lines,
                                         atomic_write_bytes, atomic_write_many, folder_stamp,
                                         outlast, racy, read_regular)


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_an_atomic_write_has_its_mode_and_leaves_no_temporary(tmp_path):
    key = tmp_path / "keys" / "local.pem"
    atomic_write_bytes(key, b"secret", mode=0o600)
    assert key.read_bytes() == b"secret"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    atomic_write_bytes(key, b"replaced", mode=0o600)
    assert key.read_bytes() == b"replaced"
    assert leftovers(key.parent) == []


def test_a_write_that_must_not_overwrite_refuses_and_keeps_the_old_bytes(tmp_path):
    target = tmp_path / "seal.json"
    target.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        atomic_write_bytes(target, b"new", overwrite=False)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_write_that_fails_halfway_keeps_the_old_file_whole(tmp_path, monkeypatch):
    # A disk that fails at fsync cannot be made here: the failure is simulated.
    target = tmp_path / "trust.yaml"
    target.write_bytes(b"old")

    def failing_fsync(fd):
        raise OSError(errno.EIO, "input/output error")
    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError) as raised:
        atomic_write_bytes(target, b"new and longer")
    # The error of a write (or of a full disk's) names no file: it is named for the reader.
    assert (raised.value.errno, raised.value.filename) == (errno.EIO, str(target))
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_temporary_can_be_kept_out_of_the_target_folder(tmp_path):
    package, scratch = tmp_path / "package", tmp_path / "scratch"
    package.mkdir()
    scratch.mkdir()
    atomic_write_bytes(package / "proof.json", b"{}", temp_dir=scratch)
    assert sorted(p.name for p in package.iterdir()) == ["proof.json"]


def test_many_files_at_once_are_all_written_and_no_temporary_stays(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    items = [(tmp_path / f"f{i}.txt", f"file {i}".encode()) for i in range(5)]
    atomic_write_many(items, temp)
    assert [p.read_bytes() for p, _ in items] == [d for _, d in items]
    assert list(temp.iterdir()) == []


def test_many_files_whose_target_cannot_be_made_leave_no_temporary(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    with pytest.raises(OSError):
        atomic_write_many([(tmp_path / "a.txt", b"a"), (tmp_path / "missing" / "b.txt", b"b")],
                          temp)
    assert list(temp.iterdir()) == []


def test_an_append_cuts_a_torn_last_line_first(tmp_path):
    log = tmp_path / "audit.jsonl"
    log.write_bytes(b'{"seq": 1}\n{"seq": 2, "torn')       # what a crash mid-write leaves
    append_lines(log, b'{"seq": 2}\n')
    assert log.read_bytes() == b'{"seq": 1}\n{"seq": 2}\n'


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.text("ab{}\" ", max_size=8), min_size=1, max_size=3),
                          st.binary(max_size=12).filter(lambda b: b"\n" not in b)),
                max_size=6))
def test_appends_with_crashes_between_keep_exactly_the_whole_lines(tmp_path_factory, steps):
    log = tmp_path_factory.mktemp("log") / "audit.jsonl"
    expected = b""
    for lines, torn in steps:
        batch = "".join(line.replace("\n", " ") + "\n" for line in lines).encode()
        append_lines(log, batch)
        expected += batch
        with open(log, "ab") as handle:       # a crash leaves part of the next write
            handle.write(torn)
    append_lines(log, b"end\n")
    assert log.read_bytes() == expected + b"end\n"


def test_reading_a_fifo_is_refused_at_once_naming_what_it_is(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as caught:
        read_regular(fifo, 100)     # would block for ever if it were opened as a file
    assert caught.value.errno == errno.EINVAL and "FIFO" in str(caught.value)


def test_reading_a_device_is_refused():
    with pytest.raises(OSError, match="character device"):
        read_regular("/dev/zero", 100)


def test_reading_stops_at_the_limit(tmp_path):
    source = tmp_path / "clipping.txt"
    source.write_bytes(b"x" * 100)
    assert read_regular(source, 100) == b"x" * 100
    with pytest.raises(OSError) as caught:
        read_regular(source, 99)
    assert caught.value.errno == errno.EFBIG


def test_a_tree_is_made_durable_with_or_without_syncfs(tmp_path, monkeypatch):
    (tmp_path / "bag" / "data").mkdir(parents=True)
    (tmp_path / "bag" / "data" / "a.warc").write_bytes(b"warc")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    monkeypatch.setattr(fsutil, "_syncfs", None)      # a system without syncfs(2)
    fsutil.flush_tree(tmp_path / "bag")
    assert len(synced) == 3      # the file, data/ and the bag folder


def test_a_folder_s_stamp_changes_with_its_entries_not_with_a_file_rewritten_in_place(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    then = time.time_ns() - 3600 * 10**9
    os.utime(tmp_path, ns=(then, then))
    stamp = folder_stamp(tmp_path)
    assert racy(stamp, time.time_ns())                  # utime changed its ctime just now
    assert not racy(stamp, time.time_ns() + 2 * RACY_NS)
    (tmp_path / "a.txt").write_text("two, in place")
    assert folder_stamp(tmp_path) == stamp
    (tmp_path / "b.txt").write_text("new")
    assert folder_stamp(tmp_path) != stamp and racy(folder_stamp(tmp_path), time.time_ns())
    os.utime(tmp_path, ns=(then, then))                 # its mtime put back: the ctime says
    assert folder_stamp(tmp_path) != stamp              # it changed, and just now:
    assert racy(folder_stamp(tmp_path), time.time_ns())
    assert not racy(folder_stamp(tmp_path), time.time_ns() + 2 * RACY_NS)
    assert folder_stamp(tmp_path / "missing") is None


@given(st.binary(min_size=1, max_size=40).filter(lambda name: not {0, 47} & set(name)))
def test_a_shown_path_is_utf8_and_is_the_name_itself_when_the_name_is(name):
    path = os.fsdecode(b"/inbox/" + name)         # as os.listdir gives it
    shown = fsutil.shown_path(path)
    shown.encode("utf-8")                           # writable to any report or terminal
    try:
        assert shown == path == "/inbox/" + name.decode("utf-8")
    except UnicodeDecodeError:                      # each byte that is not UTF-8 as \xNN
        assert shown != path and "\\x" in shown


def test_outlast_waits_until_a_later_change_must_be_given_a_later_time(tmp_path):
    (tmp_path / "new").mkdir()
    stamp = folder_stamp(tmp_path)
    assert outlast(stamp)
    assert time.time_ns() > max(stamp[:2]) + TICK_NS      # past the tick it was given
    (tmp_path / "newer").mkdir()
    assert folder_stamp(tmp_path) != stamp
    assert max(folder_stamp(tmp_path)[:2]) > max(stamp[:2])
    now = time.time_ns()
    assert not outlast((now // 10**9 * 10**9,) * 2 + (1,))   # whole seconds: a coarse clock
    assert not outlast((now + 10**9, now + 10**9, 1))        # ahead: not this machine's clock
