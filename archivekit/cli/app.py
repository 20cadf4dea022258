"""The command line's root: the `archivekit` group and the helpers its commands share.

The command line parses, calls the library, renders and exits; nothing else lives here.

Exit codes: 0 success/verified, 1 verification failed, 2 usage error, 3 could not run
(missing input, I/O error, a full disk, no usable key), 130 stopped by Ctrl-C, 143 by
SIGTERM.
"""

import getpass
import os
import re
import signal
import sqlite3
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import click

from archivekit._internal.printable import printable
from archivekit._internal.software import __version__
from archivekit._internal.fsutil import read_regular
from archivekit._internal.limits import Limits
from archivekit.errors import CANNOT_RUN, NOT_VERIFIED, USAGE, ArchivekitError, UsageError
from archivekit.trust.home import Home
from archivekit.trust.keyring import PASSPHRASE_ENV
from archivekit.trust.truststore import TrustStore
from archivekit._internal.timeutil import parse_time

EXIT_OK = 0
EXIT_FAILED = 1        # verification failed (findings with severity "error")
EXIT_USAGE = 2         # bad arguments, a bad manifest or configuration file
EXIT_CANNOT_RUN = 3    # missing or unreadable input, I/O error, a full disk, no usable key
EXIT_SOURCES_FAILED = 4  # a job ran and its audit passed, but some sources were not captured
EXIT_INTERRUPTED = 130   # stopped by Ctrl-C (128 + SIGINT, as a shell reports it)
EXIT_TERMINATED = 143    # stopped by SIGTERM: a service manager, timeout(1), kill (128 + 15)
EXIT_READER_GONE = 141   # what the output was piped into stopped reading (128 + SIGPIPE)
EXIT_CODES = {NOT_VERIFIED: EXIT_FAILED, USAGE: EXIT_USAGE, CANNOT_RUN: EXIT_CANNOT_RUN}
EPILOG = ("Exit codes: 0 success, 1 verification failed, 2 usage error, 3 could not run "
          "(an input missing or unreadable, a full disk, no usable key), 130 stopped by "
          "Ctrl-C, 143 by SIGTERM.")

# What to do about a library error, in this command line's words (errors.py: `remedy`).
REMEDIES = {
    "allow-http-errors": "--allow-http-errors archives error pages",
    "insecure": "to record a site whose certificate you do not trust, on purpose, "
                "use --insecure",
    "choose-key": "choose one with --key NAME or 'archivekit keys default NAME'",
    "choose-default": "choose one with 'archivekit keys default NAME'",
    "choose-another": "choose another with --key NAME ({subject}) or make one the default "
                      "with 'archivekit keys default NAME'",
    "list-keys": "see 'archivekit keys list'",
    "verify": "see 'archivekit verify {subject}'",
    "generate-key": "make one with 'archivekit keys generate {subject}'",
    "init-collection": "make one with 'archivekit collection init {subject}'",
    "raise-limits": "raise them with --limit (see 'archivekit capture --help'), and "
                    "verify it with the same",
    "verify-bagit": "'archivekit verify --bagit {subject}' lists every finding",
    "writable-catalog": "list, search, show and 'serve --read-only' read it as it is "
                        "(through an up-to-date copy); to capture into {subject}, audit or "
                        "change it, run where its catalog can be written",
    "free-space": "free some space there, then {subject} again: what was done is kept, "
                  "whole, and the next {subject} finishes what this one left",
    "accept-damaged": "to keep it as it is, with these findings recorded in the package, "
                      "capture it with --accept-damaged",
}


def describe(error: ArchivekitError) -> str:
    """The error's message, and the remedy in this command line's words, if any."""
    remedy = REMEDIES.get(error.remedy or "")
    return error.message + (f"; {remedy.format(subject=error.subject)}" if remedy else "")


class ReaderGone(Exception):
    """What our output is piped into has stopped reading (`archivekit list | head`)."""


