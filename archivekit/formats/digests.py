"""Digests: archivekit writes `sha256:<lowercase hex>`; it reads every spelling
the IIPC WARC guidance lists (base16 or base32, any case, with or without padding,
`sha256`/`sha-256`/`SHA256` labels)."""

import base64
import binascii
import hashlib

_ALGORITHMS = {"sha1": "sha1", "sha256": "sha256", "sha512": "sha512", "md5": "md5"}


def label(algorithm: str, raw: bytes) -> str:
    """A digest as WARC headers spell it here: '<algorithm>:<hex>'."""
    return f"{algorithm}:{raw.hex()}"


def sha256_label(data: bytes) -> str:
    """The 'sha256:<hex>' label of `data`."""
    return label("sha256", hashlib.sha256(data).digest())


def parse(value: str) -> tuple[str, bytes]:
    """Return (hashlib algorithm name, raw digest bytes); raise ValueError."""
    if isinstance(value, str) and len(value) == 71 and value.startswith("sha256:"):
        try:   # our own spelling, the common case: skip the general path
            return "sha256", bytes.fromhex(value[7:])
        except ValueError:
            pass
    if not isinstance(value, str) or ":" not in value:
        raise ValueError(f"digest {value!r} has no algorithm label")
    name, _, encoded = value.strip().partition(":")
    algorithm = _ALGORITHMS.get(name.lower().replace("-", "").replace("_", ""))
    if algorithm is None:
        raise ValueError(f"unknown digest algorithm {name!r}")
    size = hashlib.new(algorithm).digest_size
    encoded = encoded.strip()
    if len(encoded) == size * 2:
        try:
            return algorithm, bytes.fromhex(encoded)
        except ValueError:
            pass
    padded = encoded.upper().rstrip("=")
    padded += "=" * (-len(padded) % 8)
    try:
        raw = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        raise ValueError(f"digest value {encoded!r} is neither base16 nor base32") from None
    if len(raw) != size:
        raise ValueError(f"{algorithm} digest has {len(raw)} bytes, expected {size}")
    return algorithm, raw


class Sha256Digester:
    """The digester warcio's record builder calls: update() and str()."""

    def __init__(self):
        self._hash = hashlib.sha256()

    def update(self, data: bytes) -> None:
        """Hash more of the bytes."""
        self._hash.update(data)

    def __str__(self) -> str:
        return label("sha256", self._hash.digest())
