"""One reader for packages stored as a directory, a .zip or a .tar file.

Nothing is unpacked to disk. Entries that are unsafe to use (links, devices,
names with `..`, absolute or backslash paths, control characters) are never
opened: they are reported as problems for the verifier to turn into findings.

A package file is what its name says and nothing more: a `.zip` is a zip from its
first byte to its last, a `.tar` an uncompressed tar followed by nothing but zeros.
Otherwise two tools could read two different packages from the same file. Every
byte read is charged to the package's Budget (see _internal/limits.py).
"""

import os
import stat
import struct
import tarfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.fsutil import describe_mode, open_regular
from archivekit._internal.limits import Budget, BudgetedStream, Limits, LimitExceeded

MAX_NAME = 1024
SUFFIXES = {".zip": "zip", ".tar": "tar"}
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
COMPRESSED = {b"\x1f\x8b": "gzip", b"BZh": "bzip2", b"\xfd7zXZ\x00": "xz",
              b"\x28\xb5\x2f\xfd": "zstd"}


@dataclass
class Entry:
    """A file or folder in a package, by its path inside the bag directory."""
    path: str        # relative to the bag directory, '/'-separated
    kind: str        # file, dir
    size: int


@dataclass
class Problem:
    """Something wrong with the container itself (an unsafe name, a stray entry...), as the
    finding it becomes: its code, where, and what."""
    code: str
    path: str
    message: str


class PackageUnreadable(Exception):
    """Not a package container at all (not a directory, zip or tar we can open);
    `code` is the finding it makes (named where it is raised, so that the mutation script
    finds each check)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


def unsafe_name_reason(name: str, depth: int = Limits.depth) -> str | None:
    """Why an entry's name must not be read (absolute, '..', control characters, not UTF-8,
    too deep...); None when it is safe."""
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
    if name.count("/") > depth or len(name) > MAX_NAME:
        return "path too deep or too long"
    return None


class PackageReader:
    """One package's files, whatever holds them (a folder, a .zip or a .tar), read within a
    budget; what is wrong with the container is in `problems`."""
    kind = "package"

    def __init__(self, location: Path, budget: Budget):
        self.location = location
        self.budget = budget
        self.root_name = ""
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []

    def files(self) -> list[str]:
        """The paths of the package's files, sorted."""
        return sorted(p for p, e in self.entries.items() if e.kind == "file")

    def _add(self, path: str, kind: str, size: int, original: str | None = None) -> None:
        shown = original or path
        reason = unsafe_name_reason(path, self.budget.limits.depth)
        if reason:
            self.problems.append(Problem("AK104", shown, f"unsafe path ({reason}); not read"))
            return
        if kind not in ("file", "dir"):
            self.problems.append(Problem("AK105", shown, f"{kind} in package; not followed"))
            return
        if path in self.entries:   # tools disagree on which copy of a name wins: use neither
            self.problems.append(Problem("AK106", shown, "the archive holds this name twice"))
            return
        limit = self.budget.limits.entries
        if len(self.entries) >= limit:
            if len(self.entries) == limit:
                self.problems.append(Problem("AK108", shown,
                                             f"more than {limit} entries; the rest not read"))
            return
        self.entries[path] = Entry(path, kind, size)

    def _inside_bag(self, name: str) -> str | None:
        """An archive member's path below the bag directory; None (and a problem when it
        lies outside) for the bag directory itself and for anything else."""
        top, path = _split_root(name)
        if top != self.root_name:
            self.problems.append(Problem("AK115", name, "entry outside the bag directory; not read"))
            return None
        return path.rstrip("/") or None

    def open(self, path: str):
        """A binary stream of the file at `path`, its reads charged to the budget."""
        return BudgetedStream(self._open(path), self.budget, path)

    def _open(self, path: str):
        raise NotImplementedError

    def read(self, path: str, limit: int | None = None) -> bytes:
        """Read a small file whole; raise LimitExceeded when it is over `limit` bytes
        (default: the tag_file_bytes limit)."""
        limit = self.budget.limits.tag_file_bytes if limit is None else limit
        with self.open(path) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise LimitExceeded("file", limit, f"{path} is larger than {limit} bytes")
        return data

    def close(self) -> None:
        """Release the container (a no-op for a folder)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class DirectoryReader(PackageReader):
    """A package that is a folder; symbolic links and special files are reported, never
    followed."""
    kind = "directory"

    def __init__(self, location: Path, budget: Budget):
        super().__init__(location, budget)
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
                if path in self.entries and path.count("/") < self.budget.limits.depth:
                    self._walk(Path(child.path), path + "/")
            elif stat.S_ISREG(mode):
                self._add(path, "file", info.st_size)
            else:
                self._add(path, "device, pipe or socket", 0)

    def _open(self, path: str):
        # A file swapped for a link or a FIFO after listing is still not followed or opened.
        return open_regular(self.location / path, follow_links=False)


class FolderReader(PackageReader):
    """The files of a package below `prefix` (a bag kept whole inside it), read as a
    bag of their own; reads go through the package's reader and budget."""
    kind = "folder"

    def __init__(self, outer: PackageReader, prefix: str):
        super().__init__(outer.location, outer.budget)
        self.outer, self.prefix = outer, prefix
        self.root_name = prefix.rstrip("/").rsplit("/", 1)[-1]
        self.entries = {path[len(prefix):]: Entry(path[len(prefix):], entry.kind, entry.size)
                        for path, entry in outer.entries.items()
                        if path.startswith(prefix) and len(path) > len(prefix)}

    def _open(self, path: str):
        return self.outer._open(self.prefix + path)


