"""Verification: checks -> findings -> report. Never raises on bad input."""

from archivekit.verify.findings import Finding, Report
from archivekit.verify.policy import VerificationPolicy
from archivekit.verify.verifier import verify_package

__all__ = ["Finding", "Report", "VerificationPolicy", "verify_package"]
