"""A collection's transparency log: every seal the collection ever made, in an
append-only Merkle tree (RFC 6962/9162 hashing), with signed checkpoints in the
C2SP tlog-checkpoint / signed-note format.

    tlog/leaves.jsonl           one canonical JSON leaf per line, appended (a torn last
                                line, left by a crash, is no leaf and is cut off)
    tlog/checkpoint             the latest signed checkpoint
    tlog/checkpoints/<size>     every checkpoint ever signed

A package's inclusion proof is stored beside its seal (`<seal>.tlog.json`). An outside
party keeps the last checkpoint it saw and asks for a consistency proof to the next:
a rewritten or forked log cannot produce one.
"""

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

from archivekit.formats import merkle
from archivekit._internal.fsutil import append_lines, atomic_write_bytes
from archivekit.trust.keys import SigningKey, TrustedKey, TrustStore
from archivekit.formats import layout

ED25519_TYPE = b"\x01"
DASH = "\u2014"


class CheckpointInvalid(ValueError):
    pass


def note_key_hash(name: str, raw_public_key: bytes) -> bytes:
    """C2SP signed-note key ID: SHA-256(name || '\\n' || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + raw_public_key).digest()[:4]


def _raw(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes
    text: str            # the whole signed note

    @property
    def body(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def sign_checkpoint(origin: str, size: int, root: bytes, key: SigningKey, name: str,
                    extensions: tuple[str, ...] = ()) -> str:
    """A signed note; `extensions`: lines after the root (C2SP allows them), signed too."""
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    body += "".join(f"{line}\n" for line in extensions)
    signature = key.sign(body.encode())
    blob = base64.b64encode(note_key_hash(name, _raw(key.public_key)) + signature).decode()
    return f"{body}\n{DASH} {name} {blob}\n"


def parse_checkpoint(text: str) -> tuple[Checkpoint, list[tuple[str, bytes, bytes]]]:
    body, separator, signatures = text.partition("\n\n")
    lines = body.split("\n")
    if not separator or len(lines) < 3:
        raise CheckpointInvalid("not a signed checkpoint (origin, size, root, blank line, signatures)")
    try:
        size = int(lines[1])
        root = base64.b64decode(lines[2], validate=True)
    except ValueError:
        raise CheckpointInvalid("tree size or root hash unreadable") from None
    if size < 0 or len(root) != 32:
        raise CheckpointInvalid("tree size or root hash out of range")
    found = []
    for line in signatures.splitlines():
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != DASH:
            continue
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except ValueError:
            continue
        if len(blob) == 68:
            found.append((parts[1], blob[:4], blob[4:]))
    checkpoint = Checkpoint(lines[0], size, root, text)
    return checkpoint, found


def verify_checkpoint(text: str, trust: TrustStore) -> tuple[Checkpoint, TrustedKey]:
    """The checkpoint, if a key in the trust store signed it; else CheckpointInvalid."""
    checkpoint, signatures = parse_checkpoint(text)
    body = (text.partition("\n\n")[0] + "\n").encode()
    for name, key_hash, signature in signatures:
        for key in trust.keys:
            if key.revoked_at is None and note_key_hash(name, _raw(key.public_key)) == key_hash:
                try:
                    key.public_key.verify(signature, body)
                    return checkpoint, key
                except InvalidSignature:
                    raise CheckpointInvalid(f"signature by {name} does not verify") from None
    raise CheckpointInvalid("not signed by any key in the trust store")


class TransparencyLog:
    def __init__(self, folder: Path, origin: str):
        self.folder = Path(folder)
        self.origin = origin

    @property
    def leaves_path(self) -> Path:
        return self.folder / "leaves.jsonl"

    def leaves(self) -> list[bytes]:
        if not self.leaves_path.exists():
            return []
        # The last piece is empty, or a line torn by a crash: not a leaf.
        return [line for line in self.leaves_path.read_bytes().split(b"\n")[:-1] if line]

    def append(self, entries: list[dict]) -> None:
        """Add leaves (one per seal) at the end of the file: one write, one fsync; the
        leaves already there are neither read nor rewritten."""
        self.folder.mkdir(parents=True, exist_ok=True)
        append_lines(self.leaves_path, b"".join(
            json.dumps(e, sort_keys=True, separators=(",", ":")).encode() + b"\n"
            for e in entries))

    def sign(self, key: SigningKey, name: str, snapshot: "LogSnapshot | None" = None) -> str:
        """A checkpoint of the whole log (`snapshot`: the leaves as already read)."""
        snapshot = snapshot or self.snapshot()
        size = len(snapshot.leaves)
        text = sign_checkpoint(self.origin, size, snapshot.tree.root(), key, name)
        atomic_write_bytes(self.folder / "checkpoints" / str(size), text.encode())
        atomic_write_bytes(self.folder / "checkpoint", text.encode())
        return text

    def latest(self) -> str | None:
        path = self.folder / "checkpoint"
        return path.read_text() if path.exists() else None

    def consistency(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        return self.snapshot().tree.consistency_proof(old_size, new_size)

    def snapshot(self) -> "LogSnapshot":
        return LogSnapshot(self.origin, self.leaves())


class LogSnapshot:
    """The leaves read once, for many proofs in a row (a run writes one per new seal)."""

    def __init__(self, origin: str, leaves: list[bytes]):
        self.origin = origin
        self.leaves = leaves
        self.tree = merkle.MerkleTree([merkle.leaf_hash(leaf) for leaf in leaves])
        self.index = {json.loads(leaf).get("seal_sha256"): i for i, leaf in enumerate(leaves)}

    def proof_document(self, index: int, checkpoint: str) -> dict:
        """What is stored beside a seal: enough to check inclusion without the log."""
        size = parse_checkpoint(checkpoint)[0].size
        return {"log": self.origin, "index": index, "tree_size": size,
                "leaf": self.leaves[index].decode(),
                "proof": [h.hex() for h in self.tree.inclusion_proof(index, size)],
                "checkpoint": checkpoint}


def check_inclusion(document: dict, checkpoint: Checkpoint) -> str | None:
    """None if the stored proof puts the leaf in the checkpoint's tree; else why not."""
    try:
        leaf = merkle.leaf_hash(document["leaf"].encode())
        proof = [bytes.fromhex(h) for h in document["proof"]]
        index, size = int(document["index"]), int(document["tree_size"])
    except (KeyError, TypeError, ValueError):
        return "the inclusion proof is malformed"
    if size != checkpoint.size:
        return (f"the proof is for a tree of {size} leaves, the checkpoint for {checkpoint.size}; "
                "run 'archivekit log prove' for a fresh proof")
    if not merkle.verify_inclusion(index, size, leaf, proof, checkpoint.root):
        return "the inclusion proof does not lead to the checkpoint's root"
    return None


