"""Library code never names a command-line flag or command: only cli/ (and serve/) turn
results into words for a particular face. A message from the library must read right
whether it reaches a terminal, a web page or a Python caller."""

import ast
import re
from pathlib import Path

import archivekit

PACKAGE = Path(archivekit.__file__).parent
FACES = ("cli", "serve")
CLI_WORDS = re.compile(r"(?<![\w-])--[a-z][a-z-]+|'archivekit [a-z]")
# A verification report is read apart from whatever made it (saved as JSON, an HTML page):
# the one remedy it must spell as a command is the one only a collection's keeper can run.
REPORT_REMEDIES = re.compile(r"'archivekit log refresh")


def _docstrings(tree) -> set[int]:
    nodes = [tree] + [n for n in ast.walk(tree)
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}


def test_library_strings_name_no_flag_or_command():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in FACES:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings \
                    and CLI_WORDS.search(REPORT_REMEDIES.sub("", node.value)):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == []
