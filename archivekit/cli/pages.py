"""HTML report pages the CLI writes (--html): dated, naming the archivekit that made
them and the trust store it believed, laid out to print."""

from archivekit.verify.render import esc, page_head


def audit_page(report, facts: list[tuple[str, str]]) -> str:
    """A collection audit (a RunReport): counts, then the failures and the withdrawn
    packages (a verified package is counted, not listed: an audit of a million packages
    is a page a person can read; each outcome is in the audit log and the catalog)."""
    failed = sorted(report.audit_failures, key=lambda a: a["package"])
    withdrawn = sorted(report.withdrawn, key=lambda a: a["package"])
    verified = report.audited - len(failed) - len(withdrawn)
    parts = page_head("Fixity audit report", facts) + [
        f"<p>{report.audited} package(s) audited: {verified} verified, "
        f"<span class='{'bad' if failed else 'ok'}'>{len(failed)} failed</span>, "
        f"{len(withdrawn)} withdrawn (their signed tombstones checked). Every package's "
        "outcome is in the collection's audit log ('archivekit log'); 'archivekit list "
        "--audit failed' lists the failures again"
        + ("; an entry of packages/ that is no readable package, named by its path, is in "
           "this report only (it is in no catalog)" if any(f.get("unreadable") for f in failed)
           else "") + ".</p>",
        "<table><tr><th>Package</th><th>State</th><th>Details</th></tr>"]
    rows = [(item, "failed", "bad") for item in failed] + \
        [(item, "withdrawn", "withdrawn") for item in withdrawn]
    for item, state, css in rows:
        details = [esc(e) for e in item.get("errors", [])[:20]]
        if item.get("withdrawn"):
            details.append(esc(f"withdrawn {item['withdrawn']}"))
        parts.append(f"<tr><td><code>{esc(item['package'])}</code></td>"
                     f"<td class='{css}'>{state}</td><td>{'<br>'.join(details)}</td></tr>")
    parts += ["</table>", "<p><small>Finding codes are explained in archivekit's "
              "docs/verification.md.</small></p></html>\n"]
    return "\n".join(parts)
