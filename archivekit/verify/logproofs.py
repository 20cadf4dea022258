"""A seal's transparency-log inclusion proof (`<seal>.tlog.json`), and membership in a
checkpoint the verifier was given (the policy's `log_checkpoint`)."""

import json

from archivekit.trust import tlog
from archivekit.formats import layout


def check_log(view, path, envelope_bytes, package_id, grounds, report) -> dict | None:
    """The seal's inclusion proof, and membership in a checkpoint the verifier was given.
    Returns the seal's place in the log (index, tree size, origin) when its proof checks
    out."""
    proof_path = layout.companion(path, "tlog.json")
    document = None
    if proof_path in view.reader.entries:
        try:
            document = json.loads(view.read_tag(proof_path, report) or b"")
        except (json.JSONDecodeError, UnicodeDecodeError):
            report.add("AK530", "the inclusion proof is not JSON", path=proof_path)
    stored = place = None
    if isinstance(document, dict):
        try:
            stored, _ = tlog.verify_checkpoint(str(document.get("checkpoint", "")), grounds.trust)
        except tlog.CheckpointInvalid as exc:
            report.add("AK531", f"the proof's checkpoint: {exc}", path=proof_path)
        leaf = _json_or_none(document.get("leaf"))
        if not isinstance(leaf, dict) or leaf.get("seal_sha256") != \
                tlog.seal_digest(envelope_bytes) or \
                leaf.get("package_id") != package_id:
            report.add("AK530", "the logged leaf is not this seal", path=proof_path)
        elif stored is not None:
            problem = tlog.check_inclusion(document, stored)
            if problem:
                report.add("AK530", problem, path=proof_path)
            else:
                place = {"index": document["index"], "tree_size": stored.size,
                         "origin": stored.origin}
    if grounds.policy.log_checkpoint is None:
        return place
    try:
        given, _ = tlog.verify_checkpoint(grounds.policy.log_checkpoint, grounds.trust)
    except tlog.CheckpointInvalid as exc:
        report.add("AK531", f"the checkpoint the verifier was given: {exc}", path=path)
        return place
    if not isinstance(document, dict):
        report.add("AK532", "the seal carries no inclusion proof", path=path)
        return place
    problem = tlog.check_inclusion(document, given)
    if problem:
        report.add("AK532", f"not shown to be in the given checkpoint: {problem}", path=path)
    return place


def _json_or_none(text):
    try:
        return json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return None
