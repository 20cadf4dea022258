#!/usr/bin/env python3
"""Delete each check in turn and expect a test to fail.

A check is a call that emits a finding code (`report.add("AK203", ...)`, `Finding("AK304",
...)`, `self._fail("AK301", ...)`, a package reader's `Problem("AK104", ...)`, a returned
list of findings, a raised `PackageUnreadable(..., "AK110")`), plus a few named checks
(the audit log's chain, the checkpoint signer's compromise, and the two digest mismatches
one call emits from a table). Each mutant replaces one such call with `None` (the
statement stays, so control flow is unchanged: only the finding is gone; a returned list
becomes empty, a raise is dropped), in a copy of the repository, and runs the tests that
name the code (or, for a named check, the tests given for it). A mutant that leaves them
green has *survived*: nothing tests that check.

    .venv/bin/python scripts/mutate_checks.py            # every check
    .venv/bin/python scripts/mutate_checks.py AK515 seq  # checks whose code or name matches
    .venv/bin/python scripts/mutate_checks.py archives.py:60  # the check at that place
    .venv/bin/python scripts/mutate_checks.py --list     # the checks and their tests, no run

Checks that no input can reach (the verifiers' catch-alls, guards against a misbehaving
inflater) are listed in UNTRIGGERABLE with the reason, and not run.

Exit status: 0 when every mutant was killed, 1 when some survived.
"""

import argparse
import ast
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "archivekit"
CODE = re.compile(r"^AK\d{3}$")
# Faces render findings; codes.py lists them; neither checks anything.
NOT_CHECKS = ("cli/", "serve/", "verify/codes.py")

# Checks that emit no finding code: (name, file, text to find, its replacement, tests).
NAMED = [
    ("audit log: incomplete last line", "collection/auditlog.py",
     'self.add(number, "last line is incomplete", name)', "None",
     ["tests/collection/test_auditlog.py"]),
    ("audit log: unreadable entry", "collection/auditlog.py",
     'self.add(number, "not a JSON entry", name)', "None",
     ["tests/collection/test_auditlog.py"]),
    ("audit log: entry hash", "collection/auditlog.py",
     'if entry.get("hash") != entry_hash(entry):', "if False:",
     ["tests/collection/test_auditlog.py"]),
    ("audit log: chain link", "collection/auditlog.py",
     'if entry.get("prev") != self.prev:', "if False:", ["tests/collection/test_auditlog.py"]),
    ("audit log: seq", "collection/auditlog.py",
     'if entry.get("seq") != self.expected_seq:', "if False:",
     ["tests/collection/test_auditlog.py"]),
    ("audit log: event type", "collection/auditlog.py",
     'if entry.get("type") not in EVENT_TYPES:', "if False:",
     ["tests/collection/test_auditlog.py"]),
    ("checkpoint: compromised signer", "trust/tlog.py",
     "if key.state == COMPROMISED:", "if False:", ["tests/trust/test_tlog.py"]),
    # One call emits both digest mismatches, its code taken from a table: each code's
    # check is taken out on its own. No tests given: those that name the code run.
    ("AK306", "verify/records.py", "elif check.outcome == MISMATCH:",
     'elif check.outcome == MISMATCH and code != "AK306":', []),
    ("AK307", "verify/records.py", "elif check.outcome == MISMATCH:",
     'elif check.outcome == MISMATCH and code != "AK307":', []),
]

