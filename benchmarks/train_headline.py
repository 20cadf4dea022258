"""Fit the copied-text headline ranker's weights on the corpus' tuning pages.

    .venv/bin/python benchmarks/train_headline.py [--check]

For each tuning page (never a held-out one: see extraction.held_out) whose copy shows
the expected headline, every candidate line is described by headline.features and the
weights are fitted so that the headline gets the highest score: a softmax over the
page's candidates, L2-regularised, plain gradient descent from zero (deterministic, so
the same corpus gives the same weights). Writes archivekit/extract/headline-weights.json
and prints five-fold cross-validated accuracy on the tuning pages against the
hand-tuned score alone. `--check` only reports, writing nothing.
"""

import argparse
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import headline, text  # noqa: E402
from benchmarks.extraction import CORPUS, EXPECTED, copied_expectations, fold, held_out  # noqa: E402

WEIGHTS = ROOT / "archivekit/extract/headline-weights.json"
L2 = 0.01
STEPS = 600
RATE = 0.5


def examples(corpus: Path) -> list[tuple[str, list[list[float]], list[int]]]:
    """(page, candidates' features, indices of the right ones) for each usable tuning page."""
    found = []
    for page, expected in sorted(json.loads(EXPECTED.read_text())["pages"].items()):
        want = copied_expectations(expected).get("headline")
        if held_out(page) or not want or want == "?" or not (corpus / page).is_dir():
            continue
        copied = (corpus / page / "copied.txt").read_text(encoding="utf-8", errors="replace")
        view = text.headline_page(copied)
        if view is None:
            continue
        rows, right = [], []
        for index in headline.candidates(view):
            values = headline.features(view, index)
            if values is not None:
                if fold(view.lines[index]) == fold(want):
                    right.append(len(rows))
                rows.append(values)
        if right:
            found.append((page, rows, right))
    return found


def fit(data, steps=STEPS, l2=L2) -> list[float]:
    """Weights for (page, candidates' features, indices of the right ones) triples."""
    size = len(data[0][1][0])
    weights = [0.0] * size
    for _ in range(steps):
        gradient = [l2 * w for w in weights]
        for _, rows, right, *_ in data:
            scores = [sum(w * v for w, v in zip(weights, row)) for row in rows]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            total, good = sum(exps), sum(exps[i] for i in right)
            for row, e, i in zip(rows, exps, range(len(rows))):
                # d(-log P(right))/d score_i = p_i - (i in right) * e_i / good
                delta = e / total - (e / good if i in right else 0.0)
                if delta:
                    for k, v in enumerate(row):
                        gradient[k] += delta * v / len(data)
        weights = [w - RATE * g for w, g in zip(weights, gradient)]
    return weights


def accuracy(data, weights) -> float:
    hits = 0
    for _, rows, right, *_ in data:
        scores = [sum(w * v for w, v in zip(weights, row)) for row in rows]
        hits += scores.index(max(scores)) in right
    return hits / len(data) if data else 0.0


def arguments():
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    return parser.parse_args()


def site(page: str) -> str:
    """'newspaper/ok.co.uk2', 'readability/wapo-1' -> 'ok.co.uk', 'wapo': pages of one site."""
    return re.sub(r"[-_]?\d+$", "", page.rsplit("/", 1)[-1])


def by_site(data, l2: float = L2) -> float:
    """Accuracy on pages of sites the weights were not fitted on: five folds, each site's
    pages in one (sorted folds put a site's two pages on either side). What a site we
    have never seen is more like."""
    sites = sorted({site(page) for page, *_ in data})
    folds = [[d for d in data if sites.index(site(d[0])) % 5 == k] for k in range(5)]
    hits = sum(accuracy(held, fit([d for f in folds if f is not held for d in f], l2=l2))
               * len(held) for held in folds)
    return hits / len(data)


def fit_and_report(data, features: tuple, rules: float, weights_file: Path, about: str,
                   check: bool, l2: float = L2) -> None:
    """Print five-fold cross-validated accuracy against the rules' (`rules`), fit on all
    of `data` and, unless `check`, write the weights to `weights_file`."""
    folds = [data[k::5] for k in range(5)]
    cross = [accuracy(held, fit([d for f in folds if f is not held for d in f], l2=l2))
             for held in folds]
    print(f"rules alone: {100 * rules:.1f}%")
    print(f"learned, 5-fold cross-validated: {100 * sum(cross) / len(cross):.1f}%")
    print(f"learned, 5-fold by site (a site's pages never on both sides): "
          f"{100 * by_site(data, l2):.1f}%")
    weights = fit(data, l2=l2)
    print(f"learned, on all of them: {100 * accuracy(data, weights):.1f}%")
    for name, weight in sorted(zip(features, weights), key=lambda p: -abs(p[1])):
        print(f"  {weight:+7.3f}  {name}")
    if not check:
        weights_file.write_text(json.dumps({
            "about": about, "features": list(features),
            "weights": [round(w, 4) for w in weights]}, indent=1) + "\n")
        print(f"wrote {weights_file.relative_to(ROOT)}")


def main():
    args = arguments()
    data = examples(Path(args.corpus))
    print(f"{len(data)} tuning pages whose copy shows the headline among the candidates")
    rule_only = [1.0] + [0.0] * (len(headline.FEATURES) - 1)   # the hand-tuned score alone
    fit_and_report(data, headline.FEATURES, accuracy(data, rule_only), WEIGHTS,
                   "copied-text headline ranker; fitted by benchmarks/train_headline.py",
                   args.check)


if __name__ == "__main__":
    main()
