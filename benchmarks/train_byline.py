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

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import byline, text  # noqa: E402
from benchmarks.extraction import (CORPUS, EXPECTED, author_f1, copied_expectations,  # noqa: E402
                                   held_out)
from benchmarks.train_headline import accuracy, fit  # noqa: E402

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args()
    data = examples(Path(args.corpus))
    folds = [data[k::5] for k in range(5)]
    cross = [accuracy(held, fit([d for f in folds if f is not held for d in f]))
             for held in folds]
    print(f"{len(data)} tuning pages whose byline (or its absence) a candidate gives")
    print(f"rules alone: {100 * rules_accuracy(data):.1f}%")
    print(f"learned, 5-fold cross-validated: {100 * sum(cross) / len(cross):.1f}%")
    weights = fit(data)
    print(f"learned, on all of them: {100 * accuracy(data, weights):.1f}%")
    for name, weight in sorted(zip(byline.FEATURES, weights), key=lambda p: -abs(p[1])):
        print(f"  {weight:+7.3f}  {name}")
    if not args.check:
        WEIGHTS.write_text(json.dumps({
            "about": "copied-text byline chooser; fitted by benchmarks/train_byline.py",
            "features": list(byline.FEATURES),
            "weights": [round(w, 4) for w in weights]}, indent=1) + "\n")
        print(f"wrote {WEIGHTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
