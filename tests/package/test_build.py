"""Building a package from a clipping: what extraction found lands in the descriptor."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import SAMPLES, SEED, SEED_URL

SCAN = SAMPLES / "scan-clipping.png"


def test_capture_stores_the_extracted_metadata(cli, tmp_path):
    result = cli("capture", SEED, "--url", SEED_URL, "--out", tmp_path)
    package = Path(result.stdout.strip())
    assert package.name.startswith("2023-12-28-nyt-chinese-spy-agency-rising")
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["metadata"]["print"]["page"] == "1"
    assert len(descriptor["metadata"]["authors"]) == 4



@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is not installed")
def test_a_captured_scan_keeps_its_reading_beside_the_original(cli, tmp_path):
    made = cli("capture", SCAN, "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    package = tmp_path / "archive" / made.stdout.strip()
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    reading = descriptor["metadata"]["reading"]
    assert (reading["engine"], reading["language"]) == ("tesseract", "eng")
    with open(package / "data/clipping.warc.gz", "rb") as stream:   # warcio, independently
        records = {r.rec_type: (r.rec_headers, r.content_stream().read())
                   for r in ArchiveIterator(stream)}
    resource_headers, original = records["resource"]
    conversion_headers, text = records["conversion"]
    assert original == SCAN.read_bytes()
    assert conversion_headers["WARC-Refers-To"] == resource_headers["WARC-Record-ID"]
    assert conversion_headers["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(text).hexdigest() == reading["sha256"]
    assert "Library Board Approves Extended" in text.decode("utf-8")   # as printed: two lines
    derivation, = [e for e in descriptor["events"] if e["type"] == "derivation"]
    assert derivation["premis_uri"].endswith("/cre")
    assert conversion_headers["WARC-Record-ID"] in derivation["detail"]

    verified, report = cli.verify_json(package)
    assert verified.returncode == 0, report
    inspected = cli("inspect", package).stdout
    assert "derived reading (OCR), not the original: tesseract" in inspected
    assert "Record    conversion" in inspected
    unpacked = cli("unpack", package, "--out", tmp_path / "out")
    assert unpacked.returncode == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["scan-clipping.png"]
    assert (tmp_path / "out/scan-clipping.png").read_bytes() == SCAN.read_bytes()
