"""Seal checks: each envelope's form, its statement against the package, and trust.

Trust comes only from the verifier's trust store: every trusted key is tried
against the signature; the envelope's keyid is a hint used for messages only.
"""

import hashlib
from dataclasses import dataclass

from archivekit.trust.truststore import COMPROMISED, RETIRED, TrustedKey
from archivekit.formats import layout
from archivekit.formats.seal import PAYLOAD_TYPE, Envelope, SealFormatError
from archivekit._internal.timeutil import format_time, parse_time
from archivekit.verify.bag import BagView
from archivekit.verify.findings import ERROR, WARNING, Report
from archivekit.verify.logproofs import check_log
from archivekit.verify.policy import Grounds
from archivekit.verify.timestamps import proven_time


@dataclass
class SealResult:
    """What was found about one seal: whether it holds, the trusted key that made it, its
    statement, its proven time and place in the log, and the codes of its errors."""
    path: str
    valid: bool = False
    key: TrustedKey | None = None
    statement: dict | None = None
    proven_time: str | None = None     # from an RFC 3161 token, when one checks out
    tsa: str | None = None
    log: dict | None = None            # {index, tree_size} when an inclusion proof checks out
    problems: list[str] | None = None  # codes of the errors found in this seal

    def to_fact(self) -> dict:
        """The seal as a report's facts show it (who, when, by which time source, trusted or
        not, and why not)."""
        statement = self.statement or {}
        signer = statement.get("signer") or {}
        return {"path": self.path, "valid": self.valid,
                "sealed_at": statement.get("sealed_at"),
                "time_source": "timestamp" if self.proven_time else "claimed",
                "timestamp": self.proven_time, "tsa": self.tsa, "log": self.log,
                "key_id": self.key.key_id if self.key else signer.get("key_id"),
                "signer": self.key.name if self.key else signer.get("name"),
                "organization": self.key.organization if self.key else signer.get("organization"),
                "trusted": self.key is not None, "problems": self.problems or [],
                "key_state": self.key.describe_state() if self.key else None}


def check_seals(view: BagView, descriptor: dict | None, grounds: Grounds,
                report: Report) -> list[SealResult]:
    """Check every seal in the package (signature, trusted key, key state at the seal time,
    what the statement binds, timestamp and log proof); a package without one fails when the
    policy requires a seal."""
    paths = [p for p in view.reader.files() if layout.SEAL_NAME.match(p)]
    results = [_check_one(view, descriptor, grounds, report, path) for path in paths]
    if not paths and grounds.policy.require_seal:
        report.add("AK501", "the package carries no seal: nobody vouches for it",
                   path=layout.SIGNATURES_DIR)
    report.facts["seals"] = [r.to_fact() for r in results]
    return results


def _check_one(view, descriptor, grounds, report, path) -> SealResult:
    result = SealResult(path)
    errors_before = len(report.errors)
    data = view.read_tag(path, report, view.reader.budget.limits.seal_bytes)
    if data is None:
        return result
    try:
        envelope = Envelope.parse(data)
    except SealFormatError as exc:
        report.add("AK502", str(exc), path=path)
        return result
    if envelope.extra_fields:
        report.add("AK512", "ignored fields in the envelope (keys are never taken from a "
                   "package): " + ", ".join(envelope.extra_fields), path=path, severity=WARNING)
    if envelope.payload_type != PAYLOAD_TYPE:
        report.add("AK503", "wrong payloadType", path=path, expected=PAYLOAD_TYPE,
                   found=envelope.payload_type)
        return result
    try:
        statement = envelope.statement()
    except SealFormatError as exc:
        report.add("AK504", str(exc), path=path)
        return result
    result.statement = statement
    _check_statement_binds_package(view, descriptor, statement, report, path)
    result.key, signature = _trusted_signer(envelope, grounds.trust, report, path)
    if result.key is not None:
        proven = proven_time(view, path, signature, grounds.trust, report)
        if proven:
            result.proven_time, result.tsa = format_time(proven.time), proven.tsa
        _check_key_at_seal_time(result.key, statement, grounds, report, path,
                                proven.time if proven else None)
    result.log = check_log(view, path, data, statement["package_id"], grounds, report)
    result.problems = sorted({f.code for f in report.errors[errors_before:]})
    result.valid = result.key is not None and not result.problems
    return result


