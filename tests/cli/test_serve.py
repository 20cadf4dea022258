"""`archivekit serve` (cli/serve.py): what it refuses before it listens, each a clear line
and an exit code, and the address it prints when it starts. What the room serves is
tests/serve/'s."""

import socket
import urllib.request

import pytest

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


def test_a_port_in_use_is_named_with_what_to_do(room):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = room.cli("serve", room.collection, "--port", port)
    assert result.returncode == 3, result.stderr
    assert result.stderr == (f"archivekit: cannot listen on 127.0.0.1 port {port}: the port is "
                             "in use (another program, or a reading room already open): give "
                             "another with --port, or 0 for any free one\n")


def test_an_ipv6_address_is_printed_as_a_url_has_it(room):
    try:
        socket.create_server(("::1", 0), family=socket.AF_INET6).close()
    except OSError as exc:
        pytest.skip(f"no IPv6 loopback on this machine: {exc}")
    ipv6 = start_room(room.cli, room.collection, "--host", "::1")
    try:
        assert ipv6.url.startswith("http://[::1]:")
        with urllib.request.urlopen(ipv6.url + "/") as answer:
            assert answer.status == 200
    finally:
        ipv6.stop()


def test_every_address_takes_ipv4_as_well(room, tmp_path):
    """--host :: took IPv4 connections while werkzeug made the socket; made by serve, an
    IPv6 socket was IPv6-only, and 127.0.0.1 was refused."""
    if not socket.has_dualstack_ipv6():
        pytest.skip("no dual-stack IPv6 on this machine")
    password = tmp_path / "password.txt"
    password.write_text("a long enough password\n")
    everywhere = start_room(room.cli, room.collection, "--host", "::", "--auth", password)
    try:
        port = everywhere.url.rsplit(":", 1)[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as answer:
            assert answer.status == 200
    finally:
        everywhere.stop()
