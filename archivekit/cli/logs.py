"""The audit log and the transparency log: `archivekit log ...`."""

import json
from pathlib import Path

import click

from archivekit.cli.app import (EPILOG, CommandGroup, progress_display, read_text_file,
                                trust_store_for, main)
from archivekit.errors import EXIT_FAILED, ArchivekitError, UsageError


class LogGroup(CommandGroup):
    """`archivekit log DIR` is `archivekit log show DIR`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


@main.group(cls=LogGroup, epilog=EPILOG)
def log():
    """The audit log and the transparency log of a collection.

    \b
      archivekit log DIR [--verify]          the audit log; --verify proves its chain
      archivekit log checkpoint DIR          the latest signed checkpoint of the seal log
      archivekit log prove DIR PACKAGE_ID    an inclusion proof (stored with the seal)
      archivekit log refresh DIR             every stored proof against the latest checkpoint
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
    from archivekit.collection.store import Collection
    audit_log = Collection.open(directory).log
    if check:
        problems, head, count = audit_log.verify()
        if as_json:
            click.echo(json.dumps({"intact": not problems, "head": head, "problems": [
                {"line": p.line, "message": p.message} for p in problems]}, indent=2))
        else:
            for problem in problems:
                click.echo(f"line {problem.line}: {problem.message}")
            click.echo(("BROKEN" if problems else "INTACT") + f"  {count} entries, head {head}")
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
    from archivekit.collection.store import Collection
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
    from archivekit.collection.store import Collection
    from archivekit.trust.tlog import seal_digest, seals_of, write_proof
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
            snapshot = tlog.snapshot()
            proofs = [write_proof(snapshot, package, path, seal_digest(envelope), latest)
                      for path, envelope in seals]
        except ValueError as exc:
            raise ArchivekitError(str(exc)) from None
    click.echo(json.dumps(proofs, indent=2))


@log.command("refresh")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--wait", "wait_seconds", type=float, default=60.0, show_default=True,
              help="Seconds to wait for a run to release the collection.")
@click.pass_context
def log_refresh(ctx, directory, wait_seconds):
    """Bring every stored inclusion proof in the collection DIRECTORY up to the log's
    latest checkpoint. A proof only matches the checkpoint it was made with; after the
    log grows (or its key changes, or a key is compromised) 'verify' reports older
    proofs as out of date, and this is the remedy. Reads O(log N) stored hashes per
    proof, not the whole log."""
    from archivekit.collection.store import Collection
    from archivekit.trust.tlog import refresh_proofs
    collection = Collection.open(directory)
    with collection.lock(wait_seconds):
        with progress_display(True) as show:
            try:
                result = refresh_proofs(collection.tlog,
                                        [p for p in collection.package_paths() if p.is_dir()],
                                        show and (lambda done, total: show("refresh", done, total)))
            except ValueError as exc:
                raise ArchivekitError(str(exc)) from None
    for item in result.not_logged:
        click.echo(f"not in the log: {item}")
    click.echo(f"{result.refreshed} proof(s) refreshed, {result.current} already current, "
               f"against {result.checkpoint.origin} at {result.checkpoint.size} leaves")


@log.command("consistency")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--from", "old", required=True, type=click.Path(dir_okay=False),
              help="A checkpoint seen earlier.")
@click.pass_context
def log_consistency(ctx, directory, old):
    """Print a consistency proof from an earlier checkpoint to the latest one."""
    from archivekit.trust.tlog import CheckpointInvalid, parse_checkpoint
    tlog = _collection_log(directory)
    try:
        before = parse_checkpoint(read_text_file(old, "checkpoint"))[0]
    except CheckpointInvalid as exc:
        raise UsageError(f"{old}: {exc}") from None
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
    from archivekit._internal.fsutil import atomic_write_bytes
    from archivekit.trust.tlog import watch
    result = watch(_collection_log(directory), Path(state), trust_store_for(ctx, trust_path))
    click.echo(result.message)
    if result.ok:
        atomic_write_bytes(Path(state), result.checkpoint.encode())
    else:
        ctx.exit(EXIT_FAILED)
