"""WARC record checks, over what the payload pass's scanner saw."""

from archivekit.verify.bag import BagView
from archivekit.verify.findings import Report
from archivekit.formats.warc import PAYLOAD_TYPES

WARC = "data/clipping.warc.gz"


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
        elif record.type in PAYLOAD_TYPES:
            report.add("AK308", f"{record.type} record has no WARC-Payload-Digest", **where)
    if scan.records and scan.records[0].type != "warcinfo":
        report.add("AK311", "the first record is not a warcinfo record", path=WARC)
    if not any(r.type == "warcinfo" for r in scan.records) and scan.failed_at is None:
        report.add("AK311", "the WARC has no warcinfo record", path=WARC)


def _check_digest(report, header, check, code, where) -> None:
    declared, computed, ok = check
    if declared is None:
        report.add("AK308", f"record has no {header}", **where)
    elif computed is None:
        report.add("AK308", f"{header} {declared!r} cannot be read: {ok}", **where)
    elif ok is False:
        report.add(code, f"{header} does not match the record's bytes", expected=declared,
                   found=computed, **where)