class EscapingStream:
    """A text stream that writes control characters as visible escapes (printable()).

    Every command writes through it: text from a package reaches the terminal only
    this way, so no command can forget to escape a headline or a file name.
    """

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its control characters escaped."""
        try:
            return self.stream.write(printable(text))
        except BrokenPipeError:
            raise ReaderGone() from None

    # No `buffer`: click would write bytes past the escaping to it.
    def flush(self):
        """Flush the stream beneath."""
        try:
            self.stream.flush()
        except BrokenPipeError:
            raise ReaderGone() from None

    def isatty(self) -> bool:
        """Whether the stream beneath is a terminal (click colours and pages by it)."""
        return self.stream.isatty()

    def fileno(self) -> int:
        """The descriptor of the stream beneath (for tools that ask, such as a pager)."""
        return self.stream.fileno()

    @property
    def encoding(self):
        """The encoding of the stream beneath."""
        return self.stream.encoding

    @property
    def errors(self):
        """How the stream beneath handles characters its encoding lacks."""
        return self.stream.errors


_RAW_STDERR = sys.stderr   # progress bars draw with control sequences of their own
REDRAW_SECONDS = 0.1        # a bar is redrawn at most this often (and at its end)


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so that it stops as at a Ctrl-C: a nightly
    job that systemd or timeout(1) stops says so in its log, instead of vanishing."""


def _terminate(signum, frame):
    if os.getpid() != _TERMINATES:   # a worker process forked from the command: die as before
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Terminated


_TERMINATES = None   # the process whose SIGTERM raises Terminated


class CommandGroup(click.Group):
    """Turn library errors into one clear line and their exit code."""

    def command(self, *args, **kwargs):
        """Every command's --help ends with the exit codes (EPILOG), unless it names its
        own (`run`, `serve`)."""
        kwargs.setdefault("epilog", EPILOG)
        return super().command(*args, **kwargs)

    def main(self, *args, **kwargs):
        """Run the command with stdout and stderr escaping what they print, and SIGTERM
        stopping it as a Ctrl-C does."""
        global _TERMINATES
        if not isinstance(sys.stdout, EscapingStream):
            sys.stdout, sys.stderr = EscapingStream(sys.stdout), EscapingStream(sys.stderr)
        ours = signal.getsignal(signal.SIGTERM) == signal.SIG_DFL and \
            threading.current_thread() is threading.main_thread()   # else not ours
        if ours:
            _TERMINATES = os.getpid()
            signal.signal(signal.SIGTERM, _terminate)
        try:
            return super().main(*args, **kwargs)
        finally:   # a program that called us (or a test) is stopped by SIGTERM as before
            if ours:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def invoke(self, ctx):
        """Run the command; a library error or a failing system call becomes one line and its
        documented exit code, never a traceback."""
        try:
            return super().invoke(ctx)
        except ArchivekitError as exc:
            click.echo(f"archivekit: {describe(exc)}", err=True)
            ctx.exit(EXIT_CODES[exc.kind])
        except (KeyboardInterrupt, Terminated) as stop:
            # Not click's "Aborted!" and exit 1, which says "verification failed" here.
            # Every write is atomic: what was written is whole, and a collection's next
            # run recovers and finishes what this one left.
            by = "Ctrl-C" if isinstance(stop, KeyboardInterrupt) else "SIGTERM"
            click.echo(f"archivekit: stopped ({by}); what was written so far is whole, and "
                       "a collection's next run finishes what this one left", err=True)
            ctx.exit(EXIT_INTERRUPTED if by == "Ctrl-C" else EXIT_TERMINATED)
        except ReaderGone:
            # As `git log | head` and coreutils do: stop quietly. What is still buffered
            # goes nowhere (Python would report the broken pipe again at exit); the exit
            # code says the output was cut short. Whatever the command wrote to disk is
            # already complete: every write is atomic.
            for stream in (sys.__stdout__, sys.__stderr__):
                try:
                    os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
                except (OSError, ValueError):
                    pass
            ctx.exit(EXIT_READER_GONE)
        except (OSError, sqlite3.Error) as exc:   # a full disk, a vanished folder...
            where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
            reason = getattr(exc, "strerror", None) or str(exc)
            click.echo(f"archivekit: could not run: {reason}{where}", err=True)
            ctx.exit(EXIT_CANNOT_RUN)


def home_of(ctx) -> Home:
    """The configuration home --home named, else the default one."""
    return Home.locate(ctx.obj.get("home") if ctx.obj else None)


def passphrase_from(env_name: str | None):
    """How a key's passphrase is asked for: from the environment variable `env_name` (default
    ARCHIVEKIT_PASSPHRASE), else at the terminal, else none (an unprotected key)."""
    def ask(key_name: str) -> bytes | None:
        value = os.environ.get(env_name or PASSPHRASE_ENV)
        if value:
            return value.encode("utf-8")
        if sys.stdin.isatty():
            return getpass.getpass(f"Passphrase for key {key_name!r}: ").encode("utf-8")
        return None
    return ask


