"""The documentation names every finding code the verifier can emit."""

from pathlib import Path

from archivekit.verify.codes import CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_code_is_documented():
    text = (DOCS / "verification.md").read_text()
    missing = [code for code, title in CODES.items() if f"| {code} | {title} |" not in text]
    assert not missing, f"document these in docs/verification.md: {missing}"
