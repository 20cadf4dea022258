"""Which tuning pages and sites each date rule decides: a leave-one-rule-out view.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/date_rules.py [--rule NAME ...] [--drop]

Tuning pages only (the held-out third is never read). Each rule of the date readers is
switched off in turn and both modes are read again; the pages whose date changes are
listed, with their label, and counted by site (a page's name without its number:
'newspaper/wired.com2' -> 'wired.com'). A rule whose benefit comes from one site is
fitted to that site as much as it is reasoned. `--drop` instead takes one family of
HTML date sources out of every page in turn (JSON-LD, article:* meta, microdata,
parsely and sailthru, other date meta, <time> elements) and lists the pages whose
reading then misses its label: where the reading leans on one source alone.
"""

import argparse
import json
import re
import sys
import warnings
from pathlib import Path

from archivekit.extract import extract, html_dates, page_dates

sys.path.insert(0, str(Path(__file__).parent))
from common import html_bytes, html_document  # noqa: E402
from extraction import CORPUS, EXPECTED, copied_expectations, held_out  # noqa: E402


def _off(owner, name, replacement):
    """A switch: the attribute `name` of `owner` replaced while the rule is off."""
    return owner, name, replacement


RULES = {
    "html: the update's stamp is no publication": _off(
        html_dates, "_not_the_update", lambda candidates, supporters, modified: candidates),
    "html: a 'Published' date by the headline wins": _off(
        html_dates, "_reconcile", lambda result, labelled_day: None),
    "html: a UTC time takes the publisher's offset": _off(
        html_dates, "local_time", lambda chosen, said: chosen),
    "html: htmldate": _off(html_dates, "_htmldate", lambda doc: None),
    "html: the article's <time>": _off(
        html_dates, "article_time", lambda doc, reading: (None, None)),
    "html: the visible date element": _off(html_dates, "visible_date", lambda doc, reading: None),
    "html: the printed update is not htmldate's date": _off(
        html_dates, "_not_the_shown_update", lambda shown, said, updated: shown),
    "text: a date alone anywhere": _off(page_dates.PageDates, "_read_alone",
                                        lambda self, top: None),
    "text: a run of dated lines is a list": _off(page_dates.PageDates, "_in_list_of_dates",
                                                 lambda self, index: False),
    "text: a year alone beside a date": _off(page_dates.PageDates, "_year_beside",
                                             lambda self, index: None),
}

_DATEY = re.compile(r"date|time|publish|pdate|ptime|issued|created", re.I)
FAMILIES = ("JSON-LD", "article meta", "microdata", "parsely", "other meta", "<time>")


def without(data: bytes, family: str) -> bytes:
    """The page without one family of its date sources (modification dates stay)."""
    doc = html_document(data)
    if family == "JSON-LD":
        for node in doc.xpath("//script[@type='application/ld+json']"):
            node.getparent().remove(node)
    elif family == "microdata":
        for node in doc.xpath("//*[@itemprop='datePublished' or @property='datePublished']"):
            for attribute in ("itemprop", "property"):
                if node.get(attribute) == "datePublished":
                    del node.attrib[attribute]
    elif family == "<time>":
        for node in doc.xpath("//time"):
            node.tag = "span"
            node.attrib.pop("datetime", None)
    else:
        for node in doc.xpath("//meta"):
            key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
            named = {"article meta": key.startswith(("article:", "og:article")),
                     "parsely": key.startswith("parsely") or key == "sailthru.date",
                     "other meta": bool(_DATEY.search(key)) and
                     not key.startswith(("article:", "og:article", "parsely"))}[family]
            if named and not re.search("modif|updat", key):
                node.getparent().remove(node)
    return html_bytes(doc)


def site(page: str) -> str:
    return re.sub(r"[-_]?\d+$", "", page.split("/", 1)[1])


def _day(value) -> str | None:
    return (value or "")[:10] or None


def readings(pages: dict) -> dict:
    """{(page, mode): day} for every labelled tuning page, both modes."""
    found = {}
    for page in pages:
        folder = CORPUS / page
        found[page, "html"] = _day(extract((folder / "source.html").read_bytes(),
                                           "text/html").published)
        found[page, "text"] = _day(extract((folder / "copied.txt").read_bytes(),
                                           "text/plain").published)
    return found


def labels(pages: dict) -> dict:
    wanted = {}
    for page, expected in pages.items():
        wanted[page, "html"] = expected.get("published", "?")
        wanted[page, "text"] = copied_expectations(expected).get("published", "?")
    return wanted


def leave_one_rule_out(pages: dict, names: list[str]) -> None:
    wanted, base = labels(pages), readings(pages)
    for name in names:
        owner, attribute, replacement = RULES[name]
        kept = getattr(owner, attribute)
        setattr(owner, attribute, replacement)
        try:
            off = readings(pages)
        finally:
            setattr(owner, attribute, kept)
        changed = [key for key in base if base[key] != off[key]]
        gained = {site(p) for p, m in changed if base[p, m] == wanted[p, m]}
        lost = {site(p) for p, m in changed if off[p, m] == wanted[p, m]}
        print(f"\n{name}: {len(changed)} readings change; right only with the rule on "
              f"{len(gained)} site(s), right only without it on {len(lost)}")
        for page, mode in changed:
            print(f"  [{mode}] {page}: label {wanted[page, mode]}, with {base[page, mode]}, "
                  f"without {off[page, mode]}")


def drop_families(pages: dict) -> None:
    for page, expected in pages.items():
        data = (CORPUS / page / "source.html").read_bytes()
        for family in FAMILIES:
            thinner = without(data, family)
            if thinner == data:
                continue
            got = _day(extract(thinner, "text/html").published)
            if got != expected["published"]:
                print(f"  {page:42} without {family:12} label {expected['published']}, read {got}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rule", action="append", choices=sorted(RULES),
                        help="only this rule (repeatable)")
    parser.add_argument("--drop", action="store_true",
                        help="take out one family of HTML date sources at a time instead")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    pages = {page: expected for page, expected in
             sorted(json.loads(EXPECTED.read_text())["pages"].items())
             if not held_out(page) and expected.get("published", "?") != "?"}
    if args.drop:
        drop_families(pages)
    else:
        leave_one_rule_out(pages, args.rule or list(RULES))


if __name__ == "__main__":
    main()
