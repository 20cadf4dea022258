"""The seal: a DSSE envelope, Ed25519, over a statement that names the tag manifests.

Since the tag manifests cover the descriptor and the payload manifests, one seal
binds every byte of the package except the seals themselves.

This module is the format only; a key is anything with `key_id` and `sign(bytes)`
(archivekit.trust.keys.SigningKey), so the format does not depend on key storage.
"""

import base64
import binascii
import hashlib
import re

from archivekit._internal.software import SOFTWARE

from archivekit._internal import strictjson
from archivekit.formats.layout import ALGORITHMS, tagmanifest_path

PAYLOAD_TYPE = "application/vnd.archivekit.formats.seal+json"
STATEMENT_TYPE = "archivekit/seal/v1"
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")


class SealFormatError(ValueError):
    """An envelope or statement that is not what the format says."""


def pae(payload_type: str, body: bytes) -> bytes:
    """DSSE pre-authentication encoding: what the signature actually covers."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(body), body)


def tagmanifest_digests(tag_manifests: dict[str, bytes]) -> dict[str, str]:
    """The digest of each tag manifest, by algorithm: what a seal vouches for."""
    return {alg: hashlib.new(alg, tag_manifests[tagmanifest_path(alg)]).hexdigest()
            for alg in ALGORITHMS}


def make_statement(package_id: str, sealed_at: str, tag_manifests: dict[str, bytes],
                   payload_oxum: str, key, signer_name: str,
                   organization: str) -> dict:
    """The seal's statement: which package, when, the tag manifests' digests and
    Payload-Oxum, who signs and with what software."""
    return {
        "type": STATEMENT_TYPE,
        "package_id": package_id,
        "sealed_at": sealed_at,
        "tagmanifest": tagmanifest_digests(tag_manifests),
        "payload_oxum": payload_oxum,
        "signer": {"key_id": key.key_id, "name": signer_name, "organization": organization},
        "software": dict(SOFTWARE),
    }


def sign(statement: dict, key, payload_type: str = PAYLOAD_TYPE) -> bytes:
    """Return the envelope file's bytes."""
    body = strictjson.dumps(statement, compact=True)
    envelope = {
        "payload": base64.b64encode(body).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [{"keyid": key.key_id,
                        "sig": base64.b64encode(key.sign(pae(payload_type, body))).decode("ascii")}],
    }
    return strictjson.dumps(envelope)


def _b64(value, what: str) -> bytes:
    if not isinstance(value, str) or not _B64.match(value) or len(value) % 4:
        raise SealFormatError(f"{what} is not standard base64")
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise SealFormatError(f"{what} is not standard base64") from None


class Envelope:
    """A parsed DSSE envelope. Parsing checks form only; trust is the verifier's job."""

    def __init__(self, payload_type: str, body: bytes, signatures: list[tuple[str, bytes]],
                 extra_fields: list[str]):
        self.payload_type = payload_type
        self.body = body
        self.signatures = signatures          # (keyid hint, signature bytes)
        self.extra_fields = extra_fields      # e.g. an embedded public key: ignored, reported

    @property
    def signed_message(self) -> bytes:
        """The bytes the signature covers (DSSE's pre-authentication encoding)."""
        return pae(self.payload_type, self.body)

    @classmethod
    def parse(cls, data: bytes) -> "Envelope":
        """An envelope from a seal file's bytes; SealFormatError saying what is wrong with
        its form."""
        try:
            document = strictjson.loads(data)
        except strictjson.StrictJSONError as exc:
            raise SealFormatError(f"envelope is not strict JSON: {exc}") from None
        if not isinstance(document, dict):
            raise SealFormatError("envelope is not a JSON object")
        missing = [k for k in ("payload", "payloadType", "signatures") if k not in document]
        if missing:
            raise SealFormatError(f"envelope lacks {', '.join(missing)}")
        if not isinstance(document["payloadType"], str):
            raise SealFormatError("payloadType is not a string")
        body = _b64(document["payload"], "payload")
        raw_signatures = document["signatures"]
        if not isinstance(raw_signatures, list) or not raw_signatures:
            raise SealFormatError("signatures is not a non-empty list")
        signatures, extra = [], [k for k in document if k not in
                                 ("payload", "payloadType", "signatures")]
        for index, entry in enumerate(raw_signatures):
            if not isinstance(entry, dict) or "sig" not in entry:
                raise SealFormatError(f"signature #{index + 1} has no 'sig'")
            keyid = entry.get("keyid", "")
            if not isinstance(keyid, str):
                raise SealFormatError(f"signature #{index + 1} keyid is not a string")
            extra += [f"signatures[{index}].{k}" for k in entry if k not in ("keyid", "sig")]
            signatures.append((keyid, _b64(entry["sig"], f"signature #{index + 1}")))
        return cls(document["payloadType"], body, signatures, extra)

    def statement(self) -> dict:
        """The statement the envelope carries; SealFormatError when it is not strict JSON or
        lacks a field."""
        try:
            statement = strictjson.loads(self.body)
        except strictjson.StrictJSONError as exc:
            raise SealFormatError(f"statement is not strict JSON: {exc}") from None
        problems = statement_problems(statement)
        if problems:
            raise SealFormatError("statement " + "; ".join(problems))
        return statement


def statement_problems(statement) -> list[str]:
    """What a statement lacks or has wrong, one phrase each (empty: none)."""
    if not isinstance(statement, dict):
        return ["is not a JSON object"]
    problems = []
    if statement.get("type") != STATEMENT_TYPE:
        problems.append(f"type is {statement.get('type')!r}, expected {STATEMENT_TYPE!r}")
    for name in ("package_id", "sealed_at", "payload_oxum"):
        if not isinstance(statement.get(name), str):
            problems.append(f"lacks {name}")
    digests = statement.get("tagmanifest")
    if not isinstance(digests, dict) or not all(isinstance(digests.get(a), str) for a in ALGORITHMS):
        problems.append("lacks tagmanifest digests for " + " and ".join(ALGORITHMS))
    signer = statement.get("signer")
    if not isinstance(signer, dict) or not isinstance(signer.get("key_id"), str):
        problems.append("lacks signer.key_id")
    return problems
