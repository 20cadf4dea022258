"""The folders a glob's folder part reaches (`inbox/**`, `inbox/*`, `in*/**/2024-*`), as
glob.glob(pattern, recursive=True) reaches them, with each folder's subfolders asked of
the caller: a run answers from what it knows of a folder whose stat is as it was, and
lists only the others (collection/inbox.py).

glob's rules, kept here: `**` as a whole component is the folder itself and every folder
below it; `*`, `?` and `[...]` match within one name; a name starting with a dot is
matched only by a pattern component that starts with one, and `**` does not descend into
it; a symbolic link to a folder is a folder (a loop of links is followed until the system
refuses to resolve it); a literal component is taken if anything of that name exists
(lexists), folder or not, as glob takes it.
"""

import fnmatch
import glob
import os


def subfolders(folder: str) -> list[str]:
    """The names in `folder` that are folders (following symbolic links), as glob's
    listing finds them: [] when it cannot be listed, an entry that cannot be statted left
    out."""
    names = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        names.append(entry.name)
                except OSError:
                    pass
    except OSError:
        return []
    return names


def folders(pattern: str, listed=subfolders) -> list[str]:
    """Each folder `pattern` (a folder part with a pattern in it) reaches, once, sorted,
    without a trailing separator; `listed(folder)`: the names of its subfolders."""
    return sorted({folder.rstrip(os.sep) or os.sep for folder in _reached(pattern, listed)})


def _reached(pattern: str, listed):
    head, tail = os.path.split(pattern)
    bases = _reached(head, listed) if head != pattern and glob.has_magic(head) else [head]
    for base in bases:
        if tail == "**":
            yield base
            yield from _below(base, listed)
        elif glob.has_magic(tail):
            hidden = tail.startswith(".")
            yield from (os.path.join(base, name) for name in fnmatch.filter(
                listed(base), tail) if hidden or not name.startswith("."))
        elif tail and os.path.lexists(os.path.join(base, tail)):
            yield os.path.join(base, tail)
        elif not tail and os.path.isdir(base):     # a pattern ending in a separator
            yield base


def _below(folder: str, listed):
    """Every folder below `folder` that `**` reaches (hidden ones and what is below
    them left out), depth first, without recursion (a tree deeper than Python's
    recursion limit is walked all the same)."""
    stack = [folder]
    while stack:
        parent = stack.pop()
        for name in listed(parent):
            if not name.startswith("."):
                path = os.path.join(parent, name)
                stack.append(path)
                yield path
