"""Hostile inputs at full size (issue 13), each answered by `archivekit` in a fresh
process: wall time, peak RSS and exit code. The goal: every one within 10 s and
256 MiB, with exit 1 (a finding), 2 (a usage error) or 3 (could not run).

    .venv/bin/python -m benchmarks.hostile
"""

import gzip
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from benchmarks.common import ROOT, measure

SEED = ROOT / "samples" / "nyt-2023-12-28-chinese-spy-agency.txt"


def _cli(home: Path, *args) -> list[str]:
    return [sys.executable, "-m", "archivekit", "--home", str(home), *map(str, args)]


def _package(work: Path, home: Path, container: str = "dir") -> Path:
    made = subprocess.run(_cli(home, "capture", SEED, "--out", work / f"archive-{container}",
                               "--as", container), capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return Path(made.stdout.strip())


def _members(bag: Path) -> list[tuple[str, bytes]]:
    return [(f"{bag.name}/{p.relative_to(bag).as_posix()}", p.read_bytes())
            for p in sorted(bag.rglob("*")) if p.is_file()]


def sparse_tar(work, bag):
    path = work / "sparse.tar"
    with tarfile.open(path, "w") as out:
        for name, data in _members(bag):
            member = tarfile.TarInfo(name)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    member = tarfile.TarInfo(f"{bag.name}/data/huge.bin")
    member.type = tarfile.GNUTYPE_SPARSE
    header = bytearray(member.tobuf(tarfile.GNU_FORMAT))
    header[483:495] = b"%011o\0" % (1 << 40)
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header[:512])
    data = path.read_bytes().rstrip(b"\0")
    path.write_bytes(data + b"\0" * (-len(data) % 512) + bytes(header) + b"\0" * 1024)
    return path


def gzip_tar_named_tar(work, bag):
    path = work / "squeezed.tar"
    with tarfile.open(path, "w:gz") as out:
        out.add(bag, bag.name)
    return path


def zip_of_many_entries(work, bag):
    path = work / "many.zip"
    zeros = bytes(48 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in _members(bag):
            out.writestr(name, data)
        for number in range(200):   # 9.6 GB of zeros, each entry under the entry limit
            out.writestr(f"{bag.name}/data/zeros-{number}.bin", zeros)
    return path


def _warc_package(work, bag, name, records):
    target = work / name
    members = _members(bag)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for member, data in members:
            if member.endswith("clipping.warc.gz"):
                data += b"".join(records)
            out.writestr(member, data)
    return target


def _record(kind: str, block: bytes) -> bytes:
    head = (f"WARC/1.1\r\nWARC-Record-ID: <urn:uuid:{os.urandom(16).hex()}>\r\n"
            f"WARC-Type: {kind}\r\nWARC-Date: 2026-01-01T00:00:00Z\r\n"
            f"Content-Length: {len(block)}\r\n\r\n").encode()
    return gzip.compress(head + block + b"\r\n\r\n", 9)


def warc_of_200000_empty_records(work, bag):
    one = _record("resource", b"")
    return _warc_package(work, bag, "empty-records.zip", [one] * 200_000)


def warc_of_big_metadata_records(work, bag):
    one = _record("metadata", b" " * (16 << 20))
    return _warc_package(work, bag, "metadata.zip", [one] * 40)


def seals_of_whitespace(work, bag):
    path = work / "seals.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in _members(bag):
            out.writestr(name, data)
        for number in range(20):
            out.writestr(f"{bag.name}/signatures/{number + 2}-ed25519-{number:016x}.dsse.json",
                         b" " * (60 << 20))
    return path


def descriptor_100000_deep(work, bag):
    copy = work / "deep" / bag.name
    shutil.copytree(bag, copy)
    (copy / "archivekit" / "package.json").write_text("[" * 100_000 + "]" * 100_000)
    return copy


def billion_laughs(work):
    path = work / "laughs.yaml"
    path.write_text("keys: []\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
        for i in range(16)))
    return path


def yaml_20000_deep(work):
    path = work / "deep.yaml"
    path.write_text("keys: " + "[" * 20_000 + "]" * 20_000 + "\n")
    return path


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="ak-hostile-") as scratch:
        work = Path(scratch)
        home = work / "home"
        bag = _package(work, home)
        fifo = work / "pipe.zip"
        os.mkfifo(fifo)
        cases = [
            ("tar with a 1 TiB sparse member", ["verify", sparse_tar(work, bag)]),
            ("gzip-compressed tar named .tar", ["verify", gzip_tar_named_tar(work, bag)]),
            ("zip: 200 entries of 48 MiB zeros", ["verify", zip_of_many_entries(work, bag)]),
            ("WARC of 200,000 empty records", ["verify", warc_of_200000_empty_records(work, bag)]),
            ("WARC of 40 metadata records of 16 MiB", ["verify", warc_of_big_metadata_records(work, bag)]),
            ("20 seals of 60 MiB whitespace", ["verify", seals_of_whitespace(work, bag)]),
            ("descriptor nested 100,000 deep", ["verify", descriptor_100000_deep(work, bag)]),
            ("unpack: descriptor nested 100,000 deep",
             ["unpack", work / "deep" / bag.name, "--out", work / "out"]),
            ("FIFO as a package", ["verify", fifo]),
            ("FIFO as --trust", ["verify", bag, "--trust", fifo]),
            ("/dev/zero as --catalog", ["capture", SEED, "--catalog", "/dev/zero",
                                        "--out", work / "o"]),
            ("billion laughs as --trust", ["verify", bag, "--trust", billion_laughs(work)]),
            ("YAML 20,000 deep as --trust", ["verify", bag, "--trust", yaml_20000_deep(work)]),
        ]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        print(f"  {'hostile input':42} {'size':>9} {'seconds':>8} {'CPU s':>6} {'peak RSS':>9} "
              f"{'exit':>5}")
        for label, args in cases:
            target = next((Path(a) for a in args[1:] if isinstance(a, Path)), None)
            size = (target.stat().st_size if target and target.is_file() else 0)
            result = measure(_cli(home, *args), env=env)
            print(f"  {label:42} {size / 1e6:8.1f}M {result['seconds']:8.2f} "
                  f"{result['cpu_seconds']:6.2f} {result['rss_mib']:7.0f}Mi {result['code']:>5}",
                  flush=True)


if __name__ == "__main__":
    main()
