"""RFC 3161 trusted timestamps on seals, through rfc3161-client.

A token is requested over SHA-256 of a seal's signature bytes and stored beside the
seal as `<seal>.tsr`: the authority's own DER TimeStampResp, byte for byte. It proves
the seal existed at the token's time (genTime), so key validity and revocation are
judged at that time, not at the signer's own claim. The TSA's certificate chain is
checked at genTime too: a TSA certificate that expired since is fine, as it was then.

Authorities in the wild (DigiCert, GlobalSign, FreeTSA, OpenSSL, BouncyCastle and
Microsoft TSAs) list the SignedData `certificates` SET in chain order, not in the
ascending order DER requires, and rfc3161-client's strict parser refuses them. That
list is not covered by the token's signature (the signer signs its attributes and
the TSTInfo), so before parsing we put its elements in DER order. This is a
permutation inside one byte range: no length changes, so no other byte moves.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

import requests
from cryptography import x509
from rfc3161_client import (HashAlgorithm, PKIStatus, TimestampRequestBuilder, VerificationError,
                            VerifierBuilder, decode_timestamp_response)
from rfc3161_client.tsp import TimeStampResponse

from archivekit.errors import CaptureFailed

MEDIA_TYPE_QUERY = "application/timestamp-query"
MEDIA_TYPE_REPLY = "application/timestamp-reply"
_CERTIFICATES_TAG = 0xA0      # SignedData.certificates: [0] IMPLICIT SET OF


class TimestampInvalid(ValueError):
    """A token that does not prove what it should; the message says why."""


@dataclass
class ProvenTime:
    """A time an RFC 3161 token proves: the moment, and the subject of the TSA certificate
    that vouches for it."""
    time: datetime
    tsa: str          # the TSA certificate's subject


def _element(data: bytes, at: int, end: int) -> tuple[int, int, int]:
    """(tag, content start, content end) of the DER element starting at `at`.
    Definite lengths only: indefinite (BER) lengths are not DER and are refused."""
    if at + 2 > end:
        raise ValueError("truncated ASN.1 element")
    tag, first, at = data[at], data[at + 1], at + 2
    if tag & 0x1F == 0x1F:
        raise ValueError("unexpected multi-byte ASN.1 tag")
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if not 1 <= count <= 4 or at + count > end:
            raise ValueError("unsupported ASN.1 length")
        length, at = int.from_bytes(data[at:at + count], "big"), at + count
    if at + length > end:
        raise ValueError("ASN.1 element runs past its container")
    return tag, at, at + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """(tag, element start, element end) of each element in data[start:end]."""
    found, at = [], start
    while at < end:
        tag, _, stop = _element(data, at, end)
        found.append((tag, at, stop))
        at = stop
    return found


def der_sorted(token: bytes) -> bytes:
    """The TimeStampResp with its SignedData certificates in DER (ascending) order.
    Raise ValueError if the bytes are not shaped like a TimeStampResp."""
    _, start, end = _element(token, 0, len(token))                  # TimeStampResp
    parts = _children(token, start, end)
    if len(parts) < 2:
        return token                                                # no token (refused)
    _, start, end = _element(token, parts[1][1], parts[1][2])      # ContentInfo
    parts = _children(token, start, end)
    if len(parts) < 2:
        raise ValueError("ContentInfo without content")
    _, start, end = _element(token, parts[1][1], parts[1][2])      # [0] EXPLICIT
    _, start, end = _element(token, start, end)                    # SignedData
    certificates = [p for p in _children(token, start, end) if p[0] == _CERTIFICATES_TAG]
    if not certificates:
        return token
    _, start, end = _element(token, certificates[0][1], certificates[0][2])
    members = sorted(token[a:b] for _, a, b in _children(token, start, end))
    return token[:start] + b"".join(members) + token[end:]


def decode(token: bytes) -> TimeStampResponse:
    """Parse a TimeStampResp as any conforming authority sends it; ValueError if unreadable."""
    return decode_timestamp_response(der_sorted(token))


def request_token(url: str, signature: bytes, timeout: float = 30.0) -> bytes:
    """Ask the TSA at `url`; return its response DER after checking it answers our request."""
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
        response = decode(answer.content)
    except ValueError as exc:
        # What came instead says where to look: a web page (the address of the service's
        # site, not its TSA endpoint; a proxy's login page), nothing at all...
        kind = answer.headers.get("Content-Type") or "no Content-Type"
        raise CaptureFailed(f"timestamp authority {url}: not a timestamp response ({exc}; "
                            f"{len(answer.content)} bytes of {kind})") from None
    if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise CaptureFailed(f"timestamp authority {url} refused: status {response.status}")
    if response.tst_info.message_imprint.message != hashlib.sha256(signature).digest():
        raise CaptureFailed(f"timestamp authority {url}: the token stamps something else")
    if response.tst_info.nonce != request.nonce:
        raise CaptureFailed(f"timestamp authority {url}: the token's nonce is not ours "
                            "(a replayed or misdirected answer)")
    return answer.content


_IMPRINT_HASHES = {"2.16.840.1.101.3.4.2.1": hashlib.sha256,
                   "2.16.840.1.101.3.4.2.2": hashlib.sha384,
                   "2.16.840.1.101.3.4.2.3": hashlib.sha512}


def verify_token(token: bytes, message: bytes, roots: list[x509.Certificate],
                 tsa_certificate: x509.Certificate | None = None) -> ProvenTime:
    """Check that the token stamps `message` (hashed as the token says: SHA-256, -384 or
    -512), its status, the TSA chain to a trusted root at genTime, the critical
    timeStamping EKU and the signature. Raise TimestampInvalid with the reason."""
    response = _decoded(token)
    algorithm = response.tst_info.message_imprint.hash_algorithm.dotted_string
    if algorithm not in _IMPRINT_HASHES:
        raise TimestampInvalid(f"unsupported imprint hash algorithm {algorithm}")
    return _verified(response, _IMPRINT_HASHES[algorithm](message).digest(), roots,
                     tsa_certificate)


def verify_imprint(token: bytes, imprint: bytes, roots: list[x509.Certificate]) -> ProvenTime:
    """As verify_token, for a token whose stamped message is known only by its digest."""
    return _verified(_decoded(token), imprint, roots, None)


def _decoded(token: bytes) -> TimeStampResponse:
    try:
        response = decode(token)
        # rfc3161-client parses the token itself only when it is first asked for it:
        # ask here, so a malformed token is refused here too.
        response.tst_info.message_imprint.hash_algorithm.dotted_string
        return response
    except ValueError as exc:
        raise TimestampInvalid(f"not a timestamp response: {exc}") from None


def _verified(response: TimeStampResponse, imprint: bytes, roots, tsa_certificate) -> ProvenTime:
    if not roots:
        raise TimestampInvalid("no trusted timestamp authority root is configured")
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    if tsa_certificate is not None:
        builder = builder.tsa_certificate(tsa_certificate)
    try:    # rfc3161-client checks the chain at genTime, not now
        builder.build().verify(response, imprint)
    except VerificationError as exc:
        raise TimestampInvalid(str(exc)) from None
    except ValueError as exc:
        raise TimestampInvalid(f"unreadable token: {exc}") from None
    moment = response.tst_info.gen_time
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return ProvenTime(moment, _signer(response, tsa_certificate))


def _signer(response: TimeStampResponse, tsa_certificate) -> str:
    """The TSA certificate's subject: the one the SignerInfo names (issuer and serial;
    an intermediate CA may carry the timeStamping usage too)."""
    if tsa_certificate is not None:
        return tsa_certificate.subject.rfc4514_string()
    signer_info = next(iter(response.signed_data.signer_infos))
    for der in response.signed_data.certificates:
        certificate = x509.load_der_x509_certificate(der)
        if certificate.issuer == signer_info.issuer and \
                certificate.serial_number == signer_info.serial_number:
            return certificate.subject.rfc4514_string()
    return "unknown"
