"""Verification: checks -> findings -> report. Never raises on bad input."""

from archivekit.verify.findings import Finding, Report
from archivekit.verify.policy import Grounds, VerificationPolicy
from archivekit.verify.checks import verify_package
from archivekit.verify.verifier import Verifier

__all__ = ["Finding", "Grounds", "Report", "VerificationPolicy", "Verifier", "verify_package"]
