"""A clipping as a person reads it: headline, dek, byline, dates, credits, print line,
the cataloguer's fields, the text, the provenance timeline and the seal's verdict in
one sentence. Plain data (`ClippingView`), for the CLI's `show` and the reading room.

Every value is text a person can read: never None, never a Python repr. Text from the
package is returned as is; whoever puts it on a terminal or a page escapes it.
"""

from dataclasses import dataclass, field
from pathlib import Path

from archivekit.capture.catalog import FIELDS
from archivekit.collection.store import Collection
from archivekit.package.contents import read_descriptor
from archivekit.verify import Verifier


@dataclass(frozen=True)
class Moment:
    """One line of a clipping's timeline: when, what happened, and details."""
    time: str
    what: str          # "captured", "sealed", "audited: verified"...
    detail: str = ""


@dataclass(frozen=True)
class ClippingView:
    """One clipping as a reader sees it: headline, dek, byline, dates, print line, credits,
    catalog, text and timeline, with its verification verdict and, in a collection, its
    state and versions."""
    package_id: str
    headline: str
    dek: str
    byline: str                     # "Edward Wong, Julian E. Barnes and Chris Buckley"
    dates: list[tuple[str, str]]    # ("Published", "2023-12-27"), ("In print", ...)
    print_line: str
    credits: list[str]              # "Photograph: Jim Wilson / The New York Times"
    catalog: list[tuple[str, str]]  # ("Call number", "327.51"), ("Subjects", "A; B")
    text: str
    timeline: list[Moment]
    verified: bool
    verdict: str                    # the seal's verdict in one sentence
    state: str = "current"          # current | superseded | withdrawn (in a collection)
    versions: list[dict] = field(default_factory=list)   # id, state, created, amendment


def view_clipping(location, verifier: Verifier) -> ClippingView:
    """Read and verify the package at `location`; with its collection's history when
    it sits in one (COLLECTION/packages/NAME or COLLECTION/quarantine/NAME)."""
    location = Path(location)
    descriptor = read_descriptor(location)
    report = verifier.verify(location)
    meta = descriptor.get("metadata") or {}
    printed = meta.get("print") or {}
    timeline = [Moment(e.get("time", ""), _EVENT_WORDS.get(e.get("type"), e.get("type", "")),
                       e.get("detail", "")) for e in descriptor.get("events") or []
                if isinstance(e, dict)]
    state, versions = "current", []
    collection = _collection_of(location)
    if collection is not None:
        state, versions, logged = _history(collection, descriptor["id"])
        timeline += logged
    timeline.sort(key=lambda m: m.time)
    return ClippingView(
        package_id=descriptor.get("id", ""), headline=_text(meta.get("headline")),
        dek=_text(meta.get("description")), byline=byline(meta.get("authors") or []),
        dates=[(label, _text(value)) for label, value in (
            ("Published", meta.get("published")), ("Updated", meta.get("modified")),
            ("In print", printed.get("date")), ("Captured", _captured(descriptor)),
            ("Catalog amended", descriptor["created"] if descriptor.get("amendment") else None))
            if value],
        print_line=_text(printed.get("raw")),
        credits=[credit_line(c) for c in meta.get("credits") or [] if isinstance(c, dict)],
        catalog=catalog_lines(descriptor.get("catalog") or {}),
        text=_text(meta.get("body")), timeline=timeline, verified=report.verified,
        verdict=verdict(report), state=state, versions=versions)


_EVENT_WORDS = {"capture": "captured", "message digest calculation": "digests computed",
                "information package creation": "packaged",
                "digital signature generation": "sealed",
                "metadata modification": "catalog amended", "deaccession": "withdrawn",
                "ingestion": "entered the collection", "fixity check": "fixity checked",
                "digital signature validation": "seal checked"}


def byline(authors: list) -> str:
    """The authors' names as a byline reads them: 'A', 'A and B', 'A, B and C'; '' for none."""
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    return names[0] if len(names) == 1 else \
        ", ".join(names[:-1]) + " and " + names[-1] if names else ""


def credit_line(credit: dict) -> str:
    """'Photograph: Jim Wilson / The New York Times'; a credit with no name shows
    what it has ('Photograph: Associated Press'), never None."""
    who = " / ".join(_text(credit.get(k)) for k in ("name", "agency") if credit.get(k))
    role = _text(credit.get("role")).capitalize() or "Credit"
    return f"{role}: {who or _text(credit.get('raw')) or 'not named'}"


def catalog_lines(catalog: dict) -> list[tuple[str, str]]:
    """The cataloguer's fields in the schema's order, then any others, as (label, text)."""
    names = [n for n in FIELDS if n in catalog] + [n for n in catalog if n not in FIELDS]
    return [(n.replace("_", " ").capitalize(), _text(catalog[n])) for n in names
            if _text(catalog[n])]


def verdict(report) -> str:
    """The seal's verdict in one sentence."""
    seals = report.facts.get("seals") or []
    valid = [s for s in seals if s.get("valid")]
    if report.verified and valid:
        first = valid[0]
        when = first.get("timestamp") or first.get("sealed_at") or "an unknown time"
        how = "timestamped" if first.get("timestamp") else "by the signer's clock"
        more = f", countersigned by {len(valid) - 1} more" if len(valid) > 1 else ""
        return (f"Intact: sealed by {first.get('signer') or 'an unknown signer'} on {when} "
                f"({how}){more}, and not one byte has changed since.")
    errors = report.errors
    first = f" The first: {errors[0].message}." if errors else ""
    return f"NOT verified: {len(errors)} problem(s) found.{first}"


def _captured(descriptor: dict) -> str:
    events = [e for e in descriptor.get("events") or [] if isinstance(e, dict)]
    return next((e.get("time") for e in events if e.get("type") == "capture"),
                descriptor.get("created"))


def _collection_of(location: Path) -> Collection | None:
    root = location.resolve().parent.parent
    if location.resolve().parent.name in ("packages", "quarantine") and \
            (root / "collection.yaml").exists():
        return Collection.open(root, reading=True)
    return None


def _history(collection: Collection, package_id: str):
    index = collection.index()
    try:
        row = index.get(package_id)
        versions = [{"id": v["id"], "state": v["state"], "created": v["created"] or "",
                     "reason": _reason(v)} for v in index.history(package_id)]
    finally:
        index.close()
    logged = [Moment(e.get("time", ""), _EVENT_WORDS.get(e.get("type"), e.get("type", "")),
                     f"{e.get('outcome', '')}: {e.get('detail', '')}")
              for e in collection.audit_log.iter_entries() if e.get("package") == package_id]
    return (row["state"] if row else "current"), versions, logged


def _reason(row: dict) -> str:
    if row["state"] == "withdrawn":
        return (row["withdrawal"] or {}).get("reason", "")
    return ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items() if v is not None)
    return str(value)
