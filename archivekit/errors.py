"""One exception hierarchy. Every error a user can meet names the input and the problem,
and says what kind of failure it is; the command line (cli/app.py) turns kinds into exit
codes and remedies into advice that names its commands and flags."""

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
