"""The public API (archivekit/__init__.py, archivekit/api.py): docs/api.md runs as written,
and capture -> verify works without the command line."""

import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import archivekit as ak
from archivekit.capture.files import read_file_source, write_file_records
from archivekit.formats.premis import make_event
from archivekit.package.writer import PackageSpec, write_package
from archivekit.trust.sealer import Sealer
from archivekit.verify import VerificationPolicy
from conftest import ROOT, SEED, SEED_URL
from support.bags import make_bag
from support.webarchives import make_arc, make_defective, make_warc
from support.webserver import Server

DOC = ROOT / "docs/api.md"


def test_the_worked_example_in_docs_api_runs(cli, tmp_path):
    code = "\n".join(re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S))
    assert code.count("ak.") >= 10
    shutil.copy(SEED, tmp_path / "clipping.txt")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=cli.env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "AK203" in result.stdout
    assert "no-such-clipping.txt: no such file" in result.stdout


# tests/architecture/test_docstrings.py: every definition of the public API has a docstring
def test_the_package_tells_type_checkers_it_is_typed():
    assert (ROOT / "archivekit/py.typed").exists()


def test_verify_stays_the_function_when_the_verify_package_is_imported():
    importlib.import_module("archivekit.verify.parallel")   # binds the subpackage...
    assert "archivekit.verify.parallel" in sys.modules
    from archivekit import verify
    assert callable(ak.verify) and verify is ak.verify


def test_write_package_with_the_default_spec(tmp_path):
    """PackageSpec's metadata defaults to None: a caller that extracted nothing."""
    signer = ak.Signer.generate("desk")
    source = read_file_source(SEED)

    def write_sources(warc, date):
        entry = write_file_records(source, warc, date)
        return [entry], entry["record_id"], [make_event("capture", date, "a test")]
    path = write_package(tmp_path, "a-note", PackageSpec(Sealer(signer)), write_sources)
    report = ak.verify(path, ak.TrustStore.in_memory(signer.key))
    assert report.verified, report.findings
    metadata = json.loads((path / "archivekit/package.json").read_text())["metadata"]
    assert metadata["extraction"]["method"] == "none" and metadata["headline"] is None


def test_capture_url_over_http(tmp_path):
    server = Server()
    try:
        signer = ak.Signer.generate("desk", "City Library")
        path = ak.capture_url(server.url("/nyt"), tmp_path, signer, catalog={"call_number": "X1"})
    finally:
        server.stop()
    report = ak.verify(path, ak.TrustStore.in_memory(signer.key))
    assert report.verified, report.findings
    assert report.facts["seals"][0]["organization"] == "City Library"


def test_capture_file_given_an_address_fetches_it(tmp_path):
    server = Server()
    try:
        signer = ak.Signer.generate("desk")
        path = ak.capture_file(server.url("/nyt"), tmp_path, signer)
    finally:
        server.stop()
    descriptor = json.loads((path / "archivekit/package.json").read_text())
    assert descriptor["sources"][0]["kind"] == "web"
    assert ak.verify(path, ak.TrustStore.in_memory(signer.key)).verified


def test_errors_name_the_input_and_write_nothing(tmp_path):
    signer = ak.Signer.generate("desk")
    with pytest.raises(ak.ArchivekitError, match="nowhere.txt: no such file"):
        ak.capture_file(tmp_path / "nowhere.txt", tmp_path / "out", signer)
    with pytest.raises(ak.ArchivekitError, match="ftp://example.org"):
        ak.capture_url("ftp://example.org/a", tmp_path / "out", signer)
    assert not (tmp_path / "out").exists()


def test_an_unsealed_package_passes_only_when_the_policy_says_so(tmp_path):
    signer = ak.Signer.generate("desk")
    path = ak.capture_file(SEED, tmp_path, signer, url=SEED_URL)
    shutil.rmtree(path / "signatures")
    (path / "signatures").mkdir()
    trust = ak.TrustStore.in_memory(signer.key)
    assert ak.verify(path, trust).codes() == {"AK501"}
    assert ak.verify(path, trust, VerificationPolicy(require_seal=False)).verified


