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


# No circles either, inside a floor too: a module that needs another, which needs it
# back (even through an import deferred into a function), is one concept in two homes.

def dependencies(path: Path, modules: set[str]) -> set[str]:
    """The archivekit modules a file imports, at its top or inside a function. `from
    archivekit.x import y` depends on the module x.y when there is one, else on x."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                and node.module.startswith("archivekit"):
            for alias in node.names:
                inner = f"{node.module}.{alias.name}"
                found.add(inner if inner in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("archivekit")}
    return found & modules


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p).removesuffix(".__init__"): p for p in PACKAGE.rglob("*.py")}
    return {name: dependencies(path, set(files)) - {name} for name, path in files.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through their imports (Tarjan)."""
    index, low, stack, found = {}, {}, [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = stack[stack.index(node):]
            del stack[stack.index(node):]
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_even_inside_a_floor():
    assert circles(import_graph()) == []


def test_the_check_sees_a_circle(tmp_path):
    # A module deferring an import of one that imports it back is a circle; a package's
    # `from archivekit.x import y` names the module y, not the package x.
    (tmp_path / "a.py").write_text("def f():\n    from archivekit.x.b import g\n")
    (tmp_path / "b.py").write_text("from archivekit.x import a\n")
    modules = {"archivekit.x", "archivekit.x.a", "archivekit.x.b"}
    graph = {"archivekit.x": set(),
             "archivekit.x.a": dependencies(tmp_path / "a.py", modules),
             "archivekit.x.b": dependencies(tmp_path / "b.py", modules)}
    assert circles(graph) == [["archivekit.x.a", "archivekit.x.b"]]
