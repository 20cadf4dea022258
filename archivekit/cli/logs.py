"""The audit log and the transparency log: `archivekit log ...`."""

import json
from pathlib import Path

import click

from archivekit.cli.app import (EPILOG, EXIT_FAILED, CommandGroup, main, progress_display,
                                read_text_file, trust_store_for)
from archivekit.errors import ArchivekitError, UsageError


class LogGroup(CommandGroup):
    """`archivekit log DIR` is `archivekit log show DIR`."""

    def resolve_command(self, ctx, args):
        """Read an argument that names no subcommand as the folder of `log show`."""
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
@click.option("--verify", "check", is_flag=True, help="Prove the hash chain unbroken and "
              "every sealed segment's checkpoint signed by a trusted key.")
@click.option("--since", type=click.Path(dir_okay=False), help="With --verify: a segment "
              "checkpoint kept from an earlier verification; only what came after it is read.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store for the checkpoints (default: the home's).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def log_show(ctx, directory, check, since, trust_path, as_json):
    """Show the audit log of the collection DIRECTORY (PREMIS events, hash-chained, in
    sealed segments). --verify streams it: memory does not grow with the log."""
    from archivekit.collection.store import Collection
    audit_log = Collection.open(directory).audit_log
    if check:
        kept = Path(since).read_text() if since else None
        result = audit_log.verify(trust_store_for(ctx, trust_path), kept)
        problems = result.problems
        if as_json:
            click.echo(json.dumps({"intact": not problems, "head": result.head,
                                   "entries": result.count, "checkpoint": result.checkpoint,
                                   "problems": [{"file": p.file, "line": p.line,
                                                 "message": p.message} for p in problems],
                                   "more_problems": result.more_problems}, indent=2))
        else:
            for problem in problems:
                where = f"{problem.file}:{problem.line}" if problem.line else problem.file
                click.echo(f"{where}: {problem.message}")
            if result.more_problems:
                click.echo(f"... and {result.more_problems} more problems")
            click.echo(("BROKEN" if problems else "INTACT") +
                       f"  {result.count} entries{' since the given checkpoint' if since else ''}"
                       f", head {result.head}")
        if problems:
            ctx.exit(EXIT_FAILED)
        return
    if as_json:
        click.echo("[")
        for number, entry in enumerate(audit_log.iter_entries()):
            click.echo(("," if number else "") + json.dumps(entry, ensure_ascii=False))
        click.echo("]")
        return
    for entry in audit_log.iter_entries():
        click.echo(f"{entry.get('seq', '?'):>5} {entry.get('time')} {entry.get('type'):28} "
                   f"{entry.get('outcome'):8} {entry.get('package') or '-'}  {entry.get('detail')}")


def _collection_log(directory):
    from archivekit.collection.store import Collection
    return Collection.open(directory).transparency_log


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
    latest checkpoint, printed as JSON and stored beside each seal of a folder package
    (a .zip or .tar is never rewritten: keep the printed proof with it)."""
    from archivekit.collection.ingest import seals_in
    from archivekit.collection.store import Collection
    from archivekit.trust.tlog import seal_digest, write_proof
    collection = Collection.open(directory)
    candidates = [collection.packages_dir / f"{package_id}{suffix}"
                  for suffix in ("", ".zip", ".tar")]
    package = next((p for p in candidates if p.exists()), candidates[0])
    seals = seals_in(package) if package.exists() else []
    if not seals:
        raise ArchivekitError(f"{package}: no such package with seals")
    tlog = collection.transparency_log
    latest = tlog.latest()
    if latest is None:
        raise ArchivekitError(f"{directory}: the transparency log is empty")
    with collection.lock(), collection.stops_on_full_disk("log prove"):
        try:
            with tlog.state() as state:
                proofs = []
                for path, envelope in seals:
                    digest = seal_digest(envelope)
                    leaf = state.find([digest]).get(digest)
                    if package.is_dir():
                        proofs.append(write_proof(state, package, path, digest, latest))
                    elif leaf is not None:
                        proofs.append(state.proof_document(leaf, latest))
                    else:
                        raise ValueError(f"{package}: {path} is not in the log")
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
    with collection.lock(wait_seconds), collection.stops_on_full_disk("log refresh"):
        with progress_display(True) as show:
            try:
                result = refresh_proofs(collection.transparency_log,
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
        raise UsageError(f"--from {old}: {exc.message}") from None
    latest = tlog.latest() or ""
    now = parse_checkpoint(latest)[0]
    if before.size > now.size:
        raise UsageError(f"--from {old}: a tree of {before.size} leaves, larger than the "
                         f"log's {now.size}: not a checkpoint of this log")
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
    from archivekit._internal.fsutil import atomic_write_bytes, own_file
    from archivekit.trust.tlog import watch
    result = watch(_collection_log(directory), Path(state), trust_store_for(ctx, trust_path))
    click.echo(result.message)
    if result.ok:
        atomic_write_bytes(own_file(state), result.checkpoint.encode())
    else:
        ctx.exit(EXIT_FAILED)
