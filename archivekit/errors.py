"""One exception hierarchy. Every error a user can meet names the input and the problem,
and says what kind of failure it is; the command line (cli/app.py) turns kinds into exit
codes and remedies into advice that names its commands and flags."""

import errno
import sqlite3

# Kinds of failure.
USAGE = "usage"                 # the request itself is wrong: arguments, a manifest, a config
CANNOT_RUN = "cannot run"       # an input or the machine stands in the way
NOT_VERIFIED = "not verified"   # a package or a log does not hold what it says


class ArchivekitError(Exception):
    """Base class: a `message` for a person, naming the input and the problem; its `kind`;
    and, when there is one, a `remedy`: a key the command line turns into advice (with
    `subject`, the name the advice is about)."""

    kind = CANNOT_RUN

    def __init__(self, message: str, remedy: str | None = None, subject: str = ""):
        super().__init__(message)
        self.message = message
        self.remedy = remedy
        self.subject = subject


class UsageError(ArchivekitError):
    """The request itself is wrong: arguments, a manifest, a configuration file."""

    kind = USAGE


class InputError(ArchivekitError):
    """An input we were pointed at cannot be used (missing, a directory, unreadable)."""


class KeyProblem(ArchivekitError):
    """No usable signing key: missing, wrong passphrase, unreadable."""


class PackageExists(ArchivekitError):
    """Refusing to overwrite: a sealed package is immutable."""


class NotVerified(ArchivekitError):
    """A package (or a log) does not hold what it says, so the request was refused."""

    kind = NOT_VERIFIED


class DamagedInput(NotVerified):
    """An input failed its checks (a web archive with bad digests, say) and was refused."""


class CaptureFailed(ArchivekitError):
    """A capture could not be completed; nothing was written."""


class NoSpace(ArchivekitError):
    """The filesystem being written to is full (or its quota is reached): what was being
    written was not kept. A run stops there, and `done` holds its report of what it did
    before (runs.RunReport); the next run, with space freed, finishes what it left.
    `stopped`: why, for a report ("no space left on … (writing …)")."""

    done = None
    stopped = None


def no_space(error: BaseException) -> bool:
    """Whether `error` says a filesystem is full: ENOSPC or EDQUOT from a system call, or
    SQLite's "database or disk is full" (SQLITE_FULL) from the catalog."""
    if isinstance(error, OSError):
        return error.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(error))
