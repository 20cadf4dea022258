"""The streaming WARC scanner gives the same answer however its input is cut."""

import pytest

from archivekit.verify.warcscan import WarcScanner


@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_chunk_boundaries_do_not_matter(sealed, size):
    _, package = sealed
    data = (package / "data/clipping.warc.gz").read_bytes()
    whole = WarcScanner()
    whole.feed(data)
    whole.close()
    pieces = WarcScanner()
    for start in range(0, len(data), size):
        pieces.feed(data[start:start + size])
    pieces.close()
    assert whole.findings == pieces.findings == []
    assert [(r.id, r.offset, r.length, r.block_sha256, r.block_check) for r in pieces.records] == \
        [(r.id, r.offset, r.length, r.block_sha256, r.block_check) for r in whole.records]
    assert len(whole.records) == 3
