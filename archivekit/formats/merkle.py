"""RFC 6962 / RFC 9162 Merkle trees: hashes, inclusion and consistency proofs.

Pure functions over lists of leaf hashes; proofs are lists of 32-byte hashes.
"""

import hashlib


def leaf_hash(data: bytes) -> bytes:
    """The hash of a leaf (RFC 6962: SHA-256 over 0x00 and the data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node (RFC 6962: SHA-256 over 0x01 and its children)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k << 1 < n:
        k <<= 1
    return k


class MerkleTree:
    """Leaf hashes with memoised subtree roots: after the first root, every inclusion
    or consistency proof costs O(log n) hashes, not O(n)."""

    def __init__(self, leaves: list[bytes]):
        self.leaves = leaves
        self._roots: dict[tuple[int, int], bytes] = {}

    def root(self, lo: int = 0, hi: int | None = None) -> bytes:
        """MTH(D[lo:hi])."""
        hi = len(self.leaves) if hi is None else hi
        if hi - lo == 0:
            return hashlib.sha256(b"").digest()
        if hi - lo == 1:
            return self.leaves[lo]
        if (lo, hi) not in self._roots:
            k = _split(hi - lo)
            self._roots[(lo, hi)] = node_hash(self.root(lo, lo + k), self.root(lo + k, hi))
        return self._roots[(lo, hi)]

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(m, D[n]) for the tree of the first `size` leaves."""
        size = len(self.leaves) if size is None else size
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, lo: int, hi: int) -> list[bytes]:
        if hi - lo == 1:
            return []
        k = _split(hi - lo)
        if m < k:
            return self._path(m, lo, lo + k) + [self.root(lo + k, hi)]
        return self._path(m - k, lo + k, hi) + [self.root(lo, lo + k)]

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """PROOF(m, D[n]): that the first old_size leaves are unchanged in the tree."""
        size = len(self.leaves) if size is None else size
        if not 0 < old_size <= size:
            raise ValueError(f"no consistency proof from {old_size} to {size}")
        return self._subproof(old_size, 0, size, True)

    def _subproof(self, m: int, lo: int, hi: int, complete: bool) -> list[bytes]:
        if m == hi - lo:
            return [] if complete else [self.root(lo, hi)]
        k = _split(hi - lo)
        if m <= k:
            return self._subproof(m, lo, lo + k, complete) + [self.root(lo + k, hi)]
        return self._subproof(m - k, lo + k, hi, False) + [self.root(lo, lo + k)]


class Frontier:
    """The roots of a tree's complete subtrees, largest first (one per bit of its size,
    at most log2 N): enough to add leaves and to compute the root, in O(log N) memory."""

    def __init__(self):
        self.size = 0
        self.nodes: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash, joining the subtrees it completes."""
        self.nodes.append(leaf)
        self.size += 1
        size = self.size
        while not size & 1:                 # two subtrees of one size make one
            right = self.nodes.pop()
            self.nodes.append(node_hash(self.nodes.pop(), right))
            size >>= 1

    def root(self) -> bytes:
        """MTH of the leaves so far: each subtree joined to the ones after it."""
        if not self.nodes:
            return hashlib.sha256(b"").digest()
        result = self.nodes[-1]
        for left in reversed(self.nodes[:-1]):
            result = node_hash(left, result)
        return result


def root(leaves: list[bytes]) -> bytes:
    """The root of the tree of `leaves` (leaf hashes)."""
    return MerkleTree(leaves).root()


def inclusion_proof(index: int, leaves: list[bytes]) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `leaves`."""
    return MerkleTree(leaves).inclusion_proof(index)


def consistency_proof(old_size: int, leaves: list[bytes]) -> list[bytes]:
    """The proof that the tree of the first `old_size` leaves is a prefix of the tree of
    `leaves`."""
    return MerkleTree(leaves).consistency_proof(old_size)


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes],
                     expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if old_size > new_size or old_size < 1:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    if old_size & (old_size - 1) == 0:          # a power of two: the old root is a node
        proof = [old_root] + list(proof)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