def seal_digest(envelope: bytes) -> str:
    """A seal's identity in the log (a leaf's `seal_sha256`): SHA-256 of the envelope file."""
    return hashlib.sha256(envelope).hexdigest()


def seals_of(package: Path) -> list[tuple[str, bytes]]:
    """(relative seal path, envelope bytes) for a folder package."""
    folder = Path(package) / "signatures"
    if not folder.is_dir():
        return []
    return [(f"signatures/{p.name}", p.read_bytes()) for p in sorted(folder.iterdir())
            if layout.SEAL_NAME.match(f"signatures/{p.name}")]


@dataclass
class LoggedSeals:
    added: list[str]                  # package ids whose seals joined the log now
    logged: list[tuple[Path, str]]    # (package, seal_sha256) of every seal now in the log


def log_unlogged_seals(log: TransparencyLog, packages: list[Path], key: SigningKey,
                       name: str, accept=lambda package: True,
                       read_seals=seals_of) -> LoggedSeals:
    """Add every seal of `packages` not yet in the log, sign a checkpoint, store inclusion
    proofs. `accept(package)` is asked before a package's seals join the log (the log key
    must not vouch for a package that does not verify). Safe to repeat after an
    interruption: it finishes whatever was left undone. Each seal file and the log are
    read once. `read_seals(package)`: (seal path, envelope) of a package (`seals_of`
    reads folders). A .zip or .tar is never rewritten: its seals join the log, and
    `log prove` gives their proofs."""
    from archivekit.formats.seal import Envelope
    snapshot = log.snapshot()
    seals = {}      # package -> [(seal path, digest)]
    new = []
    for package in packages:
        found = [(path, envelope, seal_digest(envelope)) for path, envelope in read_seals(package)]
        seals[package] = [(path, digest) for path, _, digest in found]
        unlogged = [seal for seal in found if seal[2] not in snapshot.index]
        if not unlogged or not accept(package):
            continue
        for seal_path, envelope, digest in unlogged:
            statement = Envelope.parse(envelope).statement()
            new.append({"package_id": statement["package_id"], "seal": seal_path,
                        "seal_sha256": digest, "key_id": statement["signer"]["key_id"],
                        "sealed_at": statement["sealed_at"]})
    if new:
        log.append(new)
        snapshot = log.snapshot()
    latest = log.latest()
    if new or latest is None or parse_checkpoint(latest)[0].size != len(snapshot.leaves):
        latest = log.sign(key, name, snapshot)
    logged = []
    for package, found in seals.items():
        for seal_path, digest in found:
            if digest not in snapshot.index:
                continue
            if Path(package).is_dir() and \
                    not (Path(package) / layout.companion(seal_path, "tlog.json")).exists():
                write_proof(snapshot, package, seal_path, digest, latest)
            logged.append((package, digest))
    return LoggedSeals([entry["package_id"] for entry in new], logged)


