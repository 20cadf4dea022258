"""Job manifests (manifests/*.yaml): what to capture into which collection, and how
to audit it. `run_job` is idempotent and safe to kill: rerunning completes the work.

Each file may have a sidecar beside it, NAME.yaml for NAME.ext (docs/catalog.md); its
fields override the manifest entry's `catalog`. A source that cannot be used (a missing
file, a broken sidecar) is recorded as that source's failure when the job runs, so one
bad file never stops the rest of the run or its audit.

    collection: ../collections/samples     # relative to the manifest file
    name: Bundled samples                  # used when the collection is created
    organization: Example Library
    key: local                             # signing key name (default: the default key)
    tsa: https://tsa.example/              # RFC 3161 timestamps on new seals (optional;
                                           #   else the collection policy's `tsa`)
    sources:
      - path: ../samples/clipping.txt      # one file ...
        url: https://...                   #   ... with its article URL (optional)
        catalog: ../samples/clipping.yaml  #   ... and cataloguer metadata (a file or a mapping)
      - glob: ../samples/*.png             # or every file a pattern matches (none is a note)
    on_change: skip                        # a source already captured whose catalog changed:
                                           #   skip it (default) or amend its package
    audit:
      policy: all                          # all | fraction | stale
      fraction: 0.25                       # with fraction
      days: 30                             # with stale
      workers: 2
"""

import fnmatch
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from archivekit._internal import globwalk, safeyaml
from archivekit._internal.fsutil import read_regular
from archivekit._internal.limits import Limits
from archivekit._internal.suggest import did_you_mean
from archivekit.capture.catalog import (CatalogFields, FolderFiles, catalog_from_node,
                                       load_catalog, sidecar_for)
from archivekit.errors import ArchivekitError, UsageError

TOP_KEYS = {"collection": str, "name": str, "organization": str, "key": str,
            "operator": str, "container": str, "tsa": str, "sources": list, "audit": dict, "on_change": str}
SOURCE_KEYS = {"path": str, "glob": str, "url": str, "catalog": (str, dict)}
AUDIT_KEYS = {"policy": str, "fraction": (int, float), "days": int, "workers": int}


@dataclass
class SourceSpec:
    """One source a job manifest names: its path, the article's address, its catalog fields,
    where in the manifest it was named, and why it cannot be captured, if it cannot."""
    path: Path
    url: str | None = None
    catalog: dict = field(default_factory=dict)
    where: str = ""
    problem: str | None = None      # why this source cannot be captured (recorded at run time)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Matches:
    """The files one glob matches in one folder, by name: a run looks each up in the
    catalog by its stat first and makes a SourceSpec only of those it must read (a Path,
    a sidecar look-up and a catalog per file were most of what a run with nothing new
    spent on an inbox of every source ever captured). The folder is listed when `names`
    is first asked for (`pattern`: the names it matches), so a run that knows the
    folder is as it was need not list it. Each folder a glob over several folders
    reaches (Folders) is one of these, `group` naming the glob."""
    folder: str
    glob: str                       # the manifest's pattern, as written
    catalog: CatalogFields
    where: str
    problem: str | None
    pattern: str                    # the name pattern over this one folder
    group: str | None = None        # one of a glob's folders: noted only if all match none

    @cached_property
    def listing(self) -> FolderFiles | None:
        """The folder's files, listed once (None if it cannot be listed)."""
        try:
            return FolderFiles(self.folder)   # each folder listed once, not a stat per file
        except OSError:
            return None

    @cached_property
    def names(self) -> list[str]:
        """The files matched, sorted, less the sidecars."""
        listing = self.listing
        if listing is None:
            return []
        return [name for name in _matching(listing.names, self.pattern)
                if not listing.is_sidecar(name)]

    def spec(self, name: str) -> SourceSpec:
        """The file `name`, its catalog overlaid by its own sidecar (looked for in the
        listing if the folder was listed, else beside the file)."""
        return _source(Path(self.folder, name), None, self.catalog, self.where, self.problem,
                       self.__dict__.get("listing"))

    def no_match(self) -> str:
        """The note for a pattern that matched nothing here (a quiet night)."""
        return _found_none(self.where, self.glob)


