"""Building a package from a clipping: what extraction found lands in the descriptor."""

import json
from pathlib import Path

from conftest import SEED, SEED_URL


def test_capture_stores_the_extracted_metadata(cli, tmp_path):
    result = cli("capture", SEED, "--url", SEED_URL, "--out", tmp_path)
    package = Path(result.stdout.strip())
    assert package.name.startswith("2023-12-28-nyt-chinese-spy-agency-rising")
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["metadata"]["print"]["page"] == "1"
    assert len(descriptor["metadata"]["authors"]) == 4
