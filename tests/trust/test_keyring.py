"""The keyring: private keys under <home>/keys, made and read through the CLI."""

import stat

import yaml

from conftest import SEED


def test_generate_makes_a_0600_pkcs8_key_and_trusts_it(cli):
    result = cli("keys", "generate", "reading-room", "--organization", "Example Library")
    assert result.returncode == 0, result.stderr
    key_file = cli.home / "keys/reading-room.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    trust = yaml.safe_load((cli.home / "trust.yaml").read_text())
    assert trust["keys"][0]["name"] == "reading-room"
    assert trust["keys"][0]["organization"] == "Example Library"
    listed = cli("keys", "list")
    assert "reading-room  (default)" in listed.stdout


def test_generate_refuses_to_overwrite(cli):
    assert cli("keys", "generate", "desk").returncode == 0
    before = (cli.home / "keys/desk.pem").read_bytes()
    again = cli("keys", "generate", "desk")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (cli.home / "keys/desk.pem").read_bytes() == before


def test_passphrase_protected_key(cli, tmp_path):
    made = cli("keys", "generate", "vault", "--passphrase-env", "SECRET",
               env={"SECRET": "correct horse"})
    assert made.returncode == 0, made.stderr
    assert "ENCRYPTED" in (cli.home / "keys/vault.pem").read_text()
    without = cli("capture", SEED, "--key", "vault", "--out", tmp_path / "a")
    assert without.returncode == 3 and "passphrase" in without.stderr
    wrong = cli("capture", SEED, "--key", "vault", "--out", tmp_path / "a",
                env={"ARCHIVEKIT_PASSPHRASE": "wrong"})
    assert wrong.returncode == 3 and "wrong passphrase" in wrong.stderr
    right = cli("capture", SEED, "--key", "vault", "--out", tmp_path / "a",
                env={"ARCHIVEKIT_PASSPHRASE": "correct horse"})
    assert right.returncode == 0, right.stderr
    assert cli("verify", right.stdout.strip()).returncode == 0
