"""The seal index of a transparency log: seal digest -> the first leaf holding it, and how
far into leaves.jsonl it reaches; a reader that cannot use it gets None, never an error."""

import hashlib
import sqlite3

import pytest
from hypothesis import given, settings, strategies as st

from archivekit.trust.tlogindex import SealIndex


def digest(n: int) -> bytes:
    return hashlib.sha256(b"seal %d" % n).digest()


@pytest.fixture
def index(tmp_path):
    made = SealIndex.open(tmp_path / "tlog/index.sqlite", write=True)
    yield made
    made.close()


def test_a_new_index_reaches_nothing_and_finds_nothing(index):
    assert index.reach() == (0, 0, "")
    assert index.find([digest(1)]) == {} and index.offset(0) is None


def test_leaves_added_are_found_and_the_reach_is_the_last_told(index):
    index.add([(0, 0, digest(0)), (1, 90, None)], leaves=2, end=180, stat="a")
    index.add([(2, 180, digest(2))], leaves=3, end=270, stat="b")
    assert index.reach() == (3, 270, "b")
    assert index.find([digest(0), digest(2), digest(9)]) == {digest(0): (0, 0),
                                                             digest(2): (2, 180)}
    assert (index.offset(1), index.offset(2), index.offset(3)) == (90, 180, None)
    index.add([(2, 185, digest(7))], leaves=3, end=275, stat="c")      # leaf 2 read again
    assert index.find([digest(7)]) == {digest(7): (2, 185)} and index.offset(2) == 185
    index.clear()
    assert index.reach() == (0, 0, "") and index.offset(2) is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=60))
def test_a_seal_logged_twice_is_found_at_its_first_leaf(tmp_path_factory, seals):
    index = SealIndex.open(tmp_path_factory.mktemp("log") / "index.sqlite", write=True)
    index.add([(leaf, leaf * 10, digest(s)) for leaf, s in enumerate(seals)], len(seals),
              len(seals) * 10, "")
    first = {}
    for leaf, seal in enumerate(seals):
        first.setdefault(digest(seal), (leaf, leaf * 10))
    asked = [digest(n) for n in range(31)]
    assert index.find(asked) == first
    index.close()


def test_more_digests_than_one_query_holds_are_all_found(index):
    index.add([(n, n, digest(n)) for n in range(1200)], 1200, 1200, "")
    found = index.find([digest(n) for n in range(1300)])
    assert len(found) == 1200 and found[digest(1199)] == (1199, 1199)


def test_a_reader_opens_the_index_read_only(tmp_path, index):
    index.add([(0, 0, digest(0))], 1, 10, "s")
    reader = SealIndex.open(tmp_path / "tlog/index.sqlite", write=False)
    assert reader.reach() == (1, 10, "s") and reader.find([digest(0)]) == {digest(0): (0, 0)}
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.add([(1, 10, digest(1))], 2, 20, "t")
    reader.close()


@pytest.mark.parametrize("make", [
    lambda path: None,                                             # no index yet
    lambda path: path.write_bytes(b"leaves.jsonl is the record, this is not sqlite" * 20),
    lambda path: sqlite3.connect(path).executescript("CREATE TABLE other (x);").close(),
], ids=["missing", "not-sqlite", "no-reach-table"])
def test_a_reader_that_cannot_use_the_index_gets_none_and_changes_nothing(tmp_path, make):
    path = tmp_path / "index.sqlite"
    make(path)
    before = path.read_bytes() if path.exists() else None
    assert SealIndex.open(path, write=False) is None
    assert (path.read_bytes() if path.exists() else None) == before
