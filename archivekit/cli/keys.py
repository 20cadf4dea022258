"""Keys and the trust store: `archivekit keys ...`, `archivekit trust ...`."""

import os
from pathlib import Path

import click

from archivekit.cli.app import (CommandGroup, home_of, passphrase_from, print_trust,
                                time_option, trust_store_for, main)
from archivekit.errors import ArchivekitError
from archivekit.trust.keyring import Keyring
from archivekit.trust.keys import load_public_pem, public_pem
from archivekit.trust.truststore import ACTIVE, RETIRED, TrustStore


@main.group(cls=CommandGroup)
def keys():
    """Signing keys: generate, choose the default, retire, list, export."""


@keys.command("generate")
@click.argument("name")
@click.option("--organization", default="", help="Who the key speaks for.")
@click.option("--default/--no-default", "make_default", default=None,
              help="Make NAME the default signing key, or not. Unsaid: it becomes the "
                   "default when there is none or the default is the 'local' key made "
                   "automatically on first capture.")
@click.option("--passphrase-env", metavar="VAR",
              help="Encrypt the key with the passphrase in this environment variable.")
@click.option("--ask-passphrase", is_flag=True, help="Encrypt the key; ask for a passphrase.")
@click.pass_context
def keys_generate(ctx, name, organization, make_default, passphrase_env, ask_passphrase):
    """Make an Ed25519 key NAME (PKCS#8 PEM, mode 0600) and trust it locally.

    \b
    To replace the key you seal with (rotation), see docs/trust.md:
      archivekit keys generate reading-room-2027 --default
      archivekit keys retire reading-room
    """
    from archivekit.trust.identity import generate_trusted_key
    passphrase = None
    if passphrase_env:
        if not os.environ.get(passphrase_env):
            raise click.UsageError(f"environment variable {passphrase_env} is empty or unset")
        passphrase = os.environ[passphrase_env].encode("utf-8")
    elif ask_passphrase:
        passphrase = click.prompt("Passphrase", hide_input=True,
                                  confirmation_prompt=True).encode("utf-8")
    made = generate_trusted_key(home_of(ctx), name, organization, passphrase, make_default)
    click.echo(f"Made key {made.name} ({made.key_id})\n  private key  {made.path}\n"
               f"  trusted in   {made.trust_path}")
    if made.replaced_default:
        click.echo(f"  default key  {made.name} (was {made.replaced_default}; "
                   f"'archivekit keys default {made.replaced_default}' to go back)")
    elif made.became_default:
        click.echo(f"  default key  {made.name}")
    else:
        click.echo(f"  not the default; make it so with 'archivekit keys default {made.name}'")


@keys.command("default")
@click.argument("name")
@click.pass_context
def keys_default(ctx, name):
    """Seal with NAME from now on when no --key is given (it must be active)."""
    from archivekit.trust.identity import set_default_key
    set_default_key(home_of(ctx), name)
    click.echo(f"Default signing key: {name}")


@keys.command("retire")
@click.argument("name")
@click.option("--reason", default="superseded", show_default=True,
              help="Why the key stops sealing (kept with the retirement).")
