"""Descriptor checks: strict JSON, schema, format, ids, metadata and record inventory."""

import operator

from archivekit._internal import strictjson
from archivekit.formats import layout
from archivekit.formats.warc import CLIPPING_METADATA_TYPE
from archivekit.verify.bag import BagView
from archivekit.verify.findings import Report
from archivekit.verify.records import check_conversions

SCHEMA = {
    "format": str, "id": str, "created": str, "collection": (str, type(None)),
    "software": dict, "agent": dict, "sources": list, "metadata": dict, "catalog": dict,
    "records": list, "events": list,
}
RECORD_FIELDS = {"id", "type", "target_uri", "offset", "length", "block_digest", "payload_digest"}
# Compared with what the scanner saw, in this order.
INVENTORY_FIELDS = ("type", "target_uri", "offset", "length", "block_digest", "payload_digest")
listed_values = operator.itemgetter(*INVENTORY_FIELDS)   # present: the schema check comes first
SOURCE_FIELDS = {"kind": str, "uri": str, "retrieved": str, "media_type": str, "bytes": int,
                 "sha256": str, "record_id": str}
source_values = operator.itemgetter(*SOURCE_FIELDS)
PATH = layout.DESCRIPTOR_PATH


def check_descriptor(view: BagView, report: Report) -> dict | None:
    """archivekit/package.json read as strict JSON and checked against the format, into
    `report`; return it, or None when it cannot be used."""
    data = view.read_tag(PATH, report)
    if data is None:
        return None
    try:
        descriptor = strictjson.loads(data)
    except strictjson.StrictJSONError as exc:
        report.add("AK401", f"package.json is not strict JSON: {exc}", path=PATH)
        return None
    if not isinstance(descriptor, dict):
        report.add("AK402", "package.json is not a JSON object", path=PATH)
        return None
    if not _schema_ok(descriptor, report):
        return None
    if descriptor["format"] != layout.FORMAT:
        report.add("AK403", f"unknown format {descriptor['format']!r}", path=PATH,
                   expected=layout.FORMAT, found=descriptor["format"])
    headline = descriptor["metadata"].get("headline")
    if not isinstance(headline, (str, type(None))):
        report.add("AK402", "package.json metadata.headline is not a string", path=PATH)
        headline = None
    report.facts.update(package_id=descriptor["id"], headline=headline,
                        created=descriptor["created"], sources=len(descriptor["sources"]))
    _check_ids(view, descriptor, report)
    _check_metadata_record(view, descriptor, report)
    check_conversions(view, descriptor["metadata"].get("reading"), report)
    _check_inventory(view, descriptor, report)
    return descriptor


def _schema_ok(descriptor: dict, report: Report) -> bool:
    ok = True
    for name, kind in SCHEMA.items():
        if name not in descriptor:
            report.add("AK402", f"package.json lacks '{name}'", path=PATH)
            ok = False
        elif not isinstance(descriptor[name], kind):
            report.add("AK402", f"package.json '{name}' has the wrong type", path=PATH)
            ok = False
    if not ok:
        return False
    for index, record in enumerate(descriptor["records"]):
        if not isinstance(record, dict) or not record.keys() >= RECORD_FIELDS:
            report.add("AK402", f"records[{index}] lacks one of "
                       f"{', '.join(sorted(RECORD_FIELDS))}", path=PATH)
            ok = False
    for index, source in enumerate(descriptor["sources"]):
        if not _source_ok(source):
            report.add("AK402", f"sources[{index}] lacks one of {', '.join(SOURCE_FIELDS)}",
                       path=PATH)
            ok = False
    return ok


def _source_ok(source) -> bool:
    if not isinstance(source, dict):
        return False
    try:
        values = source_values(source)
    except KeyError:
        return False
    return all(map(isinstance, values, SOURCE_FIELDS.values()))


def _check_ids(view: BagView, descriptor: dict, report: Report) -> None:
    package_id = descriptor["id"]
    names = {"the bag directory": view.reader.root_name,
             "bag-info.txt External-Identifier": view.info("External-Identifier")}
    for where, value in names.items():
        if value is not None and value != package_id:
            report.add("AK404", f"{where} is {value!r}, package.json says {package_id!r}",
                       path=PATH, expected=package_id, found=value)


def _check_metadata_record(view: BagView, descriptor: dict, report: Report) -> None:
    if view.scan is None:
        return
    records = [r for r in view.scan.records if r.type == "metadata" and
               r.headers.get("Content-Type", "").split(";")[0] == CLIPPING_METADATA_TYPE]
    if not records:
        if view.scan.failed_at is None:
            report.add("AK405", "the WARC has no metadata record", path=layout.WARC_PATH)
        return
    for record in records:
        if record.block is None:
            continue
        try:
            document = strictjson.loads(record.block)
        except strictjson.StrictJSONError as exc:
            report.add("AK405", f"metadata record is not strict JSON: {exc}",
                       path=layout.WARC_PATH, record=record.id)
            continue
        # Large fields by digest (packages before that hold them whole: accepted too).
        expected = descriptor["metadata"]
        if not isinstance(document, dict) or (
                document != expected and layout.descriptor_metadata(document) != expected):
            document = document if isinstance(document, dict) else {}
            slim = layout.descriptor_metadata(document)
            differing = sorted(k for k in set(document) | set(expected)
                               if document.get(k) != expected.get(k) and
                               slim.get(k) != expected.get(k))
            report.add("AK405", "metadata record differs from package.json metadata in: "
                       + ", ".join(differing[:10]), path=layout.WARC_PATH, record=record.id)


def _check_inventory(view: BagView, descriptor: dict, report: Report) -> None:
    scan = view.scan
    if scan is None:
        return
    scanned = {r.id: r for r in scan.records if r.id}
    listed = {r["id"]: r for r in descriptor["records"]}
    for record_id, entry in listed.items():
        record = scanned.get(record_id)
        if record is None:
            if scan.failed_at is None or entry.get("offset", 0) < scan.failed_at:
                report.add("AK309", "record listed in package.json is not in the WARC",
                           path=layout.WARC_PATH, record=record_id)
            continue
        actual = (record.type, record.headers.get("WARC-Target-URI"), record.offset,
                  record.length, record.block_sha256, record.headers.get("WARC-Payload-Digest"))
        if actual == listed_values(entry):
            continue   # the common case, without a per-field walk
        for name, value in zip(INVENTORY_FIELDS, actual):
            if record.block_check is None and name == "block_digest":
                continue
            if entry.get(name) != value:
                report.add("AK309", f"record {name} differs from package.json",
                           path=layout.WARC_PATH, record=record_id,
                           expected=str(entry.get(name)), found=str(value))
    for record_id in scanned.keys() - listed.keys():
        report.add("AK309", "record in the WARC is not listed in package.json",
                   path=layout.WARC_PATH, record=record_id)
