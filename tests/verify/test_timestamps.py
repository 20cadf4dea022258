"""A seal's RFC 3161 token read by the verifier (verify/timestamps.py): when it checks out
against the trusted TSA roots its time is the seal's proven time, and the signing key's
validity and revocation are judged at that time; a token that does not is AK520. A real
TSA (openssl ts -reply) on 127.0.0.1; the token's own cryptography is tests/trust/test_timestamp.py."""

import json
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from archivekit.trust.truststore import TrustStore
from conftest import SAMPLES, SEED, reseal, seal_facts, signing_key
from support.tsa import trust_tsa


def stamped_package(cli, tmp_path, tsa, source=SEED):
    result = cli("capture", source, "--out", tmp_path / "archive", "--tsa", tsa.url())
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_stamped_seal_time_is_proven(cli, tmp_path, tsa):
    package = stamped_package(cli, tmp_path, tsa)
    trust_tsa(cli, tsa, tmp_path)
    result, seals, codes = seal_facts(cli, package)
    assert result.returncode == 0, result.stdout
    assert seals[0]["time_source"] == "timestamp" and "test TSA" in seals[0]["tsa"]
    assert list((tmp_path / "archive").glob("*/signatures/*.tsr"))


def test_without_a_token_the_time_is_reported_as_claimed(cli, tmp_path):
    made = cli("capture", SEED, "--out", tmp_path / "archive")
    _, seals, _ = seal_facts(cli, made.stdout.strip())
    assert seals[0]["time_source"] == "claimed" and seals[0]["timestamp"] is None


def test_untrusted_tsa_root(cli, tmp_path, tsa):
    package = cli("capture", SEED, "--out", tmp_path / "archive", "--tsa",
                  tsa.url("/untrusted")).stdout.strip()
    trust_tsa(cli, tsa, tmp_path)   # trusts the good root only
    result, seals, codes = seal_facts(cli, package)
    assert result.returncode == 1 and "AK520" in codes
    assert seals[0]["time_source"] == "claimed"


def test_no_tsa_root_configured(cli, tmp_path, tsa):
    package = stamped_package(cli, tmp_path, tsa)
    result, _, codes = seal_facts(cli, package)
    assert result.returncode == 1 and "AK520" in codes


def test_token_moved_to_another_seal(cli, tmp_path, tsa):
    first = stamped_package(cli, tmp_path, tsa)
    second = cli("capture", SAMPLES / "scan-clipping.png", "--out", tmp_path / "archive").stdout.strip()
    trust_tsa(cli, tsa, tmp_path)
    token = next((tmp_path / "archive").glob("*spy-agency*/signatures/*.tsr"))
    seal = next(p for p in (tmp_path / "archive" / second.split("/")[-1] / "signatures").iterdir())
    shutil.copy(token, seal.with_name(seal.name.replace(".dsse.json", ".tsr")))
    result, _, codes = seal_facts(cli, second)
    assert result.returncode == 1 and "AK520" in codes
    assert seal_facts(cli, first)[0].returncode == 0   # the token still proves its own seal


def test_a_token_signed_after_the_tsa_certificate_expired_is_refused(cli, tmp_path, tsa):
    made = cli("capture", SEED, "--out", tmp_path / "archive", "--tsa", tsa.url("/expired"))
    assert made.returncode == 0, made.stderr    # capture cannot know the verifier's roots
    trust_tsa(cli, tsa, tmp_path, "expired", "expired")
    result = cli("verify", made.stdout.strip(), "--json")
    findings = json.loads(result.stdout)["packages"][0]["findings"]
    assert result.returncode == 1
    assert any(f["code"] == "AK520" and "expired" in f["message"] for f in findings)


def _revoke(cli, when):
    store = TrustStore.load(cli.home / "trust.yaml")
    store.revoke(store.keys[0].key_id, "test", when)
    store.save()


def test_revocation_is_judged_at_the_stamped_time(cli, tmp_path, tsa):
    package = stamped_package(cli, tmp_path, tsa)
    trust_tsa(cli, tsa, tmp_path)
    _revoke(cli, datetime.now(timezone.utc) + timedelta(days=1))
    result, _, codes = seal_facts(cli, package)
    assert result.returncode == 0 and "AK514" not in codes   # revoked after: valid, and proven
    _revoke(cli, datetime.now(timezone.utc) - timedelta(days=1))
    result, _, codes = seal_facts(cli, package)
    assert result.returncode == 1 and "AK510" in codes


def test_a_backdated_claim_cannot_escape_revocation(cli, tmp_path, tsa):
    """The seal claims 2020, before the key was revoked; the token says now, after it."""
    package = cli("capture", SEED, "--out", tmp_path / "archive").stdout.strip()
    trust_tsa(cli, tsa, tmp_path)
    store = TrustStore.load(cli.home / "trust.yaml")
    store.keys[0].not_before = datetime(2019, 1, 1, tzinfo=timezone.utc)
    store.save()
    reseal(Path(package), signing_key(cli), sealed_at="2020-01-01T00:00:00Z")
    from archivekit.formats.seal import Envelope
    from archivekit.trust.timestamp import request_token
    seal_file = next((Path(package) / "signatures").glob("*.dsse.json"))
    signature = Envelope.parse(seal_file.read_bytes()).signatures[0][1]
    seal_file.with_name(seal_file.name.replace(".dsse.json", ".tsr")).write_bytes(
        request_token(tsa.url(), signature))
    _revoke(cli, datetime(2021, 1, 1, tzinfo=timezone.utc))
    result, seals, codes = seal_facts(cli, package)
    assert result.returncode == 1 and "AK510" in codes
    assert seals[0]["time_source"] == "timestamp"
