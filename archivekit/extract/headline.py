"""Which line of a copied page is the article's headline: a small learned ranker.

Every line near the top of the article is described by a few numbers (how long it is,
whether a byline or a date sits under it, whether it shares words with the article's
first paragraphs, whether its neighbours look like a list of other stories, ...), and
the line with the highest weighted sum wins. The weights are data in
`headline-weights.json`, fitted on the corpus' tuning pages by
`benchmarks/train_headline.py` (softmax over each page's lines; reproducible, no
downloads); the hand-tuned `article.headline_score` is one of the features.
"""

import math
import re
from dataclasses import dataclass, field
from functools import cache

from archivekit.extract import article, learned

LOOKBACK = 60        # lines above the article's first paragraph where a headline may be
LOOKAHEAD = 12       # and lines into it (the span may start at a caption, a dek or a prompt)
DEK_MARGIN = 1.0     # how much better a sentence must score than the line over it
_NAVIGATION = re.compile(r"[|»«›‹>]|\s/\s|^\W|\b(?:more|next|previous|back to)\b", re.I)
FEATURES = (
    "rule score", "words", "long", "ends with period", "ends with ? or !", "title case",
    "all caps", "prose", "repeated", "shares words with the lead",
    "shares words with the body", "by-line right under it", "by-line under it",
    "names under it", "date under it", "date in it", "list neighbours", "lines to the article", "inside the article",
    "prose between it and the article", "navigation marks", "colon", "names only",
    "furniture", "short lines above", "gap after", "starts with a digit",
)


@dataclass
class Page:
    """What the features of any one line need to know about the page."""
    lines: list[str]
    span: tuple[int, int]
    byline_kind: object          # line -> 2 'By ...', 1 names only, 0 none
    date_in: object              # line -> bool
    gaps: list[int] = field(default_factory=list)   # lines dropped after each line
    repeated: set = field(init=False)
    lead: set = field(init=False)
    body: set = field(init=False)

    def __post_init__(self):
        # each line is asked about many times (as a candidate, a neighbour, a follower)
        self.byline_kind, self.date_in = _remembered(self.byline_kind), _remembered(self.date_in)
        seen, self.repeated = set(), set()
        for line in self.lines:
            (self.repeated if line in seen else seen).add(line)
        start, end = self.span
        self.lead = article.content_words(" ".join(self.lines[start: min(end, start + 6)]))
        self.body = article.content_words(" ".join(self.lines[start:end]))


def _remembered(function):
    answers = {}

    def remembered(line):
        if line not in answers:
            answers[line] = function(line)
        return answers[line]
    return remembered


def candidates(page: Page) -> range:
    """The lines that may hold the headline: up to LOOKBACK above the article's first
    paragraph and LOOKAHEAD into it."""
    start = page.span[0]
    return range(max(0, start - LOOKBACK), min(len(page.lines), start + LOOKAHEAD))


def features(page: Page, index: int) -> list[float] | None:
    """The line's numbers, in FEATURES order; None when it can never be a headline."""
    lines, line = page.lines, page.lines[index]
    count = article.words(line)
    if not 2 <= count <= 40 or not 6 <= len(line) <= 250 or article.is_noise(line):
        return None
    kind = page.byline_kind(line)
    if kind == 2 or line.startswith(("©", "http", "www.")):
        return None
    start = page.span[0]
    rule = article.headline_score(line, index, lines, start, page.byline_kind, page.date_in,
                                  page.repeated, page.lead)
    following = [l for l in lines[index + 1: index + 8]
                 if not (article.is_noise(l) or article.is_furniture(l) or article.words(l) <= 2)][:4]
    nearness = (1, 1, 0.6, 0.4)
    kinds = [page.byline_kind(l) for l in following]
    split = line.split()
    own = article.content_words(line)
    neighbours = [l for l in (lines[index - 1] if index else "",
                              lines[index + 1] if index + 1 < len(lines) else "")
                  if 1 <= article.words(l) <= 25 and not article.is_prose(l)]
    above = lines[max(0, index - 6): index]
    between = lines[index + 1: start][:6]
    return [
        max(-3.0, rule / 5) if rule is not None else -1.0,
        min(count, 10) / 10,
        float(count > 14),
        float(line.endswith(".") and not line.endswith(("..", "…"))),
        float(line.endswith(("?", "!"))),
        float(len(split) >= 3 and sum(w[:1].isupper() for w in split) / len(split) >= 0.6),
        float(line.isupper()),
        float(article.is_prose(line)),
        float(line in page.repeated),
        len(own & page.lead) / len(own) if own else 0.0,
        len(own & page.body) / len(own) if own else 0.0,
        float(kinds[:1] == [2]),
        max((n for k, n in zip(kinds, nearness) if k == 2), default=0.0),
        max((n for k, n in zip(kinds, nearness) if k == 1), default=0.0),
        max((n for l, n in zip(following, nearness) if page.date_in(l)), default=0.0),
        float(bool(page.date_in(line))),
        len(neighbours) / 2,
        math.log1p(abs(start - index)) / math.log1p(LOOKBACK),
        float(index >= start),
        min(sum(article.is_prose(l) for l in between), 3) / 3,
        float(bool(_NAVIGATION.search(line))),
        float(":" in line),
        float(kind == 1),
        float(article.is_furniture(line)),
        sum(article.words(l) <= 3 for l in above) / 6,
        float(bool(page.gaps) and page.gaps[index] > 0),
        float(line[:1].isdigit()),
    ]


@cache
def _weights() -> tuple[float, ...]:
    return learned.load_weights("headline", FEATURES)


def find(page: Page, weights=None) -> int | None:
    """Index of the headline among the page's lines, or None."""
    weights = weights or _weights()
    scores = {}
    for index in candidates(page):
        values = features(page, index)
        if values is not None:
            scores[index] = sum(w * v for w, v in zip(weights, values))
    if not scores:
        return None
    best = max(scores, key=scores.get)
    # headline, then dek: a sentence right under a headline-like line is its dek
    above = scores.get(best - 1)
    if above is not None and above >= scores[best] - DEK_MARGIN and \
            page.lines[best].endswith(".") and not page.lines[best - 1].endswith("."):
        return best - 1
    return best
