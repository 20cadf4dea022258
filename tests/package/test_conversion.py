"""A scan's reading is kept beside the original: a WARC conversion record referring to
the resource record, a derivation event, and the original bytes untouched."""

import hashlib
import json
import shutil

import pytest
from warcio.archiveiterator import ArchiveIterator

from archivekit.verify.findings import Report
from archivekit.verify.records import check_conversions
from archivekit.verify.warcscan import ScannedRecord
from conftest import SAMPLES

SCAN = SAMPLES / "scan-clipping.png"


@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is not installed")
def test_a_captured_scan_keeps_its_reading_beside_the_original(cli, tmp_path):
    made = cli("capture", SCAN, "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    package = tmp_path / "archive" / made.stdout.strip()
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    reading = descriptor["metadata"]["reading"]
    assert (reading["engine"], reading["language"]) == ("tesseract", "eng")
    with open(package / "data/clipping.warc.gz", "rb") as stream:   # warcio, independently
        records = {r.rec_type: (r.rec_headers, r.content_stream().read())
                   for r in ArchiveIterator(stream)}
    resource_headers, original = records["resource"]
    conversion_headers, text = records["conversion"]
    assert original == SCAN.read_bytes()
    assert conversion_headers["WARC-Refers-To"] == resource_headers["WARC-Record-ID"]
    assert conversion_headers["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(text).hexdigest() == reading["sha256"]
    assert "Library Board Approves Extended" in text.decode("utf-8")   # as printed: two lines
    derivation, = [e for e in descriptor["events"] if e["type"] == "derivation"]
    assert derivation["premis_uri"].endswith("/cre")
    assert conversion_headers["WARC-Record-ID"] in derivation["detail"]

    verified, report = cli.verify_json(package)
    assert verified.returncode == 0, report
    inspected = cli("inspect", package).stdout
    assert "derived reading (OCR), not the original: tesseract" in inspected
    assert "Record    conversion" in inspected
    unpacked = cli("unpack", package, "--out", tmp_path / "out")
    assert unpacked.returncode == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["scan-clipping.png"]
    assert (tmp_path / "out/scan-clipping.png").read_bytes() == SCAN.read_bytes()


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
