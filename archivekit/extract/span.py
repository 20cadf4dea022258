"""Which block of prose on a copied page is the article: a small learned chooser.

`article.body_span` takes the densest run of prose, which is the article on most pages,
but not where a list of videos or teasers outweighs a short article, where a 'More
Related' box or a 'Comments' link stands between the headline and the text, or where
code samples split a tutorial. So every block of prose (`article.prose_blocks`), every
stretch of up to MERGED_MAX neighbouring blocks, and the rules' run are candidates, each
described by a few numbers (how much prose it holds, how dense and long its paragraphs
are, whether a byline, a date and a headline sharing its words stand just over it,
whether bylines repeat inside it as in a list of teasers, where it stands); the highest
weighted sum wins. The weights are data in `span-weights.json`, fitted on the corpus'
tuning pages by `benchmarks/train_span.py` (softmax over each page's candidates;
reproducible, no downloads).
"""

import bisect
import math
import re
from dataclasses import dataclass
from functools import cache

from archivekit.extract import article, learned

MERGED_MAX = 4       # neighbouring blocks a candidate may join
GAP_MAX = 60         # lines between two blocks joined into one candidate
ABOVE = 12           # lines over a candidate where its headline, byline and date stand
FEATURES = (
    "the rules' run", "share of the page's prose", "prose", "prose lines", "paragraphs",
    "paragraph length", "short paragraphs", "blocks joined", "lines between blocks",
    "by-line over it", "names over it", "date over it",
    "headline shares its words", "by-lines inside", "dates in its blocks", "position",
    "lines under it",
)


@dataclass
class Page:
    """The page's content lines and what the features ask of any one line."""
    lines: list[str]
    paragraphs: list[bool]
    byline_kind: object          # line -> 2 'By ...', 1 names only, 0 none
    date_in: object              # line -> bool

    def __post_init__(self):
        # facts of every line, asked once: spans are many and overlap
        self.prose = [article.is_prose(line) for line in self.lines]
        self.kinds = {}
        self.by_line = _running([_BY.match(line) is not None and len(line) <= 100 and
                                 self.kind(i) == 2 for i, line in enumerate(self.lines)])
        self.dated = _running([_YEAR.search(line) is not None and bool(self.date_in(line))
                               for line in self.lines])

    def kind(self, index: int) -> int:
        """The byline kind of line `index` (2 'By ...', 1 names only, 0 none), asked once."""
        if index not in self.kinds:
            self.kinds[index] = self.byline_kind(self.lines[index])
        return self.kinds[index]


# cheap tests first: a 'By' line starts so, a printed date holds a year
_BY = re.compile(r"(?:\w+\s+)?by\b", re.I)
_YEAR = re.compile(r"\d{4}")


def _running(facts: list[bool]) -> list[int]:
    """How many of the facts hold before each index (and in all, at the end)."""
    totals = [0]
    for fact in facts:
        totals.append(totals[-1] + fact)
    return totals


def candidates(page: Page, blocks: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """(first line, last line + 1, first block, last block + 1) of the rules' run (no
    blocks), then of every block and run of neighbouring `blocks`, in order."""
    rule = article.body_span(page.lines, page.paragraphs)
    if rule is None:
        return []
    starts = [start for start, _ in blocks]
    inside = (bisect.bisect_left(starts, rule[0]), bisect.bisect_left(starts, rule[1]))
    if inside[1] > inside[0] and blocks[inside[1] - 1][1] > rule[1]:
        inside = (inside[0], inside[1] - 1)   # the last block runs on past the rules' end
    found = {rule: inside}   # a dict keeps them in order, once each
    for first, (start, _) in enumerate(blocks):
        for last in range(first, min(len(blocks), first + MERGED_MAX)):
            if last > first and blocks[last][0] - blocks[last - 1][1] > GAP_MAX:
                break
            found.setdefault((start, blocks[last][1]), (first, last + 1))
    return [(*span, *joined) for span, joined in found.items()]


def features(page: Page, span: tuple[int, int], joined: list[tuple[int, int]], rule: bool,
             most_prose: int) -> list[float]:
    """The candidate's numbers in FEATURES order; `joined`: the prose blocks it joins,
    `rule`: whether it is the rules' run, `most_prose`: the most prose any candidate holds."""
    lines, (start, end) = page.lines, span
    inside = lines[start:end]
    prose = [len(line) for line, is_prose in zip(inside, page.prose[start:end]) if is_prose]
    chars = sum(prose)
    between = sum(after[0] - before[1] for before, after in zip(joined, joined[1:]))
    above = range(max(0, start - ABOVE), min(end, start + 3))
    kinds = [page.kind(i) for i in above]
    lead = article.content_words(" ".join(inside[:12]))
    shared = [len(own & lead) / len(own) for own in
              (article.content_words(lines[i]) for i in range(max(0, start - ABOVE), start)
               if 3 <= article.words(lines[i]) <= 30 and not page.prose[i])
              if own]
    later = min(end, start + 3)
    return [
        float(rule),
        chars / most_prose if most_prose else 0.0,
        math.log1p(chars) / math.log1p(20000),
        len(prose) / len(inside),
        sum(page.paragraphs[start:end]) / len(inside),
        chars / len(prose) / article.PROSE_MAX_SCORE if prose else 0.0,
        sum(p < 200 for p in prose) / len(prose) if prose else 0.0,
        (len(joined) - 1) / (MERGED_MAX - 1) if joined else 0.0,
        math.log1p(between) / math.log1p(GAP_MAX),
        float(2 in kinds),
        float(1 in kinds),
        float(page.dated[above.stop] > page.dated[above.start]),
        max(shared, default=0.0),
        min(page.by_line[end] - page.by_line[later], 3) / 3,
        # dated lines in its blocks, as in comments; not in a box of dated links between them
        min(sum(page.dated[b_end] - page.dated[max(b_start, later)]
                for b_start, b_end in joined if b_end > later), 3) / 3 if joined else
        min(page.dated[end] - page.dated[later], 3) / 3,
        start / len(lines),
        (len(lines) - end) / len(lines),
    ]


def described(page: Page) -> list[tuple[tuple[int, int], list[float]]]:
    """Every candidate span with its features (the rules' run first)."""
    blocks = article.prose_blocks(page.lines, page.paragraphs)
    found = candidates(page, blocks)
    most = max((sum(len(l) for l, p in zip(page.lines[s:e], page.prose[s:e]) if p)
                for s, e, _, _ in found), default=0)
    return [((start, end), features(page, (start, end), blocks[first:last], index == 0, most))
            for index, (start, end, first, last) in enumerate(found)]


@cache
def _weights() -> tuple[float, ...]:
    return learned.load_weights("span", FEATURES)


def find(page: Page, weights=None) -> tuple[int, int] | None:
    """(first, last + 1) of the article's prose, or None when the page has no prose."""
    weights = weights or _weights()
    scored = [(sum(w * v for w, v in zip(weights, values)), -index, span)
              for index, (span, values) in enumerate(described(page))]
    return max(scored)[2] if scored else None
