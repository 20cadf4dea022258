"""A collection's transparency log: every seal the collection ever made, in an
append-only Merkle tree (RFC 6962/9162 hashing), with signed checkpoints in the
C2SP tlog-checkpoint / signed-note format.

    tlog/leaves.jsonl           one canonical JSON leaf per line, appended (a torn last
                                line, left by a crash, is no leaf and is cut off)
    tlog/tree/<level>           the Merkle tree's hashes, for O(log N) proofs (tlogtree.py)
    tlog/checkpoint             the latest signed checkpoint
    tlog/checkpoints/<size>     every checkpoint ever signed
    tlog/transitions/<size>     key hand-overs: a checkpoint signed by the old log key
                                and the new one, naming the new one (<size>-2, -3... for
                                more hand-overs with nothing logged between)

A package's inclusion proof is stored beside its seal (`<seal>.tlog.json`). An outside
party keeps the last checkpoint it saw and asks for a consistency proof to the next:
a rewritten or forked log cannot produce one.

The log's key can change (the institution rotates its keys). The last checkpoint of
the old key is then signed again by both keys with an extension line
`key-transition <new verifier key>` (C2SP note verifier key form): whoever trusts the
old key can follow to the new one. A checkpoint signed by a retired key is still
believed (retired keys were replaced, not stolen); one signed only by a compromised
key is not: a checkpoint carries no time, so it cannot be shown to predate the theft.
"""

import base64
import hashlib
import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from archivekit.errors import NotVerified
from archivekit.formats import merkle
from archivekit._internal.fsutil import append_lines, atomic_write_bytes, atomic_write_many
from archivekit.trust.keys import SigningKey, key_id_for
from archivekit.trust.tlogindex import SealIndex
from archivekit.trust.truststore import COMPROMISED, TrustedKey, TrustStore
from archivekit.trust.tlogtree import StoredTree
from archivekit.formats import layout

ED25519_TYPE = b"\x01"
DASH = "\u2014"
TRANSITION = "key-transition"


class CheckpointInvalid(NotVerified):
    """A checkpoint that is malformed or not signed by a trusted key."""


def note_key_hash(name: str, raw_public_key: bytes) -> bytes:
    """C2SP signed-note key ID: SHA-256(name || '\\n' || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + raw_public_key).digest()[:4]


def _raw(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


@dataclass
class Checkpoint:
    """A signed checkpoint of the log (C2SP signed note): the log's origin, its size in
    leaves, the Merkle root, and the whole note as signed."""
    origin: str
    size: int
    root: bytes
    text: str            # the whole signed note

    @property
    def body(self) -> str:
        """The note's signed text: origin, size and base64 root, one a line."""
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def verifier_key(name: str, public_key) -> str:
    """C2SP signed-note verifier key: <name>+<key hash hex>+<base64(0x01 || key)>."""
    raw = _raw(public_key)
    return (f"{name}+{note_key_hash(name, raw).hex()}+"
            f"{base64.b64encode(ED25519_TYPE + raw).decode()}")


def parse_verifier_key(text: str) -> tuple[str, Ed25519PublicKey]:
    """(name, public key) of a C2SP verifier key; CheckpointInvalid when it is not a well-
    formed Ed25519 key whose hash matches."""
    try:
        name, key_hash, blob = text.split("+", 2)     # a name has no "+"; base64 may
        data = base64.b64decode(blob, validate=True)
        if data[:1] != ED25519_TYPE or len(data) != 33:
            raise ValueError("not an Ed25519 verifier key")
        public_key = Ed25519PublicKey.from_public_bytes(data[1:])
    except ValueError as exc:
        raise CheckpointInvalid(f"unreadable verifier key: {exc}") from None
    if note_key_hash(name, data[1:]).hex() != key_hash:
        raise CheckpointInvalid("verifier key hash does not match its key")
    return name, public_key


