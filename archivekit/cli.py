"""The command line: parse, call the library, render, exit. Nothing else lives here.

Exit codes: 0 success/verified, 1 verification failed, 2 usage error,
3 could not run (missing input, I/O error, no usable key).
"""

import getpass
import json
import os
import sys
from pathlib import Path

import click

from archivekit import __version__
from archivekit.errors import EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_USAGE, ArchivekitError
from archivekit.home import Home
from archivekit.keys import PASSPHRASE_ENV, Keyring, TrustStore, load_public_pem, public_pem
from archivekit.timeutil import format_time, parse_time

EPILOG = "Exit codes: 0 success, 1 verification failed, 2 usage error, 3 could not run."


class _Group(click.Group):
    """Turn library errors into one clear line and their exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ArchivekitError as exc:
            click.echo(f"archivekit: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


def _home(ctx) -> Home:
    return Home.locate(ctx.obj.get("home") if ctx.obj else None)


def _passphrase_from(env_name: str | None):
    def ask(key_name: str) -> bytes | None:
        value = os.environ.get(env_name or PASSPHRASE_ENV)
        if value:
            return value.encode("utf-8")
        if sys.stdin.isatty():
            return getpass.getpass(f"Passphrase for key {key_name!r}: ").encode("utf-8")
        return None
    return ask


@click.group(cls=_Group, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="archivekit")
@click.option("--home", envvar="ARCHIVEKIT_HOME", type=click.Path(file_okay=False),
              help="Configuration folder (keys, trust store). Default: $ARCHIVEKIT_HOME, "
                   "else $XDG_CONFIG_HOME/archivekit.")
@click.pass_context
def main(ctx, home):
    """Preserve news clippings as sealed, verifiable packages.

    \b
    Start here:
      archivekit capture clipping.txt --out archive/
      archivekit verify archive/<package-id>
    """
    ctx.ensure_object(dict)["home"] = home


# --- keys and trust ---------------------------------------------------------------------

@main.group(cls=_Group)
def keys():
    """Signing keys: generate, list, export."""


@keys.command("generate")
@click.argument("name")
@click.option("--organization", default="", help="Who the key speaks for.")
@click.option("--passphrase-env", metavar="VAR",
              help="Encrypt the key with the passphrase in this environment variable.")
@click.option("--ask-passphrase", is_flag=True, help="Encrypt the key; ask for a passphrase.")
@click.pass_context
def keys_generate(ctx, name, organization, passphrase_env, ask_passphrase):
    """Make an Ed25519 key NAME (PKCS#8 PEM, mode 0600) and trust it locally."""
    from archivekit.identity import generate_trusted_key
    passphrase = None
    if passphrase_env:
        if not os.environ.get(passphrase_env):
            raise click.UsageError(f"environment variable {passphrase_env} is empty or unset")
        passphrase = os.environ[passphrase_env].encode("utf-8")
    elif ask_passphrase:
        passphrase = click.prompt("Passphrase", hide_input=True,
                                  confirmation_prompt=True).encode("utf-8")
    made = generate_trusted_key(_home(ctx), name, organization, passphrase)
    click.echo(f"Made key {made.name} ({made.key_id})\n  private key  {made.path}\n"
               f"  trusted in   {made.trust_path}")


@keys.command("list")
@click.pass_context
def keys_list(ctx):
    """List private keys here and the keys the trust store believes."""
    home = _home(ctx)
    default = home.config().get("default_key")
    trust = TrustStore.load(home.trust_path)
    click.echo(f"Private keys in {home.keys_dir}:")
    for name in Keyring(home).names():
        click.echo(f"  {name}{'  (default)' if name == default else ''}")
    _print_trust(trust)


@keys.command("export")
@click.argument("name")
@click.pass_context
def keys_export(ctx, name):
    """Print the public key of NAME (PEM), to give to those who verify."""
    home = _home(ctx)
    trust = TrustStore.load(home.trust_path)
    entry = next((k for k in trust.keys if k.name == name), None)
    if entry is None:
        keyring = Keyring(home)
        key = keyring.load(name, _passphrase_from(None)(name) if keyring.path(name).exists()
                           and keyring.is_encrypted(name) else None)
        click.echo(public_pem(key.public_key), nl=False)
    else:
        click.echo(public_pem(entry.public_key), nl=False)


@main.group(cls=_Group)
def trust():
    """The trust store: the only public keys a verifier believes."""


def _print_trust(store: TrustStore) -> None:
    click.echo(f"Trusted keys in {store.path}:")
    for key in store.keys:
        state = (f"REVOKED {format_time(key.revoked_at)} ({key.revocation_reason})"
                 if key.revoked_at else "valid")
        click.echo(f"  {key.key_id}  {key.name}  {key.organization or '-'}  "
                   f"roles={','.join(key.roles)}  {state}")


def _time_option(value, name):
    try:
        return parse_time(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None


def _trust_store(ctx, path) -> TrustStore:
    return TrustStore.load(Path(path) if path else _home(ctx).trust_path)


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
    with _home(ctx).lock():
        store = _trust_store(ctx, trust_path)
        entry = store.add(load_public_pem(data, public_key), name, organization, roles,
                          _time_option(not_before, "--not-before"),
                          _time_option(not_after, "--not-after"))
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
    with _home(ctx).lock():
        store = _trust_store(ctx, trust_path)
        store.tsa_roots.append((name, root))
        store.save()
    click.echo(f"Trusted timestamp authority root {name!r} in {store.path}")


@trust.command("list")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_list(ctx, trust_path):
    """List trusted keys with their validity and revocation."""
    _print_trust(_trust_store(ctx, trust_path))


@trust.command("revoke")
@click.argument("key")
@click.option("--reason", required=True, help="Why (kept with the revocation).")
@click.option("--at", "at", help="When the key stopped being safe (RFC 3339); default now. "
                                 "Seals made at or after this time become invalid.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def trust_revoke(ctx, key, reason, at, trust_path):
    """Revoke KEY (a key id or name)."""
    with _home(ctx).lock():
        store = _trust_store(ctx, trust_path)
        entry = store.revoke(key, reason, _time_option(at, "--at"))
        store.save()
    click.echo(f"Revoked {entry.key_id} ({entry.name}) as of {format_time(entry.revoked_at)}")


# --- capture -------------------------------------------------------------------------------

@main.command(epilog=EPILOG)
@click.argument("sources", nargs=-1, required=True)
@click.option("--url", help="For a file: the article's address (becomes the WARC target URI).")
@click.option("--catalog", type=click.Path(dir_okay=False),
              help="Cataloguer metadata (YAML): subjects, notes, rights, call number...")
@click.option("--out", "out_dir", default="archive", show_default=True,
              type=click.Path(file_okay=False), help="Folder that receives the packages.")
@click.option("--key", "key_name", help="Signing key name (default: the default key; "
                                        "one named 'local' is made on first use).")
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.option("--collection", help="Collection the package belongs to.")
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
@click.pass_context
def capture(ctx, sources, url, catalog, out_dir, key_name, passphrase_env, collection,
            operator, organization, container, timeout, max_bytes, user_agent, insecure,
            allow_http_errors, tsa_url):
    """Capture SOURCES into sealed packages, one package per source.

    A source is a file (a text clipping, a saved HTML page, a PDF, an image) or an
    http(s) address, recorded as WARC request/response records with its redirects.
    """
    from archivekit.capture.files import read_file_source
    from archivekit.capture.pipeline import capture_file, capture_web
    from archivekit.capture.web import USER_AGENT, WebOptions, check_url, fetch
    from archivekit.cataloguer import load_catalog
    from archivekit.identity import resolve_signer
    if url and len(sources) > 1:
        raise click.UsageError("--url names one article; capture one source with it")
    # Check every input before writing anything.
    catalog_fields = load_catalog(catalog) if catalog else {}
    web = [s.startswith(("http://", "https://")) for s in sources]
    for source, is_web in zip(sources, web):
        if is_web:
            check_url(source)
    file_sources = {s: read_file_source(s, url) for s, is_web in zip(sources, web) if not is_web}
    options = WebOptions(timeout, max_bytes, user_agent or USER_AGENT, not insecure,
                         allow_http_errors)
    signer, created = resolve_signer(_home(ctx), key_name, _passphrase_from(passphrase_env))
    if created:
        click.echo(f"archivekit: made signing key '{created.name}' ({created.key_id}) at "
                   f"{created.path} and trusted it in {created.trust_path}", err=True)
    spec = dict(signer=signer, catalog=catalog_fields, collection=collection, operator=operator,
                organization=organization or signer.organization or None, container=container,
                tsa_url=tsa_url)
    for source, is_web in zip(sources, web):
        if is_web:
            path = capture_web(fetch(source, options), Path(out_dir), spec)
        else:
            file_source = file_sources[source]
            if file_source.media_type.startswith("text/") and "charset" not in file_source.media_type:
                click.echo(f"archivekit: {file_source.path}: text is not UTF-8; kept byte for "
                           "byte, metadata read as Windows-1252", err=True)
            path = capture_file(file_source, Path(out_dir), spec)
        click.echo(str(path))


@main.command("seal", epilog=EPILOG)
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
    from archivekit.identity import resolve_signer
    from archivekit.package.sealing import countersign, timestamp_seals
    if not key_name and not tsa_url:
        raise click.UsageError("give --key to countersign, --tsa to timestamp, or both")
    policy = _policy(ctx, trust_path)
    if key_name:
        signer, _ = resolve_signer(_home(ctx), key_name, _passphrase_from(passphrase_env))
        written = countersign(Path(package), signer, policy, tsa_url)
    else:
        written = timestamp_seals(Path(package), policy, tsa_url)
    for path in written:
        click.echo(str(path))


# --- verify, inspect, unpack -----------------------------------------------------------

def _policy(ctx, trust_path):
    from archivekit.verify import VerificationPolicy
    return VerificationPolicy(_trust_store(ctx, trust_path))


@main.command(epilog=EPILOG)
@click.argument("packages", nargs=-1, required=True)
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store to believe (default: the one in the configuration folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the machine-readable report.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report to this file.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Verify this many packages at once (one process each).")
@click.option("--log", "log_checkpoint", type=click.Path(dir_okay=False),
              help="A transparency-log checkpoint each seal must be proven to be in.")
@click.pass_context
def verify(ctx, packages, trust_path, as_json, html_path, workers, log_checkpoint):
    """Check PACKAGES (folders, .zip or .tar): structure, fixity, WARC records,
    descriptor, seals and provenance. Every finding is reported, not just the first."""
    from archivekit.fsutil import atomic_write_bytes
    from archivekit.verify.parallel import verify_many
    from archivekit.verify.render import to_html, to_json, to_text
    trust = Path(trust_path) if trust_path else _home(ctx).trust_path
    _trust_store(ctx, trust_path)   # a broken trust store is a usage error, before any work
    checkpoint = Path(log_checkpoint).read_text() if log_checkpoint else None
    reports = verify_many(list(packages), trust, workers, _progress(not as_json), checkpoint)
    if as_json:
        click.echo(to_json(reports))
    else:
        for report in reports:
            click.echo(to_text(report))
    if html_path:
        atomic_write_bytes(Path(html_path), to_html(reports).encode("utf-8"))
    if not all(r.verified for r in reports):
        ctx.exit(EXIT_FAILED)


@main.command(epilog=EPILOG)
@click.argument("package")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the descriptor and seal facts as JSON.")
@click.pass_context
def inspect(ctx, package, trust_path, as_json):
    """Show what PACKAGE holds, who sealed it and when."""
    from archivekit.package.contents import read_descriptor
    from archivekit.verify import verify_package
    descriptor = read_descriptor(package)
    report = verify_package(package, _policy(ctx, trust_path))
    if as_json:
        click.echo(json.dumps({"descriptor": descriptor, "verification": report.to_dict()},
                              indent=2, ensure_ascii=False))
        return
    meta = descriptor.get("metadata") or {}
    lines = [f"Package   {descriptor.get('id')}",
             f"Created   {descriptor.get('created')}   collection: {descriptor.get('collection') or '-'}",
             f"Headline  {meta.get('headline') or '-'}"]
    authors = ", ".join(a.get("name", "") for a in meta.get("authors") or [])
    if authors:
        lines.append(f"Authors   {authors}")
    if meta.get("publisher"):
        lines.append(f"Publisher {meta['publisher'].get('name')}")
    if meta.get("print"):
        lines.append(f"Print     {meta['print'].get('raw') or meta['print']}")
    for source in descriptor.get("sources", []):
        lines.append(f"Source    {source.get('filename') or source.get('uri')}  "
                     f"{source.get('media_type')}  {source.get('bytes')} bytes  sha256 {source.get('sha256')}")
    for record in descriptor.get("records", []):
        lines.append(f"Record    {record.get('type'):9} {record.get('id')}  "
                     f"@{record.get('offset')}+{record.get('length')}")
    for seal in report.facts.get("seals", []):
        lines.append(f"Sealed    {seal.get('sealed_at')} by {seal.get('signer')} "
                     f"({seal.get('key_id')}): {'valid, trusted' if seal['valid'] else 'NOT valid'}")
    if descriptor.get("catalog"):
        lines.append("Catalog   " + json.dumps(descriptor["catalog"], ensure_ascii=False))
    lines.append(f"Verified  {'yes' if report.verified else 'NO'} "
                 f"({len(report.errors)} error(s); run 'archivekit verify' for details)")
    click.echo("\n".join(lines))


@main.command(epilog=EPILOG)
@click.argument("package")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the original source files into.")
def unpack(package, out_dir):
    """Write the original bytes of PACKAGE's sources, each checked against its sha256."""
    from archivekit.package.contents import unpack as unpack_package
    for path in unpack_package(package, out_dir):
        click.echo(str(path))


@main.command(epilog=EPILOG)
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--url", help="The article's address, if known.")
@click.option("--json", "as_json", is_flag=True, help="Print all fields as JSON.")
def metadata(source, url, as_json):
    """Extract clipping metadata from SOURCE without making a package."""
    from archivekit.capture.files import read_file_source
    from archivekit.extract import extract
    file_source = read_file_source(source, url)
    result = extract(file_source.read_for_extraction(), file_source.media_type, url).to_dict()
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for name in ("headline", "description", "published", "section", "url"):
        if result.get(name):
            click.echo(f"{name:12} {result[name]}")
    for author in result["authors"]:
        click.echo(f"{'author':12} {author['name']}")
    for credit in result["credits"]:
        click.echo(f"{'credit':12} {credit['role']}: {credit['name']}"
                   + (f" / {credit['agency']}" if credit.get("agency") else ""))
    if result.get("print"):
        click.echo(f"{'print':12} {result['print'].get('raw')}")
    for warning in result["extraction"]["warnings"]:
        click.echo(f"{'warning':12} {warning}")


if __name__ == "__main__":  # pragma: no cover
    main()


# --- collections and scheduled jobs -----------------------------------------------------

def _progress(enabled: bool):
    """A one-line progress display on stderr, only when a person is watching."""
    if not enabled or not sys.stderr.isatty():
        return None

    def show(stage, done, total):
        end = "\n" if done == total else ""
        click.echo(f"\r{stage}: {done}/{total}", err=True, nl=False)
        if end:
            click.echo("", err=True)
    return show


def _print_run(report, as_json):
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for note in report.notes:
        click.echo(f"note      {note}")
    for item in report.recovered:
        click.echo(f"recovered {item}")
    for item in report.captured:
        click.echo(f"captured  {item['package']}  <- {item['source']}")
    for item in report.skipped:
        click.echo(f"skipped   {item['source']} (already {item['package']})")
    for item in report.failed:
        click.echo(f"FAILED    {item['source']}: {item['error']}")
    for item in report.audited:
        state = "verified" if item["verified"] else "FAILED  "
        click.echo(f"{state}  {item['package']}")
        for error in item["errors"][:10]:
            click.echo(f"          {error}")
    bad = sum(not a["verified"] for a in report.audited)
    click.echo(f"{len(report.captured)} captured, {len(report.skipped)} already present, "
               f"{len(report.failed)} failed; {len(report.audited)} audited, {bad} failed")


@main.group(cls=_Group)
def collection():
    """Collections: a folder of sealed packages, their index and audit log."""


@collection.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", help="Collection name (default: the folder's name).")
@click.option("--organization", default="")
def collection_init(directory, name, organization):
    """Make DIRECTORY a collection."""
    from archivekit.collection import Collection
    made = Collection.init(directory, name, organization)
    click.echo(f"Collection {made.name!r} at {made.root}")


@main.command(epilog=EPILOG)
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("--workers", type=int, default=0, help="Parallel audits (default: the "
              "manifest's audit.workers, else up to 4).")
@click.option("--wait", "wait_seconds", type=float, default=60.0, show_default=True,
              help="Seconds to wait for another run to release the collection.")
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.pass_context
def run(ctx, manifest, workers, wait_seconds, passphrase_env, as_json):
    """Run the job MANIFEST: capture its new sources, then audit the collection.

    Idempotent and safe to kill: a source already captured (same sha256) is skipped,
    and a rerun finishes what an interrupted run left. Exits 0 only when every
    capture and every audit succeeded, so cron or a systemd timer can run it.
    """
    from archivekit.jobs import load_manifest
    from archivekit.runs import run_job
    job = load_manifest(manifest)
    report = run_job(job, _home(ctx), _passphrase_from(passphrase_env),
                     job.operator or getpass.getuser(), workers, wait_seconds,
                     _progress(not as_json))
    _print_run(report, as_json)
    if not report.ok:
        ctx.exit(EXIT_FAILED)


@main.command(epilog=EPILOG)
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--policy", type=click.Choice(["all", "fraction", "stale"]),
              help="Which packages (default: the collection's policy).")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True),
              help="With --policy fraction: the share to check, least recently checked first.")
@click.option("--days", type=int, help="With --policy stale: not checked for this many days.")
@click.option("--workers", type=int, default=0, help="Parallel audits (default up to 4).")
@click.option("--wait", "wait_seconds", type=float, default=60.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the audit report as JSON.")
@click.pass_context
def audit(ctx, directory, policy, fraction, days, workers, wait_seconds, as_json):
    """Audit the collection DIRECTORY: verify packages, record each outcome in its log."""
    from archivekit.audit import AuditPolicy
    from archivekit.collection import Collection
    from archivekit.runs import run_audit
    target = Collection.open(directory)
    chosen = AuditPolicy.from_config(target.config["policy"])
    chosen.mode = policy or chosen.mode
    chosen.fraction = fraction or chosen.fraction
    chosen.days = days if days is not None else chosen.days
    report = run_audit(target, _home(ctx), chosen, getpass.getuser(), workers, wait_seconds,
                       _progress(not as_json))
    _print_run(report, as_json)
    if not report.ok:
        ctx.exit(EXIT_FAILED)


@main.command("list", epilog=EPILOG)
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True)
def list_packages(directory, as_json):
    """Show the catalog of the collection DIRECTORY."""
    from archivekit.collection import Collection
    index = Collection.open(directory).index()
    try:
        rows = index.rows()
    finally:
        index.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['id']}\n    {row['headline'] or '-'} | {row['publisher'] or '-'} | "
                   f"{row['published'] or '-'} | sealed by {row['signer'] or '-'} "
                   f"{row['sealed_at'] or ''} | last audit {row['last_audit'] or 'never'} "
                   f"{row['last_outcome'] or ''}")


