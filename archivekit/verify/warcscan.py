"""A strict, streaming reader of gzip WARC files, fed the bytes the fixity pass reads.

Why not warcio here: `warcio check` swallows inflate errors and passes truncated
files, and its iterator buffers per record. Verification must see every gzip
defect and keep memory bounded, so this scanner inflates member by member (ISA-L
or zlib, see inflate.py; both check each member's CRC-32 and length) and parses
records as a state machine. warcio still writes every record and is used in the
tests as an independent reader.
"""

import hashlib
from dataclasses import dataclass, field

from archivekit.formats import digests
from archivekit.formats.layout import WARC_PATH
from archivekit._internal import inflate
from archivekit._internal.limits import Budget
from archivekit.verify.findings import Finding

HEADER_LIMIT = 1 << 16          # WARC or HTTP header block
INFLATE_CHUNK = 1 << 20
# The inflater is given a window of the input that starts small with each gzip member
# and doubles while the member goes on: at a member's end it copies the input it did
# not use into `unused_data`, and with a fixed 1 MiB window and 50,000 small members
# that copying alone cost more than the inflating.
FIRST_WINDOW = 1 << 10
LAST_WINDOW = 256 << 10
OFFLOAD_FROM = 1 << 20          # blocks this large are hashed on the HashPipe, if given
MAX_RATIO = 1100                # deflate cannot expand more than ~1032:1
REQUIRED_FIELDS = ("WARC-Record-ID", "WARC-Type", "WARC-Date", "Content-Length")
KEPT_TYPES = ("metadata", "warcinfo")
# Only these headers stay with a record after its block is read (memory per record).
KEPT_HEADERS = ("WARC-Record-ID", "WARC-Type", "WARC-Target-URI", "WARC-Payload-Digest",
                "Content-Type", "WARC-Refers-To", "WARC-Date")
DEFAULT_PATH = WARC_PATH   # the path findings name by default: a package's own WARC


@dataclass(slots=True)
class ScannedRecord:
    """What the scanner saw of one WARC record: where it is, its headers, its block's digest
    and size, and how its declared digests compared."""
    offset: int                  # of its gzip member in the file
    length: int = 0              # compressed length of the member
    version: str = ""
    headers: dict = field(default_factory=dict)
    id: str | None = None        # WARC-Record-ID
    type: str | None = None      # WARC-Type
    block_sha256: str | None = None
    block_size: int = 0
    block_check: "DigestCheck | None" = None     # None: the record broke before its end
    payload_check: "DigestCheck | None" = None   # None: no payload digest to check
    payload_size: int | None = None
    block: bytes | None = None           # kept for metadata and warcinfo records


def parse_header_fields(text: str) -> dict | str:
    """'Name: value' lines into a dict (the first of a repeated name wins; folded lines
    join their field), or a message naming the malformed line."""
    if not text:
        return {}
    fields, last = {}, None
    for line in text.split("\r\n"):
        if line[:1] in (" ", "\t") and last:
            fields[last] += " " + line.strip()
            continue
        name, sep, value = line.partition(":")
        name = name.strip()
        if not sep or not name:
            return f"malformed WARC header line {line[:60]!r}"
        fields.setdefault(name, value.strip())
        last = name
    return fields


MATCH, MISMATCH, ABSENT, UNREADABLE = "match", "mismatch", "absent", "unreadable"


@dataclass(frozen=True, slots=True)
class DigestCheck:
    """A declared WARC digest against the record's bytes, in the declared algorithm."""
    declared: str | None
    computed: str | None        # None when the declared value cannot be read
    outcome: str                # MATCH, MISMATCH, ABSENT (nothing declared) or UNREADABLE
    reason: str | None = None   # with UNREADABLE: why


class _Hashes:
    """sha256 always (the descriptor's spelling), plus the algorithm a header names."""

    def __init__(self, declared: str | None, hashing: bool = True):
        self.declared = declared
        self.problem = None
        self.algorithm = None
        if declared and declared.startswith("sha256:"):
            self.algorithm = "sha256"    # our own spelling; its value is read in check()
        elif declared:
            try:
                self.algorithm = digests.parse(declared)[0]
            except ValueError as exc:
                self.problem = str(exc)
        self.sha256 = hashlib.sha256() if hashing else None
        self.other = (hashlib.new(self.algorithm) if hashing and self.algorithm not in
                      (None, "sha256") else None)

    def update(self, data) -> None:
        self.sha256.update(data)
        if self.other:
            self.other.update(data)

    def share(self, other: "_Hashes") -> None:
        """Use another's digests (the same bytes, hashed once)."""
        self.sha256, self.other = other.sha256, other.other

    def check(self, sha256_label: str) -> DigestCheck:
        """The declared digest against what was hashed (`sha256_label`: the sha256 one)."""
        computed = (sha256_label if self.other is None else
                    digests.label(self.algorithm, self.other.digest()))
        if self.problem:
            return DigestCheck(self.declared, None, UNREADABLE, self.problem)
        if self.algorithm is None:
            return DigestCheck(self.declared, computed, ABSENT)
        if self.declared == computed:     # our own spelling: no need to decode it
            return DigestCheck(self.declared, computed, MATCH)
        try:
            algorithm, expected = digests.parse(self.declared)
        except ValueError as exc:
            return DigestCheck(self.declared, None, UNREADABLE, str(exc))
        matches = digests.label(algorithm, expected) == computed
        return DigestCheck(self.declared, computed, MATCH if matches else MISMATCH)


