"""RFC 3161 timestamps against a real TSA (openssl ts -reply) on 127.0.0.1."""

import json
import shutil
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import serialization

from archivekit.trust.keys import TrustStore
from archivekit.trust.timestamp import TimestampInvalid, verify_token
from conftest import SAMPLES, SEED, reseal, signing_key
from tsa import TimestampAuthority


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    authority = TimestampAuthority(tmp_path_factory.mktemp("tsa"))
    yield authority
    authority.stop()


def trust_tsa(cli, tsa, tmp_path):
    root = tmp_path / "tsa-root.pem"
    root.write_bytes(tsa.good["ca"].public_bytes(serialization.Encoding.PEM))
    assert cli("trust", "add-tsa", root, "--name", "test TSA").returncode == 0


def stamped_package(cli, tmp_path, tsa, source=SEED):
    result = cli("capture", source, "--out", tmp_path / "archive", "--tsa", tsa.url())
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def seal_facts(cli, package):
    result = cli("verify", package, "--json")
    report = json.loads(result.stdout)["packages"][0]
    return result, report["facts"]["seals"], {f["code"] for f in report["findings"]}


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


@pytest.mark.parametrize("route,message", [("/wrong-nonce", "nonce is not ours"),
                                           ("/wrong-imprint", "stamps something else")])
def test_bad_answers_are_refused_at_capture(cli, tmp_path, tsa, route, message):
    result = cli("capture", SEED, "--out", tmp_path / "archive", "--tsa", tsa.url(route))
    assert result.returncode == 3 and message in result.stderr
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").iterdir())


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


def test_tsa_certificate_without_the_eku(tsa):
    from archivekit.trust.timestamp import request_token
    token = request_token(tsa.url(), b"signature bytes")
    assert verify_token(token, b"signature bytes", [tsa.good["ca"]]).time
    with pytest.raises(TimestampInvalid):
        verify_token(token, b"signature bytes", [tsa.good["ca"]],
                     tsa_certificate=tsa.good["tsa_without_eku"])


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
    from pathlib import Path
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


def test_countersignature_and_later_timestamp_leave_tag_manifests_alone(cli, tmp_path, tsa):
    package = cli("capture", SEED, "--out", tmp_path / "archive").stdout.strip()
    before = {p.name: p.read_bytes() for p in (tmp_path / "archive").glob("*/tagmanifest-*")}
    assert cli("keys", "generate", "institution", "--organization", "City Library").returncode == 0
    trust_tsa(cli, tsa, tmp_path)
    counter = cli("seal", package, "--key", "institution", "--tsa", tsa.url())
    assert counter.returncode == 0, counter.stderr
    stamped = cli("seal", package, "--tsa", tsa.url())      # stamps the first seal too
    assert stamped.returncode == 0, stamped.stderr
    result, seals, _ = seal_facts(cli, package)
    assert result.returncode == 0, result.stdout
    assert sorted(s["signer"] for s in seals) == ["institution", "local"]
    assert all(s["time_source"] == "timestamp" for s in seals)
    after = {p.name: p.read_bytes() for p in (tmp_path / "archive").glob("*/tagmanifest-*")}
    assert before == after


def test_seal_refuses_a_package_that_does_not_verify(cli, tmp_path):
    package = cli("capture", SEED, "--out", tmp_path / "archive").stdout.strip()
    from pathlib import Path
    (Path(package) / "bag-info.txt").write_text("Payload-Oxum: 1.1\n")
    assert cli("keys", "generate", "institution").returncode == 0
    result = cli("seal", package, "--key", "institution")
    assert result.returncode == 1 and "does not verify" in result.stderr
    assert len(list((Path(package) / "signatures").iterdir())) == 1


def test_collection_policy_timestamps_every_new_seal(cli, tmp_path, tsa):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    config = collection / "collection.yaml"
    config.write_text(config.read_text().replace("policy:", f"policy:\n  tsa: {tsa.url()}"))
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - path: {SEED}\n")
    trust_tsa(cli, tsa, tmp_path)
    result = cli("run", job)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list(collection.glob("packages/*/signatures/*.tsr"))) == 1