def _split_root(name: str) -> tuple[str, str]:
    head, _, rest = name.partition("/")
    return head, rest


# The end of central directory record, and the zip64 locator that may precede it.
_ZIP_END = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END_ENTRIES = struct.Struct("<Q")   # at byte 32 of the zip64 end record
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")


class ZipReader(PackageReader):
    """A package in a .zip, read through its central directory and checked against each
    local header."""
    kind = "zip"

    def __init__(self, location: Path, budget: Budget, handle):
        super().__init__(location, budget)
        size = os.fstat(handle.fileno()).st_size
        budget.cap_expansion(size)
        self._check_end(handle, size)
        try:
            self._zip = zipfile.ZipFile(handle)
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError,
                EOFError, struct.error, NotImplementedError) as exc:   # an unknown zip version
            raise PackageUnreadable(f"not a readable zip file: {exc}", "AK100") from None
        self._check_layout(handle, infos)
        self.root_name = _common_root([i.filename for i in infos])
        self._names = {}
        for info in infos[: budget.limits.entries + 1]:
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
            if kind == "file" and info.compress_type not in ZIP_METHODS:
                self.problems.append(Problem(
                    "AK113", info.filename, f"compression method {info.compress_type} "
                    "(only stored and deflated are read); not read"))
                continue
            limits = budget.limits
            if kind == "file" and info.file_size > limits.expansion_allowance and \
                    info.file_size > limits.expansion * max(info.compress_size, 1):
                self.problems.append(Problem(
                    "AK108", info.filename,
                    f"entry would expand {info.file_size // max(info.compress_size, 1)}x to "
                    f"{info.file_size} bytes; not read"))
                continue
            self._add(path, kind, info.file_size, info.filename)

    def _check_end(self, handle, size: int) -> None:
        """Entry count from the end record, before zipfile builds an object per entry;
        and nothing after the end record (a zip comment is part of the record)."""
        tail_size = min(size, _ZIP_END.size + 0xFFFF)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _ZIP_END.size > len(tail):
            raise PackageUnreadable("not a readable zip file: no end of central directory",
                                    "AK100")
        *_, entries, _cd_size, _cd_offset, comment = _ZIP_END.unpack_from(tail, at)
        if entries == 0xFFFF and at >= _ZIP64_LOCATOR.size:
            signature, _, end64, _ = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
            if signature == b"PK\x06\x07" and end64 + 40 <= size:
                handle.seek(end64 + 32)
                (entries,) = _ZIP64_END_ENTRIES.unpack(handle.read(8))
        if entries > self.budget.limits.entries:
            raise PackageUnreadable(f"the zip holds {entries} entries, more than the entries "
                                    f"limit ({self.budget.limits.entries}); not read", "AK108")
        trailing = len(tail) - (at + _ZIP_END.size + comment)
        if trailing > 0:
            self.problems.append(Problem("AK111", self.location.name,
                                         f"{trailing} byte(s) after the zip's end record"))
        elif trailing < 0:
            self.problems.append(Problem("AK111", self.location.name,
                                         "the zip's comment runs past the end of the file"))

    def _check_layout(self, handle, infos) -> None:
        """Each local header agrees with its central directory entry, and the entries
        follow each other from byte 0 to the central directory with no gaps and no
        overlaps: no bytes that one zip tool reads and another does not."""
        expected = 0
        for info in sorted(infos, key=lambda i: i.header_offset):
            if info.header_offset < expected:
                self.problems.append(Problem("AK111", info.filename,
                                             "the entry overlaps the one before it"))
            elif info.header_offset > expected:
                self.problems.append(Problem(
                    "AK111", info.filename,
                    f"{info.header_offset - expected} unlisted byte(s) before this entry"))
            handle.seek(info.header_offset)
            header = handle.read(_LOCAL_HEADER.size)
            if len(header) < _LOCAL_HEADER.size:
                self.problems.append(Problem("AK112", info.filename, "local header truncated"))
                return
            (signature, _version, flags, method, _time, _date, crc, compressed, plain,
             name_length, extra_length) = _LOCAL_HEADER.unpack(header)
            name = handle.read(name_length)
            disagree = [what for what, ok in (
                ("signature", signature == b"PK\x03\x04"),
                ("name", name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
                 == info.orig_filename),
                ("compression method", method == info.compress_type),
                ("CRC-32", flags & 0x08 or crc == info.CRC),
                ("sizes", flags & 0x08 or (compressed, plain) in (
                    (info.compress_size, info.file_size), (0xFFFFFFFF, 0xFFFFFFFF))),
            ) if not ok]
            if disagree:
                self.problems.append(Problem(
                    "AK112", info.filename, "the local header and the central directory "
                    f"disagree on its {', '.join(disagree)}"))
            expected = (info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
                        + info.compress_size)
            if flags & 0x08:   # a data descriptor follows: with or without its signature
                handle.seek(expected)
                expected += 16 if handle.read(4) == b"PK\x07\x08" else 12
                if info.compress_size >= 0xFFFFFFFF or info.file_size >= 0xFFFFFFFF:
                    expected += 8
        if infos and expected != self._zip.start_dir:
            self.problems.append(Problem("AK111", self.location.name, "bytes between the last "
                                         "entry and the central directory"))

    def _open(self, path: str):
        return self._zip.open(self._names[path])

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()


