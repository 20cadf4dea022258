"""Who seals: a signing key from the keyring, described by its trust-store entry.

The embedded default: with no key at all, a key named 'local' is made on first
use, trusted locally, and made the default, so a fresh machine can capture at once.
"""

from dataclasses import dataclass
from typing import Callable

from archivekit.errors import KeyProblem
from archivekit.trust.home import Home
from archivekit.trust.keys import DEFAULT_KEY_NAME, Keyring, TrustStore
from archivekit.trust.signer import Signer
from archivekit._internal.timeutil import utc_now


@dataclass
class KeyCreated:
    name: str
    key_id: str
    path: str
    trust_path: str


def generate_trusted_key(home: Home, name: str, organization: str = "",
                         passphrase: bytes | None = None) -> KeyCreated:
    """Make a key, trust it locally, and make it the default if there was none."""
    with home.lock():
        return _generate_locked(home, name, organization, passphrase)


def _generate_locked(home: Home, name: str, organization: str = "",
                     passphrase: bytes | None = None) -> KeyCreated:
    keyring = Keyring(home)
    key = keyring.generate(name, passphrase)
    trust = TrustStore.load(home.trust_path)
    trust.add(key.public_key, name, organization, not_before=utc_now())
    trust.save()
    if not home.config().get("default_key"):
        home.set_config(default_key=name)
    return KeyCreated(name, key.key_id, str(keyring.path(name)), str(home.trust_path))


def resolve_signer(home: Home, name: str | None,
                   passphrase: Callable[[str], bytes | None]) -> tuple[Signer, KeyCreated | None]:
    """The signer for a capture; `passphrase(name)` is asked only for encrypted keys."""
    keyring = Keyring(home)
    created = None
    if not name:
        with home.lock():   # two first runs at once make one key, not two
            name = home.config().get("default_key")
            if not name and keyring.names():
                raise KeyProblem(f"several keys in {home.keys_dir} and no default",
                                 remedy="choose-key")
            if not name:
                created = _generate_locked(home, DEFAULT_KEY_NAME)
                name = DEFAULT_KEY_NAME
    secret = passphrase(name) if keyring.path(name).exists() and keyring.is_encrypted(name) else None
    key = keyring.load(name, secret)
    entry = TrustStore.load(home.trust_path).find(key.key_id)
    signer_name = entry.name if entry else name
    organization = entry.organization if entry else ""
    return Signer(key, signer_name, organization), created
