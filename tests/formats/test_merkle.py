"""RFC 6962 Merkle trees: known answers, and inclusion and consistency proofs for every
tree size up to 64, each refused when tampered."""

import hashlib

import pytest

from archivekit.formats import merkle

SIZES = range(1, 65)


def tree(n):
    leaves = [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]
    return leaves, merkle.root(leaves)


def test_known_answers():
    """RFC 6962's definitions on the smallest trees, computed by hand."""
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    assert merkle.root([]) == hashlib.sha256(b"").digest()
    assert merkle.root([a]) == a
    assert merkle.root([a, b, c]) == merkle.node_hash(merkle.node_hash(a, b), c)
    assert merkle.inclusion_proof(2, [a, b, c]) == [merkle.node_hash(a, b)]


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_for_every_leaf(size):
    leaves, root = tree(size)
    for index in range(size):
        proof = merkle.inclusion_proof(index, leaves)
        assert merkle.verify_inclusion(index, size, leaves[index], proof, root)
        if proof:
            tampered = [bytes([proof[0][0] ^ 1]) + proof[0][1:]] + proof[1:]
            assert not merkle.verify_inclusion(index, size, leaves[index], tampered, root)
            assert not merkle.verify_inclusion(index, size, leaves[index], proof[:-1], root)
        assert not merkle.verify_inclusion(index, size, leaves[index], proof + [root], root)
        if size > 1:
            other = (index + 1) % size
            assert not merkle.verify_inclusion(other, size, leaves[index], proof, root)
        assert not merkle.verify_inclusion(index, index, leaves[index], proof, root)  # index past the end


@pytest.mark.parametrize("size", SIZES)
def test_consistency_proofs_between_every_pair(size):
    leaves, root = tree(size)
    for old in range(1, size + 1):
        old_root = merkle.root(leaves[:old])
        proof = merkle.consistency_proof(old, leaves)
        assert merkle.verify_consistency(old, size, old_root, root, proof)
        if proof:
            tampered = proof[:-1] + [bytes([proof[-1][0] ^ 1]) + proof[-1][1:]]
            assert not merkle.verify_consistency(old, size, old_root, root, tampered)
            assert not merkle.verify_consistency(old, size, old_root, root, proof[:-1])
            assert not merkle.verify_consistency(old, size, old_root, root, proof + [root])
        forked = merkle.root([merkle.leaf_hash(b"forged")] + leaves[1:old])
        if old < size:
            assert not merkle.verify_consistency(old, size, forked, root, proof)


@pytest.mark.parametrize("size", range(0, 70))
def test_the_frontier_gives_the_root_of_every_size(size):
    leaves, root = tree(size)
    frontier = merkle.Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    assert frontier.root() == root
    assert len(frontier.nodes) == bin(size).count("1")     # one subtree per bit: O(log N)
