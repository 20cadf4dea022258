"""What a cataloguer supplies beside a clipping: the sidecar (docs/catalog.md).

A YAML mapping, stored in the descriptor's `catalog`. Fields the schema knows are read
as written: a scalar where the schema says string stays the exact text the cataloguer
typed (`call_number: 027.4` is "027.4", never the number 27.4; `date: 2023-12-28` is
"2023-12-28"). Unknown fields are kept — nothing a user gave is dropped — and each one
gets a warning, with the nearest known field name when it looks like a misspelling.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from archivekit._internal import safeyaml
from archivekit._internal.fsutil import is_file, read_regular
from archivekit._internal.limits import Limits
from archivekit._internal.suggest import did_you_mean
from archivekit.errors import InputError, UsageError

# field -> (kind, Dublin Core term). Kinds: "text" one string, "list" strings (a lone
# string is taken as a list of one).
FIELDS = {
    "title": ("text", "dc:title"),
    "creators": ("list", "dc:creator"),
    "contributors": ("list", "dc:contributor"),
    "subjects": ("list", "dc:subject"),
    "description": ("text", "dc:description"),
    "notes": ("text", "dc:description"),
    "publisher": ("text", "dc:publisher"),
    "date": ("text", "dc:date"),
    "type": ("text", "dc:type"),
    "format": ("text", "dc:format"),
    "identifier": ("text", "dc:identifier"),
    "call_number": ("text", "dc:identifier"),
    "accession_number": ("text", "dc:identifier"),
    "url": ("text", "dc:source"),
    "source": ("text", "dc:source"),
    "language": ("text", "dc:language"),
    "relation": ("list", "dc:relation"),
    "coverage": ("list", "dc:coverage"),
    "rights": ("text", "dc:rights"),
}
SIDECAR_SUFFIXES = (".yaml", ".yml")


@dataclass
class CatalogFields:
    """The fields as stored, and what a person should be told about them."""
    fields: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class FolderFiles:
    """The regular files of one folder, from one listing: sidecars found by name, with
    no stat per file (a job's glob over an inbox of 100,000 clippings). Names stay
    strings: a Path per name cost more than the listing."""

    def __init__(self, folder):
        with os.scandir(folder) as entries:
            self.names = {entry.name for entry in entries if is_file(entry)}
        stems = {name: split_name(name) for name in self.names}
        self.clipping_stems = {stem for stem, suffix in stems.values()
                               if suffix.lower() not in SIDECAR_SUFFIXES}
        sidecar_stems = {stem for stem, suffix in stems.values()
                         if suffix.lower() in SIDECAR_SUFFIXES}
        self._sidecars = {name: sidecar for name, (stem, _) in stems.items()
                          if stem in sidecar_stems and (sidecar := self._sidecar_of(name, stem))}

    def _sidecar_of(self, name: str, stem: str) -> str | None:
        return next((stem + suffix for suffix in SIDECAR_SUFFIXES
                     if stem + suffix != name and stem + suffix in self.names), None)

    def sidecar_name(self, name: str) -> str | None:
        """The name of the sidecar of the file `name` in this folder, if it has one."""
        return self._sidecars.get(name)

    def is_sidecar(self, name: str) -> bool:
        """Whether the file `name` is the sidecar of another file in this folder."""
        stem, suffix = split_name(name)
        return suffix.lower() in SIDECAR_SUFFIXES and stem in self.clipping_stems


def split_name(name: str) -> tuple[str, str]:
    """(stem, suffix) of a file name, as pathlib splits it: 'a.b.txt' -> ('a.b', '.txt'),
    '.profile' -> ('.profile', '')."""
    dot = name.rfind(".")
    return (name[:dot], name[dot:]) if 0 < dot < len(name) - 1 else (name, "")


def sidecar_for(path: Path, folder: FolderFiles | None = None) -> Path | None:
    """NAME.yaml (or NAME.yml) beside NAME.ext: that file's own catalog record.
    `folder`: its folder's files, already listed."""
    if folder:
        name = folder.sidecar_name(path.name)
        return path.parent / name if name else None
    stem = split_name(path.name)[0]
    for suffix in SIDECAR_SUFFIXES:
        name = stem + suffix
        if name != path.name and (path.parent / name).is_file():
            return path.parent / name
    return None


def is_sidecar(path: Path, folder: FolderFiles | None = None) -> bool:
    """A .yaml file beside a file of the same name is that file's sidecar, not a clipping.
    `folder`: its folder's files, already listed."""
    if folder:
        return folder.is_sidecar(path.name)
    stem, suffix = split_name(path.name)
    if suffix.lower() not in SIDECAR_SUFFIXES:
        return False
    return any(other != path and other.stem == stem and other.is_file()
               and other.suffix.lower() not in SIDECAR_SUFFIXES
               for other in path.parent.glob(f"{_glob_escape(stem)}.*"))


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def load_catalog(path: str | Path) -> CatalogFields:
    """Read a cataloguer's sidecar (YAML; fields in docs/catalog.md): the fields, and
    warnings about what was ignored. Raises an ArchivekitError naming the file and the
    problem."""
    path = Path(path)
    try:
        text = read_regular(path, Limits().config_bytes).decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such catalog file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: catalog file is not UTF-8") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        node = safeyaml.compose(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML: {exc}") from None
    return catalog_from_node(node, str(path))


def catalog_from_node(node, where: str) -> CatalogFields:
    """Read a composed YAML node (a sidecar file's, or a mapping inside a manifest)."""
    if node is None:
        return CatalogFields()
    if not isinstance(node, yaml.MappingNode):
        raise UsageError(f"{where}: a catalog must be a mapping of fields to values")
    result = CatalogFields()
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
        if name in result.fields:
            raise UsageError(f"{where}:{key_node.start_mark.line + 1}: field {name!r} is "
                             "given twice")
        place = f"{where}:{value_node.start_mark.line + 1}: {name}"
        if name in FIELDS:
            result.fields[name] = _as_kind(value_node, FIELDS[name][0], place)
        else:
            result.warnings.append(f"{place}: not a catalog field{did_you_mean(name, FIELDS)}; "
                                   "kept as given")
            result.fields[name] = _as_given(value_node)
    return result


def _as_kind(node, kind: str, where: str):
    if kind == "list" and isinstance(node, yaml.SequenceNode):
        return [_text(item, f"{where}[{i}]") for i, item in enumerate(node.value)]
    return [_text(node, where)] if kind == "list" else _text(node, where)


def _text(node, where: str) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise UsageError(f"{where}: expected text, found a "
                         f"{'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}")
    return node.value     # exactly as written (quotes and YAML escapes already resolved)


def _as_given(node):
    """An unknown field's value: whole numbers, booleans and nulls as YAML means them,
    every other scalar as the text written (so 12.50 stays "12.50")."""
    if isinstance(node, yaml.SequenceNode):
        return [_as_given(item) for item in node.value]
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _as_given(v) for k, v in node.value}
    loader = yaml.SafeLoader("")
    try:
        value = loader.construct_object(node)
    finally:
        loader.dispose()
    return value if value is None or isinstance(value, (bool, int)) else node.value
