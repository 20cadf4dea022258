"""What makes a seal: a signer and, when one is named, the RFC 3161 authority that
timestamps the seal's signature.

The package builder and countersign are handed a Sealer: building a package never
chooses a key or reaches the network by itself. The statement and envelope formats are
formats/seal.py; checking a seal is verify/seals.py.
"""

from dataclasses import dataclass

from archivekit.formats import seal
from archivekit.trust.signer import Signer


@dataclass(frozen=True)
class Sealed:
    """A seal as it is stored: the DSSE envelope, and the authority's token over its
    signature (None when no authority was named)."""
    envelope: bytes
    token: bytes | None


@dataclass(frozen=True)
class Sealer:
    """Seals made by `signer`, timestamped by the authority at `tsa_url` if given."""
    signer: Signer
    tsa_url: str | None = None

    @property
    def key_id(self) -> str:
        """The key id the seals name (it is also in the seal's file name)."""
        return self.signer.key.key_id

    def seal(self, package_id: str, signed_at: str, tag_manifests: dict[str, bytes],
             payload_oxum: str) -> Sealed:
        """The seal over a package's tag manifests. The authority is asked before
        anything is returned, so when it fails (CaptureFailed) the caller writes
        nothing."""
        signer = self.signer
        statement = seal.make_statement(package_id, signed_at, tag_manifests, payload_oxum,
                                        signer.key, signer.name, signer.organization)
        envelope = seal.sign(statement, signer.key)
        token = None
        if self.tsa_url:
            # Imported here: the RFC 3161 and HTTP libraries load only when a seal is timestamped.
            from archivekit.trust.timestamp import request_token
            token = request_token(self.tsa_url, seal.Envelope.parse(envelope).signatures[0][1])
        return Sealed(envelope, token)