class TarReader(PackageReader):
    """A package in an uncompressed .tar."""
    kind = "tar"

    def __init__(self, location: Path, budget: Budget, handle):
        super().__init__(location, budget)
        try:
            self._tar = tarfile.open(fileobj=handle, mode="r:")
            members = []
            for member in self._tar:
                members.append(member)
                if len(members) > budget.limits.entries:
                    break
                budget.check_time(location.name)
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise PackageUnreadable(f"not a readable tar file: {exc}", "AK100") from None
        if len(members) <= budget.limits.entries:
            self._check_end(handle)
        self.root_name = _common_root([m.name for m in members])
        self._members = {}
        for member in members:
            path = self._inside_bag(member.name)
            if path is None:
                continue
            if member.issparse():   # a 30 KB file can hold a "1 TiB" sparse member
                self.problems.append(Problem("AK113", member.name, "sparse tar member; not read"))
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

    def _check_end(self, handle) -> None:
        """After the end-of-archive blocks, a tar holds nothing but zero padding."""
        handle.seek(self._tar.offset)
        trailing = 0
        while chunk := handle.read(1 << 16):
            trailing += len(chunk) - chunk.count(0)
            if trailing or handle.tell() - self._tar.offset > 1 << 20:
                break
        if trailing or handle.read(1):
            self.problems.append(Problem("AK111", self.location.name,
                                         "data after the end of the tar archive"))

    def _open(self, path: str):
        return self._tar.extractfile(self._members[path])

    def close(self) -> None:
        """Close the archive."""
        self._tar.close()


