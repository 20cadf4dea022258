"""The public API (archivekit/__init__.py, archivekit/api.py): docs/api.md runs as written,
every public name is documented, and capture -> verify works without the command line."""

import importlib
import inspect
import json
import re
import shutil
import subprocess
import sys

import pytest

import archivekit as ak
from archivekit.capture.files import read_file_source, write_file_records
from archivekit.formats.premis import make_event
from archivekit.package.writer import PackageSpec, write_package
from archivekit.verify import VerificationPolicy
from conftest import ROOT, SEED, SEED_URL
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


def test_every_public_name_and_method_has_a_docstring():
    names = [name for name in ak.__all__ if name not in ("SOFTWARE", "__version__")]
    missing = [name for name in names if not (getattr(ak, name).__doc__ or "").strip()
               or getattr(ak, name).__doc__.startswith(name + "(")]   # a dataclass's own
    for name in names:
        thing = getattr(ak, name)
        if inspect.isclass(thing) and not issubclass(thing, Exception):
            missing += [f"{name}.{attr}" for attr, member in vars(thing).items()
                        if not attr.startswith("_") and not _documented(member)]
    assert missing == []
    assert (ROOT / "archivekit/py.typed").exists()


def _documented(member) -> bool:
    member = getattr(member, "__func__", getattr(member, "fget", member))
    return not callable(member) or bool(inspect.getdoc(member))


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
    path = write_package(tmp_path, "a-note", PackageSpec(signer), write_sources)
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