def sign_checkpoint(origin: str, size: int, root: bytes, key: SigningKey, name: str,
                    extensions: tuple[str, ...] = (), cosigners=()) -> str:
    """A signed note; `cosigners` ((key, name) pairs) sign the same body too."""
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    body += "".join(f"{line}\n" for line in extensions)
    lines = []
    for signer, signer_name in [(key, name), *cosigners]:
        blob = note_key_hash(signer_name, _raw(signer.public_key)) + signer.sign(body.encode())
        lines.append(f"{DASH} {signer_name} {base64.b64encode(blob).decode()}\n")
    return f"{body}\n" + "".join(lines)


def signed_by(text: str, key: SigningKey | TrustedKey) -> bool:
    """Whether a valid signature by `key` is on the note `text`."""
    body = (text.partition("\n\n")[0] + "\n").encode()
    for name, key_hash, signature in parse_checkpoint(text)[1]:
        if note_key_hash(name, _raw(key.public_key)) == key_hash:
            try:
                key.public_key.verify(signature, body)
                return True
            except InvalidSignature:
                pass
    return False


def last_signer(text: str) -> str:
    """Who signed a checkpoint last, as `name+key hash`: its only signer, or after a key
    hand-over the new key (cosigners sign after the old one)."""
    signatures = parse_checkpoint(text)[1]
    return f"{signatures[-1][0]}+{signatures[-1][1].hex()}" if signatures else ""


def parse_checkpoint(text: str) -> tuple[Checkpoint, list[tuple[str, bytes, bytes]]]:
    """The checkpoint and its signature lines (key name, key hash, signature) from a signed
    note's text; CheckpointInvalid naming what is malformed. Signatures are not checked here
    (verify_checkpoint does)."""
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


def verify_checkpoint(text: str, trust: TrustStore,
                      followed: list[TrustedKey] = ()) -> tuple[Checkpoint, TrustedKey]:
    """The checkpoint, if a trusted key that is not compromised signed it (`followed`:
    log keys reached through key transitions); else CheckpointInvalid, saying why."""
    checkpoint, signatures = parse_checkpoint(text)
    body = (text.partition("\n\n")[0] + "\n").encode()
    refused = []
    for name, key_hash, signature in signatures:
        for key in [*trust.keys, *followed]:
            if note_key_hash(name, _raw(key.public_key)) != key_hash:
                continue
            try:
                key.public_key.verify(signature, body)
            except InvalidSignature:
                raise CheckpointInvalid(f"signature by {name} does not verify") from None
            if key.state == COMPROMISED:
                refused.append(f"signed by {key.name}, {key.describe_state()}")
                continue
            return checkpoint, key
    if refused:
        raise CheckpointInvalid("; ".join(refused) + ": a checkpoint carries no time, so it "
                                "cannot be shown to predate that; refresh the proof against "
                                "the collection's latest checkpoint ('archivekit log refresh')")
    raise CheckpointInvalid("not signed by any key in the trust store")


