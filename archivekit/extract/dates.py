"""Dates as newspapers print them, and as pages declare them, to RFC 3339."""

import re
from datetime import datetime, timedelta

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
# The months of the languages the corpus holds besides English (fr, es, pt, de).
for _number, _names in enumerate((
        "janvier enero janeiro januar jänner", "février fevrier febrero fevereiro februar",
        "mars marzo março märz marz", "avril abril", "mai mayo maio",
        "juin junio junho juni", "juillet julio julho juli", "août aout agosto",
        "septembre septiembre setembro", "octobre octubre outubro oktober",
        "novembre noviembre novembro", "décembre decembre diciembre dezembro dezember"),
        start=1):
    MONTHS.update(dict.fromkeys(_names.split(), _number))
# A month's name, also glued to a word before it ('Associated PressDecember 2, 2016').
_MONTH = r"(?:(?<![^\W\d_])|(?<=[a-z])(?=[A-Z]))(?P<month>[^\W\d_]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_US = re.compile(_MONTH + r"\s+" + _DAY + r",?\s+(?P<year>\d{4})\b")
_EU = re.compile(r"\b" + _DAY + r"\.?\s+(?:of\s+|de\s+)?" + _MONTH + r",?\s+(?:de\s+)?"
                 r"(?P<year>\d{4})\b")
_NUMERIC_US = re.compile(r"\b(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b")
_NUMERIC_ISO = re.compile(r"\b(?P<year>\d{4})[-/.](?P<month>\d{2})[-/.](?P<day>\d{2})\b")
_NUMERIC_EU = re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})\b")
_CJK_DATE = re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")
_PATTERNS = (_US, _EU, _NUMERIC_ISO, _NUMERIC_US, _NUMERIC_EU, _CJK_DATE)
_URL_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def _valid(match) -> str | None:
    month = match["month"]
    month = int(month) if month.isdigit() else MONTHS.get(month.lower())
    if not month:
        return None
    try:
        return datetime(int(match["year"]), month, int(match["day"])).strftime("%Y-%m-%d")
    except ValueError:
        return None


def dates_in(text: str) -> list[tuple[int, str]]:
    """Every date printed in a line, in order: [(offset, 'YYYY-MM-DD'), ...]."""
    found = {}
    for pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            day = _valid(match)
            if day and not any(start <= match.start() < end for start, end in found):
                found[match.start(), match.end()] = day
    return sorted((start, day) for (start, _), day in found.items())


def human_date(text: str) -> str | None:
    """'Dec. 28, 2023', '28 December 2023', '12/28/2023' -> '2023-12-28' (the first one)."""
    for pattern in (_US, _EU, _NUMERIC_US):
        for match in pattern.finditer(text or ""):
            day = _valid(match)
            if day:
                return day
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


_RELATIVE = re.compile(r"\b(?P<count>\d{1,3}|an?|one)\s+(?P<unit>min(?:ute)?|hour|hr|day|week)s?\s+ago\b|"
                       r"\b(?P<word>yesterday|today)\b", re.I)
_UNITS = {"min": "minutes", "minute": "minutes", "hour": "hours", "hr": "hours", "day": "days",
          "week": "weeks"}


def relative_date(text: str, now: datetime) -> tuple[str, str] | None:
    """'Updated 2 hours ago' read at `now` -> ('YYYY-MM-DD', '2 hours ago'): the day,
    and the words it was resolved from (the caller says it was relative)."""
    match = _RELATIVE.search(text or "")
    if not match:
        return None
    if match["word"]:
        back = timedelta(days=1 if match["word"].lower() == "yesterday" else 0)
    else:
        count = match["count"].lower()
        count = 1 if count in ("a", "an", "one") else int(count)
        back = timedelta(**{_UNITS[match["unit"].lower()]: count})
    return (now - back).strftime("%Y-%m-%d"), match.group(0)
