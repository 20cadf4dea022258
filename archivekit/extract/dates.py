"""Dates as newspapers print them, and as pages declare them, to RFC 3339.

Printed dates are found by a few patterns (a month's name before or after the day, with
or without a year; numbers with dots, slashes or dashes; ISO; CJK) and read with what the
page says about itself (`Reading`: the order of its numeric dates, the year of a date
printed without one). Month names are the Unicode CLDR's in the major European languages
(month-names.json, written by scripts/month_names.py with Babel), so 'dez', 'déc',
'dic', 'mär' and 'avril' read like 'Dec'.
"""

import json
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from typing import NamedTuple

# The words a page prints before a date to say whose it is, in the languages we read
# months in most often: the update's ('Mis à jour le 05.05.2015') or the publication's.
UPDATED_WORDS = ("updated", "modified", "last edited", "revised", "aktualisiert", "mis à jour",
                 "mise à jour", "actualizado", "actualizada", "atualizado", "atualizada",
                 "aggiornato", "aggiornata", "bijgewerkt", "uppdaterad", "opdateret",
                 "oppdatert", "zaktualizowano", "aktualizováno")
PUBLISHED_WORDS = ("published", "posted", "first published", "created", "veröffentlicht",
                   "publié", "publiée", "publicado", "publicada", "pubblicato", "pubblicata",
                   "gepubliceerd", "publicerad", "publiceret", "publisert", "opublikowano",
                   "publikováno")