# Checks no input can make fire, kept as guards: (code, file, words of the emitting call
# or the line before it, why). Their mutants are listed as such, not run, and not counted
# as survivors. A check joins this list only with the reason no test can reach it.
UNTRIGGERABLE = [
    ("AK199", "verify/checks.py", "type(exc).__name__",
     "the catch-all that turns a defect of the verifier itself into a finding; no sound "
     "input should reach it"),
    ("AK199", "verify/rfc8493.py", "type(exc).__name__",
     "the catch-all of the RFC 8493 checker (as above)"),
    ("AK199", "verify/wacz_rules.py", "type(exc).__name__",
     "the catch-all of the WACZ checker (as above)"),
    ("AK100", "verify/checks.py", "cannot read the WACZ",
     "is_wacz has just read the same file as a zip: only a WACZ that changes between the "
     "two reads reaches it"),
    ("AK100", "verify/checks.py", "cannot read package",
     "packages_in has just read the same zip: only a WACZ that changes between the reads "
     "reaches it"),
    ("AK108", "verify/wacz_rules.py", "if len(data) > SMALL_LIMIT",
     "zipfile yields no more than an entry's declared size, which was checked before "
     "reading; the second check guards a reader that would"),
    ("AK301", "verify/warcscan.py", "cannot be inflated (no progress)",
     "an inflater given input either consumes some or produces some; the guard stops "
     "an endless loop should one ever misbehave (no input found that makes zlib do so)"),
    ("AK301", "verify/warcscan.py", "expands beyond what deflate can produce",
     "deflate's format cannot expand past about 1032:1 (MAX_RATIO is 1100); the guard "
     "bounds an inflater that would"),
]


@dataclass
class Mutant:
    name: str          # the finding code, or the named check
    file: str          # relative to archivekit/
    line: int
    start: int         # character offsets of the replaced text in the file
    end: int
    replacement: str
    tests: list[str]   # pytest node ids or files

    def where(self) -> str:
        return f"archivekit/{self.file}:{self.line}"


def _offsets(text: str) -> list[int]:
    starts, at = [0], 0
    for line in text.splitlines(keepends=True):
        at += len(line)
        starts.append(at)
    return starts


def _code_of(call: ast.Call) -> str | None:
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.match(arg.value):
            return arg.value
    return None


def _emission(node: ast.AST) -> tuple[ast.AST, str] | None:
    """What to replace so that `node` no longer emits its finding, and with what: a call
    statement (`report.add(...)`, `return Finding(...)`) becomes None, a returned list of
    findings an empty one, and a raised error carrying a code (`raise
    PackageUnreadable(..., "AK110")`) no statement at all."""
    if isinstance(node, (ast.Expr, ast.Return)) and isinstance(node.value, ast.Call):
        return node.value, "None"
    if isinstance(node, ast.Return) and isinstance(node.value, (ast.List, ast.Tuple)):
        return node.value, "[]"
    if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
        return node, "pass"
    return None


def emission_sites() -> list[Mutant]:
    """Every statement that emits a finding code, as a mutant that takes the emission out."""
    mutants = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(NOT_CHECKS):
            continue
        text = path.read_text("utf-8")
        starts = _offsets(text)
        for node in ast.walk(ast.parse(text)):
            site = _emission(node)
            if site is None:
                continue
            replaced, replacement = site
            codes = {_code_of(call) for call in ast.walk(replaced)
                     if isinstance(call, ast.Call)} - {None}
            for code in codes:
                mutants.append(Mutant(code, relative, replaced.lineno,
                                      starts[replaced.lineno - 1] + replaced.col_offset,
                                      starts[replaced.end_lineno - 1] + replaced.end_col_offset,
                                      replacement, []))
    return mutants


def untriggerable(mutant: Mutant) -> str | None:
    """Why no test can reach `mutant`'s check, when it is one of UNTRIGGERABLE (its words
    found in the emitting call or the line before it)."""
    source = (PACKAGE / mutant.file).read_text("utf-8")
    text = source[_offsets(source)[max(mutant.line - 2, 0)]:mutant.end]
    return next((why for code, file, words, why in UNTRIGGERABLE
                 if code == mutant.name and file == mutant.file and words in text), None)


def named_checks() -> list[Mutant]:
    mutants = []
    for name, relative, find, replacement, tests in NAMED:
        text = (PACKAGE / relative).read_text("utf-8")
        at = text.find(find)
        if at < 0 or text.count(find) != 1:
            raise SystemExit(f"named check {name!r}: {find!r} is not once in {relative}")
        mutants.append(Mutant(name, relative, text.count("\n", 0, at) + 1, at, at + len(find),
                              replacement, tests))
    return mutants


