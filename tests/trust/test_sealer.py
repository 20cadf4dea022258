"""The Sealer: one home for making a seal (statement, DSSE envelope, RFC 3161 token)."""

import pytest

from archivekit.errors import CaptureFailed
from archivekit.formats import seal
from archivekit.trust.sealer import Sealer
from archivekit.trust.signer import Signer
from archivekit.trust.timestamp import verify_token

TAGS = {"tagmanifest-sha256.txt": b"0" * 64 + b"  bagit.txt\n",
        "tagmanifest-sha512.txt": b"0" * 128 + b"  bagit.txt\n"}


def test_a_seal_without_an_authority_is_an_envelope_signed_by_the_signer():
    signer = Signer.generate("Desk", "Gazette")
    sealed = Sealer(signer).seal("pkg-1", "2026-12-02T00:00:00Z", TAGS, "10.1")
    envelope = seal.Envelope.parse(sealed.envelope)
    key_id, signature = envelope.signatures[0]
    assert key_id == signer.key.key_id == Sealer(signer).key_id
    signer.key.public_key.verify(signature, envelope.signed_message)   # raises if not
    statement = envelope.statement()
    assert statement["package_id"] == "pkg-1"
    assert statement == seal.make_statement("pkg-1", "2026-12-02T00:00:00Z", TAGS, "10.1",
                                            signer.key, "Desk", "Gazette")
    assert sealed.token is None


def test_an_authority_stamps_the_seals_signature(tsa):
    signer = Signer.generate("Desk")
    sealed = Sealer(signer, tsa.url()).seal("pkg-1", "2026-12-02T00:00:00Z", TAGS, "10.1")
    signature = seal.Envelope.parse(sealed.envelope).signatures[0][1]
    proven = verify_token(sealed.token, signature, [tsa.good["ca"]])
    assert "archivekit test TSA" in proven.tsa


def test_an_authority_that_fails_stops_the_seal():
    dead = "http://127.0.0.1:9/"     # the discard port: nothing answers
    with pytest.raises(CaptureFailed, match="timestamp authority"):
        Sealer(Signer.generate("Desk"), dead).seal("pkg-1", "2026-12-02T00:00:00Z", TAGS, "1.1")
