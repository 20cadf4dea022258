"""WARC record checks, over what the payload pass's scanner saw."""

from archivekit.formats.layout import WARC_PATH as WARC
from archivekit.formats.warc import CONVERSION_TYPE, PAYLOAD_TYPES
from archivekit.verify.bag import BagView
from archivekit.verify.findings import Report
from archivekit.verify.warcscan import ABSENT, MISMATCH, UNREADABLE, DigestCheck


def check_records(view: BagView, report: Report) -> None:
    scan = view.scan
    if scan is None:
        return
    for record in scan.records:
        where = {"path": WARC, "record": record.id or f"@{record.offset}"}
        if record.block_check is None:
            continue  # the record broke before its end: already a finding
        _check_digest(report, "WARC-Block-Digest", record.block_check, "AK306", where)
        if record.payload_check is not None:
            _check_digest(report, "WARC-Payload-Digest", record.payload_check, "AK307", where)
        elif record.type in PAYLOAD_TYPES + (CONVERSION_TYPE,):
            report.add("AK308", f"{record.type} record has no WARC-Payload-Digest", **where)
    if scan.records and scan.records[0].type != "warcinfo":
        report.add("AK311", "the first record is not a warcinfo record", path=WARC)
    if not any(r.type == "warcinfo" for r in scan.records) and scan.failed_at is None:
        report.add("AK311", "the WARC has no warcinfo record", path=WARC)


def check_conversions(view: BagView, reading, report: Report) -> None:
    """Each conversion record (a derived reading) refers to a source record in this WARC,
    and matches the reading the descriptor's metadata describes: one each, or neither."""
    scan = view.scan
    if scan is None:
        return
    sources = {r.id for r in scan.records if r.type in PAYLOAD_TYPES}
    conversions = [r for r in scan.records if r.type == CONVERSION_TYPE]
    for record in conversions:
        where = {"path": WARC, "record": record.id or f"@{record.offset}"}
        refers_to = record.headers.get("WARC-Refers-To")
        if refers_to not in sources:
            report.add("AK312", "conversion record does not refer to a source record of this "
                       "WARC", found=str(refers_to), **where)
        declared = record.headers.get("WARC-Payload-Digest")
        if isinstance(reading, dict) and declared != f"sha256:{reading.get('sha256')}":
            report.add("AK312", "conversion record differs from the reading package.json "
                       "describes", expected=f"sha256:{reading.get('sha256')}",
                       found=str(declared), **where)
    if scan.failed_at is not None:
        return
    if reading is not None and not conversions:
        report.add("AK312", "package.json describes a derived reading, but the WARC has no "
                   "conversion record", path=WARC)
    elif reading is None and conversions:
        report.add("AK312", "conversion record without a reading in package.json metadata",
                   path=WARC, record=conversions[0].id)
    elif len(conversions) > 1:
        report.add("AK312", f"{len(conversions)} conversion records; a package keeps one "
                   "reading", path=WARC)


def _check_digest(report, header, check: DigestCheck, code, where) -> None:
    if check.outcome == ABSENT:
        report.add("AK308", f"record has no {header}", **where)
    elif check.outcome == UNREADABLE:
        report.add("AK308", f"{header} {check.declared!r} cannot be read: {check.reason}",
                   **where)
    elif check.outcome == MISMATCH:
        report.add(code, f"{header} does not match the record's bytes",
                   expected=check.declared, found=check.computed, **where)
