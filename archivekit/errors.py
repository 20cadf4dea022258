"""One exception hierarchy. Every error a user can meet carries its exit code.

Exit codes (all commands):
  0  success / verified
  1  verification failed (findings with severity "error")
  2  usage error: bad arguments, bad manifest, bad configuration file
  3  could not run: missing or unreadable input, I/O error, no usable key
  4  a job ran and its audit passed, but some of its sources could not be captured
"""

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3
EXIT_SOURCES_FAILED = 4


class ArchivekitError(Exception):
    """Base class: a message for a person, and an exit code for a script."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageError(ArchivekitError):
    """The request itself is wrong: arguments, a manifest, a configuration file."""

    exit_code = EXIT_USAGE


class InputError(ArchivekitError):
    """An input we were pointed at cannot be used (missing, a directory, unreadable)."""


class KeyProblem(ArchivekitError):
    """No usable signing key: missing, wrong passphrase, unreadable."""


class PackageExists(ArchivekitError):
    """Refusing to overwrite: a sealed package is immutable."""


class CaptureFailed(ArchivekitError):
    """A capture could not be completed; nothing was written."""
