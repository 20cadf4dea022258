"""The audit log: append-only JSON lines of PREMIS events, each bound to the one before,
kept in sealed segments.

Every entry carries `seq`, `prev` (the previous entry's hash) and `hash`: SHA-256 over
the entry's canonical JSON without `hash`. Editing, removing or reordering an entry
breaks the chain at that position.

    audit.jsonl                 the open segment: entries since the last sealed one
    audit/000001.jsonl          sealed segments, oldest first, never written again
    audit/000001.checkpoint     each one's signed checkpoint (a C2SP signed note):
                                  <origin>/audit, the last seq, the last entry's hash,
                                  then `segment <n> first <seq> sha256 <file digest>` and
                                  `previous <sha256 of the previous checkpoint>`

A checkpoint vouches for its segment's bytes and chains to the one before, so a
verifier streams the log one entry at a time, and one that kept the last checkpoint it
checked verifies only what came after it. Cutting entries off the open segment cannot be
seen from the files alone: compare the head hash with one kept elsewhere (`log --verify`
prints it). Collections from before segments are one open segment: nothing to migrate.
"""

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.fsutil import append_lines, atomic_write_bytes, fsync_dir
from archivekit.formats.premis import EVENT_TYPES, make_event
from archivekit._internal.timeutil import format_time, utc_now

GENESIS = "0" * 64
MAX_PROBLEMS = 1000    # a log damaged throughout is reported by its first problems