# capture_file dispatches a source as `archivekit capture` does: a bag, a web archive, a
# file. The same source through the API and through the command line, with the same key,
# makes the same package: the same files, and a descriptor that differs only in times and
# in the identifiers a capture draws at random.

def _shape(package) -> tuple[list[str], dict]:
    files = sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.is_file())
    text = (package / "archivekit/package.json").read_text()
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "TIME", text)
    text = re.sub(r"urn:(uuid|archivekit:metadata):[0-9a-f-]{36}", "UUID", text)
    descriptor = json.loads(text)
    for record in descriptor["records"]:   # our own WARC's records hold capture times
        for varies in ("block_digest", "length", "offset"):
            record.pop(varies)
    return files, descriptor


def _both_ways(cli, tmp_path, source, *flags, **options):
    signer = ak.Signer.from_home(home=str(cli.home))   # the key the command line uses
    through_api = ak.capture_file(source, tmp_path / "api", signer, operator="desk",
                                  **options)
    result = cli("capture", source, "--out", tmp_path / "cli", "--operator", "desk", *flags)
    assert result.returncode == 0, result.stderr
    return through_api, Path(result.stdout.strip())


@pytest.mark.parametrize("name", ["site.warc.gz", "site.arc"])
def test_a_web_archive_through_the_api_is_the_package_the_cli_makes(cli, tmp_path, name):
    source = (make_arc if name.endswith(".arc") else make_warc)(tmp_path / name)
    through_api, through_cli = _both_ways(cli, tmp_path, source)
    assert _shape(through_api) == _shape(through_cli)
    files, descriptor = _shape(through_api)
    assert f"data/archive/{name}" in files        # kept whole, not as an opaque file
    assert descriptor["sources"][0]["kind"] == "webarchive"
    assert (through_api / f"data/archive/{name}").read_bytes() == source.read_bytes()
    assert ak.verify(through_api, ak.TrustStore.from_home(str(cli.home))).verified


def test_a_bag_through_the_api_is_the_package_the_cli_makes(cli, tmp_path):
    bag = make_bag(tmp_path / "bag")
    through_api, through_cli = _both_ways(cli, tmp_path, bag)
    assert _shape(through_api) == _shape(through_cli)
    files, descriptor = _shape(through_api)
    assert "data/bag/bagit.txt" in files and "data/bag/data/clipping.txt" in files
    assert descriptor["sources"][0]["kind"] == "bag"
    assert ak.verify(through_api, ak.TrustStore.from_home(str(cli.home))).verified


def test_a_damaged_web_archive_is_refused_unless_its_damage_is_accepted(tmp_path):
    signer = ak.Signer.generate("desk")
    source = make_defective(tmp_path, "bad-digest")
    with pytest.raises(ak.ArchivekitError, match=f"{source}: a damaged web archive, not "
                                                 "captured: AK306") as refused:
        ak.capture_file(source, tmp_path / "out", signer)
    assert "--" not in str(refused.value)   # the library names no flag
    assert not (tmp_path / "out").exists()
    kept = ak.capture_file(source, tmp_path / "out", signer, accept_damaged=True)
    descriptor = json.loads((kept / "archivekit/package.json").read_text())
    assert "AK306" in {a["code"] for a in descriptor["sources"][0]["archive"]["accepted"]}


def test_an_invalid_bag_is_refused_and_a_bag_is_not_written_into(tmp_path):
    signer = ak.Signer.generate("desk")
    bag = make_bag(tmp_path / "bag")
    with pytest.raises(ak.ArchivekitError, match="is inside the bag"):
        ak.capture_file(bag, bag / "out", signer)
    assert not (bag / "out").exists()
    (bag / "data" / "unlisted.txt").write_text("in no manifest\n")
    with pytest.raises(ak.ArchivekitError, match=f"{bag}: not a valid BagIt bag, not "
                                                 "captured: AK202"):
        ak.capture_file(bag, tmp_path / "out", signer)
    assert not (tmp_path / "out").exists()
