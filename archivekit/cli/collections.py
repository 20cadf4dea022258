"""Collections and scheduled jobs: `collection init`, `run`, `audit`."""

import getpass
import json
from contextlib import contextmanager

import click

from archivekit.cli.app import (EXIT_FAILED, EXIT_SOURCES_FAILED, CommandGroup,
                                home_of, limits_option, passphrase_from, progress_display,
                                main)
from archivekit.errors import NoSpace
from archivekit.trust.keyring import PASSPHRASE_ENV


RUN_EPILOG = ("Exit codes: 0 every source captured (or none to capture) and every audited "
              "package verified; 1 the audit found a package that does not verify; 2 usage "
              "error (a bad manifest); 3 could not run (a full disk stops the run: what it did "
              "is kept, --json prints its report, and the next run finishes it); 4 the "
              "audit passed but some sources could not be captured (each is in the report "
              "and the audit log); 130 stopped by Ctrl-C, 143 by SIGTERM (what it did is "
              "kept, and the next run finishes it).")
OUTCOME_EXIT = {"ok": 0, "damaged": EXIT_FAILED, "sources failed": EXIT_SOURCES_FAILED}


@contextmanager
def _shown_if_stopped(as_json):
    """A run (or audit) a full disk stopped: what it did before is shown (with --json,
    its report on stdout), then its error (exit 3)."""
    try:
        yield
    except NoSpace as exc:
        if exc.done is not None:
            _print_run(exc.done, as_json)
        raise


def _print_run(report, as_json):
    if as_json:   # stdout holds the JSON document and nothing else; people read stderr
        for note in report.notes:
            click.echo(f"archivekit: note: {note}", err=True)
        for item in report.failed:
            click.echo(f"archivekit: failed: {item['source']}: {item['error']}", err=True)
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for note in report.notes:
        click.echo(f"note      {note}")
    for item in report.recovered:
        click.echo(f"recovered {item}")
    for item in report.captured:
        click.echo(f"captured  {item['package']}  <- {item['source']}")
    for item in report.amended:
        click.echo(f"amended   {item['supersedes']} -> {item['package']} "
                   f"({', '.join(item['changed'])}) <- {item['source']}")
    for item in report.failed:
        click.echo(f"FAILED    {item['source']}: {item['error']}")
    for item in report.audit_failures:
        click.echo(f"FAILED    {item['package']}" + (f" (withdrawn {item['withdrawn']})"
                                                    if item.get("withdrawn") else ""))
        for error in item["errors"][:10]:
            click.echo(f"          {error}")
    for item in report.withdrawn:
        click.echo(f"withdrawn {item['package']} ({item['withdrawn']})")
    amended = f"{len(report.amended)} amended, " if report.amended else ""
    click.echo(f"{len(report.captured)} captured, {amended}{report.skipped} already present, "
               f"{len(report.failed)} failed; {report.audited} audited, "
               f"{len(report.audit_failures)} failed")


@main.group(cls=CommandGroup)
def collection():
    """Collections: a folder of sealed packages, their index and audit log."""


