"""One reader for packages stored as a directory, a .zip or a .tar file.

Nothing is unpacked to disk. Entries that are unsafe to use (links, devices,
names with `..`, absolute or backslash paths, control characters) are never
opened: they are reported as problems for the verifier to turn into findings.
"""

import os
import stat
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_ENTRIES = 10_000
MAX_DEPTH = 32
MAX_NAME = 1024
# A zip entry that would expand this much is not read (a "zip bomb").
MAX_EXPANSION = 200
EXPANSION_FLOOR = 64 << 20


@dataclass
class Entry:
    path: str        # relative to the bag directory, '/'-separated
    kind: str        # file, dir
    size: int


@dataclass
class Problem:
    code: str
    path: str
    message: str


class PackageUnreadable(Exception):
    """Not a package container at all (not a directory, zip or tar we can open)."""


def unsafe_name_reason(name: str) -> str | None:
    if not name:
        return "empty name"
    if "\\" in name:
        return "backslash in path"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if any(part == ".." for part in name.split("/")):
        return "'..' in path"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "control character in path"
    if any(0xDC80 <= ord(c) <= 0xDCFF for c in name):
        return "file name is not UTF-8"
    if name.count("/") > MAX_DEPTH or len(name) > MAX_NAME:
        return "path too deep or too long"
    return None


class PackageReader:
    kind = "package"

    def __init__(self, location: Path):
        self.location = location
        self.root_name = ""
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []

    def files(self) -> list[str]:
        return sorted(p for p, e in self.entries.items() if e.kind == "file")

    def _add(self, path: str, kind: str, size: int, original: str | None = None) -> None:
        shown = original or path
        reason = unsafe_name_reason(path)
        if reason:
            self.problems.append(Problem("AK104", shown, f"unsafe path ({reason}); not read"))
            return
        if kind not in ("file", "dir"):
            self.problems.append(Problem("AK105", shown, f"{kind} in package; not followed"))
            return
        if path in self.entries:   # tools disagree on which copy of a name wins: use neither
            self.problems.append(Problem("AK106", shown, "the archive holds this name twice"))
            return
        if len(self.entries) >= MAX_ENTRIES:
            if len(self.entries) == MAX_ENTRIES:
                self.problems.append(Problem("AK108", shown,
                                             f"more than {MAX_ENTRIES} entries; the rest not read"))
            return
        self.entries[path] = Entry(path, kind, size)

    def _inside_bag(self, name: str) -> str | None:
        """An archive member's path below the bag directory; None (and a problem when it
        lies outside) for the bag directory itself and for anything else."""
        top, path = _split_root(name)
        if top != self.root_name:
            self.problems.append(Problem("AK108", name, "entry outside the bag directory; not read"))
            return None
        return path.rstrip("/") or None

    def open(self, path: str):
        raise NotImplementedError

    def read(self, path: str, limit: int = 16 << 20) -> bytes:
        """Read a small file whole; raise ValueError when it is over the limit."""
        with self.open(path) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise ValueError(f"{path} is larger than {limit} bytes")
        return data

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class DirectoryReader(PackageReader):
    kind = "directory"

    def __init__(self, location: Path):
        super().__init__(location)
        self.root_name = location.resolve().name
        self._walk(location, "")

    def _walk(self, directory: Path, prefix: str) -> None:
        try:
            children = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            self.problems.append(Problem("AK100", prefix or ".", f"cannot list: {exc.strerror}"))
            return
        for child in children:
            path = prefix + child.name
            try:
                info = child.stat(follow_symlinks=False)
                mode = info.st_mode
            except OSError as exc:
                self.problems.append(Problem("AK100", path, f"cannot stat: {exc.strerror}"))
                continue
            if stat.S_ISLNK(mode):
                self._add(path, "symbolic link", 0)
            elif stat.S_ISDIR(mode):
                self._add(path, "dir", 0)
                if path in self.entries and path.count("/") < MAX_DEPTH:
                    self._walk(Path(child.path), path + "/")
            elif stat.S_ISREG(mode):
                self._add(path, "file", info.st_size)
            else:
                self._add(path, "device, pipe or socket", 0)

    def open(self, path: str):
        # O_NOFOLLOW: a file swapped for a link after listing is still not followed.
        fd = os.open(self.location / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        return os.fdopen(fd, "rb")


def _split_root(name: str) -> tuple[str, str]:
    head, _, rest = name.partition("/")
    return head, rest


class ZipReader(PackageReader):
    kind = "zip"

    def __init__(self, location: Path):
        super().__init__(location)
        try:
            self._zip = zipfile.ZipFile(location)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
                NotImplementedError) as exc:   # a version or method zipfile cannot read
            raise PackageUnreadable(f"not a readable zip file: {exc}") from None
        self.root_name = _common_root([i.filename for i in infos])
        self._names = {}
        for info in infos[: MAX_ENTRIES + 1]:
            path = self._inside_bag(info.filename)
            if path is None:
                continue
            self._names.setdefault(path, info)   # the first of a duplicated name, as in entries
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                kind = "symbolic link"
            elif info.is_dir():
                kind = "dir"
            elif stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: no type recorded
                kind = "device, pipe or socket"
            else:
                kind = "file"
            if kind == "file" and info.file_size > EXPANSION_FLOOR and \
                    info.file_size > MAX_EXPANSION * max(info.compress_size, 1):
                self.problems.append(Problem(
                    "AK108", info.filename,
                    f"entry would expand {info.file_size // max(info.compress_size, 1)}x to "
                    f"{info.file_size} bytes; not read"))
                continue
            self._add(path, kind, info.file_size, info.filename)

    def open(self, path: str):
        return self._zip.open(self._names[path])

    def close(self) -> None:
        self._zip.close()


