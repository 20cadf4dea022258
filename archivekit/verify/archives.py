"""Web archives users bring (WARC, ARC, WACZ): checked by the same strict scanner as our
own WARC (a WACZ by its own rules too), when captured and again at every verification.

Which findings are errors: everything the scanner finds (gzip damage, truncation, a
whole-file gzip, record syntax, digests that do not match) except what WARC allows
another tool to leave out (digests, a warcinfo record), which is a warning. A finding
recorded in the descriptor as accepted at capture (`capture --accept-damaged`) is
reported again, as a warning that says so; damage that was not there then is an error.
"""

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from archivekit.formats import layout
from archivekit.verify.bag import BagView, CHUNK
from archivekit.verify.findings import ERROR, WARNING, Finding, Report
from archivekit.verify.records import record_findings
from archivekit.verify.warcscan import WarcScanner

DESCRIPTOR = "archivekit/package.json"


def check_file(path: Path, format: str, shown: str | None = None) -> Report:
    """Check a web archive file before it is captured (`format` as capture sniffed it:
    warc, warc.gz, arc, arc.gz). Findings name the file as `shown`."""
    shown = shown or path.name
    report = Report(str(path))
    try:
        with open(path, "rb") as handle:
            report.findings.extend(_check_stream(handle, format, shown))
    except OSError as exc:
        report.add("AK207", f"cannot read {path}: {exc.strerror}", path=shown)
    return report


def _check_stream(handle, format: str, shown: str) -> list[Finding]:
    if format.startswith("arc"):
        return _check_arc(handle, shown)
    if format == "wacz":
        return _check_wacz(handle, shown)
    scanner = WarcScanner(path=shown, gzipped=format.endswith(".gz"))
    while chunk := handle.read(CHUNK):
        scanner.feed(chunk)
    scanner.close()
    return scanner.findings + record_findings(scanner, shown, own=False)


def _check_arc(handle, shown: str) -> list[Finding]:
    """ARC (the format before WARC) has no digests: what can be checked is that every
    record reads to its end, through warcio, and holds the length its header declares
    (warcio reads a record cut short without a word)."""
    from warcio.archiveiterator import ArchiveIterator
    try:
        with contextlib.redirect_stderr(io.StringIO()):   # warcio's complaints: ours below
            for record in ArchiveIterator(handle, arc2warc=True):
                for stream in (record.content_stream(), record.raw_stream):  # then the rest
                    while stream.read(CHUNK):
                        pass
                missing = getattr(record.raw_stream, "limit", 0)
                if missing:
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    return [Finding("AK304", f"the ARC file ends inside the record of {url}: "
                                    f"{missing} of its {record.length} bytes are missing",
                                    path=shown, expected=str(record.length),
                                    found=str(record.length - missing))]
    except Exception as exc:
        return [Finding("AK304", f"the ARC file cannot be read to its end: "
                        f"{type(exc).__name__}: {str(exc)[:200]}", path=shown)]
    return []


def _check_wacz(handle, shown: str) -> list[Finding]:
    """A WACZ by its own rules (verify/wacz_rules.py); its findings name its members.
    A zip is read by seeking: a package's stream that cannot seek is copied to a
    temporary file first (its bytes still counted against the reading budget)."""
    from archivekit.verify.wacz_rules import check_wacz
    seekable = getattr(handle, "seekable", lambda: False)()
    with contextlib.ExitStack() as stack:
        if not seekable:
            spool = stack.enter_context(tempfile.TemporaryFile())
            shutil.copyfileobj(handle, spool, CHUNK)
            spool.seek(0)
            handle = spool
        findings = check_wacz(handle).findings
    for finding in findings:
        finding.path = f"{shown}:{finding.path}" if finding.path else shown
    return findings


def check_web_archives(view: BagView, descriptor: dict | None, report: Report) -> None:
    """Every user's web archive in the package, against what its source entry says."""
    sources = {}
    for index, source in enumerate((descriptor or {}).get("sources", [])):
        if source.get("kind") != "webarchive":
            continue
        path = _archive(source).get("path")
        if isinstance(path, str) and layout.is_web_archive(path):
            sources[path] = (index, source)
        else:
            report.add("AK602", f"sources[{index}] names no web archive in "
                       f"{layout.ARCHIVE_DIR}", path=DESCRIPTOR, found=str(path)[:200])
    for path, scanner in view.archives.items():
        found = scanner.findings + record_findings(scanner, path, own=False)
        _report(found, sources.get(path), report)
    reader = view.reader
    for path in sorted(sources):
        index, source = sources[path]
        where = f"sources[{index}]"
        if path not in reader.entries:
            report.add("AK602", f"{where} names {path}, which is not in the package",
                       path=DESCRIPTOR)
            continue
        if path.lower().endswith((".arc", ".arc.gz", ".wacz")):
            check = _check_wacz if path.lower().endswith(".wacz") else _check_arc
            with reader.open(path) as handle:
                _report(check(handle, path), (index, source), report)
        listed = view.manifests.get("sha256", {}).get(path)
        if listed is not None and listed != source.get("sha256"):
            report.add("AK602", f"{where} sha256 differs from the manifest's for {path}",
                       path=DESCRIPTOR, expected=str(source.get("sha256")), found=listed)
        if reader.entries[path].size != source.get("bytes"):
            report.add("AK602", f"{where} size differs from {path}'s", path=DESCRIPTOR,
                       expected=str(source.get("bytes")), found=str(reader.entries[path].size))
        index_path = _archive(source).get("index")
        if index_path and index_path not in reader.entries:
            report.add("AK602", f"{where} names the index {index_path}, which is missing",
                       path=DESCRIPTOR)


def _archive(source: dict) -> dict:
    archive = source.get("archive")
    return archive if isinstance(archive, dict) else {}


def _report(found: list[Finding], source, report: Report) -> None:
    accepted = set()
    if source is not None:
        for item in _archive(source[1]).get("accepted") or []:
            if isinstance(item, dict):
                accepted.add((item.get("code"), item.get("record")))
    for finding in found:
        if finding.severity == ERROR and (finding.code, finding.record) in accepted:
            finding.severity = WARNING
            finding.message += " (known when the archive was captured, and accepted)"
        report.findings.append(finding)


def accepted_entries(findings: list[Finding]) -> list[dict]:
    """The errors a user accepts by capturing a damaged archive, as the descriptor keeps them."""
    return [{"code": f.code, "record": f.record, "message": f.message}
            for f in findings if f.severity == ERROR]
