"""Ed25519 keys: key ids, PEM text, the signing key."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit.errors import UsageError
from archivekit.trust.keys import SigningKey, key_id_for, load_public_pem, public_pem


def test_a_key_id_is_ed25519_and_16_hex_digits_of_its_public_key():
    key = Ed25519PrivateKey.generate()
    key_id = key_id_for(key.public_key())
    assert key_id.startswith("ed25519:") and len(key_id) == len("ed25519:") + 16
    int(key_id.split(":")[1], 16)
    assert key_id == key_id_for(load_public_pem(public_pem(key.public_key()).encode(), "x"))
    assert key_id != key_id_for(Ed25519PrivateKey.generate().public_key())


def test_a_signing_key_signs_as_its_public_half_verifies():
    key = SigningKey("desk", Ed25519PrivateKey.generate(), "Gazette")
    key.public_key.verify(key.sign(b"statement"), b"statement")     # raises if not
    assert key.key_id == key_id_for(key.public_key)


@pytest.mark.parametrize("data, problem", [
    (b"not a key", "not a PEM public key"),
    (ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
     "not an Ed25519 public key"),
])
def test_a_public_key_that_is_not_ed25519_pem_is_refused_naming_its_source(data, problem):
    with pytest.raises(UsageError) as caught:
        load_public_pem(data, "their-key.pem")
    assert caught.value.message.startswith("their-key.pem: " + problem)
