"""Every definition a library user meets has a docstring: the names in archivekit's
`__all__`, their public methods and properties, and every archivekit class those return
or hold (what `Collection.index()` returns, a Report's Verdict...), followed to the end;
and, read from the source, every public definition of every module."""

import ast
import dataclasses
import inspect
import typing
from pathlib import Path

import archivekit as ak


def _archivekit_classes(annotation) -> list[type]:
    """The archivekit classes an annotation names, inside unions and generics too."""
    found = [annotation] if isinstance(annotation, type) and \
        annotation.__module__.startswith("archivekit.") else []
    for argument in typing.get_args(annotation):
        found += _archivekit_classes(argument)
    return found


def _reached(thing) -> list[type]:
    """What a user of `thing` is handed: the classes a function returns, and for a class
    those its methods and properties return and its fields hold."""
    if not inspect.isclass(thing):
        return _archivekit_classes(typing.get_type_hints(thing).get("return"))
    reached = [c for hint in typing.get_type_hints(thing).values()
               for c in _archivekit_classes(hint)]
    for name, member in _public_members(thing):
        reached += _reached(member)
    return reached


def _public_members(cls: type) -> list[tuple[str, object]]:
    """(name, function) of a class's own public methods and properties."""
    members = []
    for name, member in vars(cls).items():
        function = getattr(member, "__func__", getattr(member, "fget", member))
        if not name.startswith("_") and inspect.isfunction(function):
            members.append((name, function))
    return members


def _documented(thing) -> bool:
    doc = (thing.__doc__ or "").strip()
    # a dataclass without a docstring is given its signature as one
    generated = dataclasses.is_dataclass(thing) and doc.startswith(thing.__name__ + "(")
    return bool(doc) and not generated


def public_api() -> dict[str, object]:
    """Every definition a user of the public API reaches, by qualified name."""
    todo = [getattr(ak, name) for name in ak.__all__ if name not in ("SOFTWARE", "__version__")]
    seen = {}
    while todo:
        thing = todo.pop()
        name = f"{thing.__module__}.{thing.__qualname__}"
        if name in seen:
            continue
        seen[name] = thing
        if inspect.isclass(thing):
            seen.update((f"{name}.{attr}", member) for attr, member in _public_members(thing))
        todo += _reached(thing)
    return seen


def test_the_public_api_reaches_what_it_returns():
    reached = public_api()
    # named in __all__, and reached only through what they return
    assert {"archivekit.api.capture_file", "archivekit.verify.findings.Report.verdict",
            "archivekit.collection.catalog.CatalogIndex",
            "archivekit.trust.truststore.TrustedKey"} <= set(reached)


def test_every_definition_of_the_public_api_has_a_docstring():
    missing = sorted(name for name, thing in public_api().items() if not _documented(thing))
    assert missing == [], "write what each does and why"


def _undocumented_in_source() -> list[str]:
    """Public module-level definitions, and public methods of public classes, of every
    module (the floors below the API too: a newcomer reads them) without a docstring."""
    missing = []
    for path in sorted(Path(ak.__file__).parent.rglob("*.py")):
        for node in ast.parse(path.read_text("utf-8")).body:
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith("_"):
                continue
            members = [m for m in node.body if isinstance(m, ast.FunctionDef)] \
                if isinstance(node, ast.ClassDef) else []
            for definition in [node, *members]:
                if not definition.name.startswith("_") and not ast.get_docstring(definition):
                    missing.append(f"{path.name}:{definition.lineno} {definition.name}")
    return missing


def test_every_public_definition_in_the_source_has_a_docstring():
    assert _undocumented_in_source() == [], "write what each does and why"