class _RecordParser:
    """Parses the one record a gzip member should hold."""

    def __init__(self, offset: int, findings: list, budget: Budget, pipe=None,
                 path=DEFAULT_PATH):
        self.record = ScannedRecord(offset)
        self.path = path
        self.findings = findings
        self.budget = budget
        self.pipe = pipe         # a HashPipe, for the blocks of large records
        self.state = "header"
        self.buf = bytearray()
        self.remaining = 0
        # Set from each record's header (_start_block):
        self.block_hashes: _Hashes | None = None
        self.payload_hashes: _Hashes | None = None   # None: no payload digest declared
        self.payload_is_block = True     # no HTTP headers: the payload is the whole block
        self.payload_size = 0
        self.http_head: bytearray | None = None     # the HTTP header block, while it grows
        self.kept: list | None = None    # the block's chunks, for kept record types

    def _fail(self, code, message, **details):
        self.findings.append(Finding(code, message, path=self.path,
                                     record=self.record.id or f"@{self.record.offset}", **details))
        self.state = "broken"

    def feed(self, data: bytes) -> bytes:
        """Take the record's bytes; return what follows its end (the next record's, in
        an uncompressed WARC; in a gzip member, bytes that should not be there)."""
        while data and self.state not in ("broken",):
            if self.state == "header":
                if self.buf:   # a header split across inflated chunks: gather it
                    self.buf += data
                    data, self.buf = bytes(self.buf), bytearray()
                end = data.find(b"\r\n\r\n")
                if end < 0:
                    self.buf += data
                    if len(self.buf) > HEADER_LIMIT:
                        self._fail("AK304", "WARC header block has no end within 64 KiB")
                    return b""
                head, data = data[:end], data[end + 4:]
                self._start_block(head)
            elif self.state == "block":
                take = data[: self.remaining]
                data = data[len(take):]
                self._consume_block(take)
            elif self.state == "trailer":
                self.buf += data
                data = b""
                if len(self.buf) >= 4:
                    if bytes(self.buf[:4]) != b"\r\n\r\n":
                        self._fail("AK304", "record block is not followed by CRLF CRLF "
                                            "(Content-Length disagrees with the block)")
                        return b""
                    extra = bytes(self.buf[4:])
                    self.state = "done"
                    self.buf = bytearray()
                    data = extra
            elif self.state == "done":
                return data
        return b""

    def _start_block(self, head: bytes) -> None:
        record = self.record
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError:
            return self._fail("AK304", "WARC header is not UTF-8")
        record.version, _, text = text.partition("\r\n")
        if record.version not in ("WARC/1.1", "WARC/1.0"):
            return self._fail("AK304", f"not a WARC record (first line {record.version[:40]!r})")
        headers = parse_header_fields(text)
        if isinstance(headers, str):
            return self._fail("AK304", headers)
        record.headers = headers
        record.id, record.type = headers.get("WARC-Record-ID"), headers.get("WARC-Type")
        missing = [f for f in REQUIRED_FIELDS if f not in record.headers]
        if missing:
            self.findings.append(Finding("AK305", f"record lacks {', '.join(missing)}",
                                         path=self.path,
                                         record=record.id or f"@{record.offset}"))
        try:
            self.remaining = int(record.headers.get("Content-Length", ""))
            if self.remaining < 0:
                raise ValueError
        except ValueError:
            return self._fail("AK304", "Content-Length missing or not a whole number")
        self.block_hashes = _Hashes(record.headers.get("WARC-Block-Digest"))
        declared_payload = record.headers.get("WARC-Payload-Digest")
        content_type = record.headers.get("Content-Type", "")
        self.http_head = bytearray() if content_type.startswith("application/http") else None
        # Without HTTP headers the payload is the block: hash it once, not twice.
        self.payload_is_block = self.http_head is None
        self.payload_hashes = None
        if declared_payload:
            self.payload_hashes = _Hashes(declared_payload, hashing=not self.payload_is_block)
            if self.payload_is_block and self.payload_hashes.algorithm not in (
                    None, self.block_hashes.algorithm or "sha256"):
                self.payload_is_block = False   # a different algorithm: a second hash
                self.payload_hashes = _Hashes(declared_payload)
        self.payload_size = 0
        if self.pipe is not None and self.remaining < OFFLOAD_FROM:
            self.pipe = None     # a small block: handing it over costs more than hashing it
        self.kept = None
        if record.type in KEPT_TYPES:
            limit = self.budget.limits.kept_block_bytes
            if self.remaining <= limit:
                self.budget.keep(self.remaining, self.path)
                record.block = b""
                self.kept = []
            else:   # never compared with the descriptor: say so
                self.findings.append(Finding(
                    "AK108", f"{record.type} record of {self.remaining} bytes, over the "
                    f"kept_block_bytes limit ({limit}); not compared", path=self.path,
                    record=record.id or f"@{record.offset}"))
        self.state = "block"
        if self.remaining == 0:
            self._end_block()

    def _consume_block(self, data: bytes) -> None:
        self.remaining -= len(data)
        self.record.block_size += len(data)
        self._hash(self.block_hashes, data)
        if self.kept is not None:
            self.kept.append(data)
        if self.payload_hashes is not None and self.payload_is_block:
            self.payload_size += len(data)
        elif self.payload_hashes is not None:
            if self.http_head is not None:
                # Payload = the block after the HTTP header block.
                self.http_head += data
                end = self.http_head.find(b"\r\n\r\n")
                if end >= 0:
                    data = bytes(self.http_head[end + 4:])
                    self.http_head = None
                elif len(self.http_head) > HEADER_LIMIT:
                    self.http_head, self.payload_hashes = None, None
                    data = b""
                else:
                    data = b""
            if data and self.payload_hashes is not None:
                self._hash(self.payload_hashes, data)
                self.payload_size += len(data)
        if self.remaining == 0:
            self._end_block()

    def _hash(self, hashes: "_Hashes", data: bytes) -> None:
        if self.pipe is None:
            hashes.update(data)
        else:
            self.pipe.submit(hashes.update, data)

    def _end_block(self) -> None:
        record = self.record
        record.headers = {k: record.headers[k] for k in KEPT_HEADERS if k in record.headers}
        record.payload_size = self.payload_size if self.payload_hashes is not None else None
        if self.kept is not None:
            record.block = b"".join(self.kept)
        if self.pipe is None:
            self._read_digests()
        else:   # after the pipe's last update to these digests
            self.pipe.submit(self._read_digests)
        self.state = "trailer"

    def _read_digests(self) -> None:
        record = self.record
        record.block_sha256 = digests.label("sha256", self.block_hashes.sha256.digest())
        record.block_check = self.block_hashes.check(record.block_sha256)
        if self.payload_hashes is not None:
            if self.payload_is_block:
                self.payload_hashes.share(self.block_hashes)
                sha256_label = record.block_sha256
            else:
                sha256_label = digests.label("sha256", self.payload_hashes.sha256.digest())
            record.payload_check = self.payload_hashes.check(sha256_label)

    def finish(self, container: str = "its gzip member") -> None:
        if self.state == "done" or self.state == "broken":
            return
        where = {"header": "in its header", "block": f"{self.remaining} block bytes short",
                 "trailer": "before its closing CRLF CRLF"}[self.state]
        self._fail("AK304", f"record ends with {container}, {where}")


