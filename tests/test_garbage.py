"""Garbage in, findings out: the verifier never crashes and never runs unbounded."""

import gzip
import os
import subprocess
import sys
import zipfile


from conftest import reseal, signing_key, zip_package


def _codes(report):
    return {f["code"] for f in report["packages"][0]["findings"]}


def _no_crash(result):
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 3), result.stdout


def test_empty_directory(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result, report = cli.verify_json(tmp_path / "empty")
    _no_crash(result)
    assert {"AK101", "AK103", "AK501"} <= _codes(report)


def test_random_bytes_named_zip(cli, tmp_path):
    path = tmp_path / "random.zip"
    path.write_bytes(os.urandom(4096))
    result, report = cli.verify_json(path)
    _no_crash(result)
    assert _codes(report) == {"AK100"}


def test_random_bytes_that_start_like_a_zip(cli, tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4096))
    result, report = cli.verify_json(path)
    _no_crash(result)
    assert "AK100" in _codes(report)


def test_plain_text_file(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is not a package\n")
    result, report = cli.verify_json(path)
    _no_crash(result)
    assert _codes(report) == {"AK100"}
    assert "not a package" in report["packages"][0]["findings"][0]["message"]


def test_missing_path_could_not_run(cli, tmp_path):
    result = cli("verify", tmp_path / "nowhere")
    assert result.returncode == 3 and "nowhere: no such file or directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_warc_that_is_not_gzip(package):
    cli, bag = package
    warc = bag / "data/clipping.warc.gz"
    warc.write_bytes(gzip.decompress(warc.read_bytes()))
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    _no_crash(result)
    assert "AK303" in _codes(report)


def test_warc_with_garbage_after_the_last_member(package):
    cli, bag = package
    warc = bag / "data/clipping.warc.gz"
    warc.write_bytes(warc.read_bytes() + b"trailing junk")
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    _no_crash(result)
    assert "AK301" in _codes(report)


def test_empty_warc(package):
    cli, bag = package
    (bag / "data/clipping.warc.gz").write_bytes(b"")
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    _no_crash(result)
    assert "AK303" in _codes(report)


def test_huge_zip_entry_is_not_inflated(package, tmp_path):
    """A zip bomb: 256 MiB of zeros in ~256 KiB. Refused from its header, never inflated."""
    cli, bag = package
    archive = zip_package(bag, tmp_path / "bomb.zip", leave_out=("clipping.warc.gz",))
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(f"{bag.name}/data/clipping.warc.gz", "w", force_zip64=True) as entry:
            zeros = bytes(1 << 24)
            for _ in range(16):
                entry.write(zeros)
    assert archive.stat().st_size < 8 << 20
    result, report = cli.verify_json(archive)
    _no_crash(result)
    assert "AK108" in _codes(report)


def test_deeply_nested_zip_entry(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "deep.zip",
                          [(f"{bag.name}/data/" + "d/" * 5000 + "leaf.txt", b"deep")])
    result, report = cli.verify_json(archive)
    _no_crash(result)
    assert "AK104" in _codes(report)


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
    _no_crash(result)
    assert "AK304" in _codes(report)


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
