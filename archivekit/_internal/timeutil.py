"""Times are UTC, RFC 3339, with a trailing Z."""

from datetime import datetime, timezone


def utc_now() -> datetime:
    """The time now, in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def format_time(moment: datetime) -> str:
    """`moment` in UTC as RFC 3339 with a trailing Z (fractions of a second only when it has
    them)."""
    moment = moment.astimezone(timezone.utc)
    if moment.microsecond:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse an RFC 3339 time that names its offset; raise ValueError otherwise."""
    if not isinstance(text, str) or "T" not in text:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"date-time without a UTC offset: {text!r}")
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:   # year 1 an hour east of UTC, year 9999 an hour west
        raise ValueError(f"date-time out of range: {text!r}") from None
