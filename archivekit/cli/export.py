"""Handing packages over: `archivekit export`.

zip and tar hand one package over as one file (verified first, with fresh log proofs);
each other format is one entry of EXPORTERS: a library function taking the package
paths, the output path and a title. Add a format by adding an entry.
"""

from pathlib import Path

import click

from archivekit.cli.app import main, verifier_for
from archivekit.errors import UsageError


def _wacz(packages, out, title):
    from archivekit.package.wacz import export_wacz
    return export_wacz(packages, out, title)


EXPORTERS = {"wacz": _wacz}


def packages_of(source: str) -> tuple[list[Path], str | None]:
    """A collection's packages (and its name), or the one package named."""
    from archivekit.collection.store import CONFIG, Collection
    path = Path(source)
    if (path / CONFIG).is_file():
        collection = Collection.open(path)
        return collection.package_paths(), collection.name
    return [path], None


BAG_FORMATS = ("tar", "zip")


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--as", "as_format", default="zip", show_default=True, metavar="FORMAT",
              help="zip or tar: one package as one file with the bag folder at its top, as "
                   "any BagIt tool and 'archivekit verify' read it. wacz: a WACZ 1.1.1 for "
                   "ReplayWeb.page and pywb, carrying the seals (`archivekit verify "
                   "FILE.wacz` checks them again).")
@click.option("--out", "out_path", type=click.Path(),
              help="zip, tar: the folder that receives the file (default: here). wacz: the "
                   "file to write (never overwritten).")
@click.option("--title", help="wacz: the export's title (default: the headline, or the "
                              "collection's name).")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="zip, tar: the trust store the package is verified against first.")
@click.pass_context
def export(ctx, sources, as_format, out_path, title, trust_path):
    """Hand SOURCES over as one file: a package (for a patron or another institution),
    or packages and collections (folders with collection.yaml) as one WACZ.

    \b
      archivekit export archive/<package-id> --as zip --out handover/
      archivekit export archive/<package-id> --as wacz --out clipping.wacz
      archivekit export my-collection --as wacz --out collection.wacz

    A zip or tar is verified first, and again before it appears; it carries the seals,
    timestamps and, for a package in a collection, proofs against the collection's
    latest transparency-log checkpoint. Prints the file's path.
    """
    if as_format not in BAG_FORMATS + tuple(EXPORTERS):
        from archivekit._internal.suggest import did_you_mean
        raise UsageError(f"cannot export as {as_format!r}"
                         f"{did_you_mean(as_format, BAG_FORMATS + tuple(EXPORTERS))}; "
                         f"the formats are {', '.join(sorted(BAG_FORMATS + tuple(EXPORTERS)))}")
    if as_format in BAG_FORMATS:
        from archivekit.collection.export import export_package
        if len(sources) != 1:
            raise click.UsageError(f"--as {as_format} hands over one package at a time")
        click.echo(str(export_package(sources[0], as_format, out_path or ".",
                                      verifier_for(ctx, trust_path))))
        return
    if not out_path:
        raise click.UsageError(f"--as {as_format} needs --out FILE")
    packages, names = [], []
    for source in sources:
        found, name = packages_of(source)
        if name is not None and not found:
            raise click.UsageError(f"{source}: the collection holds no packages")
        packages += found
        names += [name] if name else []
    default_title = names[0] if len(names) == 1 and len(sources) == 1 else None
    written = EXPORTERS[as_format](packages, Path(out_path), title or default_title)
    click.echo(str(written))
