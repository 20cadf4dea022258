"""HTML report pages the CLI writes (--html): dated, naming the archivekit that made
them and the trust store it believed, laid out to print."""

from archivekit.verify.render import esc, page_head


def audit_page(report, facts: list[tuple[str, str]]) -> str:
    """A collection audit (a RunReport): counts, then every package, failures first."""
    audited = sorted(report.audited, key=lambda a: (a["state"] != "failed", a["package"]))
    counts = {state: sum(a["state"] == state for a in audited)
              for state in ("verified", "failed", "withdrawn")}
    parts = page_head("Fixity audit report", facts) + [
        f"<p>{len(audited)} package(s) audited: {counts['verified']} verified, "
        f"<span class='{'bad' if counts['failed'] else 'ok'}'>{counts['failed']} failed</span>, "
        f"{counts['withdrawn']} withdrawn (their signed tombstones checked).</p>",
        "<table><tr><th>Package</th><th>State</th><th>Details</th></tr>"]
    css = {"verified": "ok", "failed": "bad", "withdrawn": "withdrawn"}
    for item in audited:
        details = [esc(e) for e in item["errors"][:20]]
        if item.get("withdrawn"):
            details.append(esc(f"withdrawn {item['withdrawn']}"))
        parts.append(f"<tr><td><code>{esc(item['package'])}</code></td>"
                     f"<td class='{css[item['state']]}'>{item['state']}</td>"
                     f"<td>{'<br>'.join(details)}</td></tr>")
    parts += ["</table>", "<p><small>Finding codes are explained in archivekit's "
              "docs/verification.md.</small></p></html>\n"]
    return "\n".join(parts)
