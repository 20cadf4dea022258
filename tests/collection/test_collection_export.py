"""Handing a package over as one file (collection/export.py): verified first, carrying the
collection's latest log proofs, verified again, written whole or not at all."""

import json
import tarfile
import zipfile

import bagit
import pytest

from archivekit.collection.export import export_package
from archivekit.errors import PackageExists
from archivekit.trust.home import Home
from archivekit.trust.truststore import TrustStore
from archivekit.verify import Verifier
from conftest import SEED, SEED_CATALOG


@pytest.fixture
def in_collection(cli, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n"
                   f"  - path: {SEED}\n    catalog: {SEED_CATALOG}\n")
    assert cli("run", job).returncode == 0
    return next((tmp_path / "coll/packages").iterdir())


@pytest.mark.parametrize("kind", ["zip", "tar"])
def test_an_export_verifies_and_carries_the_latest_log_proof(cli, tmp_path, in_collection, kind):
    stored = next(in_collection.glob("signatures/*.tlog.json"))
    first_proof = stored.read_bytes()    # the proof made when the log held this seal alone
    later = tmp_path / "later.txt"       # the log grows after the package's proof was made
    later.write_text("Storm Closes Schools\n\nThe storm closed every school on Tuesday.\n")
    job = tmp_path / "job.yaml"
    job.write_text(job.read_text() + f"  - path: {later}\n")
    assert cli("run", job).returncode == 0
    stored.write_bytes(first_proof)      # as a package whose proof was never refreshed
    result = cli("export", in_collection, "--as", kind, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    made = tmp_path / "out" / f"{in_collection.name}.{kind}"
    assert result.stdout.strip() == str(made)
    assert cli("verify", made).returncode == 0
    unpacked = tmp_path / "unpacked"
    if kind == "zip":
        with zipfile.ZipFile(made) as archive:
            archive.extractall(unpacked)
    else:
        with tarfile.open(made) as archive:
            assert {m.mode for m in archive.getmembers() if m.isfile()} == {0o644}
            archive.extractall(unpacked, filter="data")
    bag = unpacked / in_collection.name
    bagit.Bag(str(bag)).validate()
    proof = json.loads(next(bag.glob("signatures/*.tlog.json")).read_text())
    assert json.loads(first_proof)["tree_size"] == 1 and proof["tree_size"] == 2


def test_a_damaged_package_is_not_handed_over(cli, tmp_path, in_collection):
    warc = in_collection / "data/clipping.warc.gz"
    warc.write_bytes(warc.read_bytes()[:-3])
    result = cli("export", in_collection, "--out", tmp_path / "out")
    assert result.returncode == 1 and "does not verify" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []



def test_a_refused_export_leaves_nothing_behind(package, tmp_path):
    cli, path = package
    verifier = Verifier(TrustStore.load(Home(cli.home).trust_path))
    out = tmp_path / "out"
    made = export_package(path, "tar", out, verifier)
    with pytest.raises(PackageExists):
        export_package(path, "tar", out, verifier)       # never overwrites...
    assert sorted(out.iterdir()) == [made]               # ...and leaves no work files
    assert tarfile.is_tarfile(made)                      # the first export, whole
