"""The hashing thread: jobs run in the order submitted, a failure reaches finish(), and at
most DEPTH jobs wait."""

import hashlib
import threading

import pytest

from archivekit._internal.hashpipe import DEPTH, HashPipe


def test_jobs_run_in_the_order_they_were_submitted():
    pipe, seen = HashPipe(), []
    for number in range(200):
        pipe.submit(seen.append, number)
    pipe.finish()
    assert seen == list(range(200))


def test_a_digest_fed_on_the_thread_equals_one_fed_in_place():
    chunks = [bytes([n]) * (n * 997) for n in range(40)]
    digest, pipe = hashlib.sha256(), HashPipe()
    for chunk in chunks:
        pipe.submit(digest.update, chunk)
    pipe.finish()
    assert digest.hexdigest() == hashlib.sha256(b"".join(chunks)).hexdigest()


def test_the_first_failure_is_raised_by_finish_and_later_jobs_are_skipped():
    pipe, seen = HashPipe(), []
    pipe.submit(seen.append, 1)
    pipe.submit(int, "not a number")
    pipe.submit(seen.append, 2)
    pipe.submit(dict.fromkeys, 1, 2, 3)          # a second failure, not the one raised
    with pytest.raises(ValueError, match="not a number"):
        pipe.finish()
    assert seen == [1]


def test_submit_waits_while_depth_jobs_are_queued():
    pipe, release = HashPipe(), threading.Event()
    pipe.submit(release.wait)                     # the thread is busy until released
    started = threading.Event()
    pipe.submit(started.set)
    for _ in range(DEPTH - 1):
        pipe.submit(len, b"")
    extra = threading.Thread(target=pipe.submit, args=(len, b""))
    extra.start()
    extra.join(0.3)
    assert extra.is_alive(), "a submit beyond DEPTH waiting jobs did not wait"
    release.set()
    extra.join(5)
    pipe.finish()
    assert not extra.is_alive() and started.is_set()
