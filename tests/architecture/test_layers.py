"""The floors of the house: a module may import only from its own floor or below.

The order, bottom to top, is the one in docs/architecture.md. Imports are read from
the source (static and function-level alike), so a lazy import cannot hide a climb.
"""

import ast
from pathlib import Path

import archivekit

PACKAGE = Path(archivekit.__file__).parent

# Bottom to top. Top-level modules named here (errors) sit on the floor given.
FLOORS = ["_internal", "errors", "formats", "trust", "extract", "capture", "package",
          "verify", "seal", "collection", "api", "serve", "cli"]


def floor_of(module: str) -> int:
    """The floor of `archivekit.x.y` is the floor of `x`; the package root is the API."""
    parts = module.split(".")
    if parts[0] != "archivekit":
        raise ValueError(module)
    if len(parts) == 1 or parts[1] == "__init__":
        return FLOORS.index("api")
    if parts[1] == "__main__":   # `python -m archivekit` is the CLI
        return FLOORS.index("cli")
    return FLOORS.index(parts[1])


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("archivekit"):
                if node.module == "archivekit":
                    found += [(node.lineno, f"archivekit.{a.name}") for a in node.names]
                else:
                    found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("archivekit")]
    return found


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(relative.parts)


def upward_imports() -> list[str]:
    climbs = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        mine = floor_of(name)
        for line, target in imports_of(path):
            if target in ("archivekit._internal.software",):
                continue
            theirs = floor_of(target)
            if theirs > mine:
                climbs.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({FLOORS[mine]}) "
                              f"imports {target} ({FLOORS[theirs]})")
    return climbs


def test_every_module_has_a_floor():
    for path in PACKAGE.rglob("*.py"):
        floor_of(module_name(path))   # raises for a folder missing from FLOORS


def test_no_module_imports_from_a_floor_above_its_own():
    assert upward_imports() == []


def test_the_check_sees_a_climb(tmp_path):
    # The test above must be able to fail: a formats module importing the CLI is a climb.
    sample = tmp_path / "sample.py"
    sample.write_text("from archivekit.cli.app import main\n")
    [(line, target)] = imports_of(sample)
    assert floor_of(target) > floor_of("archivekit.formats.warc")
