"""Which of a job's sources a run must read: what the catalog knows of the inbox.

An inbox file is known by its path, size, mtime (ns), inode, ctime (ns) and the digest
of its catalog fields, as they were when it was settled in the collection
(`inbox_files`). The ctime is git's: the kernel sets it on every change and no call can
set it back, so bytes rewritten in place with the mtime put back (`touch -r`) still
show. A file whose size and catalog are as known but whose times or inode are not
(restored from a backup, touched, chmod'ed, hard-linked; or settled by a version that
kept no ctime) is hashed: the same bytes are remembered with the new stat, not read
again as a source.

A folder a glob covers is known too, by its own stat (`inbox_folders`): when its mtime,
ctime and inode are as they were after a run found every file in it settled, no file
was added, removed or renamed in it since, and the run neither lists it nor stats its
files (as git's untracked cache trusts a directory's stat). What a directory's stat
does not show is a file rewritten in place under the same name (or its sidecar): each
run re-checks a slice of a recorded folder's known files instead, the next slice each
time, so every file is checked again within RECHECK_RUNS runs; one that changed makes
the run check the whole folder at once. A recorded folder that changed is listed and
every known file in it checked by its stat, as a folder not recorded is (the first
run, one changed too lately to trust, see below, or every folder with `rescan`): a
file deleted and saved again under its name there may have its old inode back (ext4
hands the freed inode to the next file made), so a name and an inode as known do not
show that its bytes are. Listings are streamed through the catalog: a run holds the names
it must read, not the folder's.

A glob over several folders (`inbox/**/*.txt`, `inbox/*/*.txt`) finds them as glob does
(_internal/globwalk.py), each folder's subfolders from the catalog when the folder's
stat is as it was when listed (`inbox_subfolders`, KnownSubfolders): a subfolder added,
removed or renamed changes its parent's stat. Each folder reached is then a one-folder
glob as above, known by its own stat: a change deep below an unchanged parent is
seen by the changed folder's stat.

A folder is recorded only when its last change (mtime or ctime) is older than
fsutil.RACY_NS when the run looked at it: a file added in the same clock tick as the
last change would leave the time as it was (git's "racily clean" entries; FAT's times
are 2 s apart).
"""

import errno
import fnmatch
import hashlib
import json
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from archivekit._internal.fsutil import (RACY_NS, folder_stamp, is_file, open_regular, racy,
                                         shown_path)
from archivekit.capture.catalog import SIDECAR_SUFFIXES, split_name
from archivekit.collection.jobs import Folders, JobManifest, Matches, SourceSpec

RECHECK_RUNS = 8     # a folder not listed has all its known files re-checked within
CHUNK = 500          # catalog rows looked up, or remembered, at a time


@dataclass
class Found:
    """A source a run must read: its position among the manifest's sources, the source,
    and its identity now (None if it cannot be statted)."""
    number: int
    spec: SourceSpec
    identity: tuple | None


@dataclass
class FolderScan:
    """One glob's folder as a run scans it: its stat before it was listed (None: not to
    be recorded), and the files handed out to be read (the folder is recorded only if
    every one of them is settled)."""
    entry: Matches
    shared: str              # the catalog digest of a file with no sidecar
    stamp: tuple | None      # (mtime_ns, ctime_ns, inode) of the folder, or None
    pending: set = field(default_factory=set)
    listed: tuple | None = None   # (names to check, how many files the glob matches)
    untexted: list = field(default_factory=list)   # matched names that are not UTF-8
    finished: bool = False   # every file was looked at (a run stopped partway did not)
    unlisted: bool = False   # it could not be listed (gone, an I/O error): nothing learnt

    @property
    def streamed(self) -> bool:
        """Whether the folder is listed through the catalog (a glob whose catalog could
        be read), not held whole as `entry.names`."""
        return bool(self.entry.pattern) and not self.entry.problem

    def files(self) -> int:
        """How many files the glob matches here."""
        return self.listed[1] if self.streamed else len(self.entry.names)


