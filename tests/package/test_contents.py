"""Reading a package's descriptor: the large metadata fields, stored once in the WARC
metadata record (the descriptor holds their digests), are read back from there."""

import json

from archivekit.formats import layout
from archivekit.package.contents import read_descriptor

from conftest import SEED


def stored(bag) -> dict:
    return json.loads((bag / layout.DESCRIPTOR_PATH).read_text())


def test_the_body_is_stored_once_and_read_back_from_the_warc(package, tmp_path):
    cli, bag = package
    reference = stored(bag)["metadata"]["body"]
    assert layout.is_text_reference(reference)                 # not the text, its digest
    body = read_descriptor(bag)["metadata"]["body"]
    assert isinstance(body, str) and "Ministry of State Security" in body
    assert layout.text_reference(body) == reference
    made = cli("capture", SEED, "--out", tmp_path / "zipped", "--as", "zip")
    assert made.returncode == 0, made.stderr
    zipped = next((tmp_path / "zipped").glob("*.zip"))
    assert read_descriptor(zipped)["metadata"]["body"] == body  # read in place from a zip


def test_a_body_that_cannot_be_read_back_stays_its_reference(package):
    cli, bag = package
    entry = [r for r in stored(bag)["records"] if r["type"] == "metadata"][-1]
    warc = bytearray((bag / layout.WARC_PATH).read_bytes())
    warc[entry["offset"] + entry["length"] // 2] ^= 0xFF       # the metadata record damaged
    (bag / layout.WARC_PATH).write_bytes(bytes(warc))
    assert read_descriptor(bag)["metadata"]["body"] == stored(bag)["metadata"]["body"]
    result, report = cli.verify_json(bag)
    assert result.returncode == 1                              # the verifier says why


def test_words_of_the_body_are_searchable_and_shown(cli, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n  - path: {SEED}\n")
    assert cli("run", job).returncode == 0
    found = json.loads(cli("search", tmp_path / "coll", "dossiers", "--json").stdout)
    assert len(found) == 1                                     # a word of the body only
    package = next((tmp_path / "coll/packages").iterdir())
    assert "instant dossiers" in cli("show", package).stdout
