"""Adding to a sealed package: a countersignature and a later timestamp change no tag
manifest, and a package that does not verify is refused."""

from pathlib import Path

from conftest import SEED, seal_facts
from support.tsa import trust_tsa


def test_countersignature_and_later_timestamp_leave_tag_manifests_alone(cli, tmp_path, tsa):
    package = cli("capture", SEED, "--out", tmp_path / "archive").stdout.strip()
    before = {p.name: p.read_bytes() for p in (tmp_path / "archive").glob("*/tagmanifest-*")}
    assert cli("keys", "generate", "institution", "--organization", "City Library").returncode == 0
    trust_tsa(cli, tsa, tmp_path)
    counter = cli("seal", package, "--key", "institution", "--tsa", tsa.url())
    assert counter.returncode == 0, counter.stderr
    stamped = cli("seal", package, "--tsa", tsa.url())      # stamps the first seal too
    assert stamped.returncode == 0, stamped.stderr
    result, seals, _ = seal_facts(cli, package)
    assert result.returncode == 0, result.stdout
    assert sorted(s["signer"] for s in seals) == ["institution", "local"]
    assert all(s["time_source"] == "timestamp" for s in seals)
    after = {p.name: p.read_bytes() for p in (tmp_path / "archive").glob("*/tagmanifest-*")}
    assert before == after


def test_seal_refuses_a_package_that_does_not_verify(cli, tmp_path):
    package = cli("capture", SEED, "--out", tmp_path / "archive").stdout.strip()
    (Path(package) / "bag-info.txt").write_text("Payload-Oxum: 1.1\n")
    assert cli("keys", "generate", "institution").returncode == 0
    result = cli("seal", package, "--key", "institution")
    assert result.returncode == 1 and "does not verify" in result.stderr
    assert len(list((Path(package) / "signatures").iterdir())) == 1
