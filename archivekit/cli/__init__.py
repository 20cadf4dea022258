"""The command line: `archivekit` and its commands, one module per group of them.

Exit codes: 0 success/verified, 1 verification failed, 2 usage error,
3 could not run (missing input, I/O error, no usable key).
"""

from archivekit.cli import capture, collections, curate, export, find, keys, logs, serve, show, verify  # noqa: F401  (registers commands)
from archivekit.cli.app import main

__all__ = ["main"]
