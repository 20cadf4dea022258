"""A clipping whose headline would drive a terminal (erase a line, move the cursor, a
one-byte CSI) and reverse text (a bidirectional override), captured for real."""

from pathlib import Path

HOSTILE_HEADLINE = "Council \x1b[2K\x1b[1A Budget \u202e gnimoc \u009b31m Vote"
# How it must be shown: each control as the visible escape printable() writes.
SHOWN_HEADLINE = "Council \\u001b[2K\\u001b[1A Budget \\u202e gnimoc \\u009b31m Vote"


def hostile_package(cli, tmp_path) -> Path:
    clip = tmp_path / "clip.txt"
    clip.write_text(f"{HOSTILE_HEADLINE}\n\nBy Jane Doe\n\nThe council voted, officials said.\n")
    result = cli("capture", clip, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip())


def raw_controls(shown: str) -> list[str]:
    """Control characters on the terminal other than line ends and the progress bar's
    own (hide and show the cursor)."""
    shown = shown.replace("\x1b[?25l", "").replace("\x1b[?25h", "")
    return [c for c in shown if c in "\x1b\x9b\u202e"]
