"""Auditing a collection: choose packages by policy, verify them (in parallel), record.

Each audited package gets two events in the audit log — fixity check and digital
signature validation — and its outcome in the catalog index.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from archivekit.collection.store import Collection
from archivekit.errors import UsageError
from archivekit._internal.timeutil import format_time, parse_time, utc_now
from archivekit._internal.limits import Limits
from archivekit.verify import VerificationPolicy, Verifier

POLICIES = ("all", "fraction", "stale")


@dataclass(frozen=True)
class AuditPolicy:
    """Which packages an audit verifies."""
    mode: str = "all"          # all | fraction | stale
    fraction: float = 1.0      # with "fraction": this share, least recently checked first
    days: int = 30             # with "stale": packages not checked for this many days

    @classmethod
    def of(cls, collection_policy: dict, mode: str | None = None,
           fraction: float | None = None, days: int | None = None) -> "AuditPolicy":
        """The collection's policy (collection.yaml `policy`: audit, fraction, days), with
        what a job manifest or the command line gives instead, where it gives it."""
        mode = mode or collection_policy.get("audit", "all")
        if mode not in POLICIES:
            raise UsageError(f"audit policy {mode!r}: must be one of {', '.join(POLICIES)}")
        return cls(mode, float(fraction or collection_policy.get("fraction", 1)),
                   int(days if days is not None else collection_policy.get("days", 30)))

    def choose(self, rows: list[dict], now) -> list[dict]:
        if self.mode == "fraction":
            return rows[: math.ceil(len(rows) * self.fraction)] if rows else []
        if self.mode == "stale":
            cutoff = now - timedelta(days=self.days)
            return [r for r in rows if not r["last_audit"] or parse_time(r["last_audit"]) < cutoff]
        return rows


@dataclass
class AuditResult:
    package_id: str
    path: str
    verified: bool
    errors: list[str] = field(default_factory=list)   # "CODE message"
    report: dict | None = None


def audit_collection(collection: Collection, policy: AuditPolicy, verifier: Verifier,
                     workers: int = 0, operator: str | None = None,
                     progress=None, limits: Limits | None = None) -> list[AuditResult]:
    """Verify the chosen packages and record every outcome. The caller holds the lock."""
    index = collection.index()
    try:
        rows = policy.choose(index.audit_order(), utc_now())
        present, missing = [], []
        for row in rows:
            (present if (collection.root / row["path"]).exists() else missing).append(row)
        reports = [r.to_dict() for r in verifier.verify_many(
            [collection.root / r["path"] for r in present],
            VerificationPolicy(limits=limits or Limits()), workers, progress)]
        results = [AuditResult(row["id"], row["path"], False,
                               ["AK100 package is missing from the collection"])
                   for row in missing]
        for row, report in zip(present, reports):
            errors = [f"{f['code']} {f['message']}" for f in report["findings"]
                      if f["severity"] == "error"]
            results.append(AuditResult(row["id"], row["path"], report["verified"], errors, report))
        for result in results:
            _record(collection, index, result, operator)
        return results
    finally:
        index.close()


def _record(collection, index, result: AuditResult, operator) -> None:
    outcome = "success" if result.verified else "failure"
    report = result.report or {}
    findings = [f for f in report.get("findings", []) if f["severity"] == "error"]
    fixity = [f for f in findings if f["code"][2] in "1234"] or \
        ([] if report else [{"code": "AK100", "message": "package is missing"}])
    seals = [f for f in findings if f["code"][2] in "56"]
    collection.log.append(
        "fixity check", "failure" if fixity else "success",
        "; ".join(f"{f['code']} {f['message']}" for f in fixity[:20]) or
        "every manifest digest, WARC record digest and gzip member checked",
        package=result.package_id, operator=operator)
    if report:
        signers = ", ".join(f"{s.get('signer')} ({s.get('key_id')})"
                            for s in report["facts"].get("seals", []) if s.get("valid"))
        collection.log.append(
            "digital signature validation", "failure" if seals else "success",
            "; ".join(f"{f['code']} {f['message']}" for f in seals[:20]) or
            f"sealed by {signers}", package=result.package_id, operator=operator)
    index.record_audit(result.package_id, format_time(utc_now()), outcome)
