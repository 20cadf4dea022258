"""The trust store: what a verifier believes, through the CLI and as a file to import."""

import base64
import json
from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import given, settings, strategies as st

from archivekit._internal.timeutil import parse_time
from archivekit.errors import UsageError
from archivekit.trust import truststore
from archivekit.trust.truststore import TrustStore

from conftest import SEED


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


def test_a_seal_made_in_the_second_a_key_is_retired_stays_valid(cli, tmp_path, monkeypatch):
    """Seal times are whole seconds, rounded down: a retirement taken now keeps its fraction
    of a second, so the seal made just before it, in the same second, is not 'after' it.
    A compromise keeps the whole second: a seal claiming that second is not believed."""
    package = cli("capture", SEED, "--out", tmp_path / "a").stdout.strip()
    statement = next(Path(package).glob("signatures/*.dsse.json"))
    payload = json.loads(base64.b64decode(json.loads(statement.read_text())["payload"]))
    sealed = parse_time(payload["sealed_at"])
    monkeypatch.setattr(truststore, "exact_now", lambda: sealed + timedelta(microseconds=400_000))
    monkeypatch.setattr(truststore, "utc_now", lambda: sealed)     # the same second
    for reason, verdict, code in (("superseded by desk-2027", 0, "VERIFIED"),
                                  ("laptop stolen", 1, "AK510")):
        store = TrustStore.from_home(str(cli.home))
        store.revoke(store.keys[0].key_id, reason)
        store.save()
        result = cli("verify", package)
        assert result.returncode == verdict, result.stdout
        assert code in result.stdout and "AK516" not in result.stdout, result.stdout
