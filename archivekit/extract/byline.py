"""Which line of a copied page is the article's byline, if any: a small learned chooser.

The rules in `text` find lines that read as bylines ('By ...', a line of names beside
a date or a role) near the headline, over the article's first paragraph and at its
end. Which of them is the article's own is a matter of weighing cues, so every such
line is described by a few numbers (how it reads, where it stands against the headline
and the article, whether a date or a role stands beside it, whether the rules would
take it), and so is "no byline"; the highest weighted sum wins. The weights are data in
`byline-weights.json`, fitted on the corpus' tuning pages by `benchmarks/train_byline.py`
(softmax over each page's candidates; reproducible, no downloads).
"""

import math
from dataclasses import dataclass
from functools import cache

from archivekit.extract import learned

NONE = -1   # the candidate that says the page shows no byline
FEATURES = (
    "no byline", "by-line", "names only", "beside names", "the rules' byline",
    "the rules' late byline", "right under the headline", "under the headline",
    "over the headline", "over the first paragraph", "inside the article",
    "after the article", "lines from the headline", "date in it", "names", "known names",
    "length", "names elsewhere on the page", "by after a date", "lines under the article",
    "time beside", "bio under", "sentence about the writer", "writer described on the page",
)


@dataclass(frozen=True)
class Candidate:
    """A line that may be the byline, as the rules read it."""
    index: int
    names: tuple[str, ...]
    strong: bool        # 'By ...' or names already known
    beside: bool        # a date, role or handle beside a line of names
    dated: bool         # a date in the line itself
    known: bool         # names the page gave elsewhere (a wire line, a bio)
    after_date: bool    # '... EST by Rachel Evans'
    timed: bool = False     # a time of day or a date in figures in or beside the line
    bio: bool = False       # a sentence under it speaks of the person ('Kristin is a ...')
    about: bool = False     # it is a sentence about the writer ('Jane Doe is a reporter at ...')
    described: bool = False  # such a sentence elsewhere on the page names one of its people


@dataclass(frozen=True)
class Place:
    """Where the article stands: the headline's line (or None), the line under it, and the
    prose run (first, last + 1); the rules' choices."""
    head: int | None
    top: int
    span: tuple[int, int]
    rule: int | None
    late: int | None


def features(candidate: Candidate | None, place: Place, lines: list[str]) -> list[float]:
    """The candidate's numbers in FEATURES order; None stands for "no byline"."""
    if candidate is None:
        return [1.0] + [0.0] * (len(FEATURES) - 1)
    at, (start, end) = candidate.index, place.span
    anchor = place.head if place.head is not None else place.top - 1
    line = lines[at]
    elsewhere = any(name in other for other_at, other in enumerate(lines)
                    if other_at != at for name in candidate.names)
    return [
        0.0,
        float(candidate.strong),
        float(not candidate.strong and not candidate.after_date),
        float(candidate.beside),
        float(at == place.rule),
        float(at == place.late),
        float(at == place.top),
        float(place.top <= at <= place.top + 3),
        float(at < anchor),
        float(at < start),
        float(start <= at < end),
        float(at >= end),
        math.log1p(abs(at - anchor)) / math.log1p(30),
        float(candidate.dated),
        min(len(candidate.names), 4) / 4,
        float(candidate.known),
        min(len(line), 160) / 160,
        float(elsewhere),
        float(candidate.after_date),
        math.log1p(max(0, at - end + 1)) / math.log1p(10),
        float(candidate.timed),
        float(candidate.bio),
        float(candidate.about),
        float(candidate.described),
    ]


@cache
def _weights() -> tuple[float, ...]:
    return learned.load_weights("byline", FEATURES)


def choose(candidates: list[Candidate], place: Place, lines: list[str],
           weights=None) -> Candidate | None:
    """The byline among the candidates, or None when the page shows none."""
    weights = weights or _weights()
    best, best_score = None, sum(w * v for w, v in zip(weights, features(None, place, lines)))
    for candidate in candidates:
        score = sum(w * v for w, v in zip(weights, features(candidate, place, lines)))
        if score > best_score:
            best, best_score = candidate, score
    return best
