"""Seeing and handing over a clipping: `show`, `export`."""

import json
import textwrap
from dataclasses import asdict

import click

from archivekit.cli.app import EXIT_FAILED, main, verifier_for


@main.command()
@click.argument("package", type=click.Path())
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store to believe (default: the one in the configuration folder).")
@click.option("--json", "as_json", is_flag=True, help="The same, as JSON.")
@click.pass_context
def show(ctx, package, trust_path, as_json):
    """Show the clipping in PACKAGE as a person reads it: headline, dek, byline, dates,
    credits, print line, catalog fields, the text, the provenance timeline and, in one
    sentence, whether its seal holds. Exits 1 when the package does not verify."""
    from archivekit.collection.show import view_clipping
    view = view_clipping(package, verifier_for(ctx, trust_path))
    if as_json:
        document = asdict(view)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        click.echo(_page(view))
    if not view.verified:
        ctx.exit(EXIT_FAILED)


def _page(view) -> str:
    width = 78
    lines = [view.headline or "(no headline)"]
    lines.append("=" * min(width, max(len(lines[0]), 8)))
    if view.state != "current":
        lines.append(f"[{view.state.upper()}]")
    for part in (view.dek, f"By {view.byline}" if view.byline else ""):
        if part:
            lines += textwrap.wrap(part, width) + [""]
    lines += [f"{label}: {value}" for label, value in view.dates]
    if view.print_line:
        lines += textwrap.wrap(f"Print: {view.print_line}", width)
    lines += view.credits
    if view.catalog:
        lines += ["", "Catalog"] + [f"  {label}: {value}" for label, value in view.catalog]
    if view.text:
        lines.append("")
        for paragraph in view.text.split("\n"):
            lines += textwrap.wrap(paragraph, width) if paragraph.strip() else [""]
    lines += ["", "Provenance"]
    lines += [f"  {m.time}  {m.what}" + (f" — {m.detail}" if m.detail else "")
              for m in view.timeline]
    if len(view.versions) > 1:
        lines += ["", "Versions"]
        lines += [f"  {v['id']}  {v['state']}  {v['created']}" + (f"  ({v['reason']})"
                                                                  if v["reason"] else "")
                  for v in view.versions]
    lines += ["", f"Package {view.package_id}", view.verdict]
    return "\n".join(lines)
