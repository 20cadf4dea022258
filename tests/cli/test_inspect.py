"""`archivekit inspect`: a package's contents and seal, for people and as JSON."""

import json

from conftest import SEED


def test_inspect_shows_contents_and_seal(package):
    cli, package = package
    shown = cli("inspect", package)
    assert shown.returncode == 0, shown.stderr
    assert "Sealed" in shown.stdout and "valid, trusted" in shown.stdout
    assert SEED.name in shown.stdout and "CLIP 2023-12-28 NYT A1" in shown.stdout
    as_json = json.loads(cli("inspect", package, "--json").stdout)
    assert as_json["descriptor"]["sources"][0]["filename"] == SEED.name
