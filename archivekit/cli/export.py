"""Writing packages out in other formats: `archivekit export`.

Each format is one entry of EXPORTERS: a library function taking the package paths,
the output path and a title. Add a format by adding an entry.
"""

from pathlib import Path

import click

from archivekit.cli.app import EPILOG, main


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


@main.command(epilog=EPILOG)
@click.argument("sources", nargs=-1, required=True)
@click.option("--as", "as_format", type=click.Choice(sorted(EXPORTERS)), required=True,
              help="wacz: a WACZ 1.1.1 for ReplayWeb.page and pywb, carrying the seals "
                   "(`archivekit verify FILE.wacz` checks them again).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False),
              help="The file to write (never overwritten).")
@click.option("--title", help="The export's title (default: the headline, or the "
                              "collection's name).")
def export(sources, as_format, out_path, title):
    """Export SOURCES, packages (folders, .zip or .tar) and collections (folders with
    collection.yaml), as one file in another format.

    \b
      archivekit export archive/<package-id> --as wacz --out clipping.wacz
      archivekit export my-collection --as wacz --out collection.wacz
    """
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