class TransparencyLog:
    """A collection's transparency log in `folder`: one leaf per seal (leaves.jsonl), the
    stored Merkle tree, the signed checkpoints and key transitions."""
    def __init__(self, folder: Path, origin: str):
        self.folder = Path(folder)
        self.origin = origin

    @property
    def tree(self) -> StoredTree:
        """The stored Merkle tree (tree/): proofs in O(log N) reads."""
        return StoredTree(self.folder / "tree")

    @property
    def leaves_path(self) -> Path:
        """Where the leaves are: one JSON line per seal."""
        return self.folder / "leaves.jsonl"

    def leaves(self) -> list[bytes]:
        """Every whole leaf, in order (a line torn by a crash is not one)."""
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

    def state(self, write: bool = True) -> "LogState":
        """The log as it stands, its index (tlog/index.sqlite) and stored tree brought up
        to leaves.jsonl by reading only the leaves appended since they last were: O(new).
        Everything is read again only when the file changed other than by an append (cut,
        rewritten, copied) or the index is missing. `write=False`, for a reader without
        the collection's lock: nothing is written, what the files lack is read into
        memory. Close it (or use it in a with block)."""
        exists = (self.folder / "index.sqlite").exists()
        index = SealIndex.open(self.folder / "index.sqlite", write) if write or exists else None
        count, reached, stat = index.reach() if index else (0, 0, "")
        now = _stat(self.leaves_path)
        recent: dict[int, tuple[int, bytes | None]] = {}     # leaf -> (offset, seal digest)
        if stat != now or (write and self.tree.size != count):   # appended, or tree/ lost
            if not self._extends(reached):      # read again from the start
                count, reached = 0, 0
                if write and index:
                    index.clear()
                elif index:
                    index.close()
                    index = None
            if write:
                count, reached = self._index_tail(index, count, reached, now)
            else:
                for offset, line in _lines_from(self.leaves_path, reached):
                    recent[count] = (offset, _seal_of(line))
                    count += 1
        tree = self.tree
        if not write and tree.size < count:       # a reader, and the tree is behind: rare
            tree.close()
            tree = merkle.MerkleTree([merkle.leaf_hash(leaf) for leaf in self.leaves()])
        return LogState(self, count, tree, index, recent)

    def _extends(self, reached: int) -> bool:
        """Whether leaves.jsonl still holds the `reached` bytes indexed, and more: it
        reaches that far and a line ends there (an append, not a cut or a rewrite)."""
        if not reached:
            return True
        try:
            with open(self.leaves_path, "rb") as handle:
                handle.seek(reached - 1)
                return handle.read(1) == b"\n" and handle.read(1) != b""
        except OSError:
            return False

    def _index_tail(self, index: "SealIndex", count: int, reached: int,
                    now: str) -> tuple[int, int]:
        """Index the leaves from byte `reached` (leaf `count`) on and bring the stored
        tree up to them; (leaves, bytes) reached. The tree is checked against the leaves
        read (all of them, by its root, when reading from the start) and rebuilt from
        the leaves if it disagrees."""
        tree, frontier, agrees = self.tree, merkle.Frontier() if not count else None, True
        try:
            for chunk in _chunks(_lines_from(self.leaves_path, reached), 50_000):
                hashes = [merkle.leaf_hash(line) for _, line in chunk]
                if agrees:
                    overlap = max(0, min(tree.size - count, len(hashes)))
                    agrees = tree.size >= count and (not overlap or tree.leaf_hashes(
                        count, count + overlap) == hashes[:overlap])
                    if agrees:
                        tree.append(hashes[overlap:])
                for hashed in hashes if frontier else ():
                    frontier.append(hashed)
                end = chunk[-1][0] + len(chunk[-1][1]) + 1      # past the last line's newline
                index.add([(count + i, offset, _seal_of(line))
                           for i, (offset, line) in enumerate(chunk)], count + len(chunk), end, "")
                count, reached = count + len(chunk), end
            agrees = agrees and tree.size == count and \
                (frontier is None or tree.root() == frontier.root())
        except (OSError, ValueError):
            agrees = False
        finally:
            tree.close()
        if not agrees:
            self.rebuild_tree(tree)
        index.add([], count, reached, now)     # recorded last: a crash above redoes it
        return count, reached

    def rebuild_tree(self, tree: StoredTree) -> None:
        """Write the stored tree again from every leaf (when it disagrees with them)."""
        tree.rebuild([])
        for chunk in _chunks(_lines_from(self.leaves_path, 0), 50_000):
            tree.append([merkle.leaf_hash(line) for _, line in chunk])
        tree.close()

    def sign(self, key: SigningKey, name: str, state: "LogState | None" = None) -> str:
        """A checkpoint of the whole log (`state`: the log as already caught up)."""
        with _opened(self, state) as state:
            text = sign_checkpoint(self.origin, state.size, state.root(), key, name)
        atomic_write_bytes(self.folder / "checkpoints" / str(state.size), text.encode())
        atomic_write_bytes(self.folder / "checkpoint", text.encode())
        return text

    def hand_over(self, old: SigningKey, old_name: str, new: SigningKey, new_name: str,
                  state: "LogState | None" = None) -> str:
        """The key transition: the log as it is, signed by the old key and the new one,
        naming the new one. Written to transitions/<size> (<size>-2, -3… for a second
        hand-over with nothing logged between: written over the first, it would cut
        the chain from the keys before) and as the latest checkpoint."""
        named = verifier_key(new_name, new.public_key)
        with _opened(self, state) as state:
            text = sign_checkpoint(self.origin, state.size, state.root(), old, old_name,
                                   (f"{TRANSITION} {named}",), [(new, new_name)])
        atomic_write_bytes(self._transition_path(state.size, named), text.encode())
        atomic_write_bytes(self.folder / "checkpoint", text.encode())
        return text

    def _transition_path(self, size: int, named: str) -> Path:
        """Where the hand-over at `size` to the key `named` goes: the file that already
        names it (an interrupted run's, made again), else the next free name."""
        taken = [path for number, path in self._transition_files() if number[0] == size]
        for path in taken:
            try:
                if _extension(path.read_text("utf-8"), TRANSITION) == named:
                    return path
            except (OSError, UnicodeDecodeError):
                continue
        return self.folder / "transitions" / (f"{size}-{len(taken) + 1}" if taken else str(size))

    def _transition_files(self) -> list[tuple[tuple[int, int], Path]]:
        """((size, n), path) of each file in transitions/ named <size> or <size>-<n>,
        in the order they were made."""
        folder = self.folder / "transitions"
        if not folder.is_dir():
            return []
        found = []
        for path in folder.iterdir():
            match = re.fullmatch(r"(\d+)(?:-(\d+))?", path.name)
            if match:
                found.append(((int(match[1]), int(match[2] or 1)), path))
        return sorted(found)

    def transitions(self) -> list[str]:
        """The texts of the signed key transitions, oldest first (an unreadable one is
        skipped)."""
        texts = []
        for _, path in self._transition_files():
            try:
                texts.append(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError):
                continue     # unreadable: not followed
        return texts

    def followed_keys(self, trust: TrustStore) -> list[TrustedKey]:
        """The log keys reached from the trust store through signed key transitions:
        each transition must be signed by a key already believed (trusted or followed,
        not compromised) and by the new key it names."""
        followed: list[TrustedKey] = []
        for text in self.transitions():
            try:
                verify_checkpoint(text, trust, followed)
                name, public_key = parse_verifier_key(_extension(text, TRANSITION) or "")
            except CheckpointInvalid:
                continue
            key_id = key_id_for(public_key)
            known = trust.find(key_id) or next((k for k in followed if k.key_id == key_id), None)
            new = known or TrustedKey(key_id, name, public_key, roles=["log"])
            if signed_by(text, new) and known is None:
                followed.append(new)
        return followed

    def latest(self) -> str | None:
        """The latest checkpoint's text, or None when the log was never signed."""
        path = self.folder / "checkpoint"
        return path.read_text() if path.exists() else None

    def consistency(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """From the stored tree: O(log N) reads. Leaves are read only if it is behind."""
        tree = self.tree
        try:
            if tree.size >= (new_size or 0) and new_size is not None:
                return tree.consistency_proof(old_size, new_size)
        finally:
            tree.close()
        with self.state(write=False) as state:
            return state.tree.consistency_proof(old_size, new_size or state.size)


class LogState:
    """The log caught up (TransparencyLog.state), for many look-ups and proofs in a row:
    a seal's leaf is found through the index, a proof comes from the stored tree."""

    def __init__(self, log: TransparencyLog, size: int, tree: merkle.MerkleTree,
                 index: "SealIndex | None", recent: dict[int, tuple[int, bytes | None]]):
        self.log, self.size, self.tree, self.index = log, size, tree, index
        self._recent = recent          # leaves a reader found past the index

    def __enter__(self) -> "LogState":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the stored tree's files and the index."""
        if isinstance(self.tree, StoredTree):
            self.tree.close()
        if self.index:
            self.index.close()

    def root(self) -> bytes:
        """The Merkle root of the whole log."""
        return self.tree.root(0, self.size)

    def find(self, digests) -> dict[str, int]:
        """seal digest (hex) -> its leaf, for those of `digests` in the log."""
        wanted = {bytes.fromhex(d): d for d in digests if _is_digest(d)}
        found = {}
        for leaf, (_, seal) in sorted(self._recent.items(), reverse=True):
            if seal in wanted:
                found[wanted[seal]] = leaf
        if self.index:
            found.update((wanted[seal], leaf) for seal, (leaf, _) in
                         self.index.find(list(wanted)).items())
        return found

    def leaf(self, number: int) -> bytes:
        """The leaf's line in leaves.jsonl, read at its offset."""
        offset = self._recent[number][0] if number in self._recent else \
            self.index.offset(number) if self.index else None
        if offset is None:
            raise ValueError(f"{self.log.folder}: leaf {number} is not indexed")
        with open(self.log.leaves_path, "rb") as handle:
            handle.seek(offset)
            return handle.readline().rstrip(b"\n")

    def proof_document(self, number: int, checkpoint: str) -> dict:
        """The inclusion proof of leaf `number` against `checkpoint`, as stored beside its
        seal."""
        size = parse_checkpoint(checkpoint)[0].size
        return proof_document(self.log.origin, number, self.leaf(number),
                              self.tree.inclusion_proof(number, size), checkpoint, size)


@contextmanager
def _opened(log: TransparencyLog, state: LogState | None):
    """`state`, or the log's state opened (and closed after) when none is given."""
    if state is not None:
        yield state
        return
    with log.state() as state:
        yield state


def _stat(path: Path) -> str:
    """What tells an append from any other change of the file: size, times, inode."""
    try:
        st = os.stat(path)
    except OSError:
        return "0"
    return f"{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}"


def _lines_from(path: Path, offset: int):
    """(offset, line) of each whole line of the file from `offset` on (a torn last line,
    left by a crash, is not one), read in blocks."""
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        return
    with handle:
        handle.seek(offset)
        rest = b""
        while block := handle.read(1 << 20):
            lines = (rest + block).split(b"\n")
            rest = lines.pop()
            for line in lines:
                if line:
                    yield offset, line
                offset += len(line) + 1


def _chunks(items, size: int):
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _seal_of(line: bytes) -> bytes | None:
    """The leaf's seal digest, as bytes (None for a leaf that does not name one)."""
    try:
        digest = json.loads(line).get("seal_sha256")
    except (ValueError, AttributeError):
        return None
    return bytes.fromhex(digest) if _is_digest(digest) else None


def _is_digest(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and \
        all(c in "0123456789abcdef" for c in value)


def proof_document(origin: str, index: int, leaf: bytes, proof: list[bytes], checkpoint: str,
                   size: int) -> dict:
    """What is stored beside a seal: enough to check inclusion without the log."""
    return {"log": origin, "index": index, "tree_size": size, "leaf": leaf.decode(),
            "proof": [h.hex() for h in proof], "checkpoint": checkpoint}


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
                "refresh it with 'archivekit log refresh COLLECTION'")
    if not merkle.verify_inclusion(index, size, leaf, proof, checkpoint.root):
        return "the inclusion proof does not lead to the checkpoint's root"
    return None


def seal_digest(envelope: bytes) -> str:
    """A seal's identity in the log (a leaf's `seal_sha256`): SHA-256 of the envelope file."""
    return hashlib.sha256(envelope).hexdigest()


def seals_of(package: Path) -> list[tuple[str, bytes]]:
    """(relative seal path, envelope bytes) for a folder package."""
    return [(path, (Path(package) / path).read_bytes()) for path in layout.seal_paths(package)]


def _extension(text: str, keyword: str) -> str | None:
    for line in text.partition("\n\n")[0].split("\n")[3:]:
        if line.startswith(keyword + " "):
            return line[len(keyword) + 1:]
    return None


@dataclass
class LoggedSeals:
    """What log_unlogged_seals did: the packages whose seals joined the log, and every seal
    now in it."""
    added: list[str]                  # package ids whose seals joined the log now
    logged: list[tuple[Path, str]]    # (package, seal_sha256) of every seal now in the log


def log_unlogged_seals(log: TransparencyLog, packages: list[Path], key: SigningKey,
                       name: str, accept=lambda package: True,
                       previous_keys: list[SigningKey] = (),
                       read_seals=seals_of) -> LoggedSeals:
    """Add every seal of `packages` not yet in the log, sign a checkpoint, store inclusion
    proofs (every stored proof of `packages` is brought up to the new checkpoint:
    O(log N) each). `accept(package)` is asked before a package's seals join the log
    (the log key must not vouch for a package that does not verify). When the latest
    checkpoint was signed by another key and that key is among `previous_keys`, it first
    hands the log over to `key` (a key transition). Safe to repeat after an
    interruption: it finishes whatever was left undone. Each seal file and the log are
    read once. `read_seals(package)`: (seal path, envelope) of a package (`seals_of`
    reads folders). A .zip or .tar is never rewritten: its seals join the log, and
    `log prove` gives their proofs."""
    from archivekit.formats.seal import Envelope
    state = log.state()
    try:
        seals = {}      # package -> the digests of its seals
        new = []
        for package in packages:
            found = [(path, envelope, seal_digest(envelope))
                     for path, envelope in read_seals(package)]
            seals[package] = [digest for _, _, digest in found]
            logged = state.find(seals[package])
            unlogged = [seal for seal in found if seal[2] not in logged]
            if not unlogged or not accept(package):
                continue
            for seal_path, envelope, digest in unlogged:
                statement = Envelope.parse(envelope).statement()
                new.append({"package_id": statement["package_id"], "seal": seal_path,
                            "seal_sha256": digest, "key_id": statement["signer"]["key_id"],
                            "sealed_at": statement["sealed_at"]})
        latest = log.latest()
        if latest is not None and not signed_by(latest, key):
            old = next((k for k in previous_keys if signed_by(latest, k)), None)
            if old is not None:
                log.hand_over(old, old.name, key, name, state)
        if new:
            log.append(new)
            state.close()
            state = log.state()       # reads the new leaves only
        latest = log.latest()
        if new or latest is None or parse_checkpoint(latest)[0].size != state.size \
                or not signed_by(latest, key):
            log.sign(key, name, state)
        refresh_proofs(log, packages, state=state)   # new seals, and older proofs brought up
        logged = state.find([digest for digests in seals.values() for digest in digests])
    finally:
        state.close()
    return LoggedSeals([entry["package_id"] for entry in new],
                       [(package, digest) for package, digests in seals.items()
                        for digest in digests if digest in logged])


def write_proof(state: LogState, package: Path, seal_path: str, digest: str,
                checkpoint: str) -> dict:
    """Store the inclusion proof of the seal with `seal_digest` `digest` beside it."""
    number = state.find([digest]).get(digest)
    if number is None:
        raise ValueError(f"{package}: {seal_path} is not in the log")
    document = state.proof_document(number, checkpoint)
    layout.add_signature_file(package, layout.companion(seal_path, "tlog.json"),
                              (json.dumps(document, indent=2) + "\n").encode(), overwrite=True)
    return document


@dataclass
class RefreshResult:
    """What refresh_proofs did: the checkpoint the proofs now stand on, how many were
    rewritten or already current, and the seals with no leaf in the log."""
    checkpoint: Checkpoint
    refreshed: int = 0        # proofs rewritten against the latest checkpoint
    current: int = 0          # already against it
    not_logged: list[str] = field(default_factory=list)    # "package: seal", no leaf


def refresh_proofs(log: TransparencyLog, packages: list[Path], progress=None,
                   state: LogState | None = None) -> RefreshResult:
    """Rewrite every stored inclusion proof that is not against the latest checkpoint,
    from the stored tree: O(log N) reads per proof, a seal that has no proof yet found
    through the log's index (`state`: the log as already caught up). Files are replaced
    atomically, in batches."""
    latest = log.latest()
    if latest is None:
        raise ValueError(f"{log.folder}: the transparency log has no checkpoint")
    checkpoint = parse_checkpoint(latest)[0]
    result, pending = RefreshResult(checkpoint), []
    temp_dir = Path(packages[0]).parent if packages else log.folder   # the targets' filesystem
    with _opened(log, state) as state:
        tree = _tree_matching(state, checkpoint)
        for number, package in enumerate(packages, 1):
            for seal_path, document in _stored_proofs(package):
                if document is None:        # never proved here: find its leaf
                    digest = seal_digest((Path(package) / seal_path).read_bytes())
                    leaf = state.find([digest]).get(digest)
                    if leaf is None:
                        result.not_logged.append(f"{Path(package).name}: {seal_path}")
                        continue
                    document = {"log": log.origin, "index": leaf,
                                "leaf": state.leaf(leaf).decode()}
                elif document.get("checkpoint") == latest:
                    result.current += 1
                    continue
                fresh = _fresh_proof(tree, document, checkpoint, latest, log.origin)
                if fresh is None:
                    result.not_logged.append(f"{Path(package).name}: {seal_path}")
                    continue
                target = Path(package) / layout.companion(seal_path, "tlog.json")
                pending.append((target, (json.dumps(fresh, indent=2) + "\n").encode()))
                result.refreshed += 1
            if len(pending) >= 2000:      # bounded memory; one flush per batch
                atomic_write_many(pending, temp_dir)
                pending = []
            if progress:
                progress(number, len(packages))
        if pending:
            atomic_write_many(pending, temp_dir)
    return result


def _tree_matching(state: LogState, checkpoint: Checkpoint) -> merkle.MerkleTree:
    """The log's tree, if it holds the checkpoint's tree (the leaves are those the
    checkpoint signed); the stored tree is rebuilt from the leaves once if it does not."""
    for attempt in range(2):
        try:
            if state.size >= checkpoint.size and \
                    state.tree.root(0, checkpoint.size) == checkpoint.root:
                return state.tree
        except (OSError, ValueError):
            pass
        if not attempt and isinstance(state.tree, StoredTree):
            state.log.rebuild_tree(state.tree)
    raise ValueError(f"{state.log.folder}: the log's leaves do not match its latest checkpoint")


def _stored_proofs(package: Path):
    """(seal path, stored proof document or None) for each seal of a folder package,
    reading the proofs only (not the seals) when every seal has one."""
    folder = Path(package) / "signatures"
    if not folder.is_dir():
        return
    names = set(os.listdir(folder))
    for name in sorted(names):
        seal_path = f"signatures/{name}"
        if not layout.SEAL_NAME.match(seal_path):
            continue
        proof = layout.companion(seal_path, "tlog.json")
        document = None
        if proof.rpartition("/")[2] in names:
            try:
                document = json.loads((Path(package) / proof).read_bytes())
            except (OSError, ValueError):
                document = None
        yield seal_path, document if isinstance(document, dict) else None


def _fresh_proof(tree: merkle.MerkleTree, document: dict, checkpoint: Checkpoint, text: str,
                 origin: str) -> dict | None:
    """The document's leaf proved against `checkpoint`, if the stored tree holds that
    very leaf at the document's index (a proof is never made for another leaf)."""
    try:
        index, leaf = int(document["index"]), str(document["leaf"]).encode()
        if not 0 <= index < checkpoint.size or tree.root(index, index + 1) != merkle.leaf_hash(leaf):
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return proof_document(origin, index, leaf, tree.inclusion_proof(index, checkpoint.size),
                          text, checkpoint.size)


@dataclass
class WatchResult:
    """What watch found: whether the latest checkpoint extends the one kept, what it
    found in words, and the checkpoint it accepted."""
    ok: bool
    message: str
    checkpoint: str = ""


def watch(log: TransparencyLog, state: Path, trust: TrustStore) -> WatchResult:
    """Accept the log's latest checkpoint if it extends the one kept in `state`."""
    latest = log.latest()
    if latest is None:
        return WatchResult(False, "the log has no checkpoint")
    followed = log.followed_keys(trust)
    try:
        new, key = verify_checkpoint(latest, trust, followed)
    except CheckpointInvalid as exc:
        return WatchResult(False, f"REJECTED: latest checkpoint {exc}")
    signer = key.name + (" (reached through the log's key transitions)" if key in followed else "")
    if not state.exists():
        return WatchResult(True, f"accepted {new.origin} at size {new.size} (first sight), "
                                 f"signed by {signer}", latest)
    try:
        old, _ = verify_checkpoint(state.read_text(), trust, followed)
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
                             f"consistent, signed by {signer}", latest)