# color=True: click would otherwise strip what looks like a colour sequence from output
# that is not a terminal *before* EscapingStream sees it, so a log or a pipe would show a
# headline or a file name with part of it gone (and an error naming another file). We
# style nothing; every control character reaches the stream and is escaped there.
@click.group(cls=CommandGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"], "color": True})
@click.version_option(__version__, prog_name="archivekit")
@click.option("--home", envvar="ARCHIVEKIT_HOME", type=click.Path(file_okay=False),
              help="Configuration folder (keys, trust store). Default: $ARCHIVEKIT_HOME, "
                   "else $XDG_CONFIG_HOME/archivekit.")
@click.pass_context
def main(ctx, home):
    """Preserve news clippings as sealed, verifiable packages.

    \b
    Start here:
      archivekit capture clipping.txt --out archive/
      archivekit verify archive/<package-id>
    """
    ctx.ensure_object(dict)["home"] = home


def print_trust(store: TrustStore) -> None:
    """List the keys `store` trusts: id, name, organization, roles and state."""
    click.echo(f"Trusted keys in {store.path}:")
    for key in store.keys:
        click.echo(f"  {key.key_id}  {key.name}  {key.organization or '-'}  "
                   f"roles={','.join(key.roles)}  "
                   f"{key.state.upper()}{key.describe_state()[len(key.state):]}")


def read_text_file(path, what: str) -> str:
    """A small text file named on the command line: a regular file, bounded, UTF-8."""
    data = read_regular(path, Limits().config_bytes)   # OSError: exit 3, naming the file
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: the {what} is not UTF-8 text (byte {exc.start})") from None


def time_option(value, name):
    """The moment an option gave (ISO 8601), or None; a malformed one is a usage error
    naming the option `name`."""
    try:
        return parse_time(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None


def trust_store_for(ctx, path) -> TrustStore:
    """The trust store at `path` (--trust), else the configuration home's."""
    return TrustStore.load(Path(path) if path else home_of(ctx).trust_path)


def verifier_for(ctx, trust_path):
    """A verifier that believes the trust store at `trust_path` (default: the home's)."""
    from archivekit.verify import Verifier
    return Verifier(trust_store_for(ctx, trust_path))


_SIZE = re.compile(r"(\d+)\s*(?:([kmgt])i?b)?", re.IGNORECASE)   # 16GiB, 512 MiB, 600
_SHIFT = {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}


def _parse_limits(ctx, param, values) -> Limits:
    changes = {}
    for item in values:
        name, _, text = item.partition("=")
        size = _SIZE.fullmatch(text.strip())
        if not size or int(size[1]) == 0:
            raise click.BadParameter(f"{item!r}: expected NAME=NUMBER, the number optionally "
                                     "followed by KiB, MiB, GiB or TiB")
        changes[name.strip()] = int(size[1]) << _SHIFT[(size[2] or "").lower()]
    try:
        return Limits().replace(**changes)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


limits_option = click.option(
    "--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_parse_limits,
    help="Raise (or lower) a reading limit, e.g. --limit inflated_bytes=16GiB "
         "--limit seconds=3600. The limits and their defaults: docs/verification.md.")


@contextmanager
def progress_display(enabled: bool):
    """Progress bars on stderr, one per stage, only when a person is watching it.

    Yields `show(stage, done, total)` (None when there is nothing to show); click's
    progress bar draws it, so widths, redraws and ETA are not ours to get right.
    """
    if not enabled or not _RAW_STDERR.isatty():
        yield None
        return
    current = {}   # the stage being shown, its bar, and when it was last drawn

    def show(stage, done, total):
        now = time.monotonic()
        if current.get("stage") != stage:
            if current:   # a new stage starts on its own line
                current["bar"].render_finish()
            current.update(stage=stage, bar=click.progressbar(
                length=total, label=stage, show_pos=True, file=_RAW_STDERR))
        elif done < total and now - current["drawn"] < REDRAW_SECONDS:
            return   # click draws every step: 100,000 no-op steps would flood the terminal
        current["drawn"] = now
        bar = current["bar"]
        bar.update(done - bar.pos)

    try:
        yield show
    finally:
        if current:
            current["bar"].render_finish()
