"""Fit the copied-text span chooser's weights on the corpus' tuning pages.

    .venv/bin/python benchmarks/train_span.py [--check]

For each tuning page (never a held-out one: see extraction.held_out), every candidate of
span.candidates is described by span.features and scored by the body F1 its lines would
give (extraction.body_scores) against the page's expected-body.txt or, where it has none
(the readability pages), against the body trafilatura reads from the page's saved HTML
(silver labels: a page's HTML says plainly which block is the article, which its copy
does not; trafilatura's reading, not ours, so that improving archivekit's HTML reader
does not silently retrain the copied-text chooser — with ours as the reference, the
chooser's cross-validated F1 against expected-body.txt was 0.924, with trafilatura's 0.930). The right candidates are those
within TIE of the best; the weights are fitted as for the headline (train_headline.fit:
softmax per page, L2, deterministic gradient descent from zero). Writes
archivekit/extract/span-weights.json and prints five-fold cross-validated body F1 of the
chosen candidates against the rules' run, for each kind of label. `--check` only reports.
"""

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract import article, span, text  # noqa: E402
from archivekit.extract.metadata import ClippingMetadata, Extraction  # noqa: E402
from benchmarks.extraction import (EXPECTED, body_scores, copied_expectations,  # noqa: E402
                                   held_out, trafilatura_reads, without_headline)
from benchmarks.train_headline import arguments, fit, fit_and_report  # noqa: E402

WEIGHTS = ROOT / "archivekit/extract/span-weights.json"
TIE = 0.005   # candidates this close to the best body F1 are all right
L2 = 0.003


def page_view(copied: str) -> span.Page | None:
    result = ClippingMetadata(Extraction(text.METHOD, "train"))
    content, numbers = text._classify(text._numbered_lines(copied), result)
    if not content:
        return None
    known, ordinary = text._names(result), text.lowercase_words(content)
    return text.span_page(content, numbers,
                          lambda line: text._byline(line, known, ordinary)[0])


def examples(corpus: Path) -> list[tuple[str, list[list[float]], list[int], list[float], bool]]:
    """(page, candidates' features, indices of the right ones, candidates' body F1, whether
    against an expected body) for
    every tuning page: against expected-body.txt where the page has one, else (silver)
    against what trafilatura reads from the page's saved HTML."""
    found = []
    for page, expected in sorted(json.loads(EXPECTED.read_text())["pages"].items()):
        if held_out(page) or not (corpus / page).is_dir():
            continue
        view = page_view((corpus / page / "copied.txt").read_text(errors="replace"))
        described = span.described(view) if view else []
        if expected.get("body"):
            reference = without_headline((corpus / page / "expected-body.txt").read_text(
                errors="replace"), copied_expectations(expected).get("headline"))
        else:
            reference = trafilatura_reads((corpus / page / "source.html").read_bytes()).get("body")
        if not described or not reference:
            continue
        scores = [body_scores(reference, "\n\n".join(
            line for line in view.lines[first:end]
            if not (article.is_noise(line) or article.is_furniture(line))))[2]
            for (first, end), _ in described]
        right = [k for k, s in enumerate(scores) if s >= max(scores) - TIE]
        found.append((page, [values for _, values in described], right, scores,
                      bool(expected.get("body"))))
    return found


def chosen_f1(data, weights) -> list[float]:
    """Body F1 of the candidate the weights choose on each page (ties: the first, as
    span.find does)."""
    chosen = []
    for _, rows, _, scores, _ in data:
        ranked = [sum(w * v for w, v in zip(weights, row)) for row in rows]
        chosen.append(scores[ranked.index(max(ranked))])
    return chosen


def main():
    args = arguments()
    data = examples(Path(args.corpus))
    rules = [1.0] + [0.0] * (len(span.FEATURES) - 1)   # the rules' run alone
    folds = [data[k::5] for k in range(5)]
    cross = {}
    for held in folds:
        weights = fit([d for f in folds if f is not held for d in f], l2=L2)
        cross.update(zip((d[0] for d in held), chosen_f1(held, weights)))
    for name, gold in (("expected-body.txt", True), ("silver: trafilatura's HTML body", False)):
        part = [d for d in data if d[4] == gold]
        print(f"{len(part)} tuning pages, body F1 against {name}: the rules' run "
              f"{statistics.mean(chosen_f1(part, rules)):.4f}, learned 5-fold cross-validated "
              f"{statistics.mean(cross[d[0]] for d in part):.4f}, best candidate "
              f"{statistics.mean(max(d[3]) for d in part):.4f}")
    fit_and_report(data, span.FEATURES, sum(0 in d[2] for d in data) / len(data), WEIGHTS,
                   "copied-text span chooser; fitted by benchmarks/train_span.py", args.check,
                   l2=L2)


if __name__ == "__main__":
    main()
