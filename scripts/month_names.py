#!/usr/bin/env python3
"""Writes archivekit/extract/month-names.json: month names and abbreviations of the
Unicode CLDR (through Babel) in the languages extract/dates.py reads.

    .venv/bin/python scripts/month_names.py           # write the file
    .venv/bin/python scripts/month_names.py --check   # exit 1 if the file differs

Data beside the code rather than Babel at run time: loading 22 CLDR locales costs
0.4-0.5 s per process, the JSON file about a millisecond.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from babel.dates import get_month_names

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archivekit.extract.dates import month_key  # noqa: E402

OUT = ROOT / "archivekit/extract/month-names.json"
# (Croatian is left out: its 'listopad' is October, Czech and Polish November.)
LANGUAGES = ("en", "fr", "de", "es", "pt", "it", "nl", "sv", "da", "nb", "pl", "cs", "sk", "sl",
             "ro", "hu", "fi", "tr", "el", "ru", "uk", "ca")


def table() -> dict:
    """{'months': {name: month}, 'alone': [names that are a month without a year beside
    them: full names, and English abbreviations]}. Fails when a name would be two months."""
    months, alone = {}, set()
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    name = re.sub(r"^(?:de |d[’'])", "", name)   # Catalan's 'de gener'
                    if len(name.rstrip(".")) < 3:
                        continue     # two letters are too few to tell a month (Catalan's 'ag.')
                    for key in {name.lower().rstrip("."), month_key(name)}:
                        if months.setdefault(key, number) != number:
                            raise ValueError(f"{key!r} ({language}) names two months")
                        if width == "wide" or language == "en":
                            alone.add(key)
    months["sept"] = 9        # English usage CLDR does not list
    alone.add("sept")
    return {"source": "Unicode CLDR via Babel: scripts/month_names.py",
            "languages": list(LANGUAGES), "months": dict(sorted(months.items())),
            "alone": sorted(alone)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args()
    text = json.dumps(table(), ensure_ascii=False, indent=0) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'as CLDR says' if same else 'differs from CLDR: run without --check'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
