"""Bad capture input: a clear message naming the input, exit 3, nothing written.
Odd but valid input (non-UTF-8 text) is preserved byte for byte."""

import json
import os

import pytest

from conftest import SEED
from support.collection import log_entries
from support.disk import small_disk, stopped_after_placing
from support.bags import make_bag
from support.webarchives import make_defective


def _nothing_written(out):
    return not out.exists() or not any(out.iterdir())


def test_missing_file(cli, tmp_path):
    result = cli("capture", tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.returncode == 3
    assert "nope.txt: no such file" in result.stderr
    assert _nothing_written(tmp_path / "out")


def test_directory(cli, tmp_path):
    result = cli("capture", tmp_path, "--out", tmp_path / "out")
    assert result.returncode == 3 and "is a folder without bagit.txt" in result.stderr
    assert _nothing_written(tmp_path / "out")


def test_a_name_that_is_not_utf8(cli, tmp_path):
    """A package records its source's name as text: such a name was a traceback."""
    name = os.path.join(os.fsencode(tmp_path), b"clip-\xe9t\xe9.txt")     # Latin-1 bytes
    with open(name, "wb") as handle:
        handle.write(b"Port Reopens\n\nBy Al Roe\n")
    result = cli("capture", os.fsdecode(name), "--out", tmp_path / "out")
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "clip-\\xe9t\\xe9.txt: its name is not valid UTF-8" in result.stderr
    assert _nothing_written(tmp_path / "out")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(cli, tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    result = cli("capture", path, "--out", tmp_path / "out")
    assert result.returncode == 3 and "secret.txt" in result.stderr


def test_unreadable_file_as_root_via_fifo(cli, tmp_path):
    """Root can read any regular file; a FIFO is the unreadable input we can make here."""
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    result = cli("capture", path, "--out", tmp_path / "out")
    assert result.returncode == 3 and "pipe.txt: not a regular file" in result.stderr
    assert _nothing_written(tmp_path / "out")


def test_empty_file(cli, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = cli("capture", path, "--out", tmp_path / "out")
    assert result.returncode == 3 and "empty" in result.stderr
    assert _nothing_written(tmp_path / "out")


def test_one_bad_source_among_good_ones_writes_nothing(cli, tmp_path):
    result = cli("capture", SEED, tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.returncode == 3
    assert _nothing_written(tmp_path / "out")


@pytest.mark.parametrize("bad", ["invalid bag", "damaged web archive"])
def test_a_bad_bag_or_web_archive_after_good_sources_writes_nothing(cli, tmp_path, bad):
    # Every source is read and checked before the first package is written.
    if bad == "invalid bag":
        source = make_bag(tmp_path / "bag")
        (source / "data" / "unlisted.txt").write_text("in no manifest\n")
    else:
        source = make_defective(tmp_path, "bad-digest")
    good_bag = make_bag(tmp_path / "good")
    result = cli("capture", SEED, good_bag, source, "--out", tmp_path / "out")
    assert result.returncode == 1 and f"{source}:" in result.stderr, result.stderr
    assert _nothing_written(tmp_path / "out")


def test_bad_catalog_is_a_usage_error(cli, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("subjects: [unclosed\n")
    result = cli("capture", SEED, "--catalog", catalog, "--out", tmp_path / "out")
    assert result.returncode == 2 and "catalog.yaml" in result.stderr
    assert _nothing_written(tmp_path / "out")


def test_a_number_in_the_catalog_is_kept_as_written_not_rounded(cli, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("page: 1.50\ncall_number: 027.40\n")
    result = cli("capture", SEED, "--catalog", catalog, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "catalog.yaml:1: page: not a catalog field" in result.stderr
    descriptor = json.loads(open(f"{result.stdout.strip()}/archivekit/package.json").read())
    assert descriptor["catalog"] == {"page": "1.50", "call_number": "027.40"}


def test_non_utf8_text_is_kept_byte_for_byte(cli, tmp_path):
    original = "Caf\u00e9 society \u2013 \u201cquoted\u201d\n".encode("cp1252")
    path = tmp_path / "latin.txt"
    path.write_bytes(original)
    result = cli("capture", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "not UTF-8" in result.stderr
    package = result.stdout.strip()
    descriptor = json.loads(open(f"{package}/archivekit/package.json", "rb").read())
    assert descriptor["sources"][0]["media_type"] == "text/plain"  # no false charset claim
    assert any("not UTF-8" in w for w in descriptor["metadata"]["extraction"]["warnings"])
    assert descriptor["metadata"]["headline"] == "Café society – “quoted”"
    restored = cli("unpack", package, "--out", tmp_path / "restored")
    assert restored.returncode == 0
    assert (tmp_path / "restored/latin.txt").read_bytes() == original


def test_unwritable_output_leaves_nothing(cli, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    result = cli("capture", SEED, "--out", blocker)
    assert result.returncode == 2 and "is a file" in result.stderr    # caught as a bad argument
    below = cli("capture", SEED, "--out", blocker / "sub")              # caught when writing
    assert below.returncode == 3 and "out/sub" in below.stderr
    assert blocker.read_text() == "a file where the folder should be"


def test_no_temporary_files_remain_after_a_capture(cli, tmp_path):
    result = cli("capture", SEED, "--out", tmp_path / "out")
    assert result.returncode == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.stdout.strip().split("/")[-1]]


def test_a_missing_key_names_the_command_that_lists_them(cli, tmp_path):
    result = cli("capture", SEED, "--key", "nobody", "--out", tmp_path / "out")
    assert result.returncode == 3
    assert "no key named 'nobody'" in result.stderr
    assert "see 'archivekit keys list'" in result.stderr   # the remedy, in the CLI's words
    assert _nothing_written(tmp_path / "out")


def test_a_full_disk_stops_a_capture_into_a_collection_and_the_next_one_finishes(cli, tmp_path):
    with small_disk(tmp_path / "disk") as disk:
        collection = disk / "coll"
        assert cli("collection", "init", collection).returncode == 0
        assert cli("capture", SEED, "--into", collection).returncode == 0
        big = tmp_path / "big.txt"
        big.write_text(os.urandom(30000).hex())
        # Tried with a little more room each time, until the package is in place when the
        # disk stops the capture: recorded neither in the catalog nor in the logs.
        tries = stopped_after_placing(
            disk, lambda: cli("capture", big, "--into", collection),
            lambda: any("big" in p.name for p in (collection / "packages").iterdir()), 64 << 10)
        for stopped in tries:
            assert stopped.returncode == 3, stopped.stderr
            assert "Traceback" not in stopped.stderr
            assert (f"archivekit: {collection}: no space left on the collection's filesystem "
                    f"(") in stopped.stderr
            assert "the capture stopped; free some space there, then capture again" \
                in stopped.stderr
        assert list(collection.rglob(".ak-tmp-*")) == []
        assert cli("log", collection, "--verify").returncode == 0

        again = cli("capture", big, "--into", collection)   # ends as if never stopped
        assert again.returncode == 0, again.stderr
        assert "already in the collection" not in again.stderr
        [package] = [p for p in (collection / "packages").iterdir() if "big" in p.name]
        assert again.stdout.strip() == str(package)
        assert sorted(row["id"] for row in json.loads(cli("list", collection, "--json").stdout)) \
            == sorted(p.name for p in (collection / "packages").iterdir())
        ingested = [e["package"] for e in log_entries(collection) if e["type"] == "ingestion"]
        assert ingested.count(package.name) == 1
        assert cli("log", collection, "--verify").returncode == 0
        proof = cli("log", "prove", collection, package.name)   # its seal logged now
        assert proof.returncode == 0, proof.stderr
