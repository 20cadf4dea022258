"""Fit the copied-text byline chooser's weights on the corpus' tuning pages.

    .venv/bin/python benchmarks/train_byline.py [--check]

For each tuning page (never a held-out one: see extraction.held_out) whose expected
authors one of the candidates gives, or that shows no byline, every candidate of
text.byline_page (and "no byline") is described by byline.features, and the weights are
fitted as for the headline (train_headline.fit: softmax per page, L2, deterministic
gradient descent from zero). The right candidates are those whose names score the best
author F1 against the expectation. Writes archivekit/extract/byline-weights.json and
prints five-fold cross-validated accuracy against the rules alone. `--check` only reports.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import byline, text  # noqa: E402
from benchmarks.extraction import (EXPECTED, author_f1, copied_expectations,  # noqa: E402
                                   held_out)
from benchmarks.train_headline import arguments, fit_and_report  # noqa: E402

WEIGHTS = ROOT / "archivekit/extract/byline-weights.json"


def examples(corpus: Path) -> list[tuple[str, list[list[float]], list[int], int]]:
    """(page, candidates' features, indices of the right ones, the rules' choice)."""
    found = []
    for page, expected in sorted(json.loads(EXPECTED.read_text())["pages"].items()):
        want = copied_expectations(expected).get("authors")
        if held_out(page) or want is None or want == "?" or not (corpus / page).is_dir():
            continue
        view = text.byline_page((corpus / page / "copied.txt").read_text(errors="replace"))
        if view is None:
            continue
        lines, candidates, place, given = view
        options = [None, *candidates]
        scores = [author_f1(want, given) if c is None else
                  author_f1(want, list(c.names) + [n for n in given if n not in c.names])
                  for c in options]
        best = max(scores)
        if best == 0:
            continue
        rule = next((k for k, c in enumerate(options)
                     if c is not None and c.index in (place.rule, place.late)), 0)
        found.append((page, [byline.features(c, place, lines) for c in options],
                      [k for k, s in enumerate(scores) if s == best], rule))
    return found


def rules_accuracy(data) -> float:
    return sum(rule in right for _, _, right, rule in data) / len(data)


def main():
    args = arguments()
    data = examples(Path(args.corpus))
    print(f"{len(data)} tuning pages whose byline (or its absence) a candidate gives")
    fit_and_report(data, byline.FEATURES, rules_accuracy(data), WEIGHTS,
                   "copied-text byline chooser; fitted by benchmarks/train_byline.py", args.check)


if __name__ == "__main__":
    main()