@dataclass
class Folders:
    """A glob with a pattern in its folder part (`inbox/**/*.txt`, dated folders
    `inbox/*/*.txt`): the folders it reaches are found when a run asks, as glob finds
    them (_internal/globwalk.py), each then a one-folder glob (Matches). A run asks
    what it knows of each folder's subfolders first (collection/inbox.py)."""
    folder_pattern: str             # the folder part, absolute
    pattern: str                    # the name pattern over each folder
    glob: str                       # the manifest's pattern, as written
    catalog: CatalogFields
    where: str
    problem: str | None

    @property
    def group(self) -> str:
        """What the glob's folders have in common: it is noted once if none matches."""
        return f"{self.where}\0{self.glob}"

    def matches(self, listed=globwalk.subfolders) -> list[Matches]:
        """A one-folder glob for each folder reached; `listed(folder)`: the names of
        its subfolders (by default listed)."""
        return [Matches(folder, self.glob, self.catalog, self.where, self.problem,
                        self.pattern, self.group)
                for folder in globwalk.folders(self.folder_pattern, listed)]

    def no_match(self) -> str:
        """The note for a glob none of whose folders holds a match."""
        return _found_none(self.where, self.glob)


@dataclass
class JobManifest:
    """A job manifest, read and checked: the collection it fills and how (name,
    organization, key, operator, container, timestamp authority), its sources, its audit
    settings, and what to do with a known source whose catalog changed."""
    file: Path
    collection: Path
    name: str | None
    organization: str
    key: str | None
    operator: str | None
    container: str
    sources: list[SourceSpec | Matches | Folders]   # a file named, or a glob
    audit: dict
    tsa: str | None = None      # RFC 3161 authority for every new seal
    on_change: str = "skip"     # a known source whose catalog changed: skip | amend

    def count(self) -> int:
        """How many files the manifest names or matches."""
        return sum(len(entry.names) if isinstance(entry, Matches) else 1
                   for entry in self._listed())

    def specs(self):
        """Every source as a SourceSpec, a glob's matches made one by one."""
        for entry in self._listed():
            yield from map(entry.spec, entry.names) if isinstance(entry, Matches) else [entry]

    def _listed(self):
        """The sources, a glob over several folders as its folders' (each listed)."""
        for entry in self.sources:
            yield from entry.matches() if isinstance(entry, Folders) else [entry]


class _Lines:
    """Line numbers of the YAML nodes, so every error can name file, line and field."""

    def __init__(self, node, file: Path):
        self.node, self.file = node, file

    def at(self, *path) -> int:
        node = self.node
        line = node.start_mark.line + 1 if node else 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                match = [(k, v) for k, v in node.value if k.value == step]
                if not match:
                    break
                line, node = match[0][0].start_mark.line + 1, match[0][1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and \
                    step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return line

    def node_at(self, *path):
        node = self.node
        for step in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == step), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if step < len(node.value) else None
            else:
                return None
        return node

    def error(self, message: str, *path) -> UsageError:
        field_name = ".".join(str(p) for p in path) or "(top)"
        return UsageError(f"{self.file}:{self.at(*path)}: {field_name}: {message}")


def _check_keys(mapping: dict, allowed: dict, lines: _Lines, *path) -> None:
    for key, value in mapping.items():
        if key not in allowed:
            raise lines.error(f"unknown key{did_you_mean(key, allowed)} (expected one of "
                              f"{', '.join(allowed)})", *path, key)
        if not isinstance(value, allowed[key]) or isinstance(value, bool):
            kind = allowed[key]
            names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
            raise lines.error(f"expected {names}, found {type(value).__name__}", *path, key)


def load_manifest(file) -> JobManifest:
    """Read and check a manifest completely; raise UsageError (exit 2) naming the problem."""
    file = Path(file)
    try:
        text = read_regular(file, Limits().config_bytes).decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{file}: no such job manifest") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{file}: cannot read: {exc}") from None
    try:
        node = safeyaml.compose(text)
        data = safeyaml.load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{file}: not valid YAML: {exc}") from None
    lines = _Lines(node, file)
    if not isinstance(data, dict):
        raise lines.error("a manifest is a mapping")
    _check_keys(data, TOP_KEYS, lines)
    for required in ("collection", "sources"):
        if required not in data:
            raise lines.error("required", required)
    base = file.parent
    sources = []
    for index, entry in enumerate(data["sources"]):
        if not isinstance(entry, dict):
            raise lines.error("each source is a mapping with 'path' or 'glob'", "sources", index)
        _check_keys(entry, SOURCE_KEYS, lines, "sources", index)
        sources += _expand(entry, base, lines, index)
    audit = data.get("audit") or {}
    _check_keys(audit, AUDIT_KEYS, lines, "audit")
    if audit.get("policy", "all") not in ("all", "fraction", "stale"):
        raise lines.error("must be all, fraction or stale", "audit", "policy")
    if not 0 < float(audit.get("fraction", 1)) <= 1:
        raise lines.error("must be more than 0 and at most 1", "audit", "fraction")
    if data.get("container", "dir") not in ("dir", "zip", "tar"):
        raise lines.error("must be dir, zip or tar", "container")
    if data.get("on_change", "skip") not in ("skip", "amend"):
        raise lines.error("must be skip or amend", "on_change")
    return JobManifest(file, (base / data["collection"]).resolve(), data.get("name"),
                       data.get("organization", ""), data.get("key"), data.get("operator"),
                       data.get("container", "dir"), sources, audit, data.get("tsa"),
                       data.get("on_change", "skip"))