def entry_hash(entry: dict) -> str:
    """SHA-256 (hex) of an entry's canonical JSON without its `hash`: what `hash` must be,
    and the next entry's `prev`."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class ChainProblem:
    """One break in the audit log: where (file and line; 0 for the file as a whole) and what
    is wrong."""
    line: int          # 1-based line in `file` (0: the file as a whole)
    message: str
    file: str = "audit.jsonl"


@dataclass
class ChainReport:
    """What checking the audit log's chain found: every problem (the first MAX_PROBLEMS),
    the head hash to keep elsewhere, the entries checked and the last sealed segment's
    checkpoint."""
    problems: list[ChainProblem]
    head: str              # the last entry's hash: keep it elsewhere
    count: int             # entries checked
    checkpoint: str | None = None   # the last sealed segment's checkpoint
    more_problems: int = 0          # beyond MAX_PROBLEMS


@dataclass
class Segment:
    """A sealed segment of the audit log: its number, its entries' file and its checkpoint's
    file."""
    number: int
    path: Path
    checkpoint_path: Path


class AuditLog:
    """A collection's audit log (audit.jsonl and the sealed segments in audit/): PREMIS
    events appended, each chained to the one before."""
    def __init__(self, path: Path):
        self.path = Path(path)

    def entries(self) -> list[dict]:
        """Every entry, oldest first (`iter_entries` for one at a time)."""
        return list(self.iter_entries())

    def _tail(self) -> tuple[int, str, bool]:
        """(last seq, last hash, whether a torn last line was dropped). Reads the last
        line only (or, when the open segment is empty, the last checkpoint)."""
        self._finish_sealing()
        torn = self._drop_torn_line()
        last = self._last_line()
        if last is None:
            segments = self.segments()
            if not segments:
                return 0, GENESIS, torn
            lines = segments[-1].checkpoint_path.read_text().split("\n")
            return int(lines[1]), base64.b64decode(lines[2]).hex(), torn
        try:
            entry = json.loads(last)
        except json.JSONDecodeError:
            entry = {}
        return int(entry.get("seq", 0)), entry.get("hash", GENESIS), torn

    def _last_line(self) -> bytes | None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, "rb") as handle:
            end = handle.seek(0, os.SEEK_END)
            block, data = 4096, b""
            while True:
                start = max(0, end - block)
                handle.seek(start)
                data = handle.read(end - start)
                if data.rstrip(b"\n").rfind(b"\n") >= 0 or start == 0:
                    break
                block *= 2
        return data.rstrip(b"\n").rsplit(b"\n", 1)[-1]

    def _drop_torn_line(self) -> bool:
        """A write cut short by a crash leaves a line without its newline: never committed."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return False
        with open(self.path, "rb+") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) == b"\n":
                return False
            handle.seek(0)
            data = handle.read()
            handle.truncate(data.rfind(b"\n") + 1)
            handle.flush()
            os.fsync(handle.fileno())
        return True

    def append(self, event_type: str, outcome: str, detail: str, package: str | None = None,
               operator: str | None = None, extra: dict | None = None) -> dict:
        """Append one event; the caller holds the collection lock."""
        return self.append_many([dict(event_type=event_type, outcome=outcome, detail=detail,
                                      package=package, operator=operator, extra=extra)])[0]

    def append_many(self, events: list[dict]) -> list[dict]:
        """Append events (each the keyword arguments of `append`) in one write and one
        fsync. A crash may leave the batch's first entries whole and the last one torn;
        the next append drops the torn line. A full disk leaves the log as it was (an
        OSError naming it). The caller holds the collection lock."""
        if not events:
            return []
        seq, prev, torn = self._tail()
        entries, lines = [], []
        for number, event in enumerate(events):
            detail = event["detail"]
            if torn and number == 0:
                detail += " (an unfinished entry from an interrupted run was dropped)"
            entry = {"seq": seq + 1, **make_event(event["event_type"], format_time(utc_now()),
                                                   detail, event["outcome"],
                                                   event.get("operator")),
                     "package": event.get("package"), "prev": prev}
            if event.get("extra"):
                entry["extra"] = event["extra"]
            entry["hash"] = entry_hash(entry)
            seq, prev = entry["seq"], entry["hash"]
            entries.append(entry)
            lines.append(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        append_lines(self.path, "".join(lines).encode("utf-8"))   # all or none
        return entries

    def last_seq(self) -> int:
        """The seq of the last whole entry (0: none yet); the next append comes after it.
        The log is left as it is (a torn last line is for that append to drop and note)."""
        for line in _lines_backwards(self.path):
            try:
                return int(json.loads(line)["seq"])
            except (ValueError, KeyError, TypeError):
                return 0      # as the append will take it
        segments = self.segments()
        return int(segments[-1].checkpoint_path.read_text().split("\n")[1]) if segments else 0

    def packages_after(self, seq: int, *event_types: str) -> set[str]:
        """The packages of the entries of these types after entry `seq`, read from the
        end back to it (a run's last few lines, not the whole log)."""
        found = set()
        for path in [self.path] + [s.path for s in reversed(self.segments())]:
            for line in _lines_backwards(path):
                try:
                    entry = json.loads(line)
                    if entry["seq"] <= seq:
                        return found
                except (ValueError, KeyError, TypeError):
                    continue    # damaged: the chain's check reports it
                if entry.get("type") in event_types and entry.get("package"):
                    found.add(entry["package"])
        return found

    # --- sealed segments ------------------------------------------------------------------
    @property
    def folder(self) -> Path:
        """The folder of the sealed segments (audit/, beside audit.jsonl)."""
        return self.path.parent / "audit"

    def segments(self) -> list[Segment]:
        """The sealed segments, oldest first (none before the first is sealed)."""
        if not self.folder.is_dir():
            return []
        numbers = sorted(int(p.stem) for p in self.folder.glob("*.checkpoint") if p.stem.isdigit())
        return [Segment(n, self.folder / f"{n:06d}.jsonl", self.folder / f"{n:06d}.checkpoint")
                for n in numbers]

    def _finish_sealing(self) -> None:
        """A crash between writing a segment's checkpoint and moving the segment leaves the
        open file still to be moved: move it, if it is what the checkpoint vouches for."""
        segments = self.segments()
        if segments and not segments[-1].path.exists() and self.path.exists():
            vouched = _extensions(segments[-1].checkpoint_path.read_text()).get("segment", "")
            if vouched.endswith(_file_digest(self.path)):
                os.rename(self.path, segments[-1].path)
                fsync_dir(self.folder)
                fsync_dir(self.path.parent)

    def open_entries(self) -> int:
        """Entries in the open segment (its first and last lines are read, nothing between)."""
        first = self._first_line()
        if first is None:
            return 0
        try:
            return int(json.loads(self._last_line())["seq"]) - int(json.loads(first)["seq"]) + 1
        except (ValueError, KeyError, TypeError):
            return 0

    def seal(self, origin: str, key, name: str) -> str | None:
        """Close the open segment with a signed checkpoint; the caller holds the lock.
        Returns the checkpoint, or None when the open segment is empty."""
        from archivekit.trust.tlog import sign_checkpoint
        self._finish_sealing()
        self._drop_torn_line()
        last = self._last_line()
        if last is None:
            return None
        entry = json.loads(last)
        segments = self.segments()
        number = segments[-1].number + 1 if segments else 1
        previous = hashlib.sha256(segments[-1].checkpoint_path.read_bytes()).hexdigest() \
            if segments else GENESIS
        first = json.loads(self._first_line())["seq"]
        text = sign_checkpoint(f"{origin}/audit", entry["seq"], bytes.fromhex(entry["hash"]), key,
                               name, (f"segment {number} first {first} sha256 "
                                      f"{_file_digest(self.path)}", f"previous {previous}"))
        self.folder.mkdir(exist_ok=True)
        atomic_write_bytes(self.folder / f"{number:06d}.checkpoint", text.encode(), overwrite=False)
        self._finish_sealing()
        return text

    def _first_line(self) -> bytes | None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, "rb") as handle:
            return handle.readline().rstrip(b"\n")

    # --- reading and verifying, one line at a time -----------------------------------------
    def iter_entries(self):
        """Every entry, oldest first, across the sealed segments and the open one."""
        for path in [s.path for s in self.segments()] + [self.path]:
            for line in _lines(path):
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield {"_unreadable": line.decode("utf-8", "replace")}

    def verify(self, trust=None, since: str | None = None) -> ChainReport:
        """Every break in the chain, by file and line, streaming. `trust`: the trust store
        whose keys must have signed each sealed segment's checkpoint. `since`: a checkpoint
        kept from an earlier verification: only the segments after it are read."""
        state = _ChainState()
        segments = self.segments()
        if since is not None:
            kept = [s for s in segments if s.checkpoint_path.read_text() == since]
            if not kept:
                state.add(0, "the given checkpoint is not one of this log's sealed segments",
                          "checkpoint")
                return state.report(None)
            start = segments.index(kept[0])
            state.resume(since)
            segments = segments[start + 1:]
        last_checkpoint = since
        for segment in segments:
            text = segment.checkpoint_path.read_text()
            digest = state.check_file(segment.path, segment.path.name)
            _check_checkpoint(text, segment, digest, state, last_checkpoint, trust)
            last_checkpoint = text
        state.check_file(self.path, self.path.name, open_segment=True)
        return state.report(last_checkpoint)


