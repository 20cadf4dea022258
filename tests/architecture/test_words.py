"""Library code never names one of our command-line flags or commands: only cli/ (and
serve/) turn results into words for a particular face. A message from the library must
read right whether it reaches a terminal, a web page or a Python caller. (Arguments for
other programs, such as tesseract's --psm, are not ours.)"""

import ast
import re
from pathlib import Path

import click

import archivekit
from archivekit.cli import main

PACKAGE = Path(archivekit.__file__).parent
FACES = ("cli", "serve")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
COMMAND = re.compile(r"'archivekit [a-z]")
# A verification report is read apart from whatever made it (saved as JSON, an HTML page):
# the one remedy it must spell as a command is the one only a collection's keeper can run.
REPORT_REMEDIES = re.compile(r"'archivekit log refresh")


def _flags(command) -> set[str]:
    """Every long option of our command line, but the ones every program has."""
    flags = {o for p in command.params for o in p.opts if o.startswith("--")}
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            flags |= _flags(sub)
    return flags - {"--help", "--version"}


def _docstrings(tree) -> set[int]:
    nodes = [tree] + [n for n in ast.walk(tree)
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return {id(n.body[0].value) for n in nodes
            if n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}


def test_library_strings_name_no_flag_or_command():
    ours = _flags(main)
    assert {"--insecure", "--allow-http-errors", "--key", "--log"} <= ours
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in FACES:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and id(node) not in docstrings \
                    and (COMMAND.search(REPORT_REMEDIES.sub("", node.value))
                         or set(FLAG.findall(node.value)) & ours):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == []
