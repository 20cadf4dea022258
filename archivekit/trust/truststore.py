"""The trust store: the only public keys (and timestamp authority roots) a verifier
believes. A key id found in a package is a hint, never a reason to trust.

A trusted key is in one of three states (docs/trust.md):
  active       it seals;
  retired      superseded at a time: seals made before stay valid, it signs nothing new;
  compromised  revoked at a time: seals made after are invalid, seals made before are
               valid only when a trusted timestamp proves they existed before.
"""

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from archivekit._internal import safeyaml
from archivekit._internal.fsutil import atomic_write_bytes, own_file, read_regular
from archivekit._internal.limits import Limits
from archivekit._internal.suggest import did_you_mean
from archivekit._internal.timeutil import format_time, parse_time, utc_now
from archivekit.errors import KeyProblem, UsageError
from archivekit.trust.home import Home
from archivekit.trust.keys import SigningKey, key_id_for, load_public_pem, public_pem

if TYPE_CHECKING:        # x509 is loaded when a TSA root is read: ~0.1 s every command paid
    from cryptography import x509

ACTIVE, RETIRED, COMPROMISED = "active", "retired", "compromised"
# Revocation reasons (RFC 5280's CRLReason among them) that say the key was replaced,
# not stolen: the key is retired. Any other reason means compromised.
RETIRING_REASONS = ("superseded", "retired", "rotated", "affiliation changed",
                    "affiliationchanged", "cessation of operation", "cessationofoperation")


def state_for_reason(reason: str) -> str:
    """The state a revocation reason implies: retired for a replacement (superseded,
    rotated...), else compromised."""
    return RETIRED if reason.strip().lower().startswith(RETIRING_REASONS) else COMPROMISED


def exact_now() -> datetime:
    """The time now, in UTC, with its fraction of a second."""
    return datetime.now(timezone.utc)


@dataclass
class TrustedKey:
    """A public key the trust store believes: who it is, what it may do (roles), when it is
    valid, and whether it was retired or compromised."""
    key_id: str
    name: str
    public_key: Ed25519PublicKey
    organization: str = ""
    roles: list[str] = field(default_factory=lambda: ["seal"])
    not_before: datetime | None = None
    not_after: datetime | None = None
    revoked_at: datetime | None = None     # retired or compromised at this time
    revocation_reason: str | None = None
    compromised: bool = True               # for a revoked key: stolen, not just replaced

    @property
    def state(self) -> str:
        """active, retired or compromised."""
        if self.revoked_at is None:
            return ACTIVE
        return COMPROMISED if self.compromised else RETIRED

    def describe_state(self) -> str:
        """'retired 2026-…Z (superseded)' and the like, for messages."""
        if self.revoked_at is None:
            return ACTIVE
        return f"{self.state} {format_time(self.revoked_at)} ({self.revocation_reason or 'no reason given'})"

    def verifies(self, signature: bytes, message: bytes) -> bool:
        """Whether `signature` over `message` was made by this key."""
        try:
            self.public_key.verify(signature, message)
            return True
        except InvalidSignature:
            return False

    def to_yaml(self) -> dict:
        """The key as the trust store's YAML records it."""
        def when(moment):
            return format_time(moment) if moment else None
        return {
            "key_id": self.key_id, "name": self.name, "organization": self.organization,
            "roles": list(self.roles), "not_before": when(self.not_before),
            "not_after": when(self.not_after), "revoked_at": when(self.revoked_at),
            "revocation_reason": self.revocation_reason, "state": self.state,
            "public_key": public_pem(self.public_key),
        }


class TrustStore:
    """The keys a verifier believes, with their validity and revocation."""

    def __init__(self, path: Path | None, keys: list[TrustedKey] | None = None,
                 tsa_roots: list[tuple[str, "x509.Certificate"]] | None = None):
        self.path = path
        self.keys = keys or []
        self.tsa_roots = tsa_roots or []     # (name, certificate): timestamp authorities

    @classmethod
    def load(cls, path: Path) -> "TrustStore":
        """The trust store saved at `path` (empty if there is none yet)."""
        path = Path(path)
        if not path.exists():
            return cls(path)
        try:
            text = read_regular(path, Limits().config_bytes).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UsageError(f"trust store {path}: not valid YAML: {exc}") from None
        except OSError as exc:
            raise KeyProblem(f"trust store {path}: {exc.strerror}") from None
        return cls.loads(text, path)

    @classmethod
    def loads(cls, text: str, path: Path | None = None) -> "TrustStore":
        """A trust store from its YAML text; `path` is where it lives (or None)."""
        try:
            document = safeyaml.load(text) or {}
        except yaml.YAMLError as exc:
            raise UsageError(f"trust store {path}: not valid YAML: {exc}") from None
        entries = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            raise UsageError(f"trust store {path}: expected a mapping with a 'keys' list")
        roots = document.get("tsa_roots") or []
        if not isinstance(roots, list):
            raise UsageError(f"trust store {path}: 'tsa_roots' must be a list")
        return cls(path, [_trusted_key_from(entry, path, i) for i, entry in enumerate(entries)],
                   [_tsa_root_from(entry, path, i) for i, entry in enumerate(roots)])

    @classmethod
    def from_home(cls, home: str | None = None) -> "TrustStore":
        """The trust store of the configuration folder `home` (default: $ARCHIVEKIT_HOME,
        else $XDG_CONFIG_HOME/archivekit): the one the command line believes."""
        return cls.load(Home.locate(home).trust_path)

    @classmethod
    def in_memory(cls, *keys: SigningKey) -> "TrustStore":
        """A store that is never saved, trusting the public halves of `keys`."""
        store = cls(None)
        for key in keys:
            store.add(key.public_key, key.name, key.organization)
        return store

    def dumps(self) -> str:
        """The YAML text `save` writes."""
        document = {"version": 1, "keys": [k.to_yaml() for k in self.keys]}
        if self.tsa_roots:
            document["tsa_roots"] = [
                {"name": name, "certificate": cert.public_bytes(serialization.Encoding.PEM).decode()}
                for name, cert in self.tsa_roots]
        text = "# archivekit trust store: the only public keys a verifier believes.\n"
        return text + yaml.dump(document, Dumper=_LiteralDumper, sort_keys=False,
                                allow_unicode=True)

    def save(self) -> None:
        """Write the store to its path, atomically."""
        atomic_write_bytes(own_file(self.path), self.dumps().encode("utf-8"))

    def __reduce__(self):
        # Key and certificate objects do not pickle: a worker process gets the store as
        # its text, exactly as it stands in memory (saved or not).
        return (TrustStore.loads, (self.dumps(), self.path))

    def find(self, key_id: str) -> TrustedKey | None:
        """The trusted key with this id, or None."""
        return next((k for k in self.keys if k.key_id == key_id), None)

    def add(self, public_key: Ed25519PublicKey, name: str, organization: str = "",
            roles=("seal",), not_before: datetime | None = None,
            not_after: datetime | None = None) -> TrustedKey:
        """Trust `public_key` (valid from `not_before` to `not_after`, if given)."""
        key_id = key_id_for(public_key)
        if self.find(key_id):
            raise UsageError(f"key {key_id} is already in the trust store {self.path}")
        entry = TrustedKey(key_id, name, public_key, organization, list(roles),
                           not_before, not_after)
        self.keys.append(entry)
        return entry

    def named(self, key: str) -> TrustedKey:
        """The entry with key id or name `key`; UsageError (with a near miss) if none."""
        entry = self.find(key) or next((k for k in self.keys if k.name == key), None)
        if entry is None:
            raise UsageError(f"no key {key!r} in the trust store {self.path}"
                             f"{did_you_mean(key, [k.name for k in self.keys])}")
        return entry

    def revoke(self, key_id: str, reason: str, at: datetime | None = None,
               state: str | None = None) -> TrustedKey:
        """Retire or compromise a key from `at` (default now). `state` defaults to what
        the reason says (state_for_reason). Never softens: a compromise stays one, and a
        revocation in the same state only ever moves earlier."""
        entry = self.named(key_id)
        state = state or state_for_reason(reason)
        # A seal's time is whole seconds, rounded down: a retirement taken now keeps its
        # fraction, so a seal made earlier in the same second is not dated at or after it
        # (the signer refuses a retired key: nothing later can be). A compromise stays at
        # the whole second: a thief's seal that claims that second is not believed.
        at = at or (exact_now() if state == RETIRED else utc_now())
        softer = entry.state == COMPROMISED and state == RETIRED
        later = entry.state == state and at >= entry.revoked_at
        if softer or later:
            return entry
        entry.revoked_at, entry.revocation_reason = at, reason
        entry.compromised = state == COMPROMISED
        return entry

    def merge(self, other: "TrustStore") -> list[str]:
        """Follow another institution's history: add its keys and TSA roots, and take
        each retirement or compromise it knows of (never softening ours). Returns what
        changed, one line each."""
        changes = []
        for theirs in other.keys:
            ours = self.find(theirs.key_id)
            if ours is None:
                self.keys.append(theirs)
                changes.append(f"added {theirs.key_id} ({theirs.name}), {theirs.describe_state()}")
                continue
            if theirs.revoked_at is None:
                continue
            before = (ours.state, ours.revoked_at)
            self.revoke(ours.key_id, theirs.revocation_reason or "", theirs.revoked_at,
                        theirs.state)
            if (ours.state, ours.revoked_at) != before:
                changes.append(f"{ours.key_id} ({ours.name}) now {ours.describe_state()}")
        known = {cert.fingerprint(hashes.SHA256()) for _, cert in self.tsa_roots}
        for name, cert in other.tsa_roots:
            if cert.fingerprint(hashes.SHA256()) not in known:
                self.tsa_roots.append((name, cert))
                changes.append(f"added timestamp authority root {name!r}")
        return changes


def _tsa_root_from(entry, path: Path, index: int) -> tuple[str, "x509.Certificate"]:
    from cryptography import x509
    where = f"trust store {path}, tsa_roots #{index + 1}"
    if not isinstance(entry, dict) or not isinstance(entry.get("certificate"), str):
        raise UsageError(f"{where}: expected a mapping with a PEM 'certificate'")
    try:
        certificate = x509.load_pem_x509_certificate(entry["certificate"].encode("ascii"))
    except ValueError as exc:
        raise UsageError(f"{where}: not a PEM certificate ({exc})") from None
    return str(entry.get("name") or certificate.subject.rfc4514_string()), certificate


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings (PEM keys) as readable `|` blocks."""


_LiteralDumper.add_representer(
    str, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def _trusted_key_from(entry, path: Path, index: int) -> TrustedKey:
    where = f"trust store {path}, key #{index + 1}"
    if not isinstance(entry, dict):
        raise UsageError(f"{where}: expected a mapping")
    pem = entry.get("public_key")
    if not isinstance(pem, str):
        raise UsageError(f"{where}: 'public_key' (PEM) is required")
    public_key = load_public_pem(pem.encode("ascii", "replace"), where)
    key_id = key_id_for(public_key)
    if entry.get("key_id") not in (None, key_id):
        raise UsageError(f"{where}: key_id {entry.get('key_id')} does not match its "
                         f"public key ({key_id})")

    def when(name):
        value = entry.get(name)
        if value in (None, ""):
            return None
        try:
            return parse_time(value if isinstance(value, str) else value.isoformat())
        except (ValueError, AttributeError):
            raise UsageError(f"{where}: {name} {value!r} is not an RFC 3339 time") from None

    roles = entry.get("roles") or ["seal"]
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise UsageError(f"{where}: 'roles' must be a list of names")
    state = entry.get("state")
    if state not in (None, ACTIVE, RETIRED, COMPROMISED):
        raise UsageError(f"{where}: state {state!r} is not active, retired or compromised")
    revoked_at = when("revoked_at")
    if state == ACTIVE and revoked_at is not None:
        raise UsageError(f"{where}: an active key has no 'revoked_at'")
    if state in (RETIRED, COMPROMISED) and revoked_at is None:
        raise UsageError(f"{where}: a {state} key needs 'revoked_at', the time it happened")
    # A revocation recorded before key states existed is a compromise (the safe reading).
    return TrustedKey(key_id, str(entry.get("name") or key_id), public_key,
                      str(entry.get("organization") or ""), roles, when("not_before"),
                      when("not_after"), revoked_at,
                      None if entry.get("revocation_reason") is None
                      else str(entry["revocation_reason"]), state != RETIRED)
