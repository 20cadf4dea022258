"""Provenance (verify/provenance.py): each defect of a package's event list (AK601) and of a
source against its WARC record (AK602) named by its own message."""

import pytest

from archivekit.formats.premis import PACKAGE_EVENT_ORDER, make_event
from archivekit.verify.findings import Report
from archivekit.verify.provenance import _check_events


def events(*changes):
    """The package events in order, a second apart, with `changes` (index, fields) made."""
    made = [make_event(kind, f"2026-01-01T00:00:0{i}Z", "x")
            for i, kind in enumerate(PACKAGE_EVENT_ORDER)]
    for index, fields in changes:
        made[index] = dict(made[index], **fields)
    return made


def messages(listed) -> list[str]:
    report = Report("x")
    _check_events(listed, report)
    assert {f.code for f in report.findings} <= {"AK601"}
    return [f.message for f in report.findings]


def test_sound_events_have_no_finding():
    assert messages(events()) == []


@pytest.mark.parametrize("listed, message", [
    (events((0, {"type": "tea break"})), "events[0] has an unknown type"),
    (events((0, {"premis_uri": "http://example.org/"})),
     "events[0] premis_uri does not match its type"),
    (events((1, {"time": "yesterday"})), "events[1].time is not an RFC 3339 time"),
    (events((1, {"time": "2025-12-31T00:00:00Z"})),
     "events[1] (message digest calculation) is dated before the event listed ahead of it"),
    (events()[1:], "no capture event (nor an accession of a bag)"),
    (events((0, {"type": "message digest calculation"}),
            (1, {"type": "capture"})),
     "package events out of order (capture, digest, packaging, signature expected)"),
    (events() + [make_event("digital signature generation", "2026-01-01T00:00:09Z", "x")],
     "package events out of order (capture, digest, packaging, signature expected)"),
])
def test_each_event_defect_is_named(listed, message):
    assert message in messages(listed)


def _source_findings(record, **source_changes) -> list[str]:
    """The AK602 messages about one file source against `record` (a ScannedRecord)."""
    from archivekit.verify.provenance import _check_sources

    class View:
        class scan:
            failed_at = None
            records = [record]

    source = dict(kind="file", record_id="<urn:uuid:1>", uri="file:///clipping.txt",
                  retrieved="2026-01-01T00:00:00Z", media_type="text/plain", sha256="ab",
                  bytes=5) | source_changes
    report = Report("x")
    _check_sources(View, [source], report)
    assert {f.code for f in report.findings} <= {"AK602"}
    return [f.message for f in report.findings]


def _record(**changes):
    from archivekit.verify.warcscan import ScannedRecord
    fields = dict(offset=0, id="<urn:uuid:1>", type="resource", payload_size=5,
                  headers={"WARC-Target-URI": "file:///clipping.txt",
                           "WARC-Date": "2026-01-01T00:00:00Z", "Content-Type": "text/plain",
                           "WARC-Payload-Digest": "sha256:ab"})
    fields.update(changes)
    return ScannedRecord(**fields)


def test_a_source_that_matches_its_record():
    assert _source_findings(_record()) == []


@pytest.mark.parametrize("record, source, message", [
    (_record(id="<urn:uuid:2>"), {}, "sources[0] names record <urn:uuid:1>, which is not in "
     "the WARC"),
    (_record(type="request"), {}, "sources[0] names a request record"),
    (_record(), {"uri": "file:///other.txt"}, "sources[0] uri differs from its record's "
     "WARC-Target-URI"),
    (_record(), {"media_type": "text/html"}, "sources[0] media_type differs from its "
     "record's Content-Type"),
    (_record(), {"sha256": "cd"}, "sources[0] sha256 differs from its record's payload digest"),
    (_record(payload_size=6), {}, "sources[0] size differs from its record's payload"),
])
def test_each_difference_from_the_record_is_named(record, source, message):
    assert message in _source_findings(record, **source)
