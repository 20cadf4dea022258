"""Worker processes that end with the process that started them.

A worker forked by a process pool holds copies of its parent's open files, the
collection's lock among them, and waits for work on a pipe it also holds open itself:
when its parent is SIGKILLed it waits forever, and every later run finds the collection
locked. Linux kills such a worker with its parent when asked (PR_SET_PDEATHSIG).

And a Ctrl-C landing while a pool starts its workers, after a fork and before the pool
starts the thread that would stop them, leaves the parent's exit waiting for a worker
that waits for work: the pool's workers are daemonic, so the exit ends them instead.
"""

import ctypes
import multiprocessing
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent (`parent`, its pid) dies;
    end now if it already has. Where there is no prctl (not Linux), nothing."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:     # it died before the request was made
        os._exit(1)


class _DaemonProcess(multiprocessing.Process):
    """A worker the interpreter's exit ends rather than waits for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.daemon = True


def daemon_context():
    """For a process pool's mp_context: the platform's way of starting processes (the
    pool's default), its workers daemonic."""
    context = multiprocessing.get_context()
    return type("DaemonContext", (type(context),), {"Process": _DaemonProcess})()
