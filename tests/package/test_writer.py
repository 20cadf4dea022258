"""Every sample: capture, verify, unpack byte for byte; independent validators agree."""

import hashlib
import json

import bagit
import pytest
from warcio.archiveiterator import ArchiveIterator

from archivekit.capture.files import read_file_source
from archivekit.package.build import capture_file
from archivekit.package.contents import read_descriptor
from archivekit.package.writer import PackageSpec
from archivekit.trust.signer import Signer
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


def test_a_package_names_the_organization_given_else_the_signers(tmp_path):
    """The one rule the API, `capture`, a run and `capture --into` share: the organization
    the caller gives (on the command line, in a job manifest, a collection's), else the
    one the signing key speaks for, else none."""
    library = Signer.generate("desk", "City Library")
    assert PackageSpec.sealed_by(library).organization == "City Library"
    assert PackageSpec.sealed_by(library, organization="").organization == "City Library"
    assert PackageSpec.sealed_by(library, organization="Herald Trust").organization \
        == "Herald Trust"
    assert PackageSpec.sealed_by(Signer.generate("desk")).organization is None
    spec = PackageSpec.sealed_by(library, "http://127.0.0.1:9/tsa", operator="ana",
                                 container="zip")
    assert (spec.sealer.signer, spec.sealer.tsa_url, spec.operator, spec.container) \
        == (library, "http://127.0.0.1:9/tsa", "ana", "zip")
    package = capture_file(read_file_source(SEED), tmp_path, PackageSpec.sealed_by(library))
    assert read_descriptor(package)["agent"] == {"operator": None,
                                                 "organization": "City Library"}