class InboxScan:
    """The sources of `manifest` a run must read (`found()`), what it skipped (`skipped`),
    and, once the caller has settled what it read (`settled`), what to remember."""

    def __init__(self, manifest: JobManifest, index, rescan: bool = False,
                 started: int | None = None):
        """`started`: when the run began (ns), by default now."""
        self.manifest, self.index, self.rescan = manifest, index, rescan
        self.started = time.time_ns() if started is None else started
        self.skipped = 0
        # A file changed less than RACY_NS before the run began may be written again
        # within the same tick of a coarse clock (1 s, FAT's 2 s) and keep its stat:
        # remembered, its new bytes would never be read. It is read again next run.
        self.trusted_before = self.started - RACY_NS
        self.settled: list[tuple] = []   # files handed out, now known to be in the collection
        self.adopted: list[tuple] = []   # files known again by their bytes, not yet recorded
        self.notes: list[str] = []      # a glob that matched nothing, a folder unlisted
        self.folders: list[FolderScan] = []
        self.subfolders = KnownSubfolders(index, rescan, self.started)
        self.groups: dict[str, str] = {}    # a glob over several folders: its note
        self._cursors: list[tuple] = []   # (folder, pattern, catalog, cursor) re-checked
        self._plan = []
        for entry in manifest.sources:
            if isinstance(entry, Folders):
                self.groups[entry.group] = entry.no_match()
                self._plan += map(self._plan_entry, entry.matches(self.subfolders))
            else:
                self._plan.append(self._plan_entry(entry))
        self.index.move_folder_cursors(self._cursors)   # one commit, not one a folder
        self.notes += self.subfolders.problems

    def _plan_entry(self, entry):
        """(entry, FolderScan to scan it | None, files count of a folder skipped whole)."""
        if isinstance(entry, SourceSpec):
            return entry, None, 0
        shared = catalog_digest(entry.catalog.fields)
        key = (entry.folder, entry.pattern, shared)
        stamp = folder_stamp(entry.folder) if entry.pattern and not entry.problem else None
        recorded = self.index.folder_state(*key) if stamp and not self.rescan else None
        if recorded and recorded[:3] == stamp and self._recheck(entry, shared, recorded):
            return entry, None, recorded[3]
        scan = FolderScan(entry, shared, stamp if stamp and not racy(stamp, self.started) else None)
        self.folders.append(scan)
        return entry, scan, 0

    def _recheck(self, entry: Matches, shared: str, recorded) -> bool:
        """Whether the slice of known files due this run is as the catalog knows it
        (the cursor moves on only when it is)."""
        files, cursor = recorded[3], recorded[4]
        prefix = os.path.join(entry.folder, "")
        path = ""
        for path, *known in self._due(entry, cursor, math.ceil(files / RECHECK_RUNS)):
            name = path[len(prefix):]
            if known[4] == shared:
                identity = file_identity(path, shared)
            else:      # it had a sidecar: read it again
                spec = entry.spec(name)
                identity = spec.problem is None and \
                    file_identity(path, catalog_digest(spec.catalog))
            # Removed (or no file now) is no sign the rest is as known: a file saved
            # just after a delete takes the freed inode on ext4, so a name known by its
            # inode may hold new bytes. The folder's files are each checked instead.
            if identity != tuple(known):
                return False
        self._cursors.append((entry.folder, entry.pattern, shared, path))
        return True

    def _due(self, entry: Matches, cursor: str, count: int):
        """The next `count` known files of the folder this glob matches, from the one
        after `cursor`, row by row, going round the folder at most once. Another glob's
        files in the same folder are passed over, not counted: counted, a glob of 10
        files beside one of 10,000 would come round to its own once in 1,000 runs."""
        first = None
        while count > 0:
            more = False
            for row in self.index.known_slice(entry.folder, cursor, count):
                if row[0] == first:
                    return              # round the folder once
                first, cursor, more = first or row[0], row[0], True
                if fnmatch.fnmatchcase(os.path.basename(row[0]), entry.pattern):
                    count -= 1
                    yield row
                    if not count:
                        return
            if not more:
                return

    def total(self) -> int:
        """How many sources the manifest names or matches (a folder skipped whole: as
        many as it had)."""
        for _, scan, _ in self._plan:
            if scan is not None:
                self._listed(scan)
        return sum(1 if isinstance(entry, SourceSpec) else
                   count if scan is None else scan.files()
                   for entry, scan, count in self._plan)

    def found(self):
        """Each source to read, as a Found; the known ones are counted in `skipped`."""
        number = 0
        matched = dict.fromkeys(self.groups, 0)   # a glob's files in all its folders
        for entry, scan, count in self._plan:
            if isinstance(entry, SourceSpec):
                number += 1
                path = str(entry.path)
                identity = file_identity(path, catalog_digest(entry.catalog))
                if entry.problem or not self._same(
                        path, identity, self.index.known_files([path]).get(path)):
                    yield Found(number, entry, identity)
                else:
                    self.skipped += 1
                continue
            if scan is not None:
                self._listed(scan)
            files = scan.files() if scan else count
            if entry.group is not None:     # one of a glob's folders
                matched[entry.group] += files
            elif not files:
                self.notes.append(entry.no_match())
            if scan is None:
                number += count
                self.skipped += count
            else:
                yield from (self._scan_listed if scan.streamed else self._scan)(scan, number)
                number += scan.files()
        self.notes.extend(self.groups[group] for group, files in matched.items() if not files)

    def _scan(self, scan: FolderScan, number: int):
        """Every file of a glob whose catalog could not be read, handed out to be
        recorded as that source's failure."""
        for offset, name in enumerate(scan.entry.names, 1):
            yield Found(number + offset, scan.entry.spec(name), None)
        scan.finished = True

    def _listed(self, scan: FolderScan) -> None:
        """The folder listed once, streamed through the catalog: the names the glob
        matches that the catalog does not know, those with a sidecar, and the known ones
        whose stat changed (a new inode among them); and how many files the glob
        matches."""
        if not scan.streamed or scan.listed is not None:
            return
        entry = scan.entry
        match = re.compile(fnmatch.translate(entry.pattern)).match
        hidden = entry.pattern.startswith(".")
        sidecars = []

        def files():
            with os.scandir(entry.folder) as listing:
                for item in listing:
                    if is_file(item):
                        name = item.name      # .yaml and .yml end in l (a cheap test first)
                        matched = match(name) is not None and (hidden or name[0] != ".")
                        if not is_text(name):     # the catalog holds names as text
                            if matched:
                                scan.untexted.append(name)
                            continue
                        if name[-1] in "lL" and name[-5:].lower().endswith(SIDECAR_SUFFIXES):
                            sidecars.append(name)
                        yield name, matched
        try:
            unknown, matched = self.index.unknown_in(entry.folder, files())
        except OSError as exc:
            unknown, matched = [], 0        # not recorded: listed again next run
            scan.stamp, scan.unlisted = None, True
            # Not noted: a name glob takes that is no folder, an inbox not made yet.
            note = _unlisted(entry.folder, exc)     # (perhaps noted by the walk already)
            if exc.errno != errno.ENOTDIR and (entry.group or exc.errno != errno.ENOENT) \
                    and note not in self.notes:
                self.notes.append(note)
        described, stems = set(), set()     # files with a sidecar; the sidecars' stems
        for sidecar in sidecars:
            stem, suffix = split_name(sidecar)
            if suffix.lower() in SIDECAR_SUFFIXES:
                found = [(name, is_matched) for name, is_matched
                         in self.index.listed_with_stem(stem)
                         if split_name(name)[0] == stem and
                         split_name(name)[1].lower() not in SIDECAR_SUFFIXES]
                described.update(name for name, is_matched in found if is_matched)
                if found:
                    stems.add(stem)
        sidecars = {name for name in self.index.listed_matched(sidecars)
                    if split_name(name)[0] in stems}     # matched, yet a sidecar
        changed = self._changed(scan, lambda name: match(name) and (hidden or name[0] != ".")
                                and name not in described)
        scan.listed = (sorted((set(unknown) | described | set(changed)) - sidecars),
                       matched - len(sidecars))

    def _changed(self, scan: FolderScan, checked) -> list[str]:
        """The names of the folder's known files (those `checked` says) whose stat or
        catalog is not as known, read row by row; rows of files gone are forgotten."""
        prefix = os.path.join(scan.entry.folder, "")
        changed, gone = [], []
        for path, *known in self.index.known_rows_in(scan.entry.folder):
            name = path[len(prefix):]
            if checked(name):
                identity = file_identity(path, scan.shared)
                if identity is None:    # removed, or now a folder, a dangling link: no
                    gone.append(path)   # source (kept, it was handed out every run)
                elif identity != tuple(known):
                    changed.append(name)
        self.index.forget_files(gone)
        return changed

    def _scan_listed(self, scan: FolderScan, number: int):
        """The names the listing left to check: each compared by stat and catalog (its
        sidecar read), and handed out to be read unless it is as known."""
        entry = scan.entry
        check, matched = scan.listed
        prefix = os.path.join(entry.folder, "")
        self.skipped += matched - len(check)
        for start in range(0, len(check), CHUNK):    # a restored folder's: every name
            names = check[start:start + CHUNK]
            known = self.index.known_files([prefix + name for name in names])
            for offset, name in enumerate(names, number + start + 1):
                path = prefix + name
                spec = entry.spec(name)
                identity = file_identity(path, catalog_digest(spec.catalog))
                if not spec.problem and self._same(path, identity, known.get(path)):
                    self.skipped += 1
                    continue
                scan.pending.add(path)
                yield Found(offset, spec, identity)
        for offset, name in enumerate(sorted(scan.untexted), number + len(check) + 1):
            path = shown_path(prefix + name)     # a failure each run until it is renamed
            scan.pending.add(path)
            yield Found(offset, SourceSpec(Path(path), where=entry.where, problem=(
                "its name is not valid UTF-8, which the catalog and a package record as "
                "text; rename the file")), None)
        scan.finished = True

    def _same(self, path: str, identity: tuple | None, known: tuple | None) -> bool:
        """Whether a file is as it was settled: its identity as known, or its size and
        catalog as known and its bytes too (hashed), when only its times or inode differ
        (then its identity now is remembered)."""
        if not identity or not known:
            return False
        if identity == tuple(known):
            return True
        if identity[0] != known[0] or identity[4] != known[4]:
            return False
        sha256 = self.index.settled_digest(path)
        if sha256 is None or content_digest(path) != sha256:
            return False
        if self._trusted(identity):     # remembered as it is now, a chunk at a time
            self.adopted.append((path, *identity, sha256))
            if len(self.adopted) >= CHUNK:
                self.index.remember_files(self.adopted)
                self.adopted.clear()
        return True

    def _trusted(self, identity: tuple | None) -> bool:
        """Whether a file's identity is old enough to be remembered."""
        return bool(identity) and max(identity[1], identity[3]) < self.trusted_before

    def settle(self, path: str, identity: tuple | None, sha256: str) -> None:
        """Note a source file handed out as now settled in the collection with these
        bytes, to be remembered by its identity unless that is too recent to trust."""
        if self._trusted(identity):
            self.settled.append((path, *identity, sha256))

    def remember(self) -> None:
        """Record the inbox files now settled and the subfolders of the folders listed
        whole, forgetting the folders gone from them; record each scanned folder whose
        every file is now settled (and forget one that is not)."""
        self.index.remember_files(self.adopted + self.settled)
        self.index.forget_folders(self.subfolders.gone)      # before what replaced them
        self.index.remember_subfolders(self.subfolders.listed)
        done = {row[0] for row in self.settled}
        for scan in self.folders:
            entry = scan.entry
            key = (entry.folder, entry.pattern, scan.shared)
            # A run stopped partway (Ctrl-C, a full disk) never looked at the files after
            # the one it stopped on, nor at a later glob's: recorded, they would be skipped
            # as known by every run after it.
            if scan.stamp and scan.finished and not entry.problem and scan.pending <= done:
                self.index.remember_folder(*key, scan.stamp, scan.files())
            elif entry.pattern and not scan.unlisted:    # an unmounted inbox's: kept
                self.index.forget_folder(*key)