class _LogGroup(_Group):
    """`archivekit log DIR` is `archivekit log show DIR`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


@main.group(cls=_LogGroup, epilog=EPILOG)
def log():
    """The audit log and the transparency log of a collection.

    \b
      archivekit log DIR [--verify]          the audit log; --verify proves its chain
      archivekit log checkpoint DIR          the latest signed checkpoint of the seal log
      archivekit log prove DIR PACKAGE_ID    an inclusion proof (stored with the seal)
      archivekit log consistency DIR --from OLD_CHECKPOINT
      archivekit log watch DIR --state FILE  for outsiders: detect a rewritten or forked log
    """


@log.command("show")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--verify", "check", is_flag=True, help="Prove the hash chain unbroken.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def log_show(ctx, directory, check, as_json):
    """Show the audit log of the collection DIRECTORY (PREMIS events, hash-chained)."""
    from archivekit.collection import Collection
    audit_log = Collection.open(directory).log
    if check:
        problems, head = audit_log.verify()
        if as_json:
            click.echo(json.dumps({"intact": not problems, "head": head, "problems": [
                {"line": p.line, "message": p.message} for p in problems]}, indent=2))
        else:
            for problem in problems:
                click.echo(f"line {problem.line}: {problem.message}")
            click.echo(("BROKEN" if problems else "INTACT") + f"  {len(audit_log.entries())} "
                       f"entries, head {head}")
        if problems:
            ctx.exit(EXIT_FAILED)
        return
    entries = audit_log.entries()
    if as_json:
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    for entry in entries:
        click.echo(f"{entry.get('seq', '?'):>5} {entry.get('time')} {entry.get('type'):28} "
                   f"{entry.get('outcome'):8} {entry.get('package') or '-'}  {entry.get('detail')}")


def _collection_log(directory):
    from archivekit.collection import Collection
    return Collection.open(directory).tlog


@log.command("checkpoint")
@click.argument("directory", type=click.Path(file_okay=False))
def log_checkpoint(directory):
    """Print the latest signed checkpoint of the collection's transparency log."""
    latest = _collection_log(directory).latest()
    if latest is None:
        raise ArchivekitError(f"{directory}: the transparency log is empty")
    click.echo(latest, nl=False)


