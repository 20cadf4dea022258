"""Reports for people (text, HTML) and for machines (JSON)."""

import html
import json

from archivekit._internal.printable import printable
from archivekit._internal.software import __version__
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.trust.truststore import TrustStore
from archivekit.verify.findings import Report
from archivekit.verify.codes import title
from archivekit.verify.verdicts import TRUST_CODES


def about(trust: TrustStore, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """What a report page says of itself: when, by which archivekit, believing which keys."""
    keys = ", ".join(f"{k.name} ({k.key_id})" for k in trust.keys) or "no trusted keys"
    return [("Made", format_time(utc_now())), ("By", f"archivekit {__version__}"),
            ("Trust store", f"{trust.path} — {keys}"), *more]


def to_json(reports: list[Report]) -> str:
    """The reports as `verify --json` prints them."""
    document = {"verified": all(r.verified for r in reports),
                "packages": [r.to_dict() for r in reports]}
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_text(report: Report) -> str:
    """One report as `verify` prints it: the verdict and what to do, the package, each seal
    in a sentence, every finding."""
    facts = report.facts
    verdict = report.verdict
    lines = [f"{verdict.name.upper()}  {report.target}"]
    if verdict.remedy:
        lines.append(f"  what to do: {verdict.remedy}")
    if facts.get("package_id"):
        lines.append(f"  package   {facts['package_id']}")
    if facts.get("headline"):
        lines.append(f"  headline  {facts['headline']}")
    for seal in facts.get("seals", []):
        lines.append(f"  seal      {seal_sentence(seal)}")
        if seal.get("log"):
            lines.append(f"            In log {seal['log'].get('origin')} at index "
                         f"{seal['log'].get('index')} of {seal['log'].get('tree_size')}.")
    for finding in report.findings:
        where = " ".join(x for x in (finding.path, finding.record) if x)
        lines.append(f"  {finding.severity.upper():7} {finding.code} {finding.message}"
                     + (f"  [{where}]" if where else ""))
        if finding.expected is not None or finding.found is not None:
            lines.append(f"          expected {_shown(finding.expected)}, "
                         f"found {_shown(finding.found)}")
    errors, warnings = len(report.errors), len(report.findings) - len(report.errors)
    lines.append(f"  {errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def _shown(value) -> str:
    return "nothing" if value is None else str(value)


def seal_sentence(seal: dict) -> str:
    """One seal in a sentence a person reads: who, when and on what grounds, and whether it
    holds."""
    who = seal.get("signer") or "an unknown signer"
    if seal.get("organization"):
        who += f" ({seal['organization']})"
    when = (f"timestamped {seal['timestamp']} by {seal.get('tsa')}" if seal.get("timestamp")
            else f"dated {seal.get('sealed_at')} by the signer (no timestamp)")
    trust_only = set(seal.get("problems") or []) <= TRUST_CODES
    state = ("signature valid, key trusted" if seal["valid"] else
             "key NOT trusted" if not seal["trusted"] else
             "signature intact, but not believed for this seal (see below)" if trust_only else
             "signature NOT valid")
    if seal.get("key_state", "active") not in (None, "active"):
        state += f" (key {seal['key_state']})"
    return f"Seal by {who}, key {seal.get('key_id')}, {when}: {state}."


def esc(value) -> str:
    """Any value from a package as HTML text: markup escaped, control characters and
    bidirectional overrides shown as escapes."""
    return html.escape(printable(str(value)))


# Screen and paper: on paper the page uses the sheet's width, keeps a package's heading
# with what follows and never splits a table row.
PAGE_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:64em;margin:2em auto;padding:0 1em}"
    ".ok{color:#176317}.bad{color:#a11}.withdrawn{color:#555}"
    "table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ddd;padding:.3em;text-align:left;vertical-align:top}"
    "code,.digest{font-family:ui-monospace,monospace;font-size:.85em}"
    ".digest{word-break:break-all}h2{margin-bottom:.2em}.where{color:#555;margin-top:0}"
    "dl.about{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;color:#333}"
    "dl.about dt{font-weight:600}dl.about dd{margin:0}"
    "@page{size:A4;margin:15mm}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt;color:#000}"
    "h1,h2{break-after:avoid}tr,p,dl{break-inside:avoid}.ok,.bad{color:#000}"
    ".bad{font-weight:700}}")


def page_head(title_text: str, about: list[tuple[str, str]] | None) -> list[str]:
    """The start of a report page: its title and what it was made with (when, which
    archivekit, against which trust store), so a printed copy can stand on its own."""
    parts = ["<!doctype html><html lang='en'><meta charset='utf-8'>",
             f"<title>{esc(title_text)}</title><style>{PAGE_STYLE}</style>",
             f"<h1>{esc(title_text)}</h1>"]
    if about:
        parts.append("<dl class='about'>" + "".join(
            f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>" for label, value in about) + "</dl>")
    return parts


def to_html(reports: list[Report], about: list[tuple[str, str]] | None = None) -> str:
    """A self-contained page a librarian can open, print and keep."""
    verified = sum(r.verified for r in reports)
    parts = page_head("Verification report", about) + [
        f"<p>{verified} of {len(reports)} package(s) verified.</p>"]
    for report in reports:
        status = ("<span class='ok'>verified</span>" if report.verified
                  else f"<span class='bad'>{esc(report.verdict.name)}</span>")
        facts = report.facts
        parts.append(f"<h2>{esc(facts.get('headline') or facts.get('package_id') or report.target)}"
                     f": {status}</h2>")
        parts.append(f"<p class='where'><code>{esc(report.target)}</code>"
                     + (f" — package <code>{esc(facts['package_id'])}</code>"
                        if facts.get("package_id") else "") + "</p>")
        if report.verdict.remedy:
            parts.append(f"<p><strong>What to do:</strong> {esc(report.verdict.remedy)}</p>")
        for seal in facts.get("seals", []):
            parts.append(f"<p>{esc(seal_sentence(seal))}</p>")
        if report.findings:
            parts.append("<table><tr><th>Severity</th><th>Code</th><th>What</th><th>Where</th>"
                         "<th>Expected / found</th></tr>")
            for f in report.findings:
                where = " ".join(x for x in (f.path, f.record) if x)
                detail = "" if f.expected is None and f.found is None else (
                    f"<div class='digest'>expected {esc(_shown(f.expected))}</div>"
                    f"<div class='digest'>found {esc(_shown(f.found))}</div>")
                parts.append(f"<tr><td>{f.severity}</td><td title='{esc(title(f.code))}'>"
                             f"{f.code}</td><td>{esc(f.message)}</td><td><code>{esc(where)}"
                             f"</code></td><td>{detail}</td></tr>")
            parts.append("</table>")
        else:
            parts.append("<p>No findings: every check passed.</p>")
    parts.append("<p><small>Finding codes are explained in archivekit's docs/verification.md."
                 "</small></p></html>\n")
    return "\n".join(parts)
