"""How often each source of an HTML page's authors names the labelled authors.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/authors_sources.py [--without declared|markup|both]

Tuning pages only (the held-out third is never read). For every page with labelled
authors, each source the page has (extract/html_authors.py weighs them) is compared with
the label: present / agrees (author F1 = 1). `--without declared` first takes out what
the page declares (JSON-LD authors, author meta tags, Parse.ly), `--without markup`
the byline's markup (itemprop/rel=author, 'byline' and 'author' classes), `--without
both` the two (only what the page prints is left), and report how often the whole
reading still finds the labelled authors: how the reading does on sites that give less
than the tuning pages, which the tuning pages alone cannot show.
Those modes use only `extract`, so the same file measures another checkout
(PYTHONPATH=/work/main).
"""

import argparse
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

from archivekit.extract import extract

sys.path.insert(0, str(Path(__file__).parent))
from common import html_bytes, html_document  # noqa: E402
from extraction import CORPUS, EXPECTED, author_f1, held_out  # noqa: E402

_AUTHOR_META = re.compile(r"author|creator|byl|parsely", re.I)
_AUTHOR_MARKUP = re.compile(r"author|byline", re.I)


def without(data: bytes, what: str) -> bytes:
    """The page without its declared authors ('declared'), its byline's markup
    ('markup') or both ('both'); what the page shows its reader stays."""
    doc = html_document(data)
    if what in ("declared", "both"):
        for node in doc.xpath("//script[@type='application/ld+json']"):
            node.getparent().remove(node)
        for node in doc.xpath("//meta"):
            if _AUTHOR_META.search(node.get("property") or node.get("name") or ""):
                node.getparent().remove(node)
    if what in ("markup", "both"):
        for node in doc.xpath("//*[@itemprop or @rel or @class]"):
            for attribute in ("itemprop", "rel", "class"):
                if _AUTHOR_MARKUP.search(node.get(attribute) or ""):
                    del node.attrib[attribute]
    return html_bytes(doc)


def sources(data: bytes) -> list:
    """Every source's names, as extract/html.py gathers them, and last the whole
    reading's."""
    from archivekit.extract import html as html_reader, html_authors, structured, text
    from archivekit.extract.decode import decode_html
    found = extract(data, "text/html")
    doc = html_reader.parse(decode_html(data, None)[0])
    for junk in doc.xpath("//script[not(@type='application/ld+json')]|//style|//noscript"):
        junk.text = None if junk.get("type") != "application/ld+json" else junk.text
    article = structured.json_ld_article(doc, []) or {}
    tags = structured.meta_tags(doc)
    named = html_reader._authors(found, doc, article, tags, structured.parsely_metadata(tags, []))
    visible = html_reader._visible_text(doc)
    lines = [" ".join(line.split()) for line in visible.splitlines() if line.strip()]
    named.append(html_authors.Named("the page's text, under the headline",
                                    tuple(text.byline_below(lines, found.headline or "")),
                                    html_authors.PRINTED))
    around = html_reader._around_headline(visible, found.headline)
    shown = html_reader._shown_by_headline(found, around[0]) if around else {}
    named.append(html_authors.Named("the page's visible text, by the headline",
                                    tuple(a.name for a in shown.get("authors", [])),
                                    html_authors.PRINTED))
    named.append(html_authors.Named("the whole reading", tuple(a.name for a in found.authors)))
    return [n for n in named if n.names or n.source == "the whole reading"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without", choices=("declared", "markup", "both"),
                        help="take the page's declared authors, its byline's markup or both "
                             "out first")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pages = json.loads(EXPECTED.read_text())["pages"]
    present, agree, scores = Counter(), Counter(), []
    for page, expected in sorted(pages.items()):
        want = expected.get("authors", "?")
        if held_out(page) or want == "?":
            continue
        data = (CORPUS / page / "source.html").read_bytes()
        if args.without:
            found = extract(without(data, args.without), "text/html")
            scores.append(author_f1(want, [a.name for a in found.authors]))
            continue
        for source in {s.source: s for s in reversed(sources(data))}.values():
            present[source.source] += 1
            agree[source.source] += author_f1(want, source.names) == 1
    if args.without:
        taken = {"declared": "declared authors", "markup": "byline's markup",
                 "both": "declared authors and the byline's markup"}[args.without]
        print(f"authors F1 without the {taken}: "
              f"{sum(scores) / len(scores):.1%} of {len(scores)} tuning pages")
        return
    print(f"{'source':44} agrees / present  (tuning pages with labelled authors)")
    for source, count in present.most_common():
        print(f"{source:44} {agree[source]:4} / {count:<4} {agree[source] / count:6.1%}")


if __name__ == "__main__":
    main()
