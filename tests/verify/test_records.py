"""WARC record checks (verify/records.py): declared digests against the bytes, digests
missing or unreadable, the warcinfo record first; and conversion records (a derived
reading) against their source record and the descriptor's metadata.reading."""

import gzip

import pytest

from archivekit.verify.findings import Report
from archivekit.verify.records import check_conversions
from archivekit.verify.warcscan import ScannedRecord
from conftest import verify_here
from support.tamper import WARC, members, rewrite_member


class _View:
    def __init__(self, records, failed_at=None):
        self.scan = type("Scan", (), {"records": records, "failed_at": failed_at})()


def _record(kind, record_id, **headers):
    record = ScannedRecord(0, id=record_id, type=kind)
    record.headers = headers
    return record


SOURCE = _record("resource", "<urn:uuid:source>")
READING = {"sha256": "ab" * 32}


def _conversion(refers_to="<urn:uuid:source>", digest="sha256:" + "ab" * 32):
    return _record("conversion", "<urn:uuid:text>", **{"WARC-Refers-To": refers_to,
                                                        "WARC-Payload-Digest": digest})


@pytest.mark.parametrize("records,reading,problem", [
    ([SOURCE, _conversion()], READING, None),
    ([SOURCE], None, None),
    ([SOURCE, _conversion(refers_to="<urn:uuid:elsewhere>")], READING, "does not refer"),
    ([SOURCE, _conversion(digest="sha256:" + "cd" * 32)], READING, "differs from the reading"),
    ([SOURCE], READING, "has no conversion record"),
    ([SOURCE, _conversion()], None, "without a reading"),
    ([SOURCE, _conversion(), _conversion()], READING, "2 conversion records"),
])
def test_conversion_records_are_checked_against_their_source_and_the_descriptor(
        records, reading, problem):
    report = Report("package")
    check_conversions(_View(records), reading, report)
    messages = [f.message for f in report.findings]
    assert [f.code for f in report.findings] == ([] if problem is None else ["AK312"])
    assert problem is None or problem in messages[0]


def _header(name, value):
    """Replace (or with value None, remove) one WARC header of a record."""
    def change(record):
        head, _, rest = record.partition(b"\r\n\r\n")
        lines = [line for line in head.split(b"\r\n") if not line.startswith(name + b":")]
        if value is not None:
            lines.append(name + b": " + value)
        return b"\r\n".join(lines) + b"\r\n\r\n" + rest
    return change


def _messages(report, code):
    return [f.message for f in report.findings if f.code == code]


def test_a_payload_digest_that_does_not_match(package):
    cli, bag = package
    rewrite_member(bag, 1, _header(b"WARC-Payload-Digest", b"sha256:" + b"0" * 64))
    report = verify_here(cli, bag)
    assert _messages(report, "AK307") == ["WARC-Payload-Digest does not match the record's bytes"]


@pytest.mark.parametrize("index, name, value, words", [
    (1, b"WARC-Payload-Digest", None, "resource record has no WARC-Payload-Digest"),
    (0, b"WARC-Block-Digest", None, "record has no WARC-Block-Digest"),
    (0, b"WARC-Block-Digest", b"sha256:!!!", "WARC-Block-Digest 'sha256:!!!' cannot be read"),
])
def test_digests_missing_or_unreadable(package, index, name, value, words):
    cli, bag = package
    rewrite_member(bag, index, _header(name, value))
    report = verify_here(cli, bag)
    assert any(m.startswith(words) for m in _messages(report, "AK308")), report.findings


def test_warcinfo_second(package):
    cli, bag = package
    parts = members(bag / WARC)
    (bag / WARC).write_bytes(parts[1] + parts[0] + b"".join(parts[2:]))
    report = verify_here(cli, bag)
    assert _messages(report, "AK311") == ["the first record is not a warcinfo record"]


def test_no_warcinfo(package):
    cli, bag = package
    parts = members(bag / WARC)
    assert b"WARC-Type: warcinfo" in gzip.decompress(parts[0])
    (bag / WARC).write_bytes(b"".join(parts[1:]))
    report = verify_here(cli, bag)
    assert sorted(_messages(report, "AK311")) == [
        "the WARC has no warcinfo record", "the first record is not a warcinfo record"]
