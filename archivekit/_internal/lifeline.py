"""Worker processes that end with the process that started them.

A worker forked by a process pool holds copies of its parent's open files, the
collection's lock among them, and waits for work on a pipe it also holds open itself:
when its parent is SIGKILLed it waits forever, and every later run finds the collection
locked. Linux kills such a worker with its parent when asked (PR_SET_PDEATHSIG).
"""

import ctypes
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
