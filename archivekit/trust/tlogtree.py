"""The transparency log's Merkle tree kept on disk, so that proofs cost O(log N)
reads instead of rereading every leaf.

    tree/0    the leaf hashes, 32 bytes each, in log order
    tree/L    the hash of every complete subtree of 2**L leaves, left to right

These are the hashes C2SP tlog-tiles serves (its tiles group 8 of these levels and
256 hashes of a level per file); here each level is one file of fixed-size records,
read with pread. Any RFC 6962 subtree hash MTH(D[lo:hi]) is a stored complete
subtree or splits into O(log N) of them, so inclusion and consistency proofs for
any tree size up to the stored one need only O(log N) reads.

The leaves (leaves.jsonl) stay the record; this is an index of them: it can be
rebuilt, and whoever signs a checkpoint compares its root with the leaves first.
"""

import os
from pathlib import Path

from archivekit.formats import merkle

HASH = 32


class StoredTree(merkle.MerkleTree):
    """The transparency log's Merkle tree kept on disk, a file of 32-byte hashes per level,
    so that roots and proofs take O(log N) reads instead of the whole log."""
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._roots = {}          # memoised non-stored subtree hashes (MerkleTree's cache)
        self._files = {}
        self._upper = {}          # stored hashes of 8+ leaves: shared by many proofs

    # --- reading --------------------------------------------------------------------------
    def _count(self, level: int) -> int:
        path = self.folder / str(level)
        return path.stat().st_size // HASH if path.exists() else 0

    @property
    def size(self) -> int:
        """Leaves in the stored tree."""
        return self._count(0)

    @property
    def leaves(self):      # MerkleTree asks len(self.leaves) for the default tree size
        """A stand-in for the leaf list MerkleTree expects (only its length is asked)."""
        return range(self.size)

    def _read(self, level: int, index: int) -> bytes:
        if level >= 3:
            cached = self._upper.get((level, index))
            if cached is None:
                cached = self._upper[(level, index)] = self._pread(level, index)
            return cached
        return self._pread(level, index)

    def _pread(self, level: int, index: int) -> bytes:
        handle = self._files.get(level)
        if handle is None:
            handle = self._files[level] = os.open(self.folder / str(level), os.O_RDONLY)
        data = os.pread(handle, HASH, index * HASH)
        if len(data) != HASH:
            raise ValueError(f"the stored tree has no hash {index} at level {level}")
        return data

    def leaf_hashes(self, lo: int, hi: int) -> list[bytes]:
        """The leaf hashes lo..hi-1, in one read."""
        handle = self._files.get(0)
        if handle is None:
            handle = self._files[0] = os.open(self.folder / "0", os.O_RDONLY)
        data = os.pread(handle, (hi - lo) * HASH, lo * HASH)
        return [data[i:i + HASH] for i in range(0, len(data), HASH)]

    def root(self, lo: int = 0, hi: int | None = None) -> bytes:
        """MTH(D[lo:hi]) from the stored hashes."""
        hi = self.size if hi is None else hi
        width = hi - lo
        if width > 0 and width & (width - 1) == 0 and lo % width == 0:
            return self._read(width.bit_length() - 1, lo // width)   # a complete subtree
        return super().root(lo, hi)

    def close(self) -> None:
        """Close the files it holds open."""
        for handle in self._files.values():
            os.close(handle)
        self._files.clear()
        self._upper.clear()

    # --- writing --------------------------------------------------------------------------
    def append(self, leaf_hashes: list[bytes]) -> None:
        """Add leaf hashes and every subtree they complete; O(log N) reads per leaf."""
        self.close()
        self.folder.mkdir(parents=True, exist_ok=True)
        self._repair()
        new, level = list(leaf_hashes), 0
        while new:
            below = self._count(level)
            with open(self.folder / str(level), "ab") as handle:
                handle.write(b"".join(new))
                handle.flush()
                os.fsync(handle.fileno())
            total = below + len(new)
            first = (below // 2) * 2                   # the first node not yet paired
            pending = [self._read(level, i) for i in range(first, below)] + new
            new = [merkle.node_hash(pending[i], pending[i + 1])
                   for i in range(0, (total - first) // 2 * 2, 2)]
            level += 1
            self.close()

    def rebuild(self, leaf_hashes: list[bytes]) -> None:
        """Write the whole tree again from the leaf hashes (when it disagrees with them)."""
        self.close()
        self._roots.clear()
        if self.folder.exists():
            for path in self.folder.iterdir():
                path.unlink()
        self.append(leaf_hashes)

    def _repair(self) -> None:
        """Finish what an interrupted append left: a torn last record is dropped and
        every level is brought up to what the level below it completes."""
        level = 0
        while (self.folder / str(level)).exists():
            path = self.folder / str(level)
            count = self._count(level)
            if path.stat().st_size != count * HASH:
                os.truncate(path, count * HASH)
            above = self._count(level + 1)
            if above > count // 2:
                os.truncate(self.folder / str(level + 1), (count // 2) * HASH)
            elif above < count // 2:
                missing = [merkle.node_hash(self._read(level, 2 * i), self._read(level, 2 * i + 1))
                           for i in range(above, count // 2)]
                with open(self.folder / str(level + 1), "ab") as handle:
                    handle.write(b"".join(missing))
            self.close()
            level += 1
