"""Keys and the trust store through the CLI."""

import stat

import yaml
from hypothesis import given, settings, strategies as st

from archivekit.errors import UsageError
from archivekit.trust.truststore import TrustStore

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


def test_first_capture_makes_a_default_key_and_says_so_once(cli, tmp_path):
    first = cli("capture", SEED, "--out", tmp_path / "a")
    assert first.returncode == 0
    assert "made signing key 'local'" in first.stderr
    second = cli("capture", SEED, "--out", tmp_path / "b")
    assert second.returncode == 0 and "made signing key" not in second.stderr


def test_export_and_trust_elsewhere(cli, tmp_path):
    """A verifier elsewhere trusts only what it was given: the exported public key."""
    made = cli("capture", SEED, "--out", tmp_path / "a")
    package = made.stdout.strip()
    exported = cli("keys", "export", "local")
    assert exported.stdout.startswith("-----BEGIN PUBLIC KEY-----")
    pem = tmp_path / "local.pub.pem"
    pem.write_text(exported.stdout)
    other_trust = tmp_path / "their-trust.yaml"
    result = cli("verify", package, "--trust", other_trust)
    assert result.returncode == 1 and "AK507" in result.stdout   # empty trust store
    assert "is empty: add the signer's public key" in result.stdout
    added = cli("trust", "add", pem, "--name", "Reading Room", "--organization", "Library",
                "--trust", other_trust)
    assert added.returncode == 0, added.stderr
    assert cli("verify", package, "--trust", other_trust).returncode == 0


def test_revoke_with_time_and_reason(cli, tmp_path):
    made = cli("capture", SEED, "--out", tmp_path / "a")
    package = made.stdout.strip()
    revoked = cli("trust", "revoke", "local", "--reason", "laptop stolen",
                  "--at", "2099-01-01T00:00:00Z")
    assert revoked.returncode == 0, revoked.stderr
    listed = cli("trust", "list")
    assert "COMPROMISED 2099-01-01T00:00:00Z (laptop stolen)" in listed.stdout
    later = cli("verify", package, "--json")
    assert later.returncode == 0 and "AK514" in later.stdout  # announced for later: warned
    cli("trust", "revoke", "local", "--reason", "compromised since 2000",
        "--at", "2000-01-01T00:00:00Z")
    before = cli("verify", package)
    assert before.returncode == 1 and "AK510" in before.stdout


def test_bad_trust_store_is_a_usage_error(cli, tmp_path):
    bad = tmp_path / "trust.yaml"
    bad.write_text("keys: [ {public_key: 'not a key'} ]\n")
    result = cli("verify", tmp_path, "--trust", bad)
    assert result.returncode == 2 and "trust.yaml" in result.stderr


_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
_ENTRY_KEYS = st.sampled_from(["key_id", "name", "public_key", "roles", "state", "revoked_at",
                               "revocation_reason", "not_before", "not_after"])


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["version", "keys", "tsa_roots"]),
                       _VALUES | st.lists(st.dictionaries(_ENTRY_KEYS, _VALUES, max_size=6),
                                          max_size=3), max_size=3))
def test_a_trust_store_to_import_gives_keys_or_a_clear_refusal(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("store") / "trust.yaml"
    path.write_text(yaml.safe_dump(document))
    try:
        store = TrustStore.load(path)
    except UsageError as exc:
        assert str(path) in exc.message
    else:
        TrustStore(None).merge(store)
