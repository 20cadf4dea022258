"""Finding clippings: `search` (words and filters) and `list` (filters alone)."""

import json
import sys

import click

from archivekit.cli.app import main


def filter_options(limit: int | None):
    """The filters `search` and `list` share (archivekit.collection.search.Filters)."""
    return lambda command: _with_options(command, limit)


def _with_options(command, limit):
    options = [
        click.option("--author", help="Words of an author's name (bylines and the catalog's creators)."),
        click.option("--publisher", help="Words of the publisher's name."),
        click.option("--subject", help="Words of a subject heading (the catalog's subjects)."),
        click.option("--since", metavar="DATE", help="Clippings dated on or after DATE "
                     "(YYYY, YYYY-MM or YYYY-MM-DD; the print date, else the publication date)."),
        click.option("--until", metavar="DATE", help="Clippings dated on or before DATE."),
        click.option("--call-number", help="A call number, or its beginning (027 finds 027.4)."),
        click.option("--audit", "audit_state", type=click.Choice(["verified", "failed", "never"]),
                     help="Only packages whose last audit verified, failed, or that were never audited."),
        click.option("--withdrawn", is_flag=True, help="Include withdrawn packages."),
        click.option("--history", is_flag=True, help="Include versions an amendment replaced."),
        click.option("--limit", type=click.IntRange(min=1), default=limit,
                     show_default=limit is not None, help="Show at most this many."),
        click.option("--json", "as_json", is_flag=True,
                     help="Print the matching packages as JSON (authors, subjects, call number...)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _filters(text, author, publisher, subject, since, until, call_number, audit_state,
             withdrawn, history, limit):
    from archivekit.collection.search import Filters, date_bound
    for name, value in (("--since", since), ("--until", until)):
        if value:
            try:
                date_bound(value, end=False)
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=name) from None
    if not limit or limit > sys.maxsize:   # more than can be stored (SQLite's largest
        limit = -1                         # integer was a traceback) is all of them
    return Filters(text or "", author, publisher, subject, since, until, call_number,
                   audit_state, withdrawn, history, limit)


def _show(rows, as_json):
    """Print `rows` (an iterator) as they come: the same bytes as printing the whole list
    at once, in memory that does not grow with it."""
    if as_json:
        _show_json(rows)
        return
    shown = False
    for row in rows:
        shown = True
        click.echo(row["id"] + ("" if row["state"] == "current" else f"   [{row['state']}]"))
        line = [row["headline"] or "(no headline)"]
        if row["authors"]:
            line.append(", ".join(row["authors"]))
        line += [v for v in (row["publisher"], row["date"]) if v]
        if row["call_number"]:
            line.append(f"call number {row['call_number']}")
        click.echo("    " + " | ".join(line))
        audit = ({"success": "verified", "failure": "FAILED"}.get(row["last_outcome"], "")
                 + f" {row['last_audit']}") if row["last_audit"] else "never audited"
        click.echo(f"    sealed by {row['signer'] or 'an unknown signer'}, last audit {audit}")
    if not shown:
        click.echo("archivekit: no clipping matches", err=True)


def _show_json(rows):
    """json.dumps(list(rows), indent=2) written one row at a time (a JSON string holds
    no raw newline, so indenting a row's lines by two spaces nests it in the list)."""
    opening = "["
    for row in rows:
        click.echo(opening + "\n  " + json.dumps(row, indent=2, ensure_ascii=False)
                   .replace("\n", "\n  "), nl=False)
        opening = ","
    click.echo("[]" if opening == "[" else "\n]")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("words", nargs=-1, required=True)
@filter_options(limit=50)
def search(directory, words, as_json, **filters):
    """Find clippings in the collection DIRECTORY by WORDS: every word must occur in the
    headline, dek, authors, text, credits, subjects or catalog fields (word* matches a
    beginning). Best matches first; withdrawn packages and replaced versions are left
    out unless asked for.

    \b
      archivekit search collections/clippings spy agency --since 2023
      archivekit search collections/clippings budget --author "jane doe" --json
    """
    from archivekit.collection.store import Collection
    collection = Collection.open(directory, reading=True)
    _show(collection.iter_search(_filters(" ".join(words), **filters)), as_json)
    _note_copy(collection)


@main.command("list")
@click.argument("directory", type=click.Path(file_okay=False))
@filter_options(limit=None)
def list_packages(directory, as_json, **filters):
    """Show the catalog of the collection DIRECTORY, newest clippings first, narrowed
    by the filters (the same as `search`, without words)."""
    from archivekit.collection.store import Collection
    collection = Collection.open(directory, reading=True)
    _show(collection.iter_search(_filters("", **filters)), as_json)
    _note_copy(collection)


def _note_copy(collection) -> None:
    """Say when an older catalog that cannot be written here was read through a copy."""
    if collection.catalog_copy:
        click.echo(f"archivekit: note: {collection.root / 'catalog.sqlite'} is from an older "
                   "archivekit and cannot be written here: read through an up-to-date copy, "
                   "its packages read again (each time); a run where it can be written "
                   "upgrades it", err=True)
