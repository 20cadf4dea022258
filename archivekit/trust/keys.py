"""Ed25519 keys: key ids, PEM text, and the private key that seals.

A key id is `ed25519:` + the first 16 hex digits of SHA-256 over the raw public key.
Where private keys are kept is keyring.py; which public keys a verifier believes is
truststore.py.
"""

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from archivekit.errors import UsageError


def key_id_for(public_key: Ed25519PublicKey) -> str:
    """The key id of a public key: 'ed25519:' and the first 16 hex digits of SHA-256 over
    its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    """A public key as PEM text (SubjectPublicKeyInfo)."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_pem(data: bytes, source: str) -> Ed25519PublicKey:
    """The Ed25519 public key in PEM `data`; a UsageError naming `source` for anything else."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise UsageError(f"{source}: not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{source}: not an Ed25519 public key")
    return key


@dataclass
class SigningKey:
    """A private key that seals, with the name and organization it signs as."""
    name: str
    private_key: Ed25519PrivateKey
    organization: str = ""

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half, the one a trust store holds."""
        return self.private_key.public_key()

    @property
    def key_id(self) -> str:
        """The key id seals and checkpoints name ('ed25519:…')."""
        return key_id_for(self.public_key)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature over `message`."""
        return self.private_key.sign(message)
