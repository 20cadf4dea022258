"""`archivekit metadata`: what a clipping says about itself, as JSON."""

import json

from archivekit.extract import extract
from conftest import SAMPLES, SEED, SEED_URL


def test_metadata_command_prints_the_same_json(cli):
    result = cli("metadata", SEED, "--url", SEED_URL, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == extract(
        SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL).to_dict()


def test_a_scan_gives_its_metadata_and_says_the_text_is_a_derived_reading(cli):
    result = cli("metadata", SAMPLES / "scan-clipping.png")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "headline     Library Board Approves Extended Hours" in lines
    assert ["author       Jane Doe", "author       Omar Reyes"] == \
        [line for line in lines if line.startswith("author")]
    reading, = [line for line in lines if line.startswith("reading")]
    assert "derived reading (OCR), not the original: tesseract" in reading
    assert "confidence page 1 " in reading


def test_without_tesseract_a_scan_gets_a_warning_naming_what_to_install(cli):
    result = cli("metadata", SAMPLES / "scan-clipping.png", "--json",
                 env={"PATH": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    warnings = json.loads(result.stdout)["extraction"]["warnings"]
    assert warnings == ["not read: no OCR engine: install Tesseract "
                        "(Debian: apt-get install tesseract-ocr tesseract-ocr-eng)"]
