"""Findings and the report that collects them."""

from dataclasses import dataclass, field

from archivekit.verify.codes import CODES
from archivekit.verify.verdicts import Verdict, verdict_for

ERROR = "error"
WARNING = "warning"


@dataclass
class Finding:
    """One problem found: its code (docs/verification.md), a message for a person, and
    where (path, record) and what (expected, found) when known."""
    code: str
    message: str
    severity: str = ERROR
    path: str | None = None
    record: str | None = None
    expected: str | None = None
    found: str | None = None

    def __post_init__(self):
        assert self.code in CODES, f"undocumented finding code {self.code}"

    def to_dict(self) -> dict:
        """The finding as JSON: its fields that are set."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Report:
    """Everything verification found about one package, and facts for display (package
    id, seals and who made them, records). `verified` is True when no finding is an error."""
    target: str
    findings: list[Finding] = field(default_factory=list)
    facts: dict = field(default_factory=dict)   # package id, seals, records... for display

    def add(self, code: str, message: str, **details) -> Finding:
        """Record a finding (severity "error" unless `severity=WARNING` is given)."""
        finding = Finding(code, message, **details)
        self.findings.append(finding)
        return finding

    @property
    def errors(self) -> list[Finding]:
        """The findings that fail verification."""
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def verified(self) -> bool:
        """True when no finding is an error (warnings do not fail a package)."""
        return not self.errors

    @property
    def verdict(self) -> Verdict:
        """One of verified, content changed, not trusted, could not check, not a
        package, with what to do about it (docs/verification.md)."""
        return verdict_for({f.code for f in self.errors})

    def codes(self) -> set[str]:
        """The codes of every finding, errors and warnings."""
        return {f.code for f in self.findings}

    def to_dict(self) -> dict:
        """The report as `archivekit verify --json` prints it for one package."""
        return {
            "target": self.target,
            "verified": self.verified,
            "verdict": self.verdict.name,
            "remedy": self.verdict.remedy,
            "errors": len(self.errors),
            "warnings": len(self.findings) - len(self.errors),
            "facts": self.facts,
            "findings": [f.to_dict() for f in self.findings],
        }
