"""The keyring: private keys under <home>/keys/<name>.pem.

A private key is a PKCS#8 PEM file, mode 0600, optionally passphrase-encrypted.
"""

import os
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit._internal.fsutil import atomic_write_bytes
from archivekit._internal.suggest import did_you_mean
from archivekit.errors import KeyProblem, UsageError
from archivekit.trust.home import Home
from archivekit.trust.keys import SigningKey

KEY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DEFAULT_KEY_NAME = "local"
PASSPHRASE_ENV = "ARCHIVEKIT_PASSPHRASE"


class Keyring:
    """Private keys under <home>/keys/<name>.pem."""

    def __init__(self, home: Home):
        self.home = home

    def path(self, name: str) -> Path:
        """Where the key named `name` lives; a UsageError for a name that is not a safe file
        name."""
        if not KEY_NAME.match(name or ""):
            raise UsageError(f"key name {name!r}: use letters, digits, '.', '_' or '-' (max 64)")
        return self.home.keys_dir / f"{name}.pem"

    def names(self) -> list[str]:
        """The names of the keys in the keyring, sorted."""
        if not self.home.keys_dir.is_dir():
            return []
        return sorted(p.stem for p in self.home.keys_dir.glob("*.pem"))

    def generate(self, name: str, passphrase: bytes | None = None) -> SigningKey:
        """Make a new key named `name`, written atomically with mode 0600 (encrypted when a
        passphrase is given); refuses a name already taken."""
        path = self.path(name)
        if path.exists():
            raise UsageError(f"key {name!r} already exists at {path}; choose another name")
        private_key = Ed25519PrivateKey.generate()
        encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                      else serialization.NoEncryption())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        self.home.keys_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home.keys_dir, 0o700)
        atomic_write_bytes(path, pem, mode=0o600, overwrite=False)
        return SigningKey(name, private_key)

    def is_encrypted(self, name: str) -> bool:
        """Whether the key named `name` needs a passphrase."""
        return b"ENCRYPTED" in self.path(name).read_bytes()[:64]

    def load(self, name: str, passphrase: bytes | None = None) -> SigningKey:
        """The key named `name`; a KeyProblem naming the file when it is missing,
        unreadable, or the passphrase is wrong."""
        path = self.path(name)
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            raise KeyProblem(f"no key named {name!r} (looked for {path})"
                             f"{did_you_mean(name, self.names())}",
                             remedy="generate-key", subject=name) from None
        except OSError as exc:
            raise KeyProblem(f"{path}: cannot read key: {exc.strerror}") from None
        try:
            key = serialization.load_pem_private_key(pem, password=passphrase or None)
        except TypeError:
            raise KeyProblem(f"{path}: key is passphrase-protected; set ${PASSPHRASE_ENV} "
                             "or run in a terminal to be asked") from None
        except ValueError:
            raise KeyProblem(f"{path}: wrong passphrase or not a PKCS#8 PEM key") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyProblem(f"{path}: not an Ed25519 private key")
        return SigningKey(name, key)
