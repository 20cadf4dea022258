"""The exception hierarchy: every error carries its message, its kind of failure and,
when it has one, a remedy key and the name the advice is about."""

import errno
import inspect
import sqlite3

import pytest

from archivekit import errors

KINDS = {errors.USAGE, errors.CANNOT_RUN, errors.NOT_VERIFIED}
CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]


def test_every_error_is_an_archivekit_error_of_one_of_three_kinds():
    assert len(KINDS) == 3 and len(CLASSES) >= 8
    assert all(issubclass(c, errors.ArchivekitError) and c.kind in KINDS for c in CLASSES)


@pytest.mark.parametrize("error, kind", [
    (errors.UsageError, errors.USAGE),
    (errors.InputError, errors.CANNOT_RUN),
    (errors.KeyProblem, errors.CANNOT_RUN),
    (errors.PackageExists, errors.CANNOT_RUN),
    (errors.CaptureFailed, errors.CANNOT_RUN),
    (errors.NoSpace, errors.CANNOT_RUN),            # a full disk: exit 3
    (errors.NotVerified, errors.NOT_VERIFIED),
    (errors.DamagedInput, errors.NOT_VERIFIED),     # refused input is not verified
])
def test_each_error_says_what_kind_of_failure_it_is(error, kind):
    assert error("x").kind == kind


def test_an_error_carries_its_message_remedy_and_subject():
    caught = errors.KeyProblem("key 'ed' not found", remedy="no-key", subject="ed")
    assert (caught.message, caught.remedy, caught.subject) == ("key 'ed' not found", "no-key", "ed")
    assert str(caught) == "key 'ed' not found"
    bare = errors.InputError("clip.txt: no such file")
    assert (bare.remedy, bare.subject) == (None, "")
    with pytest.raises(errors.NotVerified):
        raise errors.DamagedInput("web.warc.gz: 2 records with wrong digests")


@pytest.mark.parametrize("error, full", [
    (OSError(errno.ENOSPC, "No space left on device"), True),
    (OSError(errno.EDQUOT, "Disk quota exceeded"), True),
    (sqlite3.OperationalError("database or disk is full"), True),
    (OSError(errno.EIO, "Input/output error"), False),
    (sqlite3.OperationalError("disk I/O error"), False),
    (ValueError("database or disk is full"), False),
])
def test_a_full_disk_is_told_from_other_failures(error, full):
    assert errors.no_space(error) is full
