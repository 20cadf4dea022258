"""Capturing and sealing: `archivekit capture`, `archivekit seal`."""

import getpass
from pathlib import Path

import click

from archivekit.cli.app import (home_of, limits_option, main, passphrase_from,
                                verifier_for)
from archivekit.trust.keyring import PASSPHRASE_ENV


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--url", help="For a file: the article's address (becomes the WARC target URI).")
@click.option("--catalog", type=click.Path(dir_okay=False),
              help="Cataloguer metadata (YAML; fields in docs/catalog.md): subjects, notes, "
                   "rights, call number...")
@click.option("--out", "out_dir", default="archive", show_default=True,
              type=click.Path(file_okay=False), help="Folder that receives the packages.")
@click.option("--key", "key_name", help="Signing key name (default: the default key; "
                                        "one named 'local' is made on first use).")
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.option("--collection", help="Collection name recorded in the package (a label; to put "
                                   "the package in a collection, use --into).")
@click.option("--into", "into", type=click.Path(file_okay=False),
              help="Capture into this collection: the package goes into its packages/, is "
                   "indexed, logged (ingestion) and enters its transparency log; a source "
                   "already in it is not captured again.")
@click.option("--operator", default=lambda: getpass.getuser(), show_default="current user")
@click.option("--organization", default="", help="Organization doing the capture.")
@click.option("--as", "container", type=click.Choice(["dir", "zip", "tar"]), default="dir",
              show_default=True, help="Store the package as a folder, a .zip or a .tar.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Web: seconds to wait for a server (per hop).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=50 << 20, show_default=True,
              help="Web: refuse responses larger than this.")
@click.option("--user-agent", help="Web: the User-Agent to send (default names archivekit).")
@click.option("--insecure", is_flag=True,
              help="Web: record a site whose TLS certificate is not trusted, on purpose "
                   "(noted in the package's provenance).")
@click.option("--allow-http-errors", is_flag=True,
              help="Web: archive a 4xx/5xx answer instead of refusing it (marked as such).")
@click.option("--tsa", "tsa_url", help="RFC 3161 timestamp authority to stamp the seal.")
@click.option("--accept-damaged", is_flag=True,
              help="Web archives: capture one that fails its checks (bad digests, "
                   "truncation...) anyway, byte for byte, with what is wrong recorded in "
                   "the package. Without it, a damaged web archive is refused.")
@limits_option
@click.pass_context
def capture(ctx, sources, url, catalog, out_dir, key_name, passphrase_env, collection, into,
            operator, organization, container, timeout, max_bytes, user_agent, insecure,
            allow_http_errors, tsa_url, accept_damaged, limits):
    """Capture SOURCES into sealed packages, one package per source.

    A source is a file (a text clipping, a saved HTML page, a PDF, an image), an
    http(s) address (recorded as WARC request/response records with its redirects),
    or a web archive made by another tool (.warc, .warc.gz, .arc, .arc.gz): it is
    checked record by record, kept whole as its own file with a CDXJ index so replay
    tools find its pages, and described from its records.

    A folder holding bagit.txt is a BagIt bag another tool made: it is checked by
    RFC 8493 (an invalid bag is refused, exit 1, with what is wrong), then kept whole,
    every file byte for byte, in the package's data/bag/ (still a bag there, with its
    own manifests and bag-info.txt), described from its bag-info.txt and sealed. The
    folder you name is left as it was. ('collection add' is for packages archivekit made.)
    A bag of more than 10,000 files or 4 GiB is checked within raised reading limits:
    --limit entries=50000 --limit inflated_bytes=64GiB (and verify it with the same).
    """
    from archivekit.capture.bags import is_bag
    from archivekit.capture.web import USER_AGENT, WebOptions
    from archivekit.capture.catalog import CatalogFields, load_catalog
    from archivekit.trust.signer import resolve_signer
    from archivekit.package.writer import PackageSpec
    from archivekit.verify.intake import capture, is_web_address, read_source
    if url and len(sources) > 1:
        raise click.UsageError("--url names one article; capture one source with it")
    if into and ctx.get_parameter_source("out_dir") != click.core.ParameterSource.DEFAULT:
        raise click.UsageError("give --out (a folder) or --into (a collection), not both")
    target = None
    if into:
        from archivekit.collection.store import Collection
        target = Collection.open(into)   # a mistyped collection stops here, before any work
    # Check every input before writing anything.
    catalog_fields = load_catalog(catalog) if catalog else CatalogFields()
    for warning in catalog_fields.warnings:
        click.echo(f"archivekit: warning: {warning}", err=True)
    destination = Path(into or out_dir).resolve()
    for source in sources:
        if not is_web_address(source) and is_bag(source) and \
                destination.is_relative_to(Path(source).resolve()):
            raise click.UsageError(f"{into or out_dir} is inside the bag {source}: the "
                                   "package would change the bag it keeps; give --out (or "
                                   "--into) a folder outside it")
    intakes = []
    for source in sources:
        intake = read_source(source, url=url, limits=limits, accept_damaged=accept_damaged)
        _tell(intake)
        intakes.append(intake)
    options = WebOptions(timeout, max_bytes, user_agent or USER_AGENT, not insecure,
                         allow_http_errors)
    signer, created = resolve_signer(home_of(ctx), key_name, passphrase_from(passphrase_env))
    if created:
        click.echo(f"archivekit: made signing key '{created.name}' ({created.key_id}) at "
                   f"{created.path} and trusted it in {created.trust_path}", err=True)
    if target is not None:
        return _capture_into(ctx, target, intakes, options, signer, catalog_fields.fields,
                             operator)
    spec = PackageSpec.sealed_by(signer, tsa_url, organization=organization,
                                 catalog=catalog_fields.fields, collection=collection,
                                 operator=operator, container=container)
    for intake in intakes:
        if intake.kind == "file" and intake.source.media_type.startswith("text/") \
                and "charset" not in intake.source.media_type:
            click.echo(f"archivekit: {intake.source.path}: text is not UTF-8; kept byte for "
                       "byte, metadata read as Windows-1252", err=True)
        click.echo(str(capture(intake, Path(out_dir), spec, options)))


