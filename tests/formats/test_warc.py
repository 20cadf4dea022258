"""Writing WARC/1.1: one gzip member per record at the offset and length the inventory
says, sha256 digests, a payload digest only where WARC 1.1 wants one. warcio reads what
is written here as the independent reader."""

import gzip
import hashlib
import io
import json
import zlib

from hypothesis import given, settings, strategies as st
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from archivekit._internal.software import __version__
from archivekit.formats import warc

DATE = "2026-12-02T04:00:00Z"


def _read(data: bytes) -> list:
    return [(record, record.content_stream().read()) for record in ArchiveIterator(io.BytesIO(data))]


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(st.tuples(st.binary(max_size=3000), st.booleans()), max_size=8),
       level=st.integers(1, 9))
def test_each_flush_ends_one_gzip_member_that_inflates_alone(pieces, level):
    out = io.BytesIO()
    sink = warc.GzipMemberWriter(out, level)
    members, current, start, open_ = [], b"", 0, False
    for data, flush in pieces + [(None, True)]:
        if data is not None:
            sink.write(data)
            current, open_ = current + data, True
        if flush:
            sink.flush()
            if open_:
                members.append((start, sink.offset, current))
            assert sink.offset > start or not open_           # an empty member is a member
            current, start, open_ = b"", sink.offset, False
    sink.flush()                                             # nothing open: nothing written
    written = out.getvalue()
    assert sink.offset == len(written)
    for begin, end, data in members:
        assert zlib.decompress(written[begin:end], zlib.MAX_WBITS + 16) == data


@settings(max_examples=20, deadline=None)
@given(payload=st.binary(max_size=5000), text=st.binary(max_size=300))
def test_the_records_of_a_package_are_read_by_warcio_at_their_inventory_offsets(payload, text):
    out = io.BytesIO()
    writer = warc.ClippingWarcWriter(out)
    writer.warcinfo(DATE, {"operator": "Ann", "empty": ""})
    source = writer.resource("https://paper.example/a", DATE, "text/html", io.BytesIO(payload),
                             len(payload))
    writer.metadata(DATE, source["id"], {"headline": "H"})
    writer.conversion(DATE, source["id"], text)
    data = out.getvalue()
    records = _read(data)
    assert [r.rec_headers.get_header("WARC-Type") for r, _ in records] == \
        ["warcinfo", "resource", "metadata", "conversion"] == [e["type"] for e in writer.inventory]
    for entry, (record, block) in zip(writer.inventory, records):
        member = data[entry["offset"]:entry["offset"] + entry["length"]]
        assert gzip.decompress(member).startswith(b"WARC/1.1\r\n")   # one member per record
        assert record.rec_headers.get_header("WARC-Record-ID") == entry["id"]
        assert entry["block_digest"] == record.rec_headers.get_header("WARC-Block-Digest")
        assert entry["block_digest"] == _sha256(block)
    assert sum(e["length"] for e in writer.inventory) == len(data)
    assert records[1][1] == payload and source["payload_digest"] == _sha256(payload)
    # a payload digest on the source and on the reading derived from it, not on the others
    assert [e["payload_digest"] is None for e in writer.inventory] == [True, False, True, False]
    assert writer.inventory[3]["payload_digest"] == _sha256(text)
    assert records[3][1] == text


def test_the_warcinfo_names_the_software_and_the_fields_given():
    out = io.BytesIO()
    writer = warc.ClippingWarcWriter(out)
    entry = writer.warcinfo(DATE, {"operator": "Ann Lee", "isPartOf": None, "empty": ""})
    (record, block), = _read(out.getvalue())
    fields = dict(line.split(": ", 1) for line in block.decode().splitlines() if line)
    assert fields == {"software": f"archivekit/{__version__}", "format": "WARC File Format 1.1",
                      "conformsTo": warc.CONFORMS_TO, "operator": "Ann Lee"}
    assert record.rec_headers.get_header("WARC-Date") == DATE
    assert entry["target_uri"] is None and record.rec_headers.protocol == "WARC/1.1"


def test_metadata_and_readings_have_urns_of_their_own_and_refer_to_their_source():
    out = io.BytesIO()
    writer = warc.ClippingWarcWriter(out)
    source = writer.resource("https://paper.example/a", DATE, "application/pdf",
                             io.BytesIO(b"%PDF"), 4)
    uuid = source["id"].strip("<>").rsplit(":", 1)[-1]
    meta = writer.metadata(DATE, source["id"], {"headline": "Ünï", "n": 1})
    reading = writer.conversion(DATE, source["id"], b"text")
    assert meta["target_uri"] == f"urn:archivekit:metadata:{uuid}"
    assert reading["target_uri"] == f"urn:archivekit:conversion:{uuid}"
    _, (m, m_block), (c, c_block) = _read(out.getvalue())
    assert json.loads(m_block) == {"headline": "Ünï", "n": 1}
    assert m.rec_headers.get_header("Content-Type") == warc.CLIPPING_METADATA_TYPE
    assert c.rec_headers.get_header("Content-Type") == warc.CONVERSION_MEDIA_TYPE
    assert {m.rec_headers.get_header("WARC-Refers-To"), c.rec_headers.get_header(
        "WARC-Refers-To")} == {source["id"]}


def test_a_response_keeps_its_header_bytes_and_a_request_has_no_payload_digest():
    out = io.BytesIO()
    writer = warc.ClippingWarcWriter(out)
    body = b"<html>page</html>"
    head = StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                       ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    response = writer.response("https://paper.example/", {"WARC-Date": DATE}, head,
                               io.BytesIO(body), len(body))
    request = writer.request("https://paper.example/", {"WARC-Date": DATE}, StatusAndHeaders(
        "GET / HTTP/1.1", [("Host", "paper.example")], is_http_request=True))
    (r, r_body), (q, _) = _read(out.getvalue())
    assert r_body == body and response["payload_digest"] == _sha256(body)
    assert r.http_headers.get_header("Content-Type") == "text/html"
    assert request["payload_digest"] is None and request["block_digest"].startswith("sha256:")
    assert q.rec_headers.get_header("WARC-Type") == "request"
