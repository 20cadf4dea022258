"""`archivekit serve` (cli/serve.py): what it refuses before it listens, each a clear line
and an exit code, and the address it prints when it starts. What the room serves is
tests/serve/'s."""

import urllib.request

from support.room import start_room


def test_listening_beyond_loopback_needs_a_password(cli, tmp_path):
    refused = cli("serve", tmp_path / "collection", "--host", "0.0.0.0", "--port", "0")
    assert refused.returncode == 2 and "--auth" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_a_password_file_must_hold_a_long_enough_password(cli, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("letmein\nthe rest is not the password\n")
    result = cli("serve", tmp_path / "collection", "--auth", short, "--port", "0")
    assert result.returncode == 2 and f"{short}: the password must be at least 12" in result.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    for unreadable in (empty, tmp_path / "missing.txt"):
        result = cli("serve", tmp_path / "collection", "--auth", unreadable, "--port", "0")
        assert result.returncode == 3 and f"{unreadable}: cannot read a password" in result.stderr


def test_it_prints_where_it_listens(room):
    with urllib.request.urlopen(room.url + "/") as answer:   # start_room read the address
        assert answer.status == 200 and "Reading room" in answer.read().decode()