def _expand(entry: dict, base: Path, lines: _Lines,
            index: int) -> list[SourceSpec | Matches | Folders]:
    where = ("sources", index)
    if ("path" in entry) == ("glob" in entry):
        raise lines.error("give exactly one of 'path' or 'glob'", *where)
    if entry.get("url") and "glob" in entry:
        raise lines.error("'url' names one article; it cannot go with 'glob'", *where, "url")
    for key in ("path", "catalog"):   # no file has one; the OS refuses it with a ValueError
        if isinstance(entry.get(key), str) and "\0" in entry[key]:
            raise lines.error("a NUL byte is in no file name", *where, key)
    label = f"{lines.file}:{lines.at(*where)}"
    catalog, problem = CatalogFields(), None
    if isinstance(entry.get("catalog"), str):
        try:
            catalog = load_catalog(base / entry["catalog"])
        except ArchivekitError as exc:
            problem = exc.message
    elif isinstance(entry.get("catalog"), dict):
        catalog = catalog_from_node(lines.node_at(*where, "catalog"),
                                    f"{lines.file}:{lines.at(*where, 'catalog')}: catalog")
    if "path" in entry:
        path = base / entry["path"]
        if not path.is_file():
            problem = problem or f"{path}: no such file"
        return [_source(path.resolve(), entry.get("url"), catalog, label, problem)]
    # The folder resolved once, not each file (resolve() is 26 us a file, most of what a
    # run with nothing new spends per source); names sorted as strings (Paths: 10 us).
    try:   # the manifest's own pattern: the folder it is resolved from holds no NUL byte
        _check_pattern(entry["glob"])
    except (ValueError, re.error) as exc:
        raise lines.error(f"bad pattern: {exc}", *where, "glob") from None
    pattern = _resolved_pattern(base, entry["glob"])
    folder, name_pattern = os.path.split(pattern)
    if name_pattern == "**":    # every file below: glob's last `**` matches folders too,
        folder, name_pattern = pattern, "*"     # which are no sources
    if _MAGIC.search(folder):   # several folders: found when a run asks
        return [Folders(folder, name_pattern, entry["glob"], catalog, label, problem)]
    # One folder (an inbox): listed when the run asks (the note for no match is its too).
    return [Matches(folder, entry["glob"], catalog, label, problem, name_pattern)]


_MAGIC = re.compile(r"[*?[]")


def _resolved_pattern(base: Path, pattern: str) -> str:
    """`pattern` from the manifest's folder `base`, its folders before the first wildcard
    resolved (`..`, links) as a path entry's are: a file it matches is then named as the
    same file named by a path entry is, not `manifests/../samples/scan.png`."""
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if _MAGIC.search(part)), len(parts) - 1)
    return str((base / Path(*parts[:fixed])).resolve().joinpath(*parts[fixed:]))


def _check_pattern(pattern: str) -> None:
    """Raise ValueError or re.error if `pattern` cannot be globbed."""
    if "\0" in pattern:
        raise ValueError("embedded null byte")
    for part in pattern.split(os.sep):
        re.compile(fnmatch.translate(part))


def _found_none(where: str, pattern: str) -> str:
    """The note for a glob that matched no file."""
    return f"{where}: pattern {pattern} matches no file; nothing to capture"


def _matching(names, pattern: str) -> list[str]:
    """The names `pattern` matches, as glob matches them (a name starting with a dot
    only by a pattern that does), sorted."""
    hidden = pattern.startswith(".")
    return sorted(name for name in fnmatch.filter(names, pattern)
                  if hidden or not name.startswith("."))


def _source(path: Path, url, catalog: CatalogFields, label: str, problem,
            folder: FolderFiles | None = None) -> SourceSpec:
    """One file (its path resolved by the caller), with the entry's catalog overlaid by
    the file's own sidecar (`folder`: its folder's files, already listed)."""
    fields, warnings = dict(catalog.fields), list(catalog.warnings)
    sidecar = sidecar_for(path, folder) if not problem else None
    if sidecar:
        try:
            own = load_catalog(sidecar)
            fields.update(own.fields)
            warnings += own.warnings
        except ArchivekitError as exc:
            problem = exc.message
    return SourceSpec(path, url, fields, label, problem, warnings)
