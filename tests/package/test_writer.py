"""Every sample: capture, verify, unpack byte for byte; independent validators agree."""

import hashlib
import json

import bagit
import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import SAMPLE_SOURCES, SEED, SEED_CATALOG, SEED_URL


def _capture(cli, source, out, *extra):
    result = cli("capture", source, "--out", out, *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("source", SAMPLE_SOURCES, ids=lambda p: p.name)
def test_capture_verify_unpack_every_sample(cli, tmp_path, source):
    package = _capture(cli, source, tmp_path / "archive")
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0, verified.stdout
    assert report["verified"] and report["packages"][0]["findings"] == []

    unpacked = cli("unpack", package, "--out", tmp_path / "restored")
    assert unpacked.returncode == 0, unpacked.stderr
    restored = tmp_path / "restored" / source.name
    assert restored.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("source", SAMPLE_SOURCES, ids=lambda p: p.name)
def test_independent_validators_accept_what_we_write(cli, tmp_path, source):
    package = _capture(cli, source, tmp_path / "archive")
    bag = bagit.Bag(package)
    bag.validate()  # raises BagValidationError on any defect
    assert set(bag.algorithms) == {"sha256", "sha512"}

    with open(f"{package}/data/clipping.warc.gz", "rb") as stream:
        records = list(_read_records(stream))
    # Scans and PDFs also keep their derived reading, between the source and its metadata.
    reading = ["conversion"] if source.suffix in (".png", ".pdf") else []
    assert [r["type"] for r in records] == ["warcinfo", "resource", *reading, "metadata"]
    resource, metadata = records[1], records[-1]
    assert resource["block"] == source.read_bytes()
    assert resource["headers"]["WARC-Payload-Digest"] == \
        "sha256:" + hashlib.sha256(source.read_bytes()).hexdigest()
    assert "WARC-Payload-Digest" not in metadata["headers"]  # metadata: block digest only
    for record in records[2:]:
        assert record["headers"]["WARC-Refers-To"] == resource["headers"]["WARC-Record-ID"]
    descriptor = json.loads(open(f"{package}/archivekit/package.json", "rb").read())
    # The descriptor holds the metadata record's content, its large fields by digest
    # (stored once, in the WARC).
    whole, slim = json.loads(metadata["block"]), descriptor["metadata"]
    for name in ("body", "boilerplate"):
        if whole[name]:
            text = json.dumps(whole[name], ensure_ascii=False, separators=(",", ":")).encode()
            assert slim.pop(name) == {"sha256": hashlib.sha256(text).hexdigest(),
                                      "bytes": len(text)}
            del whole[name]
    assert whole == slim
    assert [r["id"] for r in descriptor["records"]] == \
        [r["headers"]["WARC-Record-ID"] for r in records]


def _read_records(stream):
    for record in ArchiveIterator(stream, check_digests=True):
        block = record.content_stream().read() if record.rec_type != "resource" \
            else record.raw_stream.read()
        yield {"type": record.rec_type, "headers": dict(record.rec_headers.headers),
               "block": block}
        assert record.digest_checker.passed is not False, record.digest_checker.problems


def test_every_block_digest_matches_when_recomputed(cli, tmp_path):
    """Our sha256 digests as an outsider recomputes them from warcio's raw records."""
    package = _capture(cli, SEED, tmp_path / "archive")
    with open(f"{package}/data/clipping.warc.gz", "rb") as stream:
        for record in ArchiveIterator(stream):
            block = record.raw_stream.read()
            if record.http_headers:
                block = record.http_headers.to_bytes() + block
            assert record.rec_headers.get_header("WARC-Block-Digest") == \
                "sha256:" + hashlib.sha256(block).hexdigest()


def test_catalog_and_url_land_in_the_descriptor(cli, tmp_path):
    package = _capture(cli, SEED, tmp_path / "archive", "--url", SEED_URL,
                       "--catalog", SEED_CATALOG)
    descriptor = json.loads(open(f"{package}/archivekit/package.json", "rb").read())
    assert descriptor["catalog"]["call_number"] == "CLIP 2023-12-28 NYT A1"
    assert "Espionage, Chinese -- United States" in descriptor["catalog"]["subjects"]
    source = descriptor["sources"][0]
    assert source["uri"] == SEED_URL
    assert source["sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert [e["type"] for e in descriptor["events"]] == [
        "capture", "message digest calculation", "information package creation",
        "digital signature generation"]


@pytest.mark.parametrize("container", ["zip", "tar"])
def test_serialized_packages_verify_without_unpacking(cli, tmp_path, container):
    package = _capture(cli, SEED, tmp_path / "archive", "--as", container)
    assert package.endswith(f".{container}")
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0, verified.stdout
    assert report["packages"][0]["facts"]["container"] == container
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == [package.split("/")[-1]]
    unpacked = cli("unpack", package, "--out", tmp_path / "restored")
    assert unpacked.returncode == 0, unpacked.stderr
    assert (tmp_path / "restored" / SEED.name).read_bytes() == SEED.read_bytes()


def test_a_second_capture_of_the_same_file_never_overwrites(cli, tmp_path):
    first = _capture(cli, SEED, tmp_path / "archive")
    before = sorted(p.read_bytes() for p in (tmp_path / "archive").rglob("*") if p.is_file())
    again = cli("capture", SEED, "--out", tmp_path / "archive")
    assert again.returncode == 3 and "already exists" in again.stderr
    after = sorted(p.read_bytes() for p in (tmp_path / "archive").rglob("*") if p.is_file())
    assert before == after
    assert cli("verify", first).returncode == 0