def _check_statement_binds_package(view, descriptor, statement, report, path) -> None:
    package_id = (descriptor or {}).get("id") or view.reader.root_name
    if statement["package_id"] != package_id:
        report.add("AK506", "the seal was made for another package", path=path,
                   expected=package_id, found=statement["package_id"])
    for alg in layout.ALGORITHMS:
        manifest = layout.tagmanifest_path(alg)
        data = view.tag_bytes.get(manifest)
        actual = hashlib.new(alg, data).hexdigest() if data is not None else None
        if statement["tagmanifest"][alg] != actual:
            report.add("AK505", f"the sealed {manifest} digest differs from the package's",
                       path=path, expected=statement["tagmanifest"][alg], found=actual)
    oxum = view.info("Payload-Oxum")
    if oxum is not None and statement["payload_oxum"] != oxum:
        report.add("AK511", "sealed Payload-Oxum differs from bag-info.txt", path=path,
                   expected=statement["payload_oxum"], found=oxum)


def _trusted_signer(envelope: Envelope, trust, report, path):
    """(the trusted key that made a signature, that signature) or (None, None)."""
    message = envelope.signed_message
    for hint, signature in envelope.signatures:
        for key in trust.keys:
            if key.verifies(signature, message):
                return key, signature
    hints = [hint for hint, _ in envelope.signatures]
    named = [k for k in trust.keys if k.key_id in hints]
    if named:
        report.add("AK508", f"signature does not verify with trusted key {named[0].key_id} "
                   f"({named[0].name}): the package or the seal was altered", path=path)
    else:
        hint = ("" if trust.keys else
                f"; the trust store {trust.path or '(in memory)'} is empty: add the signer's "
                "public key to it")
        report.add("AK507", "no key in the trust store made this signature "
                   f"(it claims to be {', '.join(hints) or 'nobody'}){hint}", path=path)
    return None, None


def _check_key_at_seal_time(key: TrustedKey, statement, grounds: Grounds, report, path,
                            proven_time=None) -> None:
    """Key validity and revocation at the seal time: the timestamp's, else the claim."""
    if statement["signer"]["key_id"] != key.key_id:
        report.add("AK515", "the statement names another signer than the key that signed",
                   path=path, expected=key.key_id, found=statement["signer"]["key_id"])
    try:
        claimed = parse_time(statement["sealed_at"])
    except ValueError as exc:
        report.add("AK504", f"sealed_at: {exc}", path=path)
        return
    if claimed > grounds.now + grounds.policy.clock_skew:
        report.add("AK604", f"the seal is dated {statement['sealed_at']}, in the future",
                   path=path, found=statement["sealed_at"])
    sealed_at = proven_time or claimed
    when = format_time(sealed_at) + (" (timestamped)" if proven_time else " (claimed)")
    if "seal" not in key.roles:
        report.add("AK509", f"trusted key {key.name} has no 'seal' role", path=path)
    if key.not_before and sealed_at < key.not_before:
        report.add("AK509", f"key {key.name} was not yet valid at the seal time", path=path,
                   expected=f">= {format_time(key.not_before)}", found=when)
    if key.not_after and sealed_at > key.not_after:
        report.add("AK509", f"key {key.name} had expired at the seal time", path=path,
                   expected=f"<= {format_time(key.not_after)}", found=when)
    if key.state == RETIRED and sealed_at >= key.revoked_at:
        report.add("AK516", f"key {key.name} was {key.describe_state()}, before this seal: "
                   "a retired key signs nothing new", path=path,
                   expected=f"< {format_time(key.revoked_at)}", found=when)
    elif key.state == COMPROMISED and sealed_at >= key.revoked_at:
        report.add("AK510", f"key {key.name} was {key.describe_state()}, before this seal",
                   path=path, expected=f"< {format_time(key.revoked_at)}", found=when)
    elif key.state == COMPROMISED and not proven_time:
        # A thief can date a seal as they like: before a compromise, only a trusted
        # timestamp proves when a seal was made. A compromise dated later than now is
        # announced, not yet in force: a warning.
        in_force = key.revoked_at <= grounds.now
        report.add("AK514", f"key {key.name} was {key.describe_state()}; this seal's earlier "
                   "time is only the signer's claim" + (
                       ", which a thief could make: only a trusted timestamp can show it was "
                       "made before (remedy: none for this seal; re-capture the source)"
                       if in_force else ""),
                   path=path, severity=ERROR if in_force else WARNING)
