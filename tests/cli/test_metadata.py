"""`archivekit metadata`: what a clipping says about itself, as JSON."""

import json

from archivekit.extract import extract
from conftest import SEED, SEED_URL


def test_metadata_command_prints_the_same_json(cli):
    result = cli("metadata", SEED, "--url", SEED_URL, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == extract(
        SEED.read_bytes(), "text/plain; charset=utf-8", SEED_URL).to_dict()
