"""Who seals: a signing key from the keyring, described by its trust-store entry.

The embedded default: with no key at all, a key named 'local' is made on first
use, trusted locally, and made the default, so a fresh machine can capture at once.
That automatic default gives way to the first key a person makes themselves
(`keys generate`), which becomes the default unless they say otherwise; a default
chosen by a person is changed only by `keys default NAME` or `keys generate --default`.
"""

from dataclasses import dataclass
from typing import Callable

from archivekit.errors import KeyProblem, UsageError
from archivekit.trust.home import Home
from archivekit._internal.suggest import did_you_mean
from archivekit.trust.keyring import DEFAULT_KEY_NAME, Keyring
from archivekit.trust.truststore import ACTIVE, COMPROMISED, TrustStore
from archivekit.trust.signer import Signer
from archivekit._internal.timeutil import utc_now

AUTO_DEFAULT = "default_key_automatic"     # config flag: the default was made, not chosen


@dataclass
class KeyCreated:
    name: str
    key_id: str
    path: str
    trust_path: str
    became_default: bool = False
    replaced_default: str | None = None    # the automatic default it took over from


def generate_trusted_key(home: Home, name: str, organization: str = "",
                         passphrase: bytes | None = None,
                         make_default: bool | None = None) -> KeyCreated:
    """Make a key and trust it locally. It becomes the default when `make_default`, or
    (when None) if there is no default yet or the default was made automatically."""
    with home.lock():
        config = home.config()
        current = config.get("default_key")
        if make_default is None:   # homes from before the flag: 'local' was always automatic
            make_default = not current or config.get(AUTO_DEFAULT,
                                                     current == DEFAULT_KEY_NAME) is True
        made = _generate_locked(home, name, organization, passphrase)
        if make_default:
            home.set_config(default_key=name, **{AUTO_DEFAULT: False})
            made.became_default = True
            made.replaced_default = current if current and current != name else None
        return made


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


def _generate_locked(home: Home, name: str, organization: str = "",
                     passphrase: bytes | None = None) -> KeyCreated:
    keyring = Keyring(home)
    key = keyring.generate(name, passphrase)
    trust = TrustStore.load(home.trust_path)
    trust.add(key.public_key, name, organization, not_before=utc_now())
    trust.save()
    return KeyCreated(name, key.key_id, str(keyring.path(name)), str(home.trust_path))


def set_default_key(home: Home, name: str) -> str:
    """Make NAME the default signing key; it must exist here and be active."""
    with home.lock():
        keyring = Keyring(home)
        if not keyring.path(name).exists():
            raise UsageError(f"no key named {name!r} in {home.keys_dir}"
                             f"{did_you_mean(name, keyring.names())}")
        entry = next((k for k in TrustStore.load(home.trust_path).keys if k.name == name), None)
        if entry is not None and entry.state != ACTIVE:
            raise UsageError(f"key {name!r} is {entry.describe_state()}: it signs nothing new")
        home.set_config(default_key=name, **{AUTO_DEFAULT: False})
        return name


def handover_keys(home: Home) -> list:
    """Keys here that may hand a transparency log over to a new key: readable without a
    passphrase and not compromised (a retired key may still vouch for its successor)."""
    keyring, trust = Keyring(home), TrustStore.load(home.trust_path)
    found = []
    for name in keyring.names():
        if keyring.is_encrypted(name):
            continue
        key = keyring.load(name)
        entry = trust.find(key.key_id)
        if entry is None or entry.state != COMPROMISED:
            found.append(key)
    return found


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
                created = _generate_locked(home, DEFAULT_KEY_NAME)
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