@collection.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", help="Collection name (default: the folder's name).")
@click.option("--organization", default="")
def collection_init(directory, name, organization):
    """Make DIRECTORY a collection."""
    from archivekit.collection.store import Collection
    made = Collection.init(directory, name, organization)
    click.echo(f"Collection {made.name!r} at {made.root}")


@collection.command("add")
@click.argument("directory", type=click.Path(file_okay=False))
@click.argument("packages", nargs=-1, required=True, type=click.Path())
@click.option("--key", "key_name", help="Key that signs the transparency log's checkpoint "
                                        "(default: the default key).")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store the packages are verified against.")
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.pass_context
def collection_add(ctx, directory, packages, key_name, trust_path, passphrase_env):
    """Add PACKAGES (made with capture --out, or handed over by another institution) to
    the collection DIRECTORY: each is verified first, then copied in, indexed, logged
    and entered in the transparency log. One that does not verify is not added (exit 1)."""
    from archivekit.cli.app import verifier_for
    from archivekit.collection.adopt import add_packages
    from archivekit.collection.store import Collection
    from archivekit.trust.signer import resolve_signer
    target = Collection.open(directory)
    verifier = verifier_for(ctx, trust_path)
    signer, _ = resolve_signer(home_of(ctx), key_name, passphrase_from(passphrase_env))
    for added in add_packages(target, packages, verifier, signer, getpass.getuser()):
        state = "already in the collection" if added.already else "added"
        click.echo(f"{state:25} {added.package_id}")


@main.command(epilog=RUN_EPILOG)
@click.argument("manifest", type=click.Path(dir_okay=False))
@click.option("--workers", type=int, default=0, help="Cores the audit may use (default: the "
              "manifest's audit.workers, else the machine's cores, at most 4).")
@click.option("--wait", "wait_seconds", type=float, default=60.0, show_default=True,
              help="Seconds to wait for another run to release the collection.")
@click.option("--passphrase-env", metavar="VAR", help=f"Passphrase variable (default {PASSPHRASE_ENV}).")
@click.option("--rescan", is_flag=True, help="Check every inbox file now. A run lists "
              "only the folders that changed (a file added, removed or renamed) and "
              "re-checks an eighth of the files it knows in the others, so a file "
              "rewritten in place is found within 8 runs; this finds it in this one.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@limits_option
@click.pass_context
def run(ctx, manifest, workers, wait_seconds, passphrase_env, rescan, as_json, limits):
    """Run the job MANIFEST: capture its new sources, then audit the collection.

    Idempotent and safe to kill: a source already captured (same sha256) is skipped,
    and a rerun finishes what an interrupted run left. A pattern that matches nothing
    is a note (a quiet night), and a source that cannot be captured is recorded while
    the run goes on to the audit. NAME.yaml beside NAME.ext is that file's catalog
    record (docs/catalog.md). The exit code says what happened, for cron or a
    systemd timer.
    """
    from archivekit.collection.jobs import load_manifest
    from archivekit.collection.runs import run_job
    job = load_manifest(manifest)
    with _shown_if_stopped(as_json), progress_display(not as_json) as show:
        report = run_job(job, home_of(ctx), passphrase_from(passphrase_env),
                         job.operator or getpass.getuser(), workers, wait_seconds, show,
                         limits=limits, rescan=rescan)
    _print_run(report, as_json)
    ctx.exit(OUTCOME_EXIT[report.outcome])


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--policy", type=click.Choice(["all", "fraction", "stale"]),
              help="Which packages (default: the collection's policy).")
@click.option("--fraction", type=click.FloatRange(0, 1, min_open=True),
              help="With --policy fraction: the share to check, least recently checked first.")
@click.option("--days", type=int, help="With --policy stale: not checked for this many days.")
@click.option("--workers", type=int, default=0, help="Cores the audit may use (default: the "
              "machine's cores, at most 4).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Verify on the workers of this "
              "Dask scheduler (pip install 'archivekit[cluster]'); they must see the "
              "collection at the same path. This machine keeps the lock and writes the logs.")
@click.option("--wait", "wait_seconds", type=float, default=60.0, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the audit report as JSON.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write the audit as an HTML page to this file (dated, with the "
                   "archivekit version, trust store and policy; prints on A4).")
@limits_option
@click.pass_context
def audit(ctx, directory, policy, fraction, days, workers, scheduler, wait_seconds, as_json,
          html_path, limits):
    """Audit the collection DIRECTORY: verify packages, record each outcome in its log.

    Outcomes are recorded batch by batch as they come; an audit that is killed (or
    stopped by a full disk: exit 3) keeps what it recorded, and the next audit goes on
    where it stopped."""
    from archivekit.collection.audit import AuditPolicy
    from archivekit.collection.store import Collection
    from archivekit.collection.runs import run_audit
    from archivekit._internal.fsutil import atomic_write_bytes, own_file
    target = Collection.open(directory)
    chosen = AuditPolicy.of(target.config["policy"], policy, fraction, days)
    html_file = own_file(html_path) if html_path else None   # refused before any work
    with _shown_if_stopped(as_json), progress_display(not as_json) as show:
        report = run_audit(target, home_of(ctx), chosen, getpass.getuser(), workers,
                           wait_seconds, show, limits, scheduler)
    _print_run(report, as_json)
    if html_file:
        from archivekit.cli.pages import audit_page
        from archivekit.verify.render import about
        from archivekit.trust.truststore import TrustStore
        facts = about(TrustStore.load(home_of(ctx).trust_path),
                      ("Collection", f"{target.name} ({target.root.resolve()})"),
                      ("Policy", chosen.mode + (f" {chosen.fraction:g}" if chosen.mode == "fraction"
                                                else f" {chosen.days} days" if chosen.mode == "stale"
                                                else "")))
        atomic_write_bytes(html_file, audit_page(report, facts).encode("utf-8"))
    if not report.ok:
        ctx.exit(EXIT_FAILED)
