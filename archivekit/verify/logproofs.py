"""A seal's transparency-log inclusion proof (`<seal>.tlog.json`), and membership in a
current checkpoint: the one the verifier was given (the policy's `log_checkpoint`), else,
for a package inside a collection (`<collection>/packages/<id>`), the collection's latest.

A stored proof matches the checkpoint it was made with. When the current checkpoint
is larger, the proof is out of date, not wrong: with the collection's log at hand, a
consistency proof from the stored checkpoint to the current one still shows the seal
in the current tree, and only a warning (AK533) says to refresh the stored proof;
without the log, the warning says the seal is not yet shown to be in the given one.
"""

import json
from pathlib import Path

from archivekit.formats import merkle
from archivekit.formats import layout
from archivekit.trust import tlog
from archivekit.verify.findings import WARNING

_REFRESH = "refresh the stored proofs with 'archivekit log refresh COLLECTION'"


def collection_log(location) -> "tlog.TransparencyLog | None":
    """The transparency log of the collection a package lives in, if it does."""
    try:
        folder = Path(location).resolve().parent
    except (OSError, RuntimeError):
        return None
    if folder.name != "packages" or not (folder.parent / "tlog" / "checkpoint").is_file():
        return None
    return tlog.TransparencyLog(folder.parent / "tlog", "")


def check_log(view, path, envelope_bytes, package_id, grounds, report) -> dict | None:
    """The seal's inclusion proof, and membership in the current checkpoint. Returns the
    seal's place in the log (index, tree size, origin) when its stored proof checks out."""
    log = collection_log(view.reader.location)
    followed = _followed(log, grounds.trust)
    proof_path = layout.companion(path, "tlog.json")
    document, stored = None, None
    if proof_path in view.reader.entries:
        try:
            document = json.loads(view.read_tag(proof_path, report) or b"")
        except (json.JSONDecodeError, UnicodeDecodeError):
            report.add("AK530", "the inclusion proof is not JSON", path=proof_path)
    if isinstance(document, dict):
        stored = _stored_checkpoint(document, envelope_bytes, package_id, grounds, followed,
                                    report, proof_path)
    _check_current(document, stored, log, followed, grounds, report, path, proof_path)
    if stored is None:
        return None
    return {"index": document["index"], "tree_size": stored.size, "origin": stored.origin}


def _check_current(document, stored, log, followed, grounds, report, path,
                   proof_path) -> None:
    """Is the seal shown to be in the current checkpoint: the one the verifier was given,
    else the collection's latest (none: nothing to show)?"""
    current_text = grounds.policy.log_checkpoint or (log.latest() if log else None)
    if current_text is None:
        return
    where = "the verifier was given" if grounds.policy.log_checkpoint else "of the collection"
    try:
        current, _ = tlog.verify_checkpoint(current_text, grounds.trust, followed)
    except tlog.CheckpointInvalid as exc:
        report.add("AK531", f"the checkpoint {where}: {exc}", path=path)
        return
    if not isinstance(document, dict):
        if grounds.policy.log_checkpoint:
            report.add("AK532", f"the seal carries no inclusion proof for the checkpoint {where}",
                       path=path)
        else:   # captured since the last run, or its proof lost: the next run logs it
            report.add("AK532", "the seal is not yet in the collection's log (its next run "
                       "adds it, with a proof)", path=path, severity=WARNING)
        return
    if stored is None:
        return     # the stored proof was already reported
    if stored.size == current.size:
        if stored.root != current.root:
            report.add("AK532", f"the proof's checkpoint and the checkpoint {where} are two "
                       f"different trees of {current.size} leaves: the log was forked",
                       path=proof_path)
        return
    if stored.size > current.size:      # the current checkpoint is the older one
        if int(document["index"]) >= current.size:
            report.add("AK532", f"the seal was logged after the checkpoint {where} (at "
                       f"{current.size} leaves)", path=proof_path)
        elif log is None or not _consistent(log, current, stored):
            report.add("AK532", f"not shown to be in the checkpoint {where} (at {current.size} "
                       f"leaves): the proof is for a later one ({stored.size})", path=proof_path)
        return
    if log is None:
        report.add("AK533", f"proof out of date: it is for the log at {stored.size} leaves, "
                   f"the checkpoint {where} is at {current.size}, so the seal is not yet shown "
                   f"to be in it. Remedy: ask the collection for fresh proofs ({_REFRESH})",
                   path=proof_path, severity=WARNING)
    elif _consistent(log, stored, current):
        report.add("AK533", f"proof out of date: it is for the log at {stored.size} leaves, "
                   f"the checkpoint {where} is at {current.size}; the collection's log shows "
                   f"the seal is in it all the same. Remedy: {_REFRESH}",
                   path=proof_path, severity=WARNING)
    else:
        report.add("AK532", f"the log at {current.size} leaves does not extend the log at "
                   f"{stored.size} leaves: it was rewritten or forked", path=proof_path)


def _stored_checkpoint(document, envelope_bytes, package_id, grounds, followed, report,
                       proof_path):
    """The proof's own checkpoint, if trusted and the proof leads to it; else None."""
    stored = None
    try:
        stored, _ = tlog.verify_checkpoint(str(document.get("checkpoint", "")), grounds.trust,
                                           followed)
    except tlog.CheckpointInvalid as exc:
        report.add("AK531", f"the proof's checkpoint: {exc}", path=proof_path)
    leaf = _json_or_none(document.get("leaf"))
    if not isinstance(leaf, dict) or leaf.get("seal_sha256") != \
            tlog.seal_digest(envelope_bytes) or \
            leaf.get("package_id") != package_id:
        report.add("AK530", "the logged leaf is not this seal", path=proof_path)
        return None
    if stored is None:
        return None
    problem = tlog.check_inclusion(document, stored)
    if problem:
        report.add("AK530", problem, path=proof_path)
        return None
    return stored


def _consistent(log, older, newer) -> bool:
    try:
        proof = log.consistency(older.size, newer.size)
    except (OSError, ValueError):
        return False
    return merkle.verify_consistency(older.size, newer.size, older.root, newer.root, proof)


_followed_cache: dict = {}


def _followed(log, trust) -> list:
    """Log keys reached through the collection's key transitions (read once per process)."""
    if log is None:
        return []
    folder = log.folder / "transitions"
    try:
        stamp = (str(log.folder), folder.stat().st_mtime_ns, id(trust))
    except OSError:
        return []
    if stamp not in _followed_cache:
        _followed_cache.clear()
        _followed_cache[stamp] = log.followed_keys(trust)
    return _followed_cache[stamp]


def _json_or_none(text):
    try:
        return json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