class WarcScanner:
    """Feed compressed bytes in order with feed(); call close(); read records and findings.

    With a `pipe`, the blocks of large records are hashed on its thread: their digests
    are known only after the pipe has finished.
    """

    def __init__(self, backend: str | None = None, pipe=None, budget: Budget | None = None,
                 path: str = DEFAULT_PATH, gzipped: bool = True):
        self._start_inflater, self._long_inflater = inflate.member_inflaters(backend)
        self._pipe = pipe
        self.budget = budget or Budget()
        self.inflated = 0          # bytes inflated from the whole file
        self.path = path          # named in findings
        self.gzipped = gzipped    # False: an uncompressed WARC, records one after another
        self.records: list[ScannedRecord] = []
        self.findings: list[Finding] = []
        self.offset = 0            # compressed bytes consumed
        self.failed_at = None      # offset after which nothing was checked
        self._inflater = None
        self._parser = None
        self._pending = b""
        self._member_start = 0     # where the current gzip member starts
        self._inflated = 0         # bytes it has inflated to so far
        self._window = FIRST_WINDOW

    def _fail(self, code: str, message: str) -> None:
        self.findings.append(Finding(code, message, path=self.path))
        self.failed_at = self.offset
        self._inflater = None

    def feed(self, data: bytes) -> None:
        """Scan the next bytes of the WARC file."""
        self._feed(data, final=False)

    def _feed(self, data: bytes, final: bool) -> None:
        if self.failed_at is not None:
            return
        if not self.gzipped:
            return self._feed_plain(data)
        view = memoryview(self._pending + data if self._pending else data)
        self._pending = b""
        while view:
            if self._inflater is None:
                # A member starts with a whole first window (unless the file ends), so
                # that it can be started again on the other inflater.
                if len(view) < (2 if final else FIRST_WINDOW):
                    self._pending = bytes(view)
                    return
                if bytes(view[:2]) != b"\x1f\x8b":
                    if self.offset == 0:
                        return self._fail("AK303", "not a gzip file (no gzip magic at byte 0)")
                    return self._fail("AK301", f"bytes at offset {self.offset} are not a gzip "
                                               "member (garbage after the last record?)")
                if len(self.records) >= self.budget.limits.records:
                    return self._fail("AK108", f"more than {self.budget.limits.records} "
                                               "records (records limit); the rest not checked")
                self._inflater = self._start_inflater()
                self._parser = _RecordParser(self.offset, self.findings, self.budget,
                                             self._pipe, self.path)
                self._member_start, self._inflated = self.offset, 0
                self._window = FIRST_WINDOW
            window = view[:self._window]
            if (out := self._inflate(window)) is None:
                return
            eof = self._inflater.eof
            if not eof and self._window == FIRST_WINDOW:
                # Longer than its first window: start again on the faster inflater.
                self._inflater = self._long_inflater()
                if (out := self._inflate(window)) is None:
                    return
                eof = self._inflater.eof
            used = len(window) - len(self._inflater.unused_data if eof
                                     else self._inflater.unconsumed_tail)
            if not used and not out:   # cannot happen with a sound inflater; never loop
                return self._fail("AK301", f"gzip member at offset {self._member_start} "
                                           "cannot be inflated (no progress)")
            self.offset += used
            view = view[used:]
            self._window = min(self._window * 2, LAST_WINDOW)
            self._inflated += len(out)
            if self._inflated > MAX_RATIO * (self.offset - self._member_start) + (1 << 20):
                return self._fail("AK301", f"gzip member at offset {self._member_start} "
                                           "expands beyond what deflate can produce")
            self.inflated += len(out)
            limits = self.budget.limits
            if self.inflated > limits.expansion * self.offset + limits.expansion_allowance:
                return self._fail("AK108", f"the WARC inflates to more than {limits.expansion} "
                                           f"times its size (expansion limit); the rest not checked")
            self.budget.spend(len(out), self.path)
            if self._parser.feed(out):
                self._parser._fail("AK310", "gzip member holds more than one record, or "
                                   "bytes after it")
            if eof:
                self._end_member()

    def _feed_plain(self, data: bytes) -> None:
        """Uncompressed: each record's end is where the next begins."""
        while data:
            if self._parser is None:
                if self.offset == 0 and not data.startswith(b"WARC/"[:len(data)]):
                    return self._fail("AK304", "not a WARC file (it does not begin 'WARC/')")
                self._parser = _RecordParser(self.offset, self.findings, self.budget,
                                             self._pipe, self.path)
            rest = self._parser.feed(data)
            self.offset += len(data) - len(rest)
            data = rest
            if self._parser.state == "broken":
                self.failed_at = self.offset
                return
            if self._parser.state == "done":
                self._parser.record.length = self.offset - self._parser.record.offset
                self.records.append(self._parser.record)
                self._parser = None

    def _inflate(self, window) -> bytes | None:
        try:
            return self._inflater.decompress(window, INFLATE_CHUNK)
        except inflate.InflateError as exc:
            self._fail("AK301", f"gzip member at offset {self._member_start} is corrupt: "
                                f"{inflate.describe(exc)}")
            return None

    def _end_member(self) -> None:
        self._parser.finish()
        record = self._parser.record
        record.length = self.offset - self._member_start
        self.records.append(record)
        self._inflater = self._parser = None

    def close(self) -> None:
        """The file has ended: a record or gzip member left unfinished is a finding."""
        if not self.gzipped:
            if self._parser is not None and self.failed_at is None:
                self._parser.finish("the file")   # the file ends inside a record
                self.failed_at = self.offset
            elif self.offset == 0 and self.failed_at is None:
                self._fail("AK303", "WARC file is empty")
            return
        if self._pending:
            self._feed(b"", final=True)
        if self.failed_at is not None:
            return
        if self._inflater is not None or self._pending:
            start = self._member_start if self._inflater is not None else self.offset
            self._fail("AK302", f"gzip member at offset {start} is truncated "
                                "(the file ends inside it)")
        elif self.offset == 0:
            self._fail("AK303", "WARC file is empty")