@log.command("prove")
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("package_id")
@click.pass_context
def log_prove(ctx, directory, package_id):
    """Prove that PACKAGE_ID's seals are in the log: a fresh inclusion proof against the
    latest checkpoint, stored beside each seal and printed as JSON."""
    from archivekit.collection import Collection
    from archivekit.tlog import seals_of, write_proof
    collection = Collection.open(directory)
    package = collection.packages_dir / package_id
    seals = seals_of(package)
    if not seals:
        raise ArchivekitError(f"{package}: no such folder package with seals")
    tlog = collection.tlog
    latest = tlog.latest()
    if latest is None:
        raise ArchivekitError(f"{directory}: the transparency log is empty")
    with collection.lock():
        try:
            proofs = [write_proof(tlog, package, path, envelope, latest) for path, envelope in seals]
        except ValueError as exc:
            raise ArchivekitError(str(exc)) from None
    click.echo(json.dumps(proofs, indent=2))


@log.command("consistency")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--from", "old", required=True, type=click.Path(dir_okay=False),
              help="A checkpoint seen earlier.")
@click.pass_context
def log_consistency(ctx, directory, old):
    """Print a consistency proof from an earlier checkpoint to the latest one."""
    from archivekit.tlog import parse_checkpoint
    tlog = _collection_log(directory)
    before = parse_checkpoint(Path(old).read_text())[0]
    latest = tlog.latest() or ""
    now = parse_checkpoint(latest)[0]
    proof = tlog.consistency(before.size, now.size) if before.size else []
    click.echo(json.dumps({"from": before.size, "to": now.size, "checkpoint": latest,
                           "proof": [h.hex() for h in proof]}, indent=2))


@log.command("watch")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--state", required=True, type=click.Path(dir_okay=False),
              help="Where this watcher keeps the last checkpoint it accepted.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.pass_context
def log_watch(ctx, directory, state, trust_path):
    """For an outside party: accept the log's latest checkpoint only if it is signed by a
    trusted key and extends the last one accepted. Exit 1 on a rewritten, rolled-back
    or forked log (the state file is then left as it was)."""
    from archivekit.fsutil import atomic_write_bytes
    from archivekit.tlog import watch
    result = watch(_collection_log(directory), Path(state), _trust_store(ctx, trust_path))
    click.echo(result.message)
    if result.ok:
        atomic_write_bytes(Path(state), result.checkpoint.encode())
    else:
        ctx.exit(EXIT_FAILED)
