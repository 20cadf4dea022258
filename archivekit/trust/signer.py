"""Who seals: a signing key and the name and organization its seals carry, and the
signer a capture uses (resolve_signer): the chosen or default key of the keyring,
described by its trust-store entry.

The embedded default: with no key at all, a key named 'local' is made on first use,
trusted locally, and made the default, so a fresh machine can capture at once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit._internal.suggest import did_you_mean
from archivekit._internal.timeutil import utc_now
from archivekit.errors import KeyProblem
from archivekit.trust.home import Home
from archivekit.trust.keyring import DEFAULT_KEY_NAME, Keyring
from archivekit.trust.keys import SigningKey
from archivekit.trust.truststore import ACTIVE, TrustStore

AUTO_DEFAULT = "default_key_automatic"     # config flag: the default was made, not chosen


@dataclass(frozen=True)
class Signer:
    """A signing key and the name and organization every seal it makes will carry."""
    key: SigningKey
    name: str
    organization: str = ""

    @classmethod
    def generate(cls, name: str, organization: str = "") -> "Signer":
        """A new Ed25519 key held in memory only: for scripts and tests. A key that lasts
        lives in the configuration folder (see `Signer.from_home`)."""
        return cls(SigningKey(name, Ed25519PrivateKey.generate(), organization), name,
                   organization)

    @classmethod
    def from_home(cls, name: str | None = None, home: str | None = None,
                  passphrase: bytes | None = None) -> "Signer":
        """The key `name` (default: the default key) from the configuration folder `home`
        (default: $ARCHIVEKIT_HOME, else $XDG_CONFIG_HOME/archivekit). With no key at all,
        one named 'local' is made and trusted there, as the first capture does."""
        signer, _ = resolve_signer(Home.locate(home), name, lambda _name: passphrase)
        return signer


@dataclass
class KeyCreated:
    """A key just made and trusted: its name, id, where it and the trust store are, and
    whether it became the default (and which automatic default it replaced)."""
    name: str
    key_id: str
    path: str
    trust_path: str
    became_default: bool = False
    replaced_default: str | None = None    # the automatic default it took over from


def resolve_signer(home: Home, name: str | None,
                   passphrase: Callable[[str], bytes | None]) -> tuple[Signer, KeyCreated | None]:
    """The signer for a capture; `passphrase(name)` is asked only for encrypted keys.
    A retired or compromised key is refused before anything is made."""
    keyring = Keyring(home)
    created = None
    chosen = bool(name)
    if not name:
        with home.lock():   # two first runs at once make one key, not two
            name = home.config().get("default_key")
            if not name and keyring.names() == [DEFAULT_KEY_NAME] and \
                    not keyring.is_encrypted(DEFAULT_KEY_NAME):
                created = _finish_default(home)   # a run killed while it made the key
                name = DEFAULT_KEY_NAME
            if not name and keyring.names():
                raise KeyProblem(f"several keys in {home.keys_dir} and no default",
                                 remedy="choose-key")
            if not name:
                created = make_trusted_key(home, DEFAULT_KEY_NAME)
                created.became_default = True
                home.set_config(default_key=DEFAULT_KEY_NAME, **{AUTO_DEFAULT: True})
                name = DEFAULT_KEY_NAME
    if not keyring.path(name).exists():
        raise KeyProblem(f"no key named {name!r} in {home.keys_dir}"
                         f"{did_you_mean(name, keyring.names())}"
                         + ("" if chosen else "; the default key is gone"),
                         remedy="list-keys" if chosen else "choose-default")
    secret = passphrase(name) if keyring.is_encrypted(name) else None
    key = keyring.load(name, secret)
    entry = TrustStore.load(home.trust_path).find(key.key_id)
    if entry is not None and entry.state != ACTIVE:
        others = [n for n in keyring.names() if n != name]
        raise KeyProblem(f"key {name!r} is {entry.describe_state()}: it signs nothing new",
                         remedy="choose-another" if others else "generate-key",
                         subject=", ".join(others) if others else "NAME")
    signer_name = entry.name if entry else name
    organization = entry.organization if entry else ""
    return Signer(key, signer_name, organization), created


def _finish_default(home: Home) -> KeyCreated | None:
    """The automatic key made, but not yet trusted or the default (its run was killed):
    trusted if it is not, and made the default. Returns it if it had to be trusted."""
    keyring = Keyring(home)
    key = keyring.load(DEFAULT_KEY_NAME, None)
    made = None
    trust = TrustStore.load(home.trust_path)
    if trust.find(key.key_id) is None:
        trust.add(key.public_key, DEFAULT_KEY_NAME, "", not_before=utc_now())
        trust.save()
        made = KeyCreated(DEFAULT_KEY_NAME, key.key_id, str(keyring.path(DEFAULT_KEY_NAME)),
                          str(home.trust_path))
        made.became_default = True
    home.set_config(default_key=DEFAULT_KEY_NAME, **{AUTO_DEFAULT: True})
    return made


def make_trusted_key(home: Home, name: str, organization: str = "",
                     passphrase: bytes | None = None) -> KeyCreated:
    """Make a key in the keyring and trust it in the trust store; the caller holds the
    home's lock."""
    keyring = Keyring(home)
    key = keyring.generate(name, passphrase)
    trust = TrustStore.load(home.trust_path)
    trust.add(key.public_key, name, organization, not_before=utc_now())
    trust.save()
    return KeyCreated(name, key.key_id, str(keyring.path(name)), str(home.trust_path))