@click.option("--at", "at", help="When it stopped sealing (RFC 3339); default now.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def keys_retire(ctx, name, reason, at, trust_path):
    """Retire NAME, replaced but not stolen: its seals made before stay valid; it
    signs nothing new. For a stolen key use 'archivekit trust revoke --compromised'."""
    _revoke(ctx, name, reason, at, trust_path, RETIRED)


@keys.command("list")
@click.pass_context
def keys_list(ctx):
    """List private keys here and the keys the trust store believes."""
    home = home_of(ctx)
    default = home.config().get("default_key")
    trust = TrustStore.load(home.trust_path)
    states = {k.name: k.state for k in trust.keys}
    click.echo(f"Private keys in {home.keys_dir}:")
    for name in Keyring(home).names():
        notes = [states[name]] if states.get(name, ACTIVE) != ACTIVE else []
        notes += ["default"] if name == default else []
        click.echo(f"  {name}" + "".join(f"  ({note})" for note in notes))
    print_trust(trust)


@keys.command("export")
@click.argument("name")
@click.pass_context
def keys_export(ctx, name):
    """Print the public key of NAME (PEM), to give to those who verify."""
    home = home_of(ctx)
    trust = TrustStore.load(home.trust_path)
    entry = next((k for k in trust.keys if k.name == name), None)
    if entry is None:
        keyring = Keyring(home)
        key = keyring.load(name, passphrase_from(None)(name) if keyring.path(name).exists()
                           and keyring.is_encrypted(name) else None)
        click.echo(public_pem(key.public_key), nl=False)
    else:
        click.echo(public_pem(entry.public_key), nl=False)


@main.group(cls=CommandGroup)
def trust():
    """The trust store: the only public keys a verifier believes."""


@trust.command("add")
@click.argument("public_key", type=click.Path(dir_okay=False))
@click.option("--name", required=True, help="A name for the key's holder.")
@click.option("--organization", default="")
@click.option("--role", "roles", multiple=True, default=("seal",), show_default=True)
@click.option("--not-before", help="Seals dated before this time (RFC 3339) are refused.")
@click.option("--not-after", help="Seals dated after this time (RFC 3339) are refused.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store file (default: the one in the configuration folder).")
@click.pass_context
def trust_add(ctx, public_key, name, organization, roles, not_before, not_after, trust_path):
    """Trust the Ed25519 PUBLIC_KEY (a PEM file)."""
    try:
        data = Path(public_key).read_bytes()
    except OSError as exc:
        raise ArchivekitError(f"{public_key}: cannot read: {exc.strerror}") from None
    with home_of(ctx).lock():
        store = trust_store_for(ctx, trust_path)
        entry = store.add(load_public_pem(data, public_key), name, organization, roles,
                          time_option(not_before, "--not-before"),
                          time_option(not_after, "--not-after"))
        store.save()
    click.echo(f"Trusted {entry.key_id} ({entry.name}) in {store.path}")


@trust.command("add-tsa")
@click.argument("certificate", type=click.Path(dir_okay=False))
@click.option("--name", required=True, help="A name for the timestamp authority.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_add_tsa(ctx, certificate, name, trust_path):
    """Trust timestamps that chain to the root CERTIFICATE (PEM)."""
    from cryptography import x509
    try:
        root = x509.load_pem_x509_certificate(Path(certificate).read_bytes())
    except (OSError, ValueError) as exc:
        raise ArchivekitError(f"{certificate}: not a readable PEM certificate ({exc})") from None
    with home_of(ctx).lock():
        store = trust_store_for(ctx, trust_path)
        store.tsa_roots.append((name, root))
        store.save()
    click.echo(f"Trusted timestamp authority root {name!r} in {store.path}")


@trust.command("list")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_list(ctx, trust_path):
    """List trusted keys with their validity and revocation."""
    print_trust(trust_store_for(ctx, trust_path))


@trust.command("revoke")
@click.argument("key")
@click.option("--reason", required=True, help="Why (kept with the revocation). 'superseded' "
              "(or 'retired', 'affiliation changed', 'cessation of operation') retires the "
              "key; any other reason marks it compromised.")
@click.option("--at", "at", help="When the key stopped being safe (RFC 3339); default now. "
                                 "Seals made at or after this time become invalid.")
@click.option("--compromised", "state", flag_value="compromised",
              help="Compromised whatever the reason says.")
@click.option("--retired", "state", flag_value="retired", help="Retired whatever the reason says.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_revoke(ctx, key, reason, at, state, trust_path):
    """Revoke KEY (a key id or name): retired (replaced) or compromised (stolen).

    \b
    A retired key's seals made before stay valid. A compromised key's seals made at or
    after --at are invalid, and those made before are valid only with a trusted
    timestamp (a thief can date a seal as they like).
    """
    _revoke(ctx, key, reason, at, trust_path, state)


def _revoke(ctx, key, reason, at, trust_path, state):
    home = home_of(ctx)
    with home.lock():
        store = trust_store_for(ctx, trust_path)
        entry = store.revoke(key, reason, time_option(at, "--at"), state)
        store.save()
    click.echo(f"{entry.key_id} ({entry.name}) is {entry.describe_state()}")
    if entry.state == RETIRED:
        click.echo("  Seals it made before then stay valid; it signs nothing new.")
    else:
        click.echo("  Seals it made at or after then are invalid; those made before are valid "
                   "only where a trusted timestamp proves it.")
    if not trust_path and home.config().get("default_key") == entry.name:
        click.echo("  It was the default key: choose another with 'archivekit keys default NAME'",
                   err=True)


@trust.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_export(ctx, file, trust_path):
    """Write the trust store (public keys with their history, TSA roots) to FILE, for
    another institution to follow with 'archivekit trust import FILE'."""
    store = trust_store_for(ctx, trust_path)
    store.path = Path(file)
    store.save()
    click.echo(f"Wrote {len(store.keys)} key(s) and {len(store.tsa_roots)} timestamp "
               f"authority root(s) to {file}")


@trust.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_import(ctx, file, trust_path):
    """Follow the history in FILE (from 'trust export'): add its keys and TSA roots,
    and take each retirement or compromise it records. Never softens what is here:
    a compromise stays a compromise, at the earliest time either side knows."""
    with home_of(ctx).lock():
        store = trust_store_for(ctx, trust_path)
        changes = store.merge(TrustStore.load(Path(file)))
        store.save()
    for change in changes:
        click.echo(f"  {change}")
    click.echo(f"{len(changes)} change(s) to {store.path}")
