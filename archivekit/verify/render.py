"""Reports for people (text, HTML) and for machines (JSON)."""

import html
import json

from archivekit.verify.findings import Report
from archivekit.verify.codes import title


def to_json(reports: list[Report]) -> str:
    document = {"verified": all(r.verified for r in reports),
                "packages": [r.to_dict() for r in reports]}
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_text(report: Report) -> str:
    facts = report.facts
    status = "VERIFIED" if report.verified else "FAILED"
    lines = [f"{status}  {report.target}"]
    if facts.get("package_id"):
        lines.append(f"  package   {facts['package_id']}")
    if facts.get("headline"):
        lines.append(f"  headline  {facts['headline']}")
    for seal in facts.get("seals", []):
        trust = "trusted" if seal["trusted"] else "NOT trusted"
        state = "valid" if seal["valid"] else "INVALID"
        who = seal.get("signer") or "unknown signer"
        org = f" ({seal['organization']})" if seal.get("organization") else ""
        when = (f"timestamped {seal['timestamp']} by {seal.get('tsa')}" if seal.get("timestamp")
                else f"sealed {seal.get('sealed_at')} (claimed, no timestamp)")
        lines.append(f"  seal      {state}, {trust}: {who}{org}, {seal.get('key_id')}, {when}")
        if seal.get("log"):
            lines.append(f"            in log {seal['log'].get('origin')} at index "
                         f"{seal['log'].get('index')} of {seal['log'].get('tree_size')}")
    for finding in report.findings:
        where = " ".join(x for x in (finding.path, finding.record) if x)
        lines.append(f"  {finding.severity.upper():7} {finding.code} {finding.message}"
                     + (f"  [{where}]" if where else ""))
        if finding.expected is not None or finding.found is not None:
            lines.append(f"          expected {finding.expected!s}, found {finding.found!s}")
    errors, warnings = len(report.errors), len(report.findings) - len(report.errors)
    lines.append(f"  {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def to_html(reports: list[Report]) -> str:
    """A self-contained page a librarian can open and keep."""
    esc = html.escape
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
             "<title>archivekit verification report</title><style>",
             "body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}",
             ".ok{color:#176317}.bad{color:#a11}table{border-collapse:collapse;width:100%}",
             "td,th{border-bottom:1px solid #ddd;padding:.3em;text-align:left;vertical-align:top}",
             "</style><h1>Verification report</h1>"]
    for report in reports:
        status = ("<span class='ok'>verified</span>" if report.verified
                  else "<span class='bad'>failed</span>")
        facts = report.facts
        parts.append(f"<h2>{esc(facts.get('package_id') or report.target)}: {status}</h2>")
        if facts.get("headline"):
            parts.append(f"<p><strong>{esc(facts['headline'])}</strong></p>")
        for seal in facts.get("seals", []):
            parts.append(f"<p>Seal by {esc(str(seal.get('signer')))} "
                         f"({esc(str(seal.get('organization') or ''))}), "
                         f"{esc(str(seal.get('key_id')))}, sealed {esc(str(seal.get('sealed_at')))}: "
                         f"{'valid' if seal['valid'] else 'INVALID'}, "
                         f"{'trusted' if seal['trusted'] else 'not trusted'}</p>")
        if report.findings:
            parts.append("<table><tr><th>Severity</th><th>Code</th><th>What</th><th>Where</th>"
                         "<th>Expected / found</th></tr>")
            for f in report.findings:
                where = " ".join(x for x in (f.path, f.record) if x)
                detail = "" if f.expected is None and f.found is None else \
                    f"{esc(str(f.expected))} / {esc(str(f.found))}"
                parts.append(f"<tr><td>{f.severity}</td><td title='{esc(title(f.code))}'>"
                             f"{f.code}</td><td>{esc(f.message)}</td><td>{esc(where)}</td>"
                             f"<td>{detail}</td></tr>")
            parts.append("</table>")
        else:
            parts.append("<p>No findings: every check passed.</p>")
    parts.append("</html>\n")
    return "\n".join(parts)