def write_proof(snapshot: LogSnapshot, package: Path, seal_path: str, digest: str,
                checkpoint: str) -> dict:
    """Store the inclusion proof of the seal with `seal_digest` `digest` beside it."""
    index = snapshot.index.get(digest)
    if index is None:
        raise ValueError(f"{package}: {seal_path} is not in the log")
    document = snapshot.proof_document(index, checkpoint)
    layout.add_signature_file(package, layout.companion(seal_path, "tlog.json"),
                              (json.dumps(document, indent=2) + "\n").encode(), overwrite=True)
    return document


@dataclass
class WatchResult:
    ok: bool
    message: str
    checkpoint: str = ""


def watch(log: TransparencyLog, state: Path, trust: TrustStore) -> WatchResult:
    """Accept the log's latest checkpoint if it extends the one kept in `state`."""
    latest = log.latest()
    if latest is None:
        return WatchResult(False, "the log has no checkpoint")
    try:
        new, key = verify_checkpoint(latest, trust)
    except CheckpointInvalid as exc:
        return WatchResult(False, f"REJECTED: latest checkpoint {exc}")
    if not state.exists():
        return WatchResult(True, f"accepted {new.origin} at size {new.size} (first sight), "
                                 f"signed by {key.name}", latest)
    try:
        old, _ = verify_checkpoint(state.read_text(), trust)
    except CheckpointInvalid as exc:
        return WatchResult(False, f"REJECTED: the kept checkpoint {exc}")
    if new.origin != old.origin:
        return WatchResult(False, f"REJECTED: another log ({new.origin}, kept {old.origin})")
    if new.size < old.size:
        return WatchResult(False, f"REJECTED: the log was rolled back from {old.size} to "
                                  f"{new.size} leaves")
    if new.size == old.size:
        if new.root != old.root:
            return WatchResult(False, f"REJECTED: forked: two different trees of {new.size} leaves")
        return WatchResult(True, f"unchanged at size {new.size}", latest)
    try:
        proof = log.consistency(old.size, new.size) if old.size else []
    except ValueError as exc:
        return WatchResult(False, f"REJECTED: no consistency proof ({exc})")
    if old.size and not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof):
        return WatchResult(False, f"REJECTED: the log from {old.size} to {new.size} leaves does "
                                  "not extend what was seen: it was rewritten or forked")
    return WatchResult(True, f"accepted {new.origin}: {old.size} -> {new.size} leaves, "
                             "consistent", latest)
