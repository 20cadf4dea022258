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


def test_test_file_names_are_unique_across_folders():
    # pytest imports test files by their name: two of one name stop the whole run.
    names = [p.name for p in TESTS.rglob("test_*.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_a_floor_names_its_test_file_only_where_the_plain_name_is_taken():
    """tests/<floor>/test_<floor>_<name>.py only beside another folder's test_<name>.py
    (own_test_files explains), so that the plain name stays the rule."""
    needless = []
    for path in TESTS.rglob("test_*.py"):
        prefix = f"test_{path.parent.name}_"
        if path.name.startswith(prefix):
            plain = "test_" + path.name[len(prefix):]
            if not any(p.parent != path.parent for p in TESTS.rglob(plain)):
                needless.append(str(path.relative_to(TESTS)))
    assert needless == []


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


def own_test_files(module: str) -> tuple[Path, Path]:
    """archivekit/<floor>/<name>.py -> tests/<floor>/test_<name>.py (a top-level module
    <name>.py -> tests/<name>/test_<name>.py, as api.py is tested); where that name is
    already another floor's (test file names are unique), tests/<floor>/test_<floor>_<name>.py."""
    path = Path(module)
    floor = path.parent.name or path.stem
    return TESTS / floor / f"test_{path.stem}.py", TESTS / floor / f"test_{floor}_{path.stem}.py"


def has_own_test_file(module: str) -> bool:
    return any(p.exists() for p in own_test_files(module))


def test_every_module_has_its_own_test_file():
    modules = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                     if p.name not in ("__init__.py", "__main__.py"))
    untested = [m for m in modules if not has_own_test_file(m)]
    assert untested == [], (f"{untested}: write tests/<floor>/test_<module>.py for each "
                            "(tests/architecture/test_test_folders.py explains)")
