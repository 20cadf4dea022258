"""RFC 3161 trusted timestamps on seals, through rfc3161-client (no hand-written ASN.1).

A token is requested over SHA-256 of a seal's signature bytes and stored beside the
seal as `<seal>.tsr` (the DER TimeStampResp). It proves the seal existed at the
token's time, so key validity and revocation are judged at that time, not at the
signer's own claim.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from cryptography import x509
from rfc3161_client import (HashAlgorithm, PKIStatus, TimestampRequestBuilder, VerificationError,
                            VerifierBuilder, decode_timestamp_response)

from archivekit.errors import CaptureFailed

MEDIA_TYPE_QUERY = "application/timestamp-query"
MEDIA_TYPE_REPLY = "application/timestamp-reply"


class TimestampInvalid(ValueError):
    """A token that does not prove what it should; the message says why."""


@dataclass
class ProvenTime:
    time: datetime
    tsa: str          # the TSA certificate's subject


def request_token(url: str, signature: bytes, timeout: float = 30.0) -> bytes:
    """Ask the TSA at `url`; return the response DER after checking it answers our request."""
    request = (TimestampRequestBuilder().data(signature).hash_algorithm(HashAlgorithm.SHA256)
               .nonce(nonce=True).cert_request(cert_request=True).build())
    try:
        answer = requests.post(url, data=request.as_bytes(), timeout=timeout,
                               headers={"Content-Type": MEDIA_TYPE_QUERY})
    except requests.RequestException as exc:
        raise CaptureFailed(f"timestamp authority {url}: {exc}; nothing was written") from None
    if answer.status_code != 200:
        raise CaptureFailed(f"timestamp authority {url} answered HTTP {answer.status_code}")
    try:
        response = decode_timestamp_response(answer.content)
    except ValueError as exc:
        raise CaptureFailed(f"timestamp authority {url}: not a timestamp response ({exc})") from None
    if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise CaptureFailed(f"timestamp authority {url} refused: status {response.status}")
    if response.tst_info.message_imprint.message != hashlib.sha256(signature).digest():
        raise CaptureFailed(f"timestamp authority {url}: the token stamps something else")
    if response.tst_info.nonce != request.nonce:
        raise CaptureFailed(f"timestamp authority {url}: the token's nonce is not ours "
                            "(a replayed or misdirected answer)")
    return answer.content


def verify_token(token: bytes, signature: bytes, roots: list[x509.Certificate],
                 tsa_certificate: x509.Certificate | None = None) -> ProvenTime:
    """Check status, imprint, the TSA chain to a trusted root, the critical
    timeStamping EKU and the token's signature. Raise TimestampInvalid with the reason."""
    if not roots:
        raise TimestampInvalid("no trusted timestamp authority root is configured")
    try:
        response = decode_timestamp_response(token)
    except ValueError as exc:
        raise TimestampInvalid(f"not a timestamp response: {exc}") from None
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    if tsa_certificate is not None:
        builder = builder.tsa_certificate(tsa_certificate)
    try:
        builder.build().verify(response, hashlib.sha256(signature).digest())
    except VerificationError as exc:
        raise TimestampInvalid(str(exc)) from None
    except ValueError as exc:
        raise TimestampInvalid(f"unreadable token: {exc}") from None
    moment = response.tst_info.gen_time
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    certificates = [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]
    signer = tsa_certificate or next((c for c in certificates if _stamps(c)), None)
    return ProvenTime(moment, signer.subject.rfc4514_string() if signer else "unknown")


def _stamps(certificate: x509.Certificate) -> bool:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return x509.ExtendedKeyUsageOID.TIME_STAMPING in usage
