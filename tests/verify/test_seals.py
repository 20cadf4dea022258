"""Seal statements (verify/seals.py), signed by a trusted key but wrong inside: the
verifier reads what the statement says, not only whether the signature holds."""

from conftest import reseal, signing_key, verify_here


def _messages(report, code):
    return [f.message for f in report.findings if f.code == code]


def test_a_statement_of_another_type(package):
    cli, bag = package
    reseal(bag, signing_key(cli), statement_changes={"type": "https://example.org/other"})
    report = verify_here(cli, bag)
    assert any(m.startswith("statement type is") for m in _messages(report, "AK504")), \
        report.findings


def test_a_seal_time_that_is_not_a_time(package):
    cli, bag = package
    reseal(bag, signing_key(cli), statement_changes={"sealed_at": "yesterday"})
    report = verify_here(cli, bag)
    assert any(m.startswith("sealed_at:") for m in _messages(report, "AK504")), report.findings


def test_a_statement_naming_another_signer(package):
    cli, bag = package
    key = signing_key(cli)
    reseal(bag, key, statement_changes={"signer": {"key_id": "ed25519:0123456789abcdef",
                                                   "name": "someone else"}})
    report = verify_here(cli, bag)
    assert [(f.expected, f.found) for f in report.findings if f.code == "AK515"] == [
        (key.key_id, "ed25519:0123456789abcdef")]


def _key_findings(**trusted) -> list[tuple[str, str]]:
    """What the verifier says of a key trusted with `trusted` (roles, validity) for a seal
    it claims to have made on 2026-06-01, judged on 2026-07-01."""
    from datetime import datetime, timezone

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import Grounds, VerificationPolicy
    from archivekit.verify.findings import Report
    from archivekit.verify.seals import _check_key_at_seal_time
    trust = TrustStore(None)
    key = trust.add(Ed25519PrivateKey.generate().public_key(), "reader", **trusted)
    statement = {"signer": {"key_id": key.key_id}, "sealed_at": "2026-06-01T00:00:00Z"}
    grounds = Grounds(trust, datetime(2026, 7, 1, tzinfo=timezone.utc), VerificationPolicy())
    report = Report("x")
    _check_key_at_seal_time(key, statement, grounds, report, "seal")
    return [(f.code, f.message) for f in report.findings]


def test_a_key_valid_for_the_seal_time():
    assert _key_findings() == []


def test_a_key_trusted_for_another_role_or_time():
    from datetime import datetime, timezone
    assert _key_findings(roles=("log",)) == [("AK509", "trusted key reader has no 'seal' role")]
    assert _key_findings(not_before=datetime(2026, 6, 15, tzinfo=timezone.utc)) == [
        ("AK509", "key reader was not yet valid at the seal time")]
    assert _key_findings(not_after=datetime(2026, 5, 1, tzinfo=timezone.utc)) == [
        ("AK509", "key reader had expired at the seal time")]
