"""`export --as wacz`: a WACZ 1.1.1 that py-wacz validates and ReplayWeb.page replays in
a real browser, carrying the seals so that `verify` checks them after the round trip."""

import json
import subprocess
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT
from support import replay
from support.webarchives import PAGES, make_warc, rewrite_zip

PY_WACZ = ROOT / ".venv-wacz" / "bin" / "wacz"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A package of a user's WARC plus the seed clipping, exported as one WACZ."""
    from conftest import CLI, SEED
    base = tmp_path_factory.mktemp("export")
    cli = CLI(base / "home")
    warc = make_warc(base / "site.warc.gz")
    assert cli("capture", warc, SEED, "--out", base / "out").returncode == 0
    packages = sorted((base / "out").iterdir())   # the seed's, then the WARC's
    out = base / "both.wacz"
    result = cli("export", *packages, "--as", "wacz", "--out", out)
    assert result.returncode == 0, result.stderr
    return cli, packages, out


def test_the_seal_verifies_after_the_round_trip(exported):
    cli, packages, out = exported
    result, report = cli.verify_json(out)
    assert result.returncode == 0, result.stdout
    [package] = report["packages"]
    assert package["facts"]["container"] == "wacz" and package["findings"] == []
    assert package["facts"]["packages"] == [p.name for p in packages]
    assert [s["valid"] for s in package["facts"]["seals"]] == [True, True]


def test_every_byte_is_the_packages(exported):
    cli, packages, out = exported
    package = packages[1]
    package_id = package.name
    with zipfile.ZipFile(out) as archive:
        assert archive.read(f"archive/{package_id}.warc.gz") == \
            (package / "data/clipping.warc.gz").read_bytes()
        stored = next(package.glob("data/archive/*"))
        assert archive.read(f"archive/{package_id}--{stored.name}") == stored.read_bytes()
        pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").splitlines()]
        assert [p["url"] for p in pages[1:]] == [u for u, _, _ in PAGES]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in archive.infolist())


def test_damage_inside_the_wacz_is_found(exported, tmp_path):
    cli, packages, out = exported
    copy = tmp_path / "copy.wacz"
    copy.write_bytes(out.read_bytes())
    name = f"archive/{packages[1].name}.warc.gz"
    with zipfile.ZipFile(copy) as archive:
        data = bytearray(archive.read(name))
    data[len(data) // 2] ^= 1
    rewrite_zip(copy, {name: bytes(data)})
    result, report = cli.verify_json(copy)
    codes = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and {"AK702", "AK203"} <= codes


def test_a_collection_exports_every_package(tmp_path):
    from conftest import CLI, SEED
    cli = CLI(tmp_path / "home")
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection, "--name", "Flood desk").returncode == 0, \
        cli("collection", "--help").stdout
    for source in (make_warc(tmp_path / "a.warc.gz"), SEED):
        result = cli("capture", source, "--out", collection / "packages")
        assert result.returncode == 0, result.stderr
    out = tmp_path / "all.wacz"
    result = cli("export", collection, "--as", "wacz", "--out", out)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("datapackage.json"))["title"] == "Flood desk"
    verified, report = cli.verify_json(out)
    assert verified.returncode == 0 and len(report["packages"][0]["facts"]["seals"]) == 2
    again = cli("export", collection, "--as", "wacz", "--out", out)
    assert again.returncode != 0 and "already exists" in again.stderr


@pytest.mark.skipif(not PY_WACZ.exists(), reason="py-wacz is not installed (.ci/run "
                    "installs it into .venv-wacz)")
def test_py_wacz_validates_it(exported):
    result = subprocess.run([str(PY_WACZ), "validate", "-f", str(exported[2])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "is valid" in result.stdout, result.stdout


@pytest.mark.skipif(replay.available() is not None, reason=str(replay.available()))
def test_replaywebpage_replays_a_page_in_chromium(exported, tmp_path, page):
    url, _, body = PAGES[1]
    text = replay.replayed_text(page, tmp_path / "site", exported[2], url, "seven to two")
    assert "The vote was seven to two." in text


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_a_mutated_export_is_findings_never_a_crash(exported, tmp_path, flips):
    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import Verifier
    data = bytearray(exported[2].read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    (tmp_path / "m.wacz").write_bytes(bytes(data))
    report = Verifier(TrustStore(None)).verify(tmp_path / "m.wacz")
    assert [f.message for f in report.findings if f.code == "AK199"] == []
