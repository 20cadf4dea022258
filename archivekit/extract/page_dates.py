"""Which of the dates a copied page prints are its publication and update dates."""

import re
from dataclasses import replace
from datetime import datetime

from archivekit.extract import dates
from archivekit.extract.metadata import ClippingMetadata

DATELINE_MAX = 80          # a dateline away from the headline is short, and no sentence
DATELINE_OVER_ARTICLE = 15  # lines over the first paragraph where a dateline may stand
LIST_OF_DATES = 3          # lines in a row, each with a date: a list, not a date line
_YEAR_ALONE = re.compile(r"\d{4}")
# Between 'posted' and its date in a sentence: ' on Tuesday, '
_POSTED_ON_GAP = re.compile(r"\s*:?\s*(?:(?:on|le|am|el|em|il|op|den)\s+)?(?:[^\W\d_]+day,?\s+)?",
                            re.I)
_OPENING_DASH = re.compile(r"\s(?:--|—|–|-)\s")   # 'April 17, 2015 -- Imagine ...'
_TIME_OF_DAY = re.compile(r"\b\d{1,2}[:.h]\d{2}\b|\b\d{1,2}\s?[ap]\.?m\b", re.I)


class PageDates:
    """The published and updated dates printed near the headline and byline, read as the
    page writes dates (dates.Reading: its numeric order, the year of dates printed
    without one)."""

    def __init__(self, content: list[str], numbers: list[int], result: ClippingMetadata,
                 captured: datetime | None):
        self.content, self.numbers, self.result, self.captured = content, numbers, result, captured
        year = dates.page_year(content + result.boilerplate, captured, result.url)
        self.year_from = year[1] if year else None
        self.reading = dates.Reading(
            dates.numeric_order(content, result.language, result.url),
            year[0] if year else None, captured.strftime("%Y-%m-%d") if captured else None)

    def read(self, top: int, body_from: int, span: tuple[int, int],
             byline_at: int | None = None) -> None:
        """Into `result`: the dates by the headline (`top`: the line under it) and the
        byline (over `body_from`), under the headline nearest first, then over it (a
        site's banner prints today's date over the headline), else in the chosen byline's
        own line wherever it stands (`byline_at`: 'By Jane Doe | Posted Feb. 27, 2014'
        dates the article even when the headline taken is another line), else a
        dateline over the article's first paragraph or under its last (`span`), else a
        sentence there that says when it was posted, else a line that is a date alone
        anywhere. Of a long line (prose) only the dateline that opens it is read."""
        start, end = span
        self._read_lines(max(0, top - 4), max(body_from, top) + 3, nearest_to=top - 1)
        if byline_at is not None and not self._found():
            # with its year only: 'by Lucas Nolan22 Dec 2016651' is no year-less '22 Dec'
            self._read_with(replace(self.reading, year=None), byline_at, byline_at + 1, False)
        # a dateline over the first paragraph, or under the last ('Parse.ly, December 11, 2014')
        for first, last in ((max(0, start - DATELINE_OVER_ARTICLE), start + 1), (end - 1, end + 3)):
            if self._found():
                return
            self._read_lines(first, last, datelines_only=True)
        if not self._found():
            self._read_posted_on(end - 1, end + 3)
        if not self._found():
            self._read_alone(top)

    def _found(self) -> bool:
        return self.result.published is not None or self.result.modified is not None

    def _read_lines(self, first: int, end: int, datelines_only: bool = False,
                    nearest_to: int | None = None) -> None:
        """Each date takes the label between it and the date before it in its line
        ('Published March 4 ... Updated March 5', 'Mis à jour le 05.05.2015 • Le Monde |
        04.05.2015': the second date is no update). A date printed with its year goes before one printed without ('by
        Lucas Nolan22 Dec 2016651' over '22 Dec, 2016'). 'Updated 2 hours ago' is resolved
        against the capture time, and says so. `nearest_to`: a line to read outwards
        from (under it, then over it), else top to bottom."""
        for reading in (replace(self.reading, year=None), self.reading):
            self._read_with(reading, first, end, datelines_only, nearest_to)
            if self._found() or self.reading.year is None:
                return

    def _read_posted_on(self, first: int, end: int) -> None:
        """A sentence at the article's end that says when it was published, the label
        just before the date: 'This entry was posted on Tuesday, September 3rd, 2013 at
        12:53 pm and is filed under ...' (a dateline is short; this is prose)."""
        for index in range(max(0, first), min(end, len(self.content))):
            line = self.content[index][:200]
            for printed in dates.dates_in(line, replace(self.reading, year=None)):
                labels = list(dates.DATE_LABEL.finditer(line, 0, printed.offset))
                if labels and not labels[-1]["updated"] and \
                        _POSTED_ON_GAP.fullmatch(line, labels[-1].end(), printed.offset):
                    self.result.published = printed.day
                    self.result.found("published", f"text line {self.numbers[index]}")
                    return

    def _read_alone(self, top: int) -> None:
        """The last resort: a line that is a date and nothing else, wherever it stands
        ('12.28.14   1:00PM' under the author's bio), when it is the only day the page
        prints that way under the headline (`top`: the line under it; a banner prints
        today's over it) or anywhere (comments and related stories print several), or
        the only one it labels as published ('Published December 20, 2014' over related
        stories' days)."""
        alone = {index: dates.date_alone(line, self.reading)
                 for index, line in enumerate(self.content)}
        # without its year, only a timestamp ('Dec 29 10:00 PM'): 'July 4th' alone is a
        # holiday in a menu as often as a date
        alone = {index: found for index, found in alone.items() if found and
                 (not found.year_inferred or _TIME_OF_DAY.search(self.content[index]))}
        labelled = {index: found for index, found in alone.items()
                    if _published_label(self.content[index][:found.offset])}
        under = {index: found for index, found in alone.items() if index >= top}
        for chosen in (under, alone, labelled):
            if len({found.day for found in chosen.values()}) == 1:
                index = min(chosen)
                self._read_lines(index, index + 1)
                return

    def _in_list_of_dates(self, index: int) -> bool:
        """One of three or more lines in a row that each print a date: a schedule, a list
        of comments or of other stories, not the article's own date line."""
        run = 1
        for step in (-1, 1):
            at = index + step
            while 0 <= at < len(self.content) and run < LIST_OF_DATES and self._dated(at):
                run, at = run + 1, at + step
        return run >= LIST_OF_DATES

    def _dated(self, index: int) -> bool:
        line = self.content[index]
        return len(line) <= 200 and bool(dates.dates_in(line, self.reading))

    def _read_with(self, reading: dates.Reading, first: int, end: int, datelines_only: bool,
                   nearest_to: int | None = None) -> None:
        result, captured = self.result, self.captured
        lines = range(first, min(end, len(self.content)))
        if nearest_to is not None:      # the headline's: under it, then over it
            lines = sorted(lines, key=lambda i: (i < nearest_to, abs(i - nearest_to)))
        for index in lines:
            line, where = self.content[index], f"text line {self.numbers[index]}"
            if len(line) > 200:     # prose: only the dateline that opens it
                line = _opening(line, reading)
            if not line or self._in_list_of_dates(index) or \
                    datelines_only and (len(line) > DATELINE_MAX or line.endswith(".")):
                continue
            labels = [(m.start(), bool(m["updated"])) for m in dates.DATE_LABEL.finditer(line)]
            over = self.content[index - 1] if index else ""
            label_over = dates.label_alone(over)
            if label_over:      # 'Updated:' on a line of its own, the date under it
                labels.insert(0, (-1, bool(label_over["updated"])))
            beside = self._year_beside(index)
            found = dates.dates_in(line, replace(reading, year=beside[0], latest=None)
                                   if beside else reading)
            relative = dates.relative_date(line, captured) if captured and not found else None
            if relative:
                name = "modified" if any(updated for _, updated in labels) else "published"
                if getattr(result, name) is None:
                    setattr(result, name, relative[0])
                    result.found(name, f"{where}, relative: '{relative[1]}' "
                                       f"before the capture at {captured.isoformat()}")
            after = -1      # a label is the next date's, not every later one's
            for offset, end, day, year_inferred in found:
                updated = next((u for at, u in reversed(labels) if after <= at < offset), None)
                after = end
                if updated is None:     # 'November 28, 2013 -- Updated 0203 GMT': the update's
                    updated = len(found) == 1 and bool(labels) and all(u for _, u in labels)
                name = "modified" if updated else "published"
                if getattr(result, name) is None:
                    setattr(result, name, day)
                    year_from = beside[1] if beside else self.year_from
                    result.found(name, f"{where}, the year from {year_from}"
                                 if year_inferred else where)

    def _year_beside(self, index: int) -> tuple[int, str] | None:
        """A year alone on the line over or under a date ('2014 / Dec 29 / 10:00 PM': a
        page that sets the year apart, copied line by line), and where it stands."""
        for step, where in ((-1, "the line over it"), (1, "the line under it")):
            if 0 <= index + step < len(self.content):
                year = _YEAR_ALONE.fullmatch(self.content[index + step].strip())
                if year and dates.FIRST_YEAR <= int(year[0]) <= dates.LAST_YEAR:
                    return int(year[0]), where
        return None


def _opening(line: str, reading: dates.Reading) -> str:
    """The dateline that opens a paragraph: up to its dash ('April 17, 2015 -- Imagine
    being sick ...', 'LONDON, Dec 30 (Reuters) - The ...'), or the date it begins with
    ('24. Dezember 2014 Weihnachten Sie können ...'); '' when it opens with none."""
    dash = _OPENING_DASH.search(line, 0, DATELINE_MAX)
    if dash:
        return line[:dash.start()]
    first = dates.dates_in(line[:DATELINE_MAX], reading)
    return line[:first[0].end] if first and first[0].offset == 0 else ""


def _published_label(text: str) -> bool:
    label = dates.DATE_LABEL.search(text)
    return bool(label) and not label["updated"]
