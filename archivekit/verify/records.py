"""WARC record checks, over what the payload pass's scanner saw."""

from archivekit.formats.layout import WARC_PATH as WARC
from archivekit.formats.warc import CONVERSION_TYPE, PAYLOAD_TYPES
from archivekit.verify.bag import BagView
from archivekit.verify.findings import ERROR, WARNING, Finding, Report
from archivekit.verify.warcscan import ABSENT, MISMATCH, UNREADABLE


def check_records(view: BagView, report: Report) -> None:
    """The digests and warcinfo of the package's own WARC records, into `report`."""
    if view.scan is not None:
        report.findings.extend(record_findings(view.scan, WARC, own=True))


def record_findings(scan, path: str, own: bool) -> list[Finding]:
    """Digests and warcinfo of every record the scanner read whole. archivekit's own WARC
    must carry both; a WARC made by another tool may lack them (WARC 1.1 makes digests
    optional), which is said as a warning: what has no digest cannot be checked."""
    findings = []
    optional = ERROR if own else WARNING

    def add(code, message, severity=ERROR, **details):
        findings.append(Finding(code, message, severity=severity, path=path, **details))

    for record in scan.records:
        where = {"record": record.id or f"@{record.offset}"}
        if record.block_check is None:
            continue  # the record broke before its end: already a finding
        for header, check, code in (("WARC-Block-Digest", record.block_check, "AK306"),
                                    ("WARC-Payload-Digest", record.payload_check, "AK307")):
            if check is None:
                if record.type in PAYLOAD_TYPES + (CONVERSION_TYPE,):
                    add("AK308", f"{record.type} record has no {header}", optional, **where)
                continue
            if check.outcome == ABSENT:
                add("AK308", f"record has no {header}", optional, **where)
            elif check.outcome == UNREADABLE:
                add("AK308", f"{header} {check.declared!r} cannot be read: {check.reason}",
                    **where)
            elif check.outcome == MISMATCH:
                add(code, f"{header} does not match the record's bytes",
                    expected=check.declared, found=check.computed, **where)
    if scan.records and scan.records[0].type != "warcinfo":
        add("AK311", "the first record is not a warcinfo record", optional)
    if not any(r.type == "warcinfo" for r in scan.records) and scan.failed_at is None:
        add("AK311", "the WARC has no warcinfo record", optional)
    return findings


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
