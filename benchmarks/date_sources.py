"""How often each source of an HTML page's publication date gives the labelled day.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/date_sources.py [--without-declared]

Tuning pages only (the held-out third is never read). For every page with a labelled
date, each source the page has (extract/html_dates.py reads them) is compared with the
label: present / agrees. `--without-declared` first takes out what the page declares
(JSON-LD, date meta tags, itemprop/property datePublished) and reports how often the
whole reading still finds the labelled day: how the reconciliation does on sites that
declare nothing, which the tuning pages alone cannot show.
"""

import argparse
import json
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

from archivekit.extract import extract, html as html_reader, html_dates, structured
from archivekit.extract.dates import Reading, numeric_order
from archivekit.extract.decode import decode_html

sys.path.insert(0, str(Path(__file__).parent))
from common import html_bytes, html_document  # noqa: E402
from extraction import CORPUS, EXPECTED, held_out  # noqa: E402

_DECLARING = re.compile(r"datepublished|published|pub_?date|pdate|ptime|parsely|sailthru|"
                        r"issued|created|^date$|^dc\.date|^dcterms\.date|publish", re.I)


def without_declared(data: bytes) -> bytes:
    """The page without its declared publication date: JSON-LD, date meta tags, and the
    datePublished of microdata and RDFa (modified dates stay)."""
    doc = html_document(data)
    for node in doc.xpath("//script[@type='application/ld+json']"):
        node.getparent().remove(node)
    for node in doc.xpath("//meta"):
        key = node.get("property") or node.get("name") or node.get("itemprop") or ""
        if _DECLARING.search(key):
            node.getparent().remove(node)
    for node in doc.xpath("//*[@itemprop or @property]"):
        for attribute in ("itemprop", "property"):
            if _DECLARING.search(node.get(attribute) or ""):
                del node.attrib[attribute]
    return html_bytes(doc)


def sources(data: bytes) -> list[html_dates.Said]:
    """Every date the page's sources give, named as extract/html_dates.py names them,
    and last what the whole reading chose."""
    found = extract(data, "text/html")
    doc = html_reader.parse(decode_html(data, None)[0])
    for junk in doc.xpath("//script[not(@type='application/ld+json')]|//style|//noscript"):
        junk.text = None if junk.get("type") != "application/ld+json" else junk.text
    article = structured.json_ld_article(doc, []) or {}
    tags = structured.meta_tags(doc)
    url = found.canonical_url or found.url
    visible = html_reader._visible_text(doc)
    lines = [" ".join(line.split()) for line in visible.splitlines() if line.strip()]
    reading = Reading(numeric_order(lines, (found.language or "")[:2].lower() or None, url))
    around = html_reader._around_headline(visible, found.headline)
    shown = html_reader._shown_by_headline(found, around[0]) if around else {}
    labelled = html_dates.labelled(*around, reading) if around else None
    return [*html_dates.declared(doc, article, tags, structured.parsely_metadata(tags, []),
                                 reading),
            *([html_dates.Said("a date labelled 'Published' by the headline", labelled)]
              if labelled else []),
            *html_dates.shown_sources(doc, reading, url, shown.get("published"),
                                      shown.get("published from"), None),
            *([html_dates.Said("the whole reading", found.published)] if found.published else [])]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--without-declared", action="store_true",
                        help="take the declared dates out of every page first")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pages = json.loads(EXPECTED.read_text())["pages"]
    present, agree, right, total = Counter(), Counter(), 0, 0
    for page, expected in sorted(pages.items()):
        want = expected.get("published", "?")
        if held_out(page) or want == "?":
            continue
        data = (CORPUS / page / "source.html").read_bytes()
        total += 1
        if args.without_declared:
            got = extract(without_declared(data), "text/html").published
            right += (got or "")[:10] == (want or "")
            continue
        for source in {s.source: s for s in reversed(sources(data))}.values():
            present[source.source] += 1
            agree[source.source] += source.value[:10] == want
    if args.without_declared:
        print(f"labelled day found without declared dates: {right}/{total} = {right/total:.1%}")
        return
    print(f"{'source':48} agrees / present  ({total} tuning pages with a label)")
    for source, count in present.most_common():
        print(f"{source:48} {agree[source]:4} / {count:<4} {agree[source] / count:6.1%}")


if __name__ == "__main__":
    main()
