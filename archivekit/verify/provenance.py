"""Provenance checks: events in order, sources matching records, capture before seal."""

from archivekit.formats.premis import (ARRIVAL_EVENTS, EVENT_TYPES, PACKAGE_EVENT_ORDER,
                                      premis_uri)
from archivekit._internal.timeutil import parse_time
from archivekit.verify.bag import BagView
from archivekit.verify.findings import Report
from archivekit.verify.policy import Grounds
from archivekit.verify.seals import SealResult

PATH = "archivekit/package.json"


def check_provenance(view: BagView, descriptor: dict | None, seals: list[SealResult],
                     grounds: Grounds, report: Report) -> None:
    """The descriptor's claims about where the package came from, into `report`: its times
    (none in the future of the verifier's clock, none after its seal), its event list, and
    each source against its WARC record."""
    if descriptor is None:
        return
    created = _time(descriptor["created"], "created", report)
    _check_events(descriptor["events"], report)
    _check_sources(view, descriptor["sources"], report)
    if created and created > grounds.now + grounds.policy.clock_skew:
        report.add("AK604", f"the package claims creation at {descriptor['created']}, "
                   "in the future", path=PATH)
    for seal in seals:
        sealed = seal.statement and _time(seal.statement["sealed_at"], None, None)
        if created and sealed and created > sealed:
            report.add("AK603", "the package was created after the seal was made",
                       path=seal.path, expected=f"<= {seal.statement['sealed_at']}",
                       found=descriptor["created"])


def _time(value, name, report):
    try:
        return parse_time(value)
    except (ValueError, TypeError):
        if report is not None:
            report.add("AK601", f"{name} is not an RFC 3339 time", path=PATH, found=str(value))
        return None


def _check_events(events: list, report: Report) -> None:
    previous = None
    seen = []
    for index, event in enumerate(events):
        where = f"events[{index}]"
        if not isinstance(event, dict) or event.get("type") not in EVENT_TYPES:
            report.add("AK601", f"{where} has an unknown type", path=PATH)
            continue
        if event.get("premis_uri") != premis_uri(event["type"]):
            report.add("AK601", f"{where} premis_uri does not match its type", path=PATH,
                       expected=premis_uri(event["type"]), found=str(event.get("premis_uri")))
        moment = _time(event.get("time"), f"{where}.time", report)
        if moment and previous and moment < previous:
            report.add("AK601", f"{where} ({event['type']}) is dated before the event "
                       "listed ahead of it", path=PATH)
        previous = moment or previous
        seen.append(event["type"])
    rank = {kind: position for position, kind in enumerate(PACKAGE_EVENT_ORDER)}
    rank.update(dict.fromkeys(ARRIVAL_EVENTS, 0))
    ranks = [rank[kind] for kind in seen if kind in rank]
    if not set(ARRIVAL_EVENTS) & set(seen):
        report.add("AK601", "no capture event (nor an accession of a bag)", path=PATH)
    elif ranks != sorted(ranks) or any(seen.count(k) > 1 for k in PACKAGE_EVENT_ORDER[1:]):
        report.add("AK601", "package events out of order (capture, digest, packaging, "
                   "signature expected)", path=PATH,
                   found=", ".join(k for k in seen if k in rank))


def _check_sources(view: BagView, sources: list, report: Report) -> None:
    if view.scan is None:
        return
    records = {r.id: r for r in view.scan.records if r.id}
    for index, source in enumerate(sources):
        if source["kind"] in ("webarchive", "bag"):
            continue   # kept as its own payload: verify/archives.py and adopted.py check it
        record = records.get(source["record_id"])
        where = f"sources[{index}]"
        if record is None:
            if view.scan.failed_at is None:
                report.add("AK602", f"{where} names record {source['record_id']}, "
                           "which is not in the WARC", path=PATH)
            continue
        if record.type not in ("resource", "response"):
            report.add("AK602", f"{where} names a {record.type} record", path=PATH)
            continue
        # Every fact the descriptor repeats from the record must be the record's.
        for name, header in (("uri", "WARC-Target-URI"), ("retrieved", "WARC-Date")):
            if record.headers.get(header) != source[name]:
                report.add("AK602", f"{where} {name} differs from its record's {header}",
                           path=PATH, record=record.id, expected=str(record.headers.get(header)),
                           found=source[name])
        if source["kind"] == "file" and record.headers.get("Content-Type") != source["media_type"]:
            report.add("AK602", f"{where} media_type differs from its record's Content-Type",
                       path=PATH, record=record.id, found=source["media_type"],
                       expected=str(record.headers.get("Content-Type")))
        declared = record.headers.get("WARC-Payload-Digest")
        if source["kind"] == "file" and declared != f"sha256:{source['sha256']}":
            report.add("AK602", f"{where} sha256 differs from its record's payload digest",
                       path=PATH, record=record.id, expected=f"sha256:{source['sha256']}",
                       found=str(declared))
        if source["kind"] == "file" and record.payload_size not in (None, source["bytes"]):
            report.add("AK602", f"{where} size differs from its record's payload", path=PATH,
                       record=record.id, expected=str(source["bytes"]),
                       found=str(record.payload_size))