class KnownSubfolders:
    """The subfolders of each folder a glob over several folders reaches, as glob's
    listing finds them (globwalk.subfolders): from the catalog when the folder's stat
    (mtime, ctime, inode) is as when it was listed whole, since a subfolder added,
    removed or renamed changes it; else listed, and recorded unless the folder changed
    less than RACY_NS before the run began. A symbolic link's target can become a
    folder, or stop being one, while the folder holding the link stays as it was: its
    links are recorded as links and each looked at again every time."""

    def __init__(self, index, rescan: bool, started: int):
        self.index, self.rescan, self.started = index, rescan, started
        self.problems: list[str] = []   # folders that could not be listed
        self.listed: list[tuple] = []   # (folder, stamp, subfolders, links) to record
        self.gone: list[str] = []       # folders no longer there, to be forgotten

    def __call__(self, folder: str) -> list[str]:
        try:
            info = os.stat(folder)
            stamp = info.st_mtime_ns, info.st_ctime_ns, info.st_ino
            recorded = self.index.subfolders_of(folder)
            if recorded and recorded[0] == stamp and not self.rescan:
                subfolders, links = recorded[1], recorded[2]
            else:
                subfolders, links, whole = _subfolders_and_links(folder)
                if whole and self._may_record(folder, recorded, subfolders + links) \
                        and not racy(stamp, self.started):
                    self.listed.append((folder, stamp, subfolders, links))
        except OSError as exc:
            if exc.errno != errno.ENOTDIR:     # a name glob takes that is no folder
                self.problems.append(_unlisted(folder, exc))
            return []
        return [name for name in subfolders + [
            name for name in links if os.path.isdir(os.path.join(folder, name))]
            if self._text(folder, name)]

    def _may_record(self, folder: str, recorded, names: list[str]) -> bool:
        """Note the folders (and links) `recorded` held that a whole listing of `folder`
        no longer finds (`names`), to be forgotten with all that was in them; unless it
        finds none where it knew some, as an unmounted volume's mount point shows: then
        what is known is kept, the folder noted, and its listing not recorded (the next
        compared with the same record). Whether the listing may be recorded."""
        known = set(recorded[1] + recorded[2]) if recorded else set()
        if known and not names:
            self.problems.append(f"{folder}: none of the {len(known)} folder(s) it held is "
                                 "there now (an unmounted volume?); what the catalog knows "
                                 "of them is kept")
            return False
        self.gone += [os.path.join(folder, name) for name in sorted(known - set(names))
                      if is_text(name)]     # one that is not had nothing recorded
        return True

    def _text(self, folder: str, name: str) -> bool:
        """Whether a subfolder's name is text (UTF-8) the catalog can hold; one that is
        not is noted (each run, until it is renamed) and not walked."""
        if is_text(name):
            return True
        note = (f"{shown_path(os.path.join(folder, name))}: its name is not valid UTF-8; "
                "its files were not looked at (rename the folder)")
        if note not in self.problems:
            self.problems.append(note)
        return False


