"""The tombstone of a withdrawn package: a DSSE envelope (as the seal, another payload
type) over a statement that names the package, its sealed tag manifest, why, when and
by whom it was withdrawn, and what became of its content.

    {"type": "archivekit/withdrawal/v1", "package_id": ..., "withdrawn_at": <RFC 3339>,
     "reason": ..., "content": "quarantined" | "removed",
     "tagmanifest_sha256": <hex of the package's tagmanifest-sha256.txt, or null>,
     "signer": {"key_id", "name", "organization"}, "software": {"name", "version"}}
"""

from archivekit._internal import strictjson
from archivekit._internal.software import SOFTWARE
from archivekit.formats.seal import Envelope, SealFormatError, sign

PAYLOAD_TYPE = "application/vnd.archivekit.withdrawal+json"
STATEMENT_TYPE = "archivekit/withdrawal/v1"
CONTENT = ("quarantined", "removed")
_TEXT = ("package_id", "withdrawn_at", "reason", "content")


def make_tombstone(package_id: str, withdrawn_at: str, reason: str, content: str,
                   tagmanifest_sha256: str | None, key, signer_name: str,
                   organization: str) -> bytes:
    """A withdrawal tombstone: the statement (which package, when, why, what became of its
    content, the sealed tag manifest's SHA-256) signed by `key` as a DSSE envelope."""
    statement = {"type": STATEMENT_TYPE, "package_id": package_id,
                 "withdrawn_at": withdrawn_at, "reason": reason, "content": content,
                 "tagmanifest_sha256": tagmanifest_sha256,
                 "signer": {"key_id": key.key_id, "name": signer_name,
                            "organization": organization},
                 "software": dict(SOFTWARE)}
    return sign(statement, key, PAYLOAD_TYPE)


def read_tombstone(data: bytes) -> tuple[Envelope, dict]:
    """The envelope and its statement, checked for form (not trust); SealFormatError."""
    envelope = Envelope.parse(data)
    if envelope.payload_type != PAYLOAD_TYPE:
        raise SealFormatError(f"payloadType is {envelope.payload_type!r}, not {PAYLOAD_TYPE}")
    try:
        statement = strictjson.loads(envelope.body)
    except strictjson.StrictJSONError as exc:
        raise SealFormatError(f"statement is not strict JSON: {exc}") from None
    if not isinstance(statement, dict) or statement.get("type") != STATEMENT_TYPE:
        raise SealFormatError("not a withdrawal statement")
    bad = [name for name in _TEXT if not isinstance(statement.get(name), str)]
    if bad or statement["content"] not in CONTENT:
        raise SealFormatError("withdrawal statement lacks or misstates "
                              + ", ".join(bad or ["content"]))
    return envelope, statement
