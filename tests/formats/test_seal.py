"""The seal's format: a DSSE envelope (Ed25519) over a statement naming the tag manifests.
Parsing checks form only, names what is wrong, and meets any bytes with SealFormatError."""

import base64
import hashlib
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, strategies as st

from archivekit.formats import seal

TAGS = {"tagmanifest-sha256.txt": b"a  bagit.txt\n", "tagmanifest-sha512.txt": b"b  bagit.txt\n"}


class Key:
    """What the format asks of a key: an id and sign(bytes)."""
    key_id = "ed25519:00112233aabbccdd"

    def __init__(self):
        self.private = Ed25519PrivateKey.generate()

    def sign(self, data: bytes) -> bytes:
        return self.private.sign(data)


def _statement(key):
    return seal.make_statement("pkg-1", "2026-12-02T00:00:00Z", TAGS, "10.1", key, "Desk",
                               "Gazette")


def _envelope(**changes) -> bytes:
    document = {"payload": base64.b64encode(b"{}").decode(), "payloadType": "t",
                "signatures": [{"keyid": "k", "sig": base64.b64encode(b"s" * 64).decode()}]}
    document.update(changes)
    return json.dumps({k: v for k, v in document.items() if v is not ...}).encode()


def test_pae_is_dsse_v1_as_its_specification_gives_it():
    # github.com/secure-systems-lab/dsse protocol.md, the worked example
    assert seal.pae("http://example.com/HelloWorld", b"hello world") == \
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    assert seal.pae("é", b"") == b"DSSEv1 2 \xc3\xa9 0 "          # lengths in bytes


def test_a_signed_envelope_parses_back_to_its_statement_and_signature():
    key = Key()
    statement = _statement(key)
    envelope = seal.Envelope.parse(seal.sign(statement, key))
    assert envelope.payload_type == seal.PAYLOAD_TYPE and envelope.extra_fields == []
    assert envelope.statement() == statement
    (keyid, signature), = envelope.signatures
    assert keyid == key.key_id
    key.private.public_key().verify(signature, envelope.signed_message)   # raises if not
    assert envelope.signed_message == seal.pae(seal.PAYLOAD_TYPE, envelope.body)


def test_the_statement_vouches_for_each_tag_manifest_and_names_its_signer():
    key = Key()
    statement = _statement(key)
    assert statement["tagmanifest"] == {
        "sha256": hashlib.sha256(TAGS["tagmanifest-sha256.txt"]).hexdigest(),
        "sha512": hashlib.sha512(TAGS["tagmanifest-sha512.txt"]).hexdigest()}
    assert statement["signer"] == {"key_id": key.key_id, "name": "Desk", "organization": "Gazette"}
    assert seal.statement_problems(statement) == []


@pytest.mark.parametrize("data, problem", [
    (b"{\"payload\": 1,", "not strict JSON"),
    (b"[]", "not a JSON object"),
    (_envelope(payload=..., signatures=...), "lacks payload, signatures"),
    (_envelope(payloadType=3), "payloadType is not a string"),
    (_envelope(payload="e30"), "payload is not standard base64"),            # unpadded
    (_envelope(payload="e3 0="), "payload is not standard base64"),
    (_envelope(payload="-_8="), "payload is not standard base64"),           # URL-safe
    (_envelope(payload=["e30="]), "payload is not standard base64"),
    (_envelope(payload="ééé="), "payload is not standard base64"),            # not ASCII
    (_envelope(signatures=[]), "signatures is not a non-empty list"),
    (_envelope(signatures={"sig": "AA=="}), "signatures is not a non-empty list"),
    (_envelope(signatures=[{"sig": "AA=="}, {"keyid": "k"}]), "signature #2 has no 'sig'"),
    (_envelope(signatures=["a sig"]), "signature #1 has no 'sig'"),
    (_envelope(signatures=[{"keyid": 7, "sig": "AA=="}]), "signature #1 keyid is not a string"),
    (_envelope(signatures=[{"sig": "AA="}]), "signature #1 is not standard base64"),
])
def test_an_envelope_of_the_wrong_form_is_refused_naming_what_is_wrong(data, problem):
    with pytest.raises(seal.SealFormatError, match=problem):
        seal.Envelope.parse(data)


def test_fields_dsse_does_not_define_are_kept_to_be_reported():
    envelope = seal.Envelope.parse(_envelope(publicKey="x", signatures=[
        {"sig": "AA==", "cert": "y"}]))
    assert envelope.extra_fields == ["publicKey", "signatures[0].cert"]
    assert envelope.signatures == [("", b"\0")]


def test_every_problem_of_a_statement_is_named_at_once():
    problems = seal.statement_problems({"type": "x", "tagmanifest": {"sha256": "a"},
                                        "signer": {}, "sealed_at": 5})
    assert problems == ["type is 'x', expected 'archivekit/seal/v1'", "lacks package_id",
                        "lacks sealed_at", "lacks payload_oxum",
                        "lacks tagmanifest digests for sha256 and sha512", "lacks signer.key_id"]
    assert seal.statement_problems([]) == ["is not a JSON object"]
    with pytest.raises(seal.SealFormatError, match="statement is not strict JSON"):
        seal.Envelope.parse(_envelope(payload=base64.b64encode(b"{,}").decode())).statement()
    with pytest.raises(seal.SealFormatError, match="^statement type is None, .*; lacks package_id; lacks sealed_at"):
        seal.Envelope.parse(_envelope()).statement()


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["payload", "payloadType", "signatures",
                                                          "sig", "keyid", "x"]), inner, max_size=4),
                       max_leaves=10)


@given(st.binary(max_size=300) | JSONISH.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_parse_or_are_refused_with_a_seal_format_error(data):
    try:
        envelope = seal.Envelope.parse(data)
    except seal.SealFormatError as exc:
        assert str(exc)
        return
    try:
        envelope.statement()
    except seal.SealFormatError:
        pass
