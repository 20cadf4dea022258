"""Copied-text authors and dates on other copies of the tuning pages: how the reader does
on copies shaped unlike the ones it was tuned on.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/copied_variants.py [--variant NAME ...]
                                                                   [--verbose]

Tuning pages only (the held-out third is never read). Each variant makes another copy of
every tuning page and reads it as copied text; authors (F1) and published (the day) are
scored against the copied labels, as benchmarks/extraction.py scores them:
- `as copied`: copied.txt itself (the benchmark's figure);
- `second copy`: the HTML's visible text as extract/html.py lays it out (another
  browser's or tool's copy of the same page);
- `hard-wrapped`: every line of the copy wrapped at 72 characters (text pasted from an
  e-mail, a PDF or a terminal);
- `no blank lines`: the copy with its blank lines taken out (some copy paths drop them);
- `no headline line`: the line that prints the labelled headline taken out (the reader
  must then take another line for the headline, as on a page whose headline it misses).
A rule that helps only `as copied` fits the tuning copies; one that holds across the
variants is more likely to hold on sites it has not seen.
"""

import argparse
import json
import sys
import textwrap
import warnings
from pathlib import Path

from archivekit.extract import extract, html as html_reader
from archivekit.extract.decode import decode_html

sys.path.insert(0, str(Path(__file__).parent))
from extraction import (CORPUS, EXPECTED, UNCHECKED, author_f1, copied_expectations,  # noqa: E402
                        fold, held_out)


def second_copy(page: str, copied: str) -> str:
    data = (CORPUS / page / "source.html").read_bytes()
    return html_reader._visible_text(html_reader.parse(decode_html(data, None)[0]))


def hard_wrapped(page: str, copied: str) -> str:
    return "\n".join(textwrap.fill(line, 72, break_long_words=False, break_on_hyphens=False)
                     if line.strip() else "" for line in copied.splitlines())


def no_blank_lines(page: str, copied: str) -> str:
    return "\n".join(line for line in copied.splitlines() if line.strip())


def no_headline_line(page: str, copied: str, headline=None) -> str:
    wanted = fold(headline) if isinstance(headline, str) else None
    return "\n".join(line for line in copied.splitlines()
                     if not wanted or fold(" ".join(line.split())) != wanted)


VARIANTS = {"as copied": lambda page, copied: copied, "second copy": second_copy,
            "hard-wrapped": hard_wrapped, "no blank lines": no_blank_lines,
            "no headline line": no_headline_line}


def score(pages: dict, variant: str, verbose: bool) -> tuple[float, float, int, int]:
    authors, published = [], []
    for page, expected in pages.items():
        want = copied_expectations(expected)
        copied = (CORPUS / page / "copied.txt").read_text(encoding="utf-8", errors="replace")
        if variant == "no headline line":
            text = no_headline_line(page, copied, want.get("headline"))
        else:
            text = VARIANTS[variant](page, copied)
        found = extract(text.encode(), "text/plain")
        names = [a.name for a in found.authors]
        if want.get("authors", UNCHECKED) != UNCHECKED:
            authors.append(author_f1(want["authors"], names))
            if verbose and authors[-1] < 1:
                print(f"  [{variant}] {page}.authors: expected {want['authors']}, found {names}")
        if want.get("published", UNCHECKED) != UNCHECKED:
            day = (found.published or "")[:10] or None
            published.append(float((want["published"] or None) == day))
            if verbose and not published[-1]:
                print(f"  [{variant}] {page}.published: expected {want['published']}, "
                      f"found {day}")
    return (sum(authors) / len(authors), sum(published) / len(published),
            len(authors), len(published))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", choices=list(VARIANTS),
                        help="only this variant (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pages = {page: expected for page, expected in
             sorted(json.loads(EXPECTED.read_text())["pages"].items()) if not held_out(page)}
    print(f"{'copy':18} {'authors (F1)':>14} {'published':>14}   (tuning pages)")
    for variant in args.variant or list(VARIANTS):
        authors, published, n_authors, n_published = score(pages, variant, args.verbose)
        print(f"{variant:18} {authors:7.1%} of {n_authors:3} {published:7.1%} of {n_published:3}")


if __name__ == "__main__":
    main()
