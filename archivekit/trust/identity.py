"""The signing keys a person manages in a configuration folder: made and trusted, chosen
as the default, offered to hand a transparency log over.

The first key a person makes themselves (`keys generate`) takes over from the automatic
default (signer.py makes one named 'local' when there is no key at all), unless they say
otherwise; a default chosen by a person is changed only by `keys default NAME` or
`keys generate --default`.
"""

from archivekit.errors import UsageError
from archivekit.trust.home import Home
from archivekit._internal.suggest import did_you_mean
from archivekit.trust.keyring import DEFAULT_KEY_NAME, Keyring
from archivekit.trust.truststore import ACTIVE, COMPROMISED, TrustStore
from archivekit.trust.signer import AUTO_DEFAULT, KeyCreated, make_trusted_key


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
        made = make_trusted_key(home, name, organization, passphrase)
        if make_default:
            home.set_config(default_key=name, **{AUTO_DEFAULT: False})
            made.became_default = True
            made.replaced_default = current if current and current != name else None
        return made


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


