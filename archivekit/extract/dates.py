"""Dates as newspapers print them, and as pages declare them, to RFC 3339."""

import re
from datetime import datetime

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_US = re.compile(_MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})")
_EU = re.compile(r"(?P<day>\d{1,2})\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})")
_NUMERIC_US = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b")
_URL_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def human_date(text: str) -> str | None:
    """'Dec. 28, 2023' or '28 December 2023' -> '2023-12-28'."""
    for pattern in (_US, _EU):
        match = pattern.search(text or "")
        if match:
            month = MONTHS.get(match["month"].lower())
            if month:
                try:
                    return datetime(int(match["year"]), month, int(match["day"])).strftime("%Y-%m-%d")
                except ValueError:
                    continue
    match = _NUMERIC_US.search(text or "")
    if match:
        try:
            return datetime(int(match["year"]), int(match["month"]),
                            int(match["day"])).strftime("%Y-%m-%d")
        except ValueError:
            pass
    return None


def date_from_url(url: str | None) -> str | None:
    """'https://example.com/2023/12/27/us/story.html' -> '2023-12-27'."""
    match = _URL_DATE.search(url or "")
    return machine_date("-".join(match.groups())) if match else None


def machine_date(value) -> str | None:
    """An ISO-like date or date-time as a page declares it -> RFC 3339.

    Times without a UTC offset are ambiguous, so only their date is kept.
    """
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip())
    if not match:
        return human_date(value)
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        datetime(int(year), int(month), int(day))
    except ValueError:
        return None
    date = f"{year}-{month}-{day}"
    if hour is None or zone is None:
        return date
    if zone != "Z":
        zone = zone if ":" in zone else zone[:3] + ":" + zone[3:]
    return f"{date}T{hour}:{minute}:{second or '00'}{zone}"