def _subfolders_and_links(folder: str) -> tuple[list[str], list[str], bool]:
    """The names in `folder` of its subfolders and of its symbolic links, and whether
    every entry's kind was known (one that was not is left out, as glob leaves it: the
    folder is then not recorded)."""
    subfolders, links, whole = [], [], True
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_symlink():
                    links.append(entry.name)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.name)
            except OSError:
                whole = False
    return sorted(subfolders), sorted(links), whole


def _unlisted(folder: str, error: OSError) -> str:
    """The note for a folder a glob reaches that could not be listed."""
    return f"{folder}: cannot be listed ({error.strerror}); its files were not looked at"


def is_text(name: str) -> bool:
    """Whether a name from the file system is UTF-8 (else Python holds its bytes as
    surrogates, which SQLite and JSON refuse)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def file_identity(path: str, catalog: str) -> tuple | None:
    """(size, mtime_ns, inode, ctime_ns, catalog digest) of a source file, or None if it
    cannot be statted or is no regular file (reading it will name the problem)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns, catalog


def content_digest(path: str) -> str | None:
    """The SHA-256 of a regular file's bytes, or None if it cannot be read."""
    try:
        with open_regular(path) as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def catalog_digest(fields: dict) -> str:
    """The SHA-256 of a source's catalog fields, as an inbox file's identity holds it."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
