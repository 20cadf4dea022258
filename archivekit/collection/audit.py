"""Auditing a collection: choose packages by policy, verify them (in parallel), record.

Each audited package gets two events in the audit log — fixity check and digital
signature validation — and its outcome in the catalog index.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from archivekit.collection.store import Collection
from archivekit._internal.timeutil import format_time, parse_time, utc_now
from archivekit._internal.limits import Limits
from archivekit.verify.parallel import default_workers, verify_many

POLICIES = ("all", "fraction", "stale")


@dataclass
class AuditPolicy:
    mode: str = "all"          # all | fraction | stale
    fraction: float = 1.0      # with "fraction": this share, least recently checked first
    days: int = 30             # with "stale": packages not checked for this many days

    @classmethod
    def from_config(cls, config: dict) -> "AuditPolicy":
        return cls(config.get("audit", "all"), float(config.get("fraction", 1)),
                   int(config.get("days", 30)))

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
    withdrawn: str | None = None   # a withdrawn package: "on <time>: <reason>"

    @property
    def state(self) -> str:
        """verified | failed | withdrawn (a withdrawal proven by its signed tombstone)."""
        if self.errors or (not self.verified and not self.withdrawn):
            return "failed"
        return "withdrawn" if self.withdrawn else "verified"


def audit_collection(collection: Collection, policy: AuditPolicy, trust_path: Path,
                     workers: int = 0, operator: str | None = None,
                     progress=None, limits: Limits | None = None) -> list[AuditResult]:
    """Verify the chosen packages and record every outcome. The caller holds the lock."""
    workers = workers or default_workers()
    index = collection.index()
    try:
        queue = index.audit_order()
        rows = policy.choose([r for r in queue if r["state"] != "withdrawn"], utc_now())
        withdrawn = [r for r in queue if r["state"] == "withdrawn"]   # one signature each
        present, missing = [], []
        for row in rows:
            (present if (collection.root / row["path"]).exists() else missing).append(row)
        reports = [r.to_dict() for r in verify_many(
            [str(collection.root / r["path"]) for r in present], trust_path, workers, progress,
            limits=limits)]
        results = [AuditResult(row["id"], row["path"], False,
                               ["AK100 package is missing from the collection"])
                   for row in missing]
        for row, report in zip(present, reports):
            errors = [f"{f['code']} {f['message']}" for f in report["findings"]
                      if f["severity"] == "error"]
            results.append(AuditResult(row["id"], row["path"], report["verified"], errors, report))
        for result in results:
            _record(collection, index, result, operator)
        return results + _check_withdrawals(collection, index, withdrawn, trust_path, operator)
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


def _check_withdrawals(collection, index, rows, trust_path, operator) -> list[AuditResult]:
    """A withdrawn package is not missing: its signed tombstone is checked instead."""
    from archivekit.collection.withdraw import tombstone_problem
    from archivekit.trust.keys import TrustStore
    trust = TrustStore.load(trust_path)
    results = []
    for row in rows:
        problem = tombstone_problem(collection, row["id"], trust)
        withdrawal = row["withdrawal"] or {}
        result = AuditResult(row["id"], row["path"], False,
                             [f"AK100 {problem}"] if problem else [],
                             withdrawn=f"on {withdrawal.get('withdrawn_at', '?')}: "
                                       f"{withdrawal.get('reason', '')}")
        if problem:   # success is already in the log, as the deaccession event
            collection.log.append("validation", "failure", problem, package=row["id"],
                                  operator=operator)
        index.record_audit(row["id"], format_time(utc_now()),
                           "failure" if problem else "success")
        results.append(result)
    return results
