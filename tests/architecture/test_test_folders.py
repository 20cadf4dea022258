"""Tests mirror the package: tests/<floor>/test_<module>.py, command tests in tests/cli/,
shared helpers in tests/conftest.py and tests/support/. A newcomer finds the test of a
module from its path alone, and no test file leans on another."""

import ast
from pathlib import Path

import archivekit

PACKAGE = Path(archivekit.__file__).parent
TESTS = Path(__file__).resolve().parent.parent
HELPERS = {"architecture", "support", "fixtures"}


def test_every_test_folder_is_a_floor_of_the_package():
    floors = {p.name if p.is_dir() else p.stem for p in PACKAGE.iterdir()
              if (p / "__init__.py").exists() or p.suffix == ".py"}
    folders = {p.name for p in TESTS.iterdir()
               if p.is_dir() and p.name != "__pycache__" and not p.name.startswith(".")}
    assert folders - HELPERS <= floors, f"not floors of archivekit: {folders - HELPERS - floors}"


def test_no_test_file_at_the_top():
    assert sorted(p.name for p in TESTS.glob("test_*.py")) == []


def test_no_test_file_imports_another():
    leaning = []
    for path in TESTS.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            leaning += [f"{path.relative_to(TESTS)}: {n}" for n in names
                        if n.split(".")[-1].startswith("test_")]
    assert leaning == []