def words_pattern(words: tuple[str, ...]) -> str:
    """A regular expression's alternatives for whole words, longest first."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+")
                    for word in sorted(words, key=len, reverse=True))


# Either label, the update's named: 'Published', 'Mis à jour le', 'Updated:'
DATE_LABEL = re.compile(rf"\b(?P<updated>{words_pattern(UPDATED_WORDS)})\b|"
                        rf"\b(?:{words_pattern(PUBLISHED_WORDS)})\b", re.I)


def label_alone(line: str) -> re.Match | None:
    """The label when the line is a date label and nothing else ('Published', 'Updated:'):
    a page that sets the label apart from its date, copied line by line."""
    return DATE_LABEL.fullmatch(line.strip(" :"))


# Printed years outside this range are not publication dates (page numbers, prices).
FIRST_YEAR, LAST_YEAR = 1800, 2199
# Country domains whose pages write the month first in numbers; every other country's
# pages write the day first. Domains sold worldwide ('.io', '.tv') name no country, nor
# does '.ca' (Canada writes both ways).
MONTH_FIRST_COUNTRIES = {"us", "ph"}
NO_COUNTRY = {"io", "tv", "me", "co", "ly", "fm", "ai", "gg", "to", "cc", "ws", "la", "ca"}


@dataclass(frozen=True)
class Reading:
    """How a page writes dates. `order`: 'mdy' or 'dmy', for numeric dates that read
    both ways ('05.06.14'); `year`: the year of a date printed without one ('March 18');
    `latest`: the capture's day, so that 'December 30' captured on January 2 is last year's."""
    order: str = "mdy"
    year: int | None = None
    latest: str | None = None   # 'YYYY-MM-DD': a date without a year is not after it


class Printed(NamedTuple):
    """A date printed in a line: where it stands, the day it names, and whether its year was
    supplied rather than printed."""
    offset: int           # where the date begins in the line
    end: int              # and where it ends
    day: str              # 'YYYY-MM-DD'
    year_inferred: bool   # printed without a year: Reading.year supplied it


def month_key(word: str) -> str:
    """How a month's name is looked up: lower case, accents off, no trailing dot:
    'Déc.' -> 'dec'."""
    word = unicodedata.normalize("NFKD", word.lower().rstrip("."))
    return "".join(c for c in word if not unicodedata.combining(c))


@cache
def _month_names() -> tuple[dict[str, int], frozenset[str]]:
    """{folded name or abbreviation: month} in every language we read, and the names
    that are a month without a year beside them (full names, English abbreviations)."""
    data = json.loads(resources.files(__package__).joinpath("month-names.json").read_text(
        encoding="utf-8"))
    return data["months"], frozenset(data["alone"])


def month_number(name: str, with_year: bool = True) -> int | None:
    """'December', 'déc.', 'Dez', 'diciembre' -> 12. Without a year beside it, only a
    full name or an English abbreviation is a month ('set 3 times' is no September)."""
    months, full = _month_names()
    key = month_key(name)
    if not with_year and key not in full:
        return None
    return months.get(key)


# A month's name, also glued to a word before it ('Associated PressDecember 2, 2016').
_MONTH = r"(?:(?<![^\W\d_])|(?<=[a-z])(?=[A-Z]))(?P<month>[^\W\d_]{3,12})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?"
_YEAR = r"(?P<year>\d{4}|['’]\d{2})(?!\d)"      # '2015', and "'15" ('14 January '15')
# 'December 3, 2014', 'Dec. 3rd 2014', 'Mar 17' (and Medium's 'Mar 1714 min': day, then
# the reading time glued to it).
_NAME_FIRST = re.compile(_MONTH + r",?\s+" + _DAY + r"(?:(?!\d|:\d)|(?=\d{1,2}\s?min\b))"
                         r"(?:(?:,\s*|\s+)" + _YEAR + r")?")
# '28 December 2014', '21.dez.2018', '17. März 2018', '1 de diciembre de 2018', '30 avril'
_DAY_FIRST = re.compile(r"(?<![\d.,:])" + _DAY + r"\.?[\s./-]*(?:(?:of|de|del)\s+|d[’'])?" +
                        _MONTH +
                        r"(?:[\s.,/-]*(?:(?:de|del)\s+)?" + _YEAR + r")?")
# '12.16.14', '16/12/2014', '5-6-14': which number is the month is the Reading's order.
_NUMERIC = re.compile(r"(?<![\w.,/-])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)"
                      r"(?P<year>\d{4}|\d{2})(?![\w]|[./-]\d)")
_NUMERIC_ISO = re.compile(r"\b(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)"
                          r"(?P<day>\d{1,2})(?!\d)")
_CJK = re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})"
                  r"\s*[日일]")
# '/2014/12/29/', '/2019/jan/03/', or a whole segment '/2014-09-30/' ('/news/2014-12-30'
# at the end): not a date inside a slug ('/2014-11-04-whitney-...' names another day)
_URL_DATE = re.compile(r"/(?P<y>\d{4})/(?P<m>\d{2}|[a-z]{3})/(?P<d>\d{2})/|"
                       r"/(?P<y2>\d{4})-(?P<m2>\d{2})-(?P<d2>\d{2})(?=[/?#]|$)", re.I)
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
                  r"\s*(Z|[+-]\d{2}:?\d{2})?)?$")
# A date-time as servers print it ('Fri Oct 31 10:49:51 EDT 2014', '20170113000004',
# ISO 8601's basic form '20180619T055000+0900'): a full year, or a stamp of 8 digits,
# then a time or nothing.
_SERVER_DATE = re.compile(r"(?<!\d)\d{4}(?!\d)|^\d{8}(?:T\d|\d{4}(?:\d{2})?$|$)")


def _day(year: int, month: int | None, day: int) -> str | None:
    if not month or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime(year, month, day).strftime("%Y-%m-%d")
    except ValueError:
        return None


def _full_year(year: str) -> int:
    """Two digits are read as POSIX strptime's %y does: 69-99 -> 1969-1999, 00-68 -> 20xx."""
    year = year.lstrip("'’")
    if len(year) == 2:
        return int(year) + (1900 if int(year) >= 69 else 2000)
    return int(year)


def _named(match, reading: Reading) -> tuple[str | None, bool]:
    printed = match["year"]
    year = _full_year(printed) if printed else reading.year
    if year is None:
        return None, False
    month = month_number(match["month"], with_year=bool(printed))
    day = _day(year, month, int(match["day"]))
    if day and not printed and reading.latest and day > reading.latest:
        day = _day(year - 1, month, int(match["day"]))
    return day, not printed


def _numeric(match, reading: Reading) -> tuple[str | None, bool]:
    a, b = int(match["a"]), int(match["b"])
    # A number over 12 cannot be the month, so the date reads one way only, whatever
    # the page's habit; otherwise the page's order decides (Reading.order).
    month_first = b > 12 or (a <= 12 and reading.order == "mdy")
    month, day = (a, b) if month_first else (b, a)
    return _day(_full_year(match["year"]), month, day), False


def _ymd(match, reading: Reading) -> tuple[str | None, bool]:
    return _day(int(match["year"]), int(match["month"]), int(match["day"])), False


# Read in this order; a later pattern's match inside an earlier one's is not a date.
_PATTERNS = ((_NAME_FIRST, _named), (_DAY_FIRST, _named), (_NUMERIC_ISO, _ymd),
             (_NUMERIC, _numeric), (_CJK, _ymd))


