"""The log caught up in O(new): its index (seal -> leaf) and stored tree brought up to
leaves.jsonl by reading only what was appended, giving the same roots and proofs as a
tree built from every leaf; everything read again when the file changed otherwise."""

import json
import os

from hypothesis import given, settings, strategies as st
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit.formats import merkle
from archivekit.trust import tlog
from archivekit.trust.keys import SigningKey
from archivekit.trust.tlog import TransparencyLog, parse_checkpoint

KEY = SigningKey("log", Ed25519PrivateKey.generate())


def entry(number: int) -> dict:
    return {"package_id": f"p{number}", "seal": "signatures/1.dsse.json",
            "seal_sha256": f"{number:064x}", "key_id": "ed25519:00", "sealed_at": "2026"}


def from_all_leaves(log: TransparencyLog) -> merkle.MerkleTree:
    return merkle.MerkleTree([merkle.leaf_hash(leaf) for leaf in log.leaves()])


def grow(log: TransparencyLog, first: int, count: int) -> str:
    log.append([entry(n) for n in range(first, first + count)])
    return log.sign(KEY, "log")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=6))
def test_appending_in_batches_gives_the_roots_and_proofs_of_the_whole_tree(tmp_path_factory,
                                                                             batches):
    log = TransparencyLog(tmp_path_factory.mktemp("log"), "o")
    done, checkpoints = 0, []
    for count in batches:
        checkpoints.append(grow(log, done, count))
        done += count
    whole = from_all_leaves(log)
    assert len(whole.leaves) == done
    with log.state() as state:
        assert state.size == done and state.root() == whole.root()
        for text in checkpoints:
            checkpoint = parse_checkpoint(text)[0]
            assert checkpoint.root == whole.root(0, checkpoint.size)   # signed what was there
            for number in range(0, checkpoint.size, max(1, checkpoint.size // 5)):
                document = state.proof_document(number, text)
                assert document["proof"] == [h.hex() for h in
                                             whole.inclusion_proof(number, checkpoint.size)]
                assert tlog.check_inclusion(document, checkpoint) is None
            assert log.consistency(checkpoint.size, done) == \
                whole.consistency_proof(checkpoint.size, done)
        digests = [f"{n:064x}" for n in range(done)]
        assert state.find(digests + ["f" * 64, "not hex"]) == {d: n for n, d in enumerate(digests)}
        assert json.loads(state.leaf(done - 1)) == entry(done - 1)


def test_a_run_reads_only_the_leaves_appended_since(tmp_path, monkeypatch):
    log = TransparencyLog(tmp_path, "o")
    grow(log, 0, 300)
    read = []
    original = tlog._lines_from

    def counting(path, offset):
        for item in original(path, offset):
            read.append(item)
            yield item
    monkeypatch.setattr(tlog, "_lines_from", counting)
    grow(log, 300, 3)
    assert [json.loads(line)["package_id"] for _, line in read] == ["p300", "p301", "p302"]
    read.clear()
    with log.state() as state:                   # nothing appended: nothing read
        assert state.size == 303 and read == []
    assert log.state(write=False).find([f"{302:064x}"]) == {f"{302:064x}": 302}


def test_a_log_without_an_index_is_indexed_once_and_its_tree_checked(tmp_path):
    log = TransparencyLog(tmp_path, "o")      # as every collection made before the index
    grow(log, 0, 20)
    (tmp_path / "index.sqlite").unlink()
    with open(tmp_path / "tree" / "4", "r+b") as handle:     # a damaged inner hash
        handle.write(b"\0" * 32)
    text = grow(log, 20, 2)
    assert parse_checkpoint(text)[0].root == from_all_leaves(log).root()
    with log.state() as state:
        assert state.find([f"{5:064x}", f"{21:064x}"]) == {f"{5:064x}": 5, f"{21:064x}": 21}


def test_leaves_rewritten_cut_or_a_lost_tree_are_read_again(tmp_path):
    log = TransparencyLog(tmp_path, "o")
    grow(log, 0, 10)
    leaves = log.leaves()
    rewritten = [leaves[0].replace(b"2026", b"2027")] + leaves[1:]   # the same length
    log.leaves_path.write_bytes(b"".join(leaf + b"\n" for leaf in rewritten))
    with log.state() as state:
        assert state.root() == from_all_leaves(log).root()
    log.leaves_path.write_bytes(b"".join(leaf + b"\n" for leaf in leaves[:4]))   # cut
    with log.state() as state:
        assert state.size == 4 and state.root() == merkle.root(
            [merkle.leaf_hash(leaf) for leaf in leaves[:4]])
        assert state.find([f"{7:064x}"]) == {}
    for level in os.listdir(tmp_path / "tree"):
        os.unlink(tmp_path / "tree" / level)
    with log.state() as state:
        assert state.tree.size == 4 and state.root() == from_all_leaves(log).root()


def test_a_reader_writes_nothing_and_still_finds_new_leaves(tmp_path):
    log = TransparencyLog(tmp_path, "o")
    grow(log, 0, 5)
    (tmp_path / "index.sqlite").unlink()
    log.append([entry(5)])                       # appended, not yet caught up
    before = sorted(os.listdir(tmp_path))
    with log.state(write=False) as state:
        assert state.size == 6 and state.find([f"{5:064x}"]) == {f"{5:064x}": 5}
        assert state.root() == from_all_leaves(log).root()
        assert json.loads(state.leaf(5)) == entry(5)
    assert sorted(os.listdir(tmp_path)) == before
