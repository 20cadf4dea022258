"""Times are UTC, RFC 3339, with a trailing Z: written so, and read back only when they
name their offset."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from archivekit._internal.timeutil import format_time, parse_time, utc_now

OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
MOMENTS = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9998, 12, 31),
                       timezones=OFFSETS)


@given(MOMENTS)
def test_any_moment_written_reads_back_as_the_same_instant_in_utc(moment):
    text = format_time(moment)
    assert text.endswith("Z") and "+" not in text
    assert ("." in text) == bool(moment.microsecond)
    back = parse_time(text)
    assert back == moment and back.utcoffset() == timedelta(0)


def test_an_offset_is_turned_into_utc():
    assert format_time(datetime(2024, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=2)))) \
        == "2024-02-29T22:30:00Z"
    assert parse_time("2024-03-01T00:30:00+02:00") == datetime(2024, 2, 29, 22, 30,
                                                                tzinfo=timezone.utc)
    assert parse_time("2024-02-29T22:30:00.5z").microsecond == 500000


def test_now_is_utc_to_the_second():
    now = utc_now()
    assert now.utcoffset() == timedelta(0) and now.microsecond == 0
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


@pytest.mark.parametrize("text, problem", [
    ("2024-03-01", "not an RFC 3339 date-time"),
    ("2024-03-01T10:00:00", "without a UTC offset"),
    ("0001-01-01T00:30:00+01:00", "out of range"),
    ("9999-12-31T23:30:00-01:00", "out of range"),
    (None, "not an RFC 3339 date-time"),
    ("2024-13-01T10:00:00Z", "month"),
])
def test_a_time_that_is_not_rfc_3339_with_an_offset_is_refused_naming_it(text, problem):
    with pytest.raises(ValueError, match=problem) as caught:
        parse_time(text)
    assert problem == "month" or repr(text) in str(caught.value)