def dates_in(text: str, reading: Reading = Reading()) -> list[Printed]:
    """Every date printed in a line, in order."""
    found, taken, text = [], [], text or ""
    for pattern, read in _PATTERNS:
        at = 0
        while match := pattern.search(text, at):
            day, inferred = read(match, reading)
            if not day:     # 'DoeDecember 3' is no month: look again from the next letter
                at = match.start() + 1
                continue
            at = match.end()
            if not any(start < match.end() and match.start() < end for start, end in taken):
                taken.append(match.span())
                found.append(Printed(match.start(), match.end(), day, inferred))
    return sorted(found)


def human_date(text: str, reading: Reading = Reading()) -> str | None:
    """'Dec. 28, 2023', '28 December 2023', '12/28/2023' -> '2023-12-28' (the first one)."""
    found = dates_in(text, reading)
    return found[0].day if found else None


# What may stand beside a date on a line of its own: a weekday, a time and zone, a label.
_BESIDE_DATE = re.compile(
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|at|on|published|"
    r"posted|updated|last updated|\d{1,2}(?:[:.h]\d{2}){1,2}\s*(?:[ap]\.?m\b\.?)?|[ap]\.?m\b\.?|"
    r"[A-Z]{2,4}T|GMT|UTC)\b|[\s|•·,:()\-–—/]", re.I)


def date_alone(line: str, reading: Reading = Reading()) -> Printed | None:
    """The date of a line that says nothing else: '28 December 2014', '12.28.14   1:00PM',
    'Published: Tuesday, Dec. 3, 2014 at 9:00 AM EST'."""
    found = dates_in(line, reading) if len(line) <= 80 else []
    if len(found) != 1:
        return None
    rest = line[:found[0].offset] + " " + line[found[0].end:]
    return None if _BESIDE_DATE.sub("", rest) else found[0]


def numeric_order(lines: list[str], language: str | None = None, url: str | None = None) -> str:
    """How a page writes numeric dates: 'mdy' or 'dmy'.

    The page's own dates that read one way only ('12.29.14': 29 is no month) decide; else
    the address's country ('.co.uk', '.de': day first); else the language: English pages
    read month first (the US habit, and most English pages on the web are American),
    every other language day first, as its speakers write.
    """
    votes = 0
    for line in lines:
        for match in _NUMERIC.finditer(line):
            a, b = int(match["a"]), int(match["b"])
            votes += (b > 12 >= a) - (a > 12 >= b)
    if votes:
        return "mdy" if votes > 0 else "dmy"
    host = re.match(r"(?:[a-z]+://)?([^/:?#]+)", url or "")
    country = host[1].rsplit(".", 1)[-1].lower() if host and "." in host[1] else ""
    if len(country) == 2 and country not in NO_COUNTRY:
        return "mdy" if country in MONTH_FIRST_COUNTRIES else "dmy"
    return "mdy" if language in (None, "en") else "dmy"


_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)[^\n]{0,40}?(?:\d{4}\s*[-–]\s*)?(\d{4})\b",
                             re.I)


def page_year(lines: list[str], captured: datetime | None = None, url: str | None = None
              ) -> tuple[int, str] | None:
    """The year of the dates a page prints without one ('March 18 at 3:57 PM'), and where
    it comes from: the day in the page's address (the publisher's own: an old story
    captured today is of its year), else the capture's year, else the last year of the
    page's copyright line (sites print the current year there, '© 1996-2015'). None when
    none is known."""
    in_address = date_from_url(url)
    if in_address:
        return int(in_address[:4]), "the page's address"
    if captured is not None:
        return captured.year, f"the capture at {captured.isoformat()}"
    years = [int(m[1]) for line in lines if len(line) < 300
             for m in _COPYRIGHT_YEAR.finditer(line) if FIRST_YEAR <= int(m[1]) <= LAST_YEAR]
    return (max(years), "the page's copyright line") if years else None


def date_from_url(url: str | None) -> str | None:
    """'https://example.com/2023/12/27/us/story.html' -> '2023-12-27'; also
    '/2019/jan/03/' and a segment of its own '/2014-09-30/'."""
    for match in _URL_DATE.finditer(url or ""):
        year, month, day = (match["y"], match["m"], match["d"]) if match["y"] else \
            (match["y2"], match["m2"], match["d2"])
        number = int(month) if month.isdigit() else month_number(month)
        found = _day(int(year), number, int(day)) if number else None
        if found:
            return found
    return None