def _tell(intake) -> None:
    """What checking a source found that the user should know before it is captured."""
    from archivekit.verify.intake import damage
    for finding in intake.notes:
        click.echo(f"archivekit: {intake.name}: note: {finding.code} {finding.message}",
                   err=True)
    if intake.accepted:
        what, listed = damage(intake.source, intake.accepted)
        click.echo(f"archivekit: {intake.name}: {what}; captured as it is (--accept-damaged) "
                   f"with {len(intake.accepted)} finding(s) recorded: {listed}", err=True)
    if intake.kind == "file":
        _note_packed_bag(intake.name)


def _capture_into(ctx, collection, intakes, options, signer, catalog, operator):
    """Each source into the collection, under its lock, as a run would."""
    from archivekit.collection.ingest import ingest
    from archivekit.collection.runs import capturing_into
    with capturing_into(collection, home_of(ctx), operator) as capturing:
        for note in capturing.notes:
            click.echo(f"archivekit: note: {note}", err=True)
        for intake in intakes:
            made = capturing.finish(ingest(collection, intake, signer, web=options,
                                           catalog=catalog, operator=operator), signer)
            if made.already:
                click.echo(f"archivekit: {intake.name}: already in the collection as "
                           f"{made.package_id}; not captured again", err=True)
            click.echo(str(made.path))


def _note_packed_bag(path: str) -> None:
    """A bag packed into one .zip or .tar is kept as that file, like any file: say so, and
    how to keep the bag itself. Only a hint: nothing here stops a capture."""
    from archivekit.package.reader import open_package
    from archivekit.verify.bag import foreign_bag
    if not path.lower().endswith((".zip", ".tar")):
        return
    try:
        with open_package(path) as reader:
            made_by = foreign_bag(reader)
    except Exception:   # not a readable zip or tar: it is captured as the file it is
        return
    if made_by:
        click.echo(f"archivekit: {path}: note: holds {made_by}; kept as one file, byte for "
                   "byte. To keep the bag itself (checked by RFC 8493, its files in the "
                   "package's data/bag/), unpack it and capture its folder.", err=True)


@main.command("seal")
@click.argument("package", type=click.Path(file_okay=False))
@click.option("--key", "key_name", help="Add a countersignature by this key.")
@click.option("--tsa", "tsa_url", help="Add RFC 3161 timestamps (to the new seal, or to "
                                       "every seal that has none when no --key is given).")
@click.option("--passphrase-env", metavar="VAR")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def seal_command(ctx, package, key_name, tsa_url, passphrase_env, trust_path):
    """Add a countersignature and/or timestamps to the sealed folder PACKAGE. The
    package must verify first; only signatures/ changes (the tag manifests do not)."""
    from archivekit.trust.signer import resolve_signer
    from archivekit.seal.countersign import countersign, timestamp_seals
    if not key_name and not tsa_url:
        raise click.UsageError("give --key to countersign, --tsa to timestamp, or both")
    verifier = verifier_for(ctx, trust_path)
    if key_name:
        signer, _ = resolve_signer(home_of(ctx), key_name, passphrase_from(passphrase_env))
        written = countersign(Path(package), signer, verifier, tsa_url)
    else:
        written = timestamp_seals(Path(package), verifier, tsa_url)
    for path in written:
        click.echo(str(path))
