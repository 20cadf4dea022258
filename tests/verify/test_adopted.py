"""The verifier on a package holding an adopted bag (verify/adopted.py): the bag below
data/bag/ checked again by RFC 8493, and the descriptor's digest and size of it compared
with our manifest."""

import shutil
from pathlib import Path

import pytest

from conftest import CLI
from support.bags import make_bag
from support.tamper import edit_descriptor


@pytest.fixture(scope="module")
def adopted(tmp_path_factory):
    base = tmp_path_factory.mktemp("adopted")
    runner = CLI(base / "home")
    made = runner("capture", make_bag(base / "flood-bag"), "--out", base / "archive")
    assert made.returncode == 0, made.stderr
    return runner, Path(made.stdout.strip())


@pytest.fixture
def copy(adopted, tmp_path):
    runner, package = adopted
    target = tmp_path / package.name
    shutil.copytree(package, target)
    return runner, target


def findings(runner, package):
    result, report = runner.verify_json(package)
    return result.returncode, report["packages"][0]["findings"]


def test_the_descriptor_digest_of_the_bag_must_be_that_of_its_files(copy):
    runner, package = copy
    edit_descriptor(package, lambda d: d["sources"][0].update(sha256="0" * 64))
    code, found = findings(runner, package)
    assert code == 1
    assert any(f["code"] == "AK602" and "sha256 differs from the digest of the bag's files"
               in f["message"] for f in found)


def test_a_bag_source_must_name_data_bag(copy):
    runner, package = copy
    edit_descriptor(package, lambda d: d["sources"][0]["bag"].update(path="data/other/"))
    code, found = findings(runner, package)
    assert code == 1
    assert any(f["code"] == "AK602" and "does not name data/bag/" in f["message"]
               for f in found)


def test_a_file_removed_from_the_bag_changes_its_recorded_size(copy):
    runner, package = copy
    (package / "data/bag/tagmanifest-sha1.txt").unlink()
    code, found = findings(runner, package)
    assert code == 1
    assert {f["code"] for f in found if f["path"] == "data/bag/tagmanifest-sha1.txt"} == {"AK201"}
    assert any(f["code"] == "AK602" and "size differs" in f["message"] for f in found)


def test_the_bag_inside_is_checked_in_its_own_terms(copy):
    runner, package = copy
    manifest = package / "data/bag/manifest-md5.txt"
    manifest.write_text(manifest.read_text().replace("data/clipping.txt", "data/clipped.txt"))
    code, found = findings(runner, package)
    inner = {(f["code"], f["path"]) for f in found if f["message"].startswith("the adopted bag")}
    assert code == 1
    assert ("AK202", "data/bag/data/clipping.txt") in inner    # no longer listed by md5
    assert ("AK201", "data/bag/data/clipped.txt") in inner     # listed, not there
    assert ("AK205", "data/bag/manifest-md5.txt") in inner     # its tag manifests saw it


def test_the_bags_payload_is_read_once(adopted, monkeypatch):
    """Our digests and the bag's own (md5, sha1) are taken in one read of each file."""
    from archivekit.package.reader import DirectoryReader
    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import Verifier
    runner, package = adopted
    opened = []
    real_open = DirectoryReader._open
    monkeypatch.setattr(DirectoryReader, "_open",
                        lambda self, path: opened.append(path) or real_open(self, path))
    report = Verifier(TrustStore.load(runner.home / "trust.yaml")).verify(package)
    payload = [p for p in opened if p.startswith("data/bag/data/")]
    assert report.verified and payload
    assert sorted(payload) == sorted(set(payload))


def test_a_bag_source_whose_files_our_manifest_does_not_list(copy):
    runner, package = copy
    manifest = package / "manifest-sha256.txt"
    manifest.write_text("".join(line for line in manifest.read_text().splitlines(True)
                                if "  data/bag/" not in line))
    code, found = findings(runner, package)
    assert code == 1
    assert any(f["code"] == "AK602" and "names a bag, but data/bag/ holds no file"
               in f["message"] for f in found)
