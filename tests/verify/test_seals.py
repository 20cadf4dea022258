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
