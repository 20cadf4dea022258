"""The streaming WARC scanner gives the same answer however its input is cut, whichever
inflater it uses, and whether or not large blocks are hashed on a second thread; damaged
or hostile WARCs become findings, in bounded memory."""

import gzip
import hashlib
import io
import os
import subprocess
import sys

import pytest

from archivekit._internal import inflate
from archivekit._internal.hashpipe import HashPipe
from archivekit.verify.warcscan import OFFLOAD_FROM, WarcScanner, parse_header_fields
from archivekit.formats.warc import ClippingWarcWriter
from conftest import finding_codes, no_crash, reseal, signing_key, verify_here
from support.tamper import WARC, members, rewrite_member

BACKENDS = sorted(inflate.BACKENDS)
DATE = "2026-11-28T12:00:00Z"
BIG = os.urandom(OFFLOAD_FROM // 2) * 5      # 2.5 MiB, above the offload threshold


def _summary(scanner):
    return [(r.id, r.type, r.offset, r.length, r.block_sha256, r.block_check, r.payload_check,
             r.payload_size) for r in scanner.records]


def _scan(data: bytes, backend=None, piped=False, cut=1 << 20):
    pipe = HashPipe() if piped else None
    scanner = WarcScanner(backend=backend, pipe=pipe)
    for start in range(0, len(data), cut):
        scanner.feed(data[start:start + cut])
    if pipe:
        pipe.finish()
    scanner.close()
    return scanner


@pytest.fixture(scope="module")
def warc():
    """warcinfo, a large resource record, a small one: as archivekit writes them."""
    out = io.BytesIO()
    writer = ClippingWarcWriter(out)
    writer.warcinfo(DATE, {"operator": "test"})
    writer.resource("urn:test:big", DATE, "application/octet-stream", io.BytesIO(BIG), len(BIG))
    writer.resource("urn:test:small", DATE, "text/plain", io.BytesIO(b"small"), 5)
    return out.getvalue(), writer.inventory


@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_chunk_boundaries_do_not_matter(sealed, size):
    _, package = sealed
    data = (package / "data/clipping.warc.gz").read_bytes()
    whole, pieces = _scan(data, cut=len(data)), _scan(data, cut=size)
    assert whole.findings == pieces.findings == []
    assert _summary(pieces) == _summary(whole)
    assert len(whole.records) == 3


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("piped", [False, True])
def test_every_inflater_and_hashing_thread_agree(warc, backend, piped):
    data, inventory = warc
    scanner = _scan(data, backend, piped, cut=100_000)
    assert scanner.findings == []
    assert _summary(scanner) == _summary(_scan(data, "zlib"))
    big = scanner.records[1]
    assert big.block_sha256 == "sha256:" + hashlib.sha256(BIG).hexdigest()
    assert big.block_check.outcome == big.payload_check.outcome == "match"
    assert big.payload_size == len(BIG)
    assert [(r.offset, r.length) for r in scanner.records] == \
        [(e["offset"], e["length"]) for e in inventory]


def _member(data, inventory, index):
    entry = inventory[index]
    return entry["offset"], entry["offset"] + entry["length"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("piped", [False, True])
def test_a_changed_block_in_a_sound_gzip_member_is_caught(warc, backend, piped):
    """The gzip CRC is right (the member was recompressed), the record digest is not."""
    data, inventory = warc
    start, end = _member(data, inventory, 1)
    record = bytearray(gzip.decompress(data[start:end]))
    record[-100] ^= 0x01
    forged = data[:start] + gzip.compress(bytes(record)) + data[end:]
    scanner = _scan(forged, backend, piped)
    assert scanner.findings == []
    big = scanner.records[1]
    assert big.block_check.outcome == big.payload_check.outcome == "mismatch"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("piped", [False, True])
@pytest.mark.parametrize("member", [1, 2], ids=["large", "small"])
@pytest.mark.parametrize("damage, code", [
    ("crc", "AK301"), ("deflate", "AK301"), ("length", "AK301"), ("truncate", "AK302")])
def test_gzip_damage_is_found_by_every_path(warc, backend, piped, member, damage, code):
    """A large member is restarted on the faster inflater after its first window; a
    small one ends inside it: both paths must see every kind of damage."""
    data, inventory = warc
    start, end = _member(data, inventory, member)
    broken = bytearray(data)
    if damage == "crc":
        broken[end - 8] ^= 0x01          # the member's CRC-32
    elif damage == "length":
        broken[end - 1] ^= 0x01          # the member's ISIZE
    elif damage == "deflate":
        broken[(start + end) // 2] ^= 0xFF
    else:
        broken = broken[:(start + end) // 2]
    scanner = _scan(bytes(broken), backend, piped, cut=65536)
    assert code in {f.code for f in scanner.findings}
    assert scanner.failed_at is not None


def test_header_fields_first_of_a_repeated_name_wins_and_folds_join():
    assert parse_header_fields("A: 1\r\nB:  2 \r\nA: 3") == {"A": "1", "B": "2"}
    assert parse_header_fields("A: 1\r\n  more\r\nB: 2") == {"A": "1 more", "B": "2"}
    assert parse_header_fields("") == {}
    assert "malformed" in parse_header_fields("A: 1\r\nno colon here")
    assert "malformed" in parse_header_fields(": no name")


def test_warc_that_is_not_gzip(package):
    cli, bag = package
    warc = bag / "data/clipping.warc.gz"
    warc.write_bytes(gzip.decompress(warc.read_bytes()))
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    no_crash(result)
    assert "AK303" in finding_codes(report)


def test_warc_with_garbage_after_the_last_member(package):
    cli, bag = package
    warc = bag / "data/clipping.warc.gz"
    warc.write_bytes(warc.read_bytes() + b"trailing junk")
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    no_crash(result)
    assert "AK301" in finding_codes(report)


def test_empty_warc(package):
    cli, bag = package
    (bag / "data/clipping.warc.gz").write_bytes(b"")
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    no_crash(result)
    assert "AK303" in finding_codes(report)


def test_gzip_bomb_inside_the_warc_stays_bounded(package):
    """A member that inflates to 256 MiB of one record header: found, not buffered."""
    cli, bag = package
    warc = bag / "data/clipping.warc.gz"
    compressor = __import__("zlib").compressobj(9, 8, 31)
    bomb = compressor.compress(b"WARC/1.1\r\nX-Padding: ")
    chunk = b"a" * (1 << 20)
    for _ in range(256):
        bomb += compressor.compress(chunk)
    bomb += compressor.flush()
    warc.write_bytes(bomb)
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    no_crash(result)
    assert "AK304" in finding_codes(report)


def test_verify_memory_stays_bounded_on_a_large_record(cli, tmp_path):
    """A 64 MiB source: the verifier's peak memory stays far below the file size."""
    big = tmp_path / "big.png"
    with open(big, "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        for _ in range(64):
            handle.write(os.urandom(1 << 20))
    made = cli("capture", big, "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    # VmHWM is the peak of this process alone (ru_maxrss is inherited across fork).
    script = ("import sys\nfrom archivekit.cli import main\n"
              "try:\n    main(['verify', sys.argv[1]])\nexcept SystemExit as e:\n"
              "    print('rc', e.code)\n"
              "print(open('/proc/self/status').read())\n")
    result = subprocess.run([sys.executable, "-c", script, made.stdout.strip()],
                            capture_output=True, text=True, env=cli.env())
    assert "rc 0" in result.stdout, result.stdout + result.stderr
    peak_kib = int(result.stdout.split("VmHWM:")[1].split()[0])
    assert peak_kib < 100 * 1024, f"peak RSS {peak_kib} KiB"


# --- limits: records, kept blocks, expansion -------------------------------------------


def _members(count: int, kind: str = "resource", block: bytes = b"") -> bytes:
    """A warcinfo record and `count` records of `kind` (metadata: a JSON document of
    about len(block) bytes)."""
    out = io.BytesIO()
    writer = ClippingWarcWriter(out)
    writer.warcinfo(DATE, {"operator": "test"})
    for number in range(count):
        if kind == "metadata":
            writer.metadata(DATE, f"<urn:test:{number}>", {"padding": block.decode()})
        else:
            writer.resource(f"urn:test:{number}", DATE, "text/plain", io.BytesIO(block), len(block))
    return out.getvalue()


def _budget(**limits):
    from archivekit._internal.limits import Budget, Limits
    return Budget(Limits().replace(**limits))


def test_records_beyond_the_limit_are_not_scanned():
    """200,000 empty records once held 832 MB: past the records limit, scanning stops."""
    scanner = WarcScanner(budget=_budget(records=50))
    scanner.feed(_members(80))
    scanner.close()
    assert len(scanner.records) == 50
    assert [f.code for f in scanner.findings] == ["AK108"]
    assert "records limit" in scanner.findings[0].message


def test_a_large_metadata_block_is_not_kept_and_says_so():
    scanner = WarcScanner(budget=_budget(kept_block_bytes=1 << 10))
    scanner.feed(_members(2, "metadata", b" " * 4096))
    scanner.close()
    metadata = [r for r in scanner.records if r.type == "metadata"]
    assert len(metadata) == 2 and all(r.block is None for r in metadata)
    assert [f.code for f in scanner.findings] == ["AK108", "AK108"]


def test_kept_blocks_together_stay_within_kept_bytes():
    """Many metadata records, each under the per-record limit: together they may not
    hold more than kept_bytes in memory."""
    from archivekit._internal.limits import LimitExceeded
    scanner = WarcScanner(budget=_budget(kept_block_bytes=64 << 10, kept_bytes=256 << 10))
    with pytest.raises(LimitExceeded, match="kept_bytes"):
        scanner.feed(_members(10, "metadata", b" " * (60 << 10)))


def test_a_warc_that_inflates_past_the_expansion_limit():
    """Members that each stay within deflate's own ratio, together far beyond 100:1."""
    scanner = WarcScanner(budget=_budget(expansion_allowance=1 << 20))
    scanner.feed(_members(8, block=bytes(1 << 20)))
    scanner.close()
    assert "AK108" in [f.code for f in scanner.findings]
    assert scanner.inflated < 4 << 20


def test_a_record_without_a_required_field(package):
    cli, bag = package
    rewrite_member(bag, 1, lambda record: record.replace(b"\r\nWARC-Date:", b"\r\nX-Date:", 1))
    report = verify_here(cli, bag)
    assert [f.message for f in report.findings if f.code == "AK305"] == [
        "record lacks WARC-Date"]


def test_two_records_in_one_gzip_member(package):
    cli, bag = package
    parts = members(bag / WARC)
    merged = gzip.compress(gzip.decompress(parts[0]) + gzip.decompress(parts[1]))
    (bag / WARC).write_bytes(merged + b"".join(parts[2:]))
    report = verify_here(cli, bag)
    assert "AK310" in report.codes(), report.findings


def _plain(*records: bytes) -> list[tuple[str, str]]:
    """(code, message) of what the scanner finds in `records`, read as a plain WARC."""
    scanner = WarcScanner(gzipped=False)
    for record in records:
        scanner.feed(record)
    scanner.close()
    return [(f.code, f.message) for f in scanner.findings]


def _record(head: bytes, block: bytes = b"hello", length: int | None = None) -> bytes:
    return (head + b"Content-Length: %d\r\n\r\n" % (len(block) if length is None else length)
            + block + b"\r\n\r\n")


SOUND_HEAD = (b"WARC/1.1\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Type: resource\r\n"
              b"WARC-Date: 2026-01-01T00:00:00Z\r\n")


@pytest.mark.parametrize("data, finding", [
    (_record(b"WARC/1.1\r\nWARC-Type: \xff\r\n"), ("AK304", "WARC header is not UTF-8")),
    (_record(b"WARC/0.9\r\n"), ("AK304", "not a WARC record (first line 'WARC/0.9')")),
    (_record(SOUND_HEAD + b"no colon here\r\n"),
     ("AK304", "malformed WARC header line 'no colon here'")),
    (SOUND_HEAD + b"Content-Length: many\r\n\r\nhello\r\n\r\n",
     ("AK304", "Content-Length missing or not a whole number")),
    (_record(SOUND_HEAD, length=3),
     ("AK304", "record block is not followed by CRLF CRLF (Content-Length disagrees with "
               "the block)")),
])
def test_each_broken_record_header_is_named(data, finding):
    assert finding in _plain(data)


def test_what_is_not_a_warc_at_all():
    assert ("AK303", "WARC file is empty") in _plain()
    scanner = WarcScanner()
    scanner.feed(b"plain text, no gzip magic")
    scanner.close()
    assert ("AK303", "not a gzip file (no gzip magic at byte 0)") in [
        (f.code, f.message) for f in scanner.findings]
