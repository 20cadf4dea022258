"""Every finding code is documented, emitted by a check, and named by a test that fails
when that check is taken out."""

import importlib.util
import sys
from pathlib import Path

from archivekit.verify.codes import CODES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_code_is_documented():
    text = (DOCS / "verification.md").read_text()
    missing = [code for code, title in CODES.items() if f"| {code} | {title} |" not in text]
    assert not missing, f"document these in docs/verification.md: {missing}"


def _mutation_script():
    path = DOCS.parent / "scripts" / "mutate_checks.py"
    spec = importlib.util.spec_from_file_location("mutate_checks", path)
    module = sys.modules["mutate_checks"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_code_has_a_check_the_mutation_script_takes_out_and_a_test_naming_it():
    """scripts/mutate_checks.py deletes each check and runs the tests that name its code:
    a code it finds no check for, or that no test names, could lose its check unseen."""
    script = _mutation_script()
    checks = {m.name for m in script.emission_sites() + script.named_checks()}
    assert sorted(set(CODES) - checks) == [], "no check the script can take out emits these"
    assert sorted(c for c in checks if script.CODE.match(c) and c not in CODES) == [], \
        "emitted, but not listed in verify/codes.py"
    assert [c for c in CODES if not script.tests_naming(c)] == [], "no test names these"
