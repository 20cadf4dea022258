"""RFC 3161 timestamps against a real TSA (openssl ts -reply) on 127.0.0.1, and tokens
as real authorities send them: the DigiCert and FreeTSA responses from the corpus,
re-sorted without touching a signed byte, checked at genTime."""

import itertools
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cryptography import x509
from hypothesis import given, settings, strategies as st
from rfc3161_client import decode_timestamp_response

from archivekit.trust.timestamp import (TimestampInvalid, _children, _element, decode, der_sorted,
                                        verify_imprint, verify_token)
from conftest import SEED


@pytest.mark.parametrize("route,message", [
    ("/wrong-nonce", "nonce is not ours"), ("/wrong-imprint", "stamps something else"),
    ("/web-page", "not a timestamp response (ASN.1 element runs past its container; 42 bytes "
                  "of text/html)")])
def test_bad_answers_are_refused_at_capture(cli, tmp_path, tsa, route, message):
    result = cli("capture", SEED, "--out", tmp_path / "archive", "--tsa", tsa.url(route))
    assert result.returncode == 3 and message in result.stderr
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").iterdir())


def test_tsa_certificate_without_the_eku(tsa):
    from archivekit.trust.timestamp import request_token
    token = request_token(tsa.url(), b"signature bytes")
    assert verify_token(token, b"signature bytes", [tsa.good["ca"]]).time
    with pytest.raises(TimestampInvalid):
        verify_token(token, b"signature bytes", [tsa.good["ca"]],
                     tsa_certificate=tsa.good["tsa_without_eku"])


# --- tokens from real authorities ----------------------------------------------------
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tsa"
DIGICERT = (FIXTURES / "auto-archiver__digicert.tsr").read_bytes()
FREETSA = (FIXTURES / "tspclient-go__validResponseWithSigningCertificateV1.tsr").read_bytes()
DIGICERT_ROOT = x509.load_pem_x509_certificate((FIXTURES / "DigiCert_Trusted_Root_G4.pem").read_bytes())
FREETSA_ROOT = x509.load_pem_x509_certificate((FIXTURES / "freetsa_root.pem").read_bytes())
DIGICERT_IMPRINT = bytes.fromhex(
    "fb71a6009f6fa1f43baf746a09cb6339df7f1ad46ee62390847d92438c23abf4"
    "f50b0de3f1c2e1cd6cf40dc5bf42e30852c744ddcb2a47e0c3e2f8061223cc64")


def certificate_set(token: bytes) -> tuple[int, int]:
    """(start, end) of the SignedData certificates SET's contents, found independently
    of der_sorted's own walk: the one [0] element holding whole certificates."""
    response = decode(token)
    members = response.signed_data.certificates
    first = min(token.find(c) for c in members)
    return first, first + sum(len(c) for c in members)


@pytest.mark.parametrize("token", [DIGICERT, FREETSA], ids=["digicert", "freetsa"])
def test_real_responses_are_refused_by_the_strict_parser_and_read_after_sorting(token):
    with pytest.raises(ValueError, match="InvalidSetOrdering"):
        decode_timestamp_response(token)
    fixed = der_sorted(token)
    start, end = certificate_set(token)
    assert len(fixed) == len(token)
    assert fixed[:start] == token[:start] and fixed[end:] == token[end:]   # signed bytes untouched
    assert fixed != token and sorted(fixed[start:end]) == sorted(token[start:end])
    assert decode_timestamp_response(fixed).tst_info.gen_time


def test_digicert_token_verifies_to_its_root_at_gen_time():
    proven = verify_imprint(DIGICERT, DIGICERT_IMPRINT, [DIGICERT_ROOT])
    assert proven.time == datetime(2025, 3, 24, 11, 17, 47, tzinfo=timezone.utc)
    assert "DigiCert Timestamp" in proven.tsa


def test_freetsa_token_verifies_although_its_tsa_certificate_has_since_expired():
    tsa_certificate = next(c for c in map(x509.load_der_x509_certificate,
                                          decode(FREETSA).signed_data.certificates)
                           if c.subject != c.issuer)
    assert tsa_certificate.not_valid_after_utc < datetime.now(timezone.utc)   # expired now...
    proven = verify_token(FREETSA, b"test", [FREETSA_ROOT])                  # ...valid then
    assert proven.time == datetime(2024, 4, 9, 5, 29, 39, tzinfo=timezone.utc)
    assert proven.time < tsa_certificate.not_valid_after_utc
    assert "freetsa.org" in proven.tsa


@pytest.mark.parametrize("check", [
    lambda: verify_token(FREETSA, b"tent", [FREETSA_ROOT]),              # another message
    lambda: verify_token(FREETSA, b"test", [DIGICERT_ROOT]),             # another authority
    lambda: verify_token(FREETSA, b"test", []),                          # no root configured
    lambda: verify_imprint(DIGICERT, DIGICERT_IMPRINT[::-1], [DIGICERT_ROOT]),
])
def test_wrong_message_or_root_is_refused(check):
    with pytest.raises(TimestampInvalid):
        check()


def test_a_changed_gen_time_breaks_the_signature():
    at = FREETSA.find(b"20240409052939Z")
    assert at > 0
    forged = FREETSA[:at] + b"20230409052939Z" + FREETSA[at + 15:]
    with pytest.raises(TimestampInvalid):
        verify_token(forged, b"test", [FREETSA_ROOT])


def test_every_order_of_the_certificates_reads_the_same():
    start, end = certificate_set(DIGICERT)
    members = [DIGICERT[a:b] for _, a, b in _children(DIGICERT, start, end)]
    assert len(members) == 3
    for order in itertools.permutations(members):
        token = DIGICERT[:start] + b"".join(order) + DIGICERT[end:]
        assert der_sorted(token) == der_sorted(DIGICERT)
        assert verify_imprint(token, DIGICERT_IMPRINT, [DIGICERT_ROOT]).time.year == 2025


def test_element_reader_refuses_lengths_past_the_end():
    with pytest.raises(ValueError):
        _element(b"\x30\x05\x02\x01", 0, 4)
    with pytest.raises(ValueError):
        _element(b"\x30\x80\x00\x00", 0, 4)     # indefinite length: BER, not DER


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.builds(
    lambda cut, flip, value: (FREETSA[:cut] + bytes([value]) + FREETSA[cut + 1:])[:flip],
    st.integers(0, len(FREETSA) - 1), st.integers(0, len(FREETSA)), st.integers(0, 255)))
def test_any_bytes_give_a_verdict_or_a_clear_refusal(token):
    try:
        verify_token(token, b"test", [FREETSA_ROOT])
    except TimestampInvalid as exc:
        assert str(exc)
