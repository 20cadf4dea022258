"""The log's stored tree: O(log N) proofs from files, the same as from memory."""

import random

import pytest

from archivekit.formats import merkle
from archivekit.trust.tlogtree import StoredTree


@pytest.mark.parametrize("size", [1, 2, 3, 7, 8, 9, 31, 64, 100])
def test_stored_tree_gives_the_proofs_of_the_tree_in_memory(tmp_path, size):
    leaves = [merkle.leaf_hash(b"leaf %d" % i) for i in range(size)]
    tree, done = StoredTree(tmp_path / "tree"), 0
    while done < size:                                  # appended in uneven batches
        step = random.randint(1, 9)
        tree.append(leaves[done:done + step])
        done += step
    expected = merkle.MerkleTree(leaves)
    assert tree.size == size
    for n in range(1, size + 1):
        assert tree.root(0, n) == expected.root(0, n)
        for index in range(0, n, max(1, n // 7)):
            assert tree.inclusion_proof(index, n) == expected.inclusion_proof(index, n)
        assert tree.consistency_proof(max(1, n // 3), n) == expected.consistency_proof(max(1, n // 3), n)


def test_an_interrupted_append_is_repaired(tmp_path):
    leaves = [merkle.leaf_hash(b"%d" % i) for i in range(12)]
    tree = StoredTree(tmp_path / "tree")
    tree.append(leaves[:8])
    with open(tmp_path / "tree/0", "ab") as handle:       # killed mid-way: a torn leaf,
        handle.write(leaves[8][:5])                       # and no parent for it
    tree.append(leaves[8:])
    assert tree.root() == merkle.root(leaves)
    (tmp_path / "tree/2").unlink()                        # a lost level is recomputed
    tree.append([])
    assert tree.root(0, 12) == merkle.root(leaves)
