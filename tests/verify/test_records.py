"""Conversion records (a derived reading) checked against their source record and the
descriptor's metadata.reading: scanned records built by hand, one defect each."""

import pytest

from archivekit.verify.findings import Report
from archivekit.verify.records import check_conversions
from archivekit.verify.warcscan import ScannedRecord


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
