"""The provenance events a package lists: each defect named by its own AK601 message."""

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
