"""The audit log: append-only JSON lines of PREMIS events, each bound to the one before.

Every entry carries `seq`, `prev` (the previous entry's hash) and `hash`: SHA-256 over
the entry's canonical JSON without `hash`. Editing, removing or reordering an entry
breaks the chain at that position. (Cutting entries off the end cannot be seen from
the file alone: compare the head hash with one kept elsewhere — `log --verify` prints it.)
"""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.software import __version__
from archivekit._internal.fsutil import fsync_dir
from archivekit.formats.premis import EVENT_TYPES, premis_uri
from archivekit._internal.timeutil import format_time, utc_now

GENESIS = "0" * 64


def entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class ChainProblem:
    line: int          # 1-based line in audit.jsonl
    message: str


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _raw(self) -> bytes:
        return self.path.read_bytes() if self.path.exists() else b""

    def entries(self, raw: bytes | None = None) -> list[dict]:
        """Every whole line (`raw`: the log's bytes, if already read)."""
        raw = self._raw() if raw is None else raw
        entries = []
        for line in raw.split(b"\n")[:-1]:     # the last piece is empty or a torn line
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                entries.append({"_unreadable": line.decode("utf-8", "replace")})
        return entries

    def _tail(self) -> tuple[int, str, bool]:
        """(last seq, last hash, whether a torn last line was dropped). Reads the last
        line only: the log grows by thousands of events a night."""
        torn = self._drop_torn_line()
        last = self._last_line()
        if last is None:
            return 0, GENESIS, torn
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
        fsync (a crash may cut the batch short after a whole entry, never inside one: the
        torn tail is dropped by the next append). The caller holds the collection lock."""
        if not events:
            return []
        seq, prev, torn = self._tail()
        entries, lines = [], []
        for number, event in enumerate(events):
            detail = event["detail"]
            if torn and number == 0:
                detail += " (an unfinished entry from an interrupted run was dropped)"
            operator = event.get("operator")
            agent = f"archivekit/{__version__}" + (f" operated by {operator}" if operator else "")
            entry = {"seq": seq + 1, "time": format_time(utc_now()), "type": event["event_type"],
                     "premis_uri": premis_uri(event["event_type"]), "agent": agent,
                     "outcome": event["outcome"], "package": event.get("package"),
                     "detail": detail, "prev": prev}
            if event.get("extra"):
                entry["extra"] = event["extra"]
            entry["hash"] = entry_hash(entry)
            seq, prev = entry["seq"], entry["hash"]
            entries.append(entry)
            lines.append(json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n")
        new = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, "".join(lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        if new:
            fsync_dir(self.path.parent)
        return entries

    def verify(self) -> tuple[list[ChainProblem], str, int]:
        """Every break in the chain, by line; the head hash to keep elsewhere; the number
        of entries."""
        problems = []
        prev, expected_seq = GENESIS, 1
        raw = self._raw()
        if raw and not raw.endswith(b"\n"):
            problems.append(ChainProblem(raw.count(b"\n") + 1, "last line is incomplete"))
        entries = self.entries(raw)
        for number, entry in enumerate(entries, 1):
            if "_unreadable" in entry:
                problems.append(ChainProblem(number, "not a JSON entry"))
                continue
            if entry.get("hash") != entry_hash(entry):
                problems.append(ChainProblem(number, "entry was edited: its hash does not "
                                                     "match its content"))
            if entry.get("prev") != prev:
                problems.append(ChainProblem(number, "chain broken: an entry before this one "
                                                     "was removed, edited or moved"))
            if entry.get("seq") != expected_seq:
                problems.append(ChainProblem(number, f"sequence number {entry.get('seq')} where "
                                                     f"{expected_seq} was expected"))
            if entry.get("type") not in EVENT_TYPES:
                problems.append(ChainProblem(number, f"unknown event type {entry.get('type')!r}"))
            prev = entry.get("hash", "")
            expected_seq = (entry.get("seq") if isinstance(entry.get("seq"), int)
                            else expected_seq) + 1
        return problems, prev, len(entries)