def _lines(path: Path):
    """The whole lines of a file, one at a time (a torn last line is not one)."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        for line in handle:
            if line.endswith(b"\n"):
                yield line[:-1]


def _lines_backwards(path: Path, block: int = 1 << 16):
    """The whole lines of a file, last first (a torn last line is not one)."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        end = handle.seek(0, os.SEEK_END)
        rest, ended = b"", False   # the start of a line; whether a newline was found
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            pieces = (handle.read(end - start) + rest).split(b"\n")
            rest = pieces.pop(0)          # it may go on in the block before
            if pieces and not ended:
                pieces.pop()              # after the last newline: empty, or torn
                ended = True
            yield from reversed(pieces)
            end = start
        if ended:
            yield rest


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _extensions(checkpoint: str) -> dict[str, str]:
    """The extension lines of a segment checkpoint, by their first word."""
    body = checkpoint.partition("\n\n")[0].split("\n")
    return {line.partition(" ")[0]: line.partition(" ")[2] for line in body[3:]}


class _ChainState:
    def __init__(self):
        self.problems, self.more = [], 0
        self.prev, self.expected_seq, self.count = GENESIS, 1, 0

    def add(self, line: int, message: str, file: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(ChainProblem(line, message, file))
        else:
            self.more += 1

    def resume(self, checkpoint: str) -> None:
        lines = checkpoint.split("\n")
        self.expected_seq = int(lines[1]) + 1
        self.prev = base64.b64decode(lines[2]).hex()

    def check_file(self, path: Path, name: str, open_segment: bool = False) -> str:
        """Check every line of `path` against the chain; the file's SHA-256."""
        digest = hashlib.sha256()
        number = 0
        if path.exists():
            with open(path, "rb") as handle:
                for number, line in enumerate(handle, 1):
                    digest.update(line)
                    if not line.endswith(b"\n"):
                        self.add(number, "last line is incomplete", name)
                        break
                    self.check_entry(line, number, name)
        elif not open_segment:
            self.add(0, "sealed segment is missing", name)
        return digest.hexdigest()

    def check_entry(self, line: bytes, number: int, name: str) -> None:
        self.count += 1
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict):
                raise ValueError
        except ValueError:
            self.add(number, "not a JSON entry", name)
            return
        if entry.get("hash") != entry_hash(entry):
            self.add(number, "entry was edited: its hash does not match its content", name)
        if entry.get("prev") != self.prev:
            self.add(number, "chain broken: an entry before this one was removed, edited "
                             "or moved", name)
        if entry.get("seq") != self.expected_seq:
            self.add(number, f"sequence number {entry.get('seq')} where "
                             f"{self.expected_seq} was expected", name)
        if entry.get("type") not in EVENT_TYPES:
            self.add(number, f"unknown event type {entry.get('type')!r}", name)
        self.prev = entry.get("hash", "")
        self.expected_seq = (entry.get("seq") if isinstance(entry.get("seq"), int)
                             else self.expected_seq) + 1

    def report(self, checkpoint) -> ChainReport:
        return ChainReport(self.problems, self.prev, self.count, checkpoint, self.more)


def _check_checkpoint(text: str, segment: Segment, digest: str, state: _ChainState,
                      previous: str | None, trust) -> None:
    from archivekit.trust.tlog import CheckpointInvalid, parse_checkpoint, verify_checkpoint
    name = segment.checkpoint_path.name
    try:
        checkpoint = parse_checkpoint(text)[0]
        if trust is not None:
            verify_checkpoint(text, trust)
    except CheckpointInvalid as exc:
        state.add(0, f"checkpoint {exc}", name)
        return
    extensions = _extensions(text)
    if checkpoint.size != state.expected_seq - 1 or checkpoint.root.hex() != state.prev:
        state.add(0, "the segment does not end where its checkpoint says", name)
    if not extensions.get("segment", "").endswith(f"sha256 {digest}"):
        state.add(0, "the segment's bytes are not those its checkpoint vouches for", name)
    expected = hashlib.sha256(previous.encode()).hexdigest() if previous else GENESIS
    if extensions.get("previous") != expected:
        state.add(0, "the checkpoint does not chain to the one before", name)