def _common_root(names: list[str]) -> str:
    """The bag directory: the top-level directory that holds bagit.txt, else the first."""
    tops = [n.split("/", 1)[0] for n in names if n]
    for name in names:
        top, rest = _split_root(name)
        if rest == "bagit.txt":
            return top
    return tops[0] if tops else ""


def open_package(location, limits: Limits | None = None) -> PackageReader:
    """A reader of the package at `location` (a folder, a .zip or a .tar file), its reads
    within `limits`. PackageUnreadable when it is none of those."""
    location = Path(location)
    budget = Budget(limits)
    try:
        mode = os.lstat(location).st_mode
    except FileNotFoundError:
        raise PackageUnreadable("no such file or directory", "AK100") from None
    except OSError as exc:
        raise PackageUnreadable(f"cannot read: {exc.strerror}", "AK100") from None
    if stat.S_ISLNK(mode):
        raise PackageUnreadable("is a symbolic link; name the package itself", "AK100")
    if stat.S_ISDIR(mode):
        return DirectoryReader(location, budget)
    if not stat.S_ISREG(mode):   # a FIFO would block for ever, a device never end
        raise PackageUnreadable(f"is {describe_mode(mode)}; a package is a folder or a "
                                "regular .zip or .tar file", "AK100")
    try:
        handle = open_regular(location, follow_links=False)
    except OSError as exc:
        raise PackageUnreadable(f"cannot read: {exc.strerror}", "AK100") from None
    try:
        return _container(location, budget, handle)
    except BaseException:
        handle.close()
        raise


def _container(location: Path, budget: Budget, handle) -> PackageReader:
    head = handle.read(512)
    handle.seek(0)
    found = ("zip" if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") else
             "tar" if len(head) == 512 and head[257:262] == b"ustar" or _is_v7_tar(head) else
             next((f"{name}-compressed file" for magic, name in COMPRESSED.items()
                   if head.startswith(magic)), None))
    named = SUFFIXES.get(location.suffix.lower())
    claimed = named or ("zip" if location.suffix.lower() == ".wacz" else None)   # a WACZ is one
    if claimed is None and found not in SUFFIXES.values():
        raise PackageUnreadable("not a package: neither a folder, nor a .zip or .tar file "
                                "by its name or its bytes", "AK116")
    if found is None:
        raise PackageUnreadable(f"named {location.suffix} but its bytes are not a {claimed} "
                                "file's: damaged, or not a package", "AK100")
    if named is None:
        raise PackageUnreadable(f"holds a {found} but its name does not end in .{found}; "
                                "name a package file .zip or .tar", "AK110")
    if found != named:
        # Never read as what it is not named: zip tools would read something else.
        raise PackageUnreadable(f"named .{named} but holds a {found}", "AK110")
    reader = ZipReader if found == "zip" else TarReader
    return reader(location, budget, handle)


def _is_v7_tar(head: bytes) -> bool:
    """A pre-POSIX tar header: its checksum field matches the header's bytes."""
    if len(head) < 512 or not head[:100].strip(b"\0"):
        return False
    try:
        stored = int(head[148:156].split(b"\0")[0].strip() or b"-1", 8)
    except ValueError:
        return False
    return stored == sum(head[:148]) + 8 * 32 + sum(head[156:512])


def collisions(paths) -> list[list[str]]:
    """Groups of names that are the same after NFC normalisation and case folding."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(unicodedata.normalize("NFC", path).casefold(), []).append(path)
    return [sorted(g) for g in groups.values() if len(g) > 1]
