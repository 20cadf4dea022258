"""Who seals: a signing key and the name and organization its seals carry."""

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit.trust.keys import SigningKey


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
        from archivekit.trust.home import Home
        from archivekit.trust.identity import resolve_signer
        signer, _ = resolve_signer(Home.locate(home), name, lambda _name: passphrase)
        return signer
