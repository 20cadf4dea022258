"""Who seals: a signing key and the name and organization its seals carry."""

from dataclasses import dataclass

from archivekit.trust.keys import SigningKey


@dataclass(frozen=True)
class Signer:
    key: SigningKey
    name: str
    organization: str = ""
