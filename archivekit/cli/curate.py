"""Changing what a collection holds, with provenance: `amend`, `withdraw`."""

import getpass

import click

from archivekit.cli.app import home_of, main, passphrase_from, verifier_for
from archivekit.trust.keyring import PASSPHRASE_ENV

_KEY_HELP = "Signing key name (default: the default key)."


def _signer(ctx, key_name, passphrase_env):
    from archivekit.trust.signer import resolve_signer
    signer, created = resolve_signer(home_of(ctx), key_name, passphrase_from(passphrase_env))
    if created:
        click.echo(f"archivekit: made signing key '{created.name}' ({created.key_id}) at "
                   f"{created.path} and trusted it in {created.trust_path}", err=True)
    return signer


@main.command()
@click.argument("package", type=click.Path())
@click.option("--catalog", "catalog_path", required=True, type=click.Path(dir_okay=False),
              help="The corrected catalog record (YAML, docs/catalog.md): it replaces the "
                   "package's catalog as a whole.")
@click.option("--reason", help="Why (kept in the new version, the audit log and the history).")
@click.option("--key", "key_name", help=_KEY_HELP)
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.option("--tsa", "tsa_url", help="RFC 3161 authority to timestamp the new seal "
                                       "(default: the collection policy's tsa).")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store the original is verified against.")
@click.pass_context
def amend(ctx, package, catalog_path, reason, key_name, passphrase_env, tsa_url, trust_path):
    """Correct the catalog of PACKAGE (a package in a collection) with provenance.

    Makes a new sealed version that names the one it supersedes; the original stays
    sealed, in place and verifiable. The original must verify first. The amendment is
    logged (PREMIS metadata modification) and its seal joins the transparency log.

    \b
      archivekit amend collections/clippings/packages/2023-12-28-nyt-... --catalog fixed.yaml \\
          --reason "call number corrected"
    """
    from archivekit.capture.catalog import load_catalog
    from archivekit.collection.amend import amend_catalog
    from archivekit.collection.store import Collection
    collection, package_id = Collection.containing(package)
    fields = load_catalog(catalog_path)
    for warning in fields.warnings:
        click.echo(f"archivekit: warning: {warning}", err=True)
    made = amend_catalog(collection, package_id, fields.fields, _signer(ctx, key_name, passphrase_env),
                         verifier_for(ctx, trust_path), reason=reason, operator=getpass.getuser(),
                         tsa_url=tsa_url or collection.config["policy"].get("tsa"))
    click.echo(f"amended {made.supersedes} -> {made.package_id} "
               f"(changed: {', '.join(made.changed)})")
    click.echo(str(made.path))


@main.command()
@click.argument("package", type=click.Path())
@click.option("--reason", required=True,
              help="Why (a takedown request, a duplicate, a mistake): signed into the tombstone.")
@click.option("--remove-content", is_flag=True,
              help="Delete the content (a takedown) instead of keeping it in quarantine/.")
@click.option("--key", "key_name", help=_KEY_HELP)
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.pass_context
def withdraw(ctx, package, reason, remove_content, key_name, passphrase_env):
    """Withdraw PACKAGE (a package in a collection) and its other versions.

    Each gets a signed tombstone in withdrawn/ with the reason; the content moves to
    quarantine/ (or is deleted with --remove-content); the audit log records a PREMIS
    deaccession. Audits then report it as withdrawn, not missing; search leaves it out
    unless asked (--withdrawn).
    """
    from archivekit.collection.store import Collection
    from archivekit.collection.withdraw import withdraw as withdraw_package
    collection, package_id = Collection.containing(package)
    for done in withdraw_package(collection, package_id, reason,
                                 _signer(ctx, key_name, passphrase_env),
                                 remove_content=remove_content, operator=getpass.getuser()):
        where = f"content in {done.quarantine}" if done.quarantine else "content removed"
        click.echo(f"withdrew {done.package_id} ({where}; tombstone {done.tombstone})")