@functools.cache
def _test_file(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """A test file's text and each test function's (name, source with its decorators)."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    functions = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            functions.append((node.name, "\n".join(lines[first - 1:node.end_lineno])))
    return text, functions


def tests_naming(code: str) -> list[str]:
    """The tests that name `code`: test functions whose source (with their decorators)
    names it, or whole files that name it outside any test function (a table of cases)."""
    selected = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        text, functions = _test_file(path)
        if code not in text:
            continue
        relative = path.relative_to(ROOT).as_posix()
        inside = []
        outside = text
        for name, source in functions:
            if code in source:
                inside.append(f"{relative}::{name}")
            outside = outside.replace(source, "")
        selected += [relative] if code in outside else inside
    return selected


def run(mutant: Mutant, copy: Path, timeout: float) -> tuple[str, float]:
    target = copy / "archivekit" / mutant.file
    original = target.read_text("utf-8")
    target.write_text(original[:mutant.start] + mutant.replacement + original[mutant.end:])
    started = time.monotonic()
    env = dict(os.environ, PYTHONPATH=str(copy))
    try:
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p",
                                 "no:cacheprovider", *mutant.tests], cwd=copy, env=env,
                                capture_output=True, text=True, timeout=timeout)
        outcome = {0: "SURVIVED", 1: "killed"}.get(result.returncode,
                                                  f"error (pytest exit {result.returncode})")
    except subprocess.TimeoutExpired:
        outcome = "killed (timeout)"
    finally:
        target.write_text(original)
    return outcome, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="codes, named checks or places to mutate "
                        "(a substring of the code or name, or of archivekit/FILE:LINE)")
    parser.add_argument("--list", action="store_true", help="list the mutants; run nothing")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per mutant")
    args = parser.parse_args()
    mutants = emission_sites() + named_checks()
    for mutant in mutants:
        mutant.tests = mutant.tests or tests_naming(mutant.name)
    if args.only:
        mutants = [m for m in mutants if any(o in m.name or o in m.where() for o in args.only)]
    if args.list:
        for m in mutants:
            why = untriggerable(m)
            print(f"{m.name:34} {m.where():42} "
                  + (f"untriggerable: {why}" if why else f"{len(m.tests)} test(s)"))
        return 0
    guards = [m for m in mutants if untriggerable(m)]
    mutants = [m for m in mutants if m not in guards]
    survivors = []
    # The copy sits beside the checkout, so that tests find the shared corpus above it as
    # they do from the checkout (conftest.shared_corpus); in /tmp they would skip.
    with tempfile.TemporaryDirectory(prefix=".ak-mutants-", dir=ROOT.parent) as folder:
        copy = Path(folder) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            ".git", ".venv*", "__pycache__", "*.egg-info", ".pytest_cache"))
        for number, mutant in enumerate(mutants, 1):
            if not mutant.tests:
                outcome, seconds = "SURVIVED (no test names it)", 0.0
            else:
                outcome, seconds = run(mutant, copy, args.timeout)
            if outcome.startswith(("SURVIVED", "error")):
                survivors.append(mutant)
            print(f"[{number}/{len(mutants)}] {mutant.name:34} {mutant.where():42} "
                  f"{outcome} ({seconds:.0f} s)", flush=True)
    for guard in guards:
        print(f"{guard.name:34} {guard.where():42} not run: untriggerable "
              f"({untriggerable(guard)})")
    codes = sorted({m.name for m in mutants})
    alive = sorted({m.name for m in survivors})
    print(f"\n{len(mutants) - len(survivors)} of {len(mutants)} mutants killed; "
          f"{len(codes) - len(alive)} of {len(codes)} checks fully covered")
    if alive:
        print("survived: " + ", ".join(alive))
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