def machine_date(value, reading: Reading = Reading()) -> str | None:
    """An ISO-like date or date-time as a page declares it -> RFC 3339.

    Times without a UTC offset are ambiguous, so only their date is kept. A declared
    date without its full year ('14-12-29': yy-mm-dd or dd-mm-yy?) is not read. One
    written as people write it ('04.05.2015' in a French page's microdata) is read as
    the page writes dates (`reading`).
    """
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip())
    if not match:
        if not _SERVER_DATE.search(value.strip()):
            return None
        return human_date(value, reading) or _server_date(value.strip())
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


def _server_date(value: str) -> str | None:
    """What our patterns do not read of a declared date, read by python-dateutil: the
    forms servers and CMSs print ('Fri Mar 13 21:30:09 EST 2015', '20160729164234'). Only
    a date it reads whole (the same day whatever default it is given); a zone it names
    by abbreviation only ('EDT') is no offset, so the date alone is kept."""
    from dateutil import parser
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # 'EDT': a zone name it does not resolve
            one, other = (parser.parse(value, default=datetime(year, year % 12 + 1, year % 28 + 1))
                          for year in (2001, 2002))
    except (ValueError, OverflowError):
        return None
    if one.date() != other.date() or not FIRST_YEAR <= one.year <= LAST_YEAR:
        return None
    if one.tzinfo is None or one.utcoffset() is None:
        return one.strftime("%Y-%m-%d")
    return machine_date(one.isoformat(timespec="seconds"))


# How pages say how long ago they published, in the languages we read months in most
# often: '2 hours ago', '52m ago', 'hace 2 horas', 'il y a 3 heures', 'vor 2 Stunden',
# 'há 2 horas'. Months and years ago name no day, so they are not read.
# Italian, Dutch, Swedish, Danish and Norwegian put the word after the count as English
# does ('2 ore fa', '3 uur geleden', '2 timmar sedan', '2 timer siden').
_UNIT_WORDS = {
    "minutes": "m min mins minute minutes minuto minutos Minute Minuten minuti minuut minuten "
               "minut minuter minutter",
    "hours": "h hr hrs hour hours hora horas heure heures Stunde Stunden ora ore uur timme timmar "
             "time timer",
    "days": "d day days día días dia dias jour jours Tag Tagen giorno giorni dag dagen dagar "
            "dage dager",
    "weeks": "w wk wks week weeks semana semanas semaine semaines Woche Wochen settimana "
             "settimane weken vecka veckor uge uger uke uker",
}
_UNITS = {word.lower(): unit for unit, words in _UNIT_WORDS.items() for word in words.split()}
_ONE = {"a", "an", "one", "un", "une", "uno", "una", "um", "uma", "einer", "einem", "einen",
        "een", "en", "ett", "et"}
_COUNT = r"(?P<count{n}>\d{{1,3}}|" + "|".join(sorted(_ONE, key=len, reverse=True)) + ")"
_UNIT = r"(?P<unit{n}>" + "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True)) + r")\b"
_RELATIVE = re.compile(
    r"\b" + _COUNT.format(n=1) + r"\s*" + _UNIT.format(n=1) +
    r"\s+(?:ago|fa|geleden|sedan|siden)\b|"
    r"\b(?:hace|há|il y a|vor)\s+" + _COUNT.format(n=2) + r"\s+" + _UNIT.format(n=2) + "|"
    # 'Yesterday at 3:45 PM', 'Today 10:32', or the word alone: not 'Today's Paper'
    r"\b(?P<word>yesterday|today|ayer|hoy|gestern|heute|ontem|hoje)\b"
    r"(?=\s*(?:,|at|um|a las|às|à)?\s*\d{1,2}[:.h]\d{2}|\s*$)", re.I)


def relative_date(text: str, now: datetime) -> tuple[str, str] | None:
    """'Updated 2 hours ago' read at `now` -> ('YYYY-MM-DD', '2 hours ago'): the day,
    and the words it was resolved from (the caller says it was relative)."""
    match = _RELATIVE.search(text or "")
    if not match:
        return None
    if match["word"]:
        word = match["word"].lower()
        back = timedelta(days=1 if word in ("yesterday", "ayer", "gestern", "ontem") else 0)
    else:
        count = (match["count1"] or match["count2"]).lower()
        unit = _UNITS[(match["unit1"] or match["unit2"]).lower()]
        back = timedelta(**{unit: 1 if count in _ONE else int(count)})
    return (now - back).strftime("%Y-%m-%d"), match.group(0)
