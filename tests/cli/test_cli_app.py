"""The command line's root (cli/app.py): every command writes through a stream that shows
control characters as visible escapes, draws progress only on a terminal, and turns an
error into one line and its exit code. Run as real subprocesses, under a pseudo-terminal
where a terminal changes what is shown."""

import os
import pty
import subprocess
import sys
import threading

from archivekit.cli import app
from support.hostile import SHOWN_HEADLINE, hostile_package, raw_controls


def test_an_error_from_the_system_is_one_line_and_exit_3(package, tmp_path):
    cli, bag = package
    in_the_way = tmp_path / "reports"
    in_the_way.write_text("a file where the report's folder should be")
    result = cli("verify", bag, "--html", in_the_way / "report.html")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith("archivekit: could not run: ")
    assert str(in_the_way) in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_error_from_the_library_names_its_remedy_in_the_command_s_words(cli, tmp_path):
    result = cli("capture", tmp_path / "gone.txt", "--into", tmp_path / "nowhere")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip().endswith(
        f"; make one with 'archivekit collection init {tmp_path / 'nowhere'}'")


def test_version_names_the_software(cli):
    from archivekit._internal.software import __version__
    result = cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"archivekit, version {__version__}"


def test_text_from_a_package_cannot_drive_the_terminal(cli, tmp_path):
    bag = hostile_package(cli, tmp_path)
    (bag / "data" / "extra.txt").write_text("slipped in")   # so that a failure must show
    for command in (["verify", bag], ["inspect", bag], ["verify", "--json", bag]):
        code, shown = cli.in_terminal(*command)
        assert code == 1, shown                             # the extra file fails each
        assert raw_controls(shown) == [], command
        assert SHOWN_HEADLINE in shown
    code, shown = cli.in_terminal("verify", bag)
    assert code == 1 and f"CONTENT CHANGED  {bag}" in shown


def test_verify_progress_stays_off_pipes(package):
    cli, bag = package
    result = cli("verify", bag)
    assert result.returncode == 0 and "VERIFIED" in result.stdout
    assert result.stderr == ""                          # no bar when nobody watches


def test_verify_in_a_terminal_shows_progress_and_the_verdict(package):
    cli, bag = package
    code, shown = cli.in_terminal("verify", bag, bag)
    assert code == 0, shown
    assert "Traceback" not in shown
    assert shown.count(f"VERIFIED  {bag}") == 2
    assert "verify" in shown and "2/2" in shown        # click's bar, drawn on the terminal


def test_a_bar_over_many_items_is_redrawn_a_few_times_not_once_an_item(monkeypatch):
    """A no-op run over 100,000 inbox files steps the bar 100,000 times; a terminal must
    get a handful of redraws (and the last count), not a megabyte of them."""
    master, slave = pty.openpty()
    shown = bytearray()
    reader = threading.Thread(target=_drain, args=(master, shown))
    reader.start()
    with os.fdopen(slave, "w", closefd=True) as terminal:
        monkeypatch.setattr(app, "_RAW_STDERR", terminal)
        with app.progress_display(True) as show:
            for done in range(1, 20_001):
                show("run", done, 20_000)
            show("audit", 1, 2)
            show("audit", 2, 2)
    reader.join(timeout=10)
    text = shown.decode()
    assert "20000/20000" in text and "2/2" in text
    assert text.count("run") < 200, f"{text.count('run')} redraws for 20,000 steps"


def _drain(fd, into):
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:            # the terminal's other end closed
            break
        if not chunk:
            break
        into.extend(chunk)


def test_output_piped_into_a_reader_that_stops_ends_quietly_with_141(package):
    """`archivekit list | head`: when the reader goes away, stop as git and coreutils do,
    with no "Broken pipe" error and no traceback; 141 (128 + SIGPIPE) says the output was
    cut short."""
    cli, bag = package
    read_end, write_end = os.pipe()
    os.close(read_end)             # the reader has gone before the first line is written
    with open(os.devnull, "rb") as nothing:
        process = subprocess.Popen([sys.executable, "-m", "archivekit", "verify", str(bag)],
                                   stdin=nothing, stdout=write_end, stderr=subprocess.PIPE,
                                   env=cli.env())
    os.close(write_end)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 141 and errors == b""


def test_every_command_s_help_ends_with_its_exit_codes(cli):
    # A subcommand (collection add, log prove, keys list...) had none: a script's author
    # could not learn there that a full disk or SIGTERM ends it with 3 or 143.
    import click
    from archivekit.cli import main

    def commands(group, path):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, path + [name])
            else:
                yield path + [name]
    for path in commands(main, []):
        shown = cli(*path, "--help")
        assert shown.returncode == 0, (path, shown.stderr)
        assert "Exit codes: 0" in shown.stdout and "3 could not run" in shown.stdout, path


def test_a_program_that_ran_a_command_is_stopped_by_sigterm_as_before(cli):
    """main() takes SIGTERM to stop its command; once it returns, the program that called
    it (a script, a scheduler's own Python) gets the default back: killed by SIGTERM."""
    script = ("import os, signal\n"
              "from archivekit.cli import main\n"
              "try:\n"
              "    main(['keys', '--help'])\n"
              "except SystemExit:\n"
              "    pass\n"
              "os.kill(os.getpid(), signal.SIGTERM)\n"
              "print('still running after SIGTERM')\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=cli.env(), timeout=60)
    assert result.returncode == -15, (result.returncode, result.stdout, result.stderr)
