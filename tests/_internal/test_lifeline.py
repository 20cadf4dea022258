"""A worker asked to die with its parent does, when the parent is SIGKILLed (Linux)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# A parent that forks a child which asks to die with it, then sleeps; both print a pid.
PARENT = """
import os, sys, time
from archivekit._internal.lifeline import die_with
parent = os.getpid()
if os.fork() == 0:
    die_with(parent)
    print(os.getpid(), flush=True)
    time.sleep(600)
    os._exit(0)
time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_child_dies_with_its_sigkilled_parent():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    try:
        while _alive(child):
            assert time.monotonic() < deadline, "the child outlived its parent"
            time.sleep(0.02)
    finally:
        if _alive(child):
            os.kill(child, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_child_whose_parent_is_already_gone_ends_at_once():
    ended = subprocess.run([sys.executable, "-c", "from archivekit._internal.lifeline import "
                            "die_with; die_with(1); print('went on')"],
                           capture_output=True, text=True, timeout=60)
    assert ended.returncode == 1 and "went on" not in ended.stdout


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