class TarReader(PackageReader):
    kind = "tar"

    def __init__(self, location: Path):
        super().__init__(location)
        try:
            self._tar = tarfile.open(location, "r:*")
            members = []
            for member in self._tar:
                members.append(member)
                if len(members) > MAX_ENTRIES:
                    break
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise PackageUnreadable(f"not a readable tar file: {exc}") from None
        self.root_name = _common_root([m.name for m in members])
        self._members = {}
        for member in members:
            path = self._inside_bag(member.name)
            if path is None:
                continue
            if member.issym():
                kind = "symbolic link"
            elif member.islnk():
                kind = "hard link"
            elif member.isdir():
                kind = "dir"
            elif member.isfile():
                kind = "file"
            else:
                kind = "device, pipe or socket"
            self._add(path, kind, member.size, member.name)
            self._members.setdefault(path, member)

    def open(self, path: str):
        return self._tar.extractfile(self._members[path])

    def close(self) -> None:
        self._tar.close()


def _common_root(names: list[str]) -> str:
    """The bag directory: the top-level directory that holds bagit.txt, else the first."""
    tops = [n.split("/", 1)[0] for n in names if n]
    for name in names:
        top, rest = _split_root(name)
        if rest == "bagit.txt":
            return top
    return tops[0] if tops else ""


def open_package(location) -> PackageReader:
    location = Path(location)
    if location.is_symlink():
        raise PackageUnreadable("is a symbolic link; name the package itself")
    if location.is_dir():
        return DirectoryReader(location)
    if not location.exists():
        raise PackageUnreadable("no such file or directory")
    try:
        with open(location, "rb") as handle:
            head = handle.read(4)
    except OSError as exc:
        raise PackageUnreadable(f"cannot read: {exc.strerror}") from None
    if head.startswith(b"PK"):
        return ZipReader(location)
    try:
        if tarfile.is_tarfile(location):
            return TarReader(location)
    except OSError:
        pass
    raise PackageUnreadable("not a package: neither a bag directory, a .zip nor a .tar file")


def collisions(paths) -> list[list[str]]:
    """Groups of names that are the same after NFC normalisation and case folding."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(unicodedata.normalize("NFC", path).casefold(), []).append(path)
    return [sorted(g) for g in groups.values() if len(g) > 1]
