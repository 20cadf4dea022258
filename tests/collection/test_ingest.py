"""One source into a collection as a run takes it (collection/ingest.py): captured once
(the same bytes again make nothing), sealed, indexed, its ingestion in the audit log, its
seal in the transparency log; seals read from a package of any container."""

import json
import signal
import subprocess
import sys
from collections import Counter

from archivekit.collection.ingest import ingest_file, seals_in
from archivekit.collection.store import Collection
from archivekit.trust.home import Home
from archivekit.trust.signer import resolve_signer
from archivekit.trust.tlog import seals_of
from conftest import SAMPLES, SEED, zip_package
from support.collection import log_entries


def test_a_file_is_taken_in_once_with_its_catalog_and_its_operator(tmp_path):
    collection = Collection.init(tmp_path / "coll")
    signer, _ = resolve_signer(Home(tmp_path / "home"), None, lambda name: None)
    catalog = {"call_number": "327.51"}
    with collection.lock():
        first = ingest_file(collection, SEED, signer, catalog=catalog, operator="ada")
        again = ingest_file(collection, SEED, signer, operator="bob")
    assert not first.already and first.path == collection.packages_dir / first.package_id
    assert again.already and (again.package_id, again.path) == (first.package_id, first.path)
    assert [p.name for p in collection.packages_dir.iterdir()] == [first.package_id]
    descriptor = json.loads((first.path / "archivekit/package.json").read_text())
    assert descriptor["catalog"]["call_number"] == "327.51"
    [entry] = [e for e in log_entries(collection.root) if e["type"] == "ingestion"]
    assert entry["package"] == first.package_id and entry["agent"].endswith("operated by ada")
    index = collection.index()
    try:
        assert index.get(first.package_id)["call_number"] == "327.51"
        assert index.not_ingested() == [] and index.unlogged() == []   # logged, both ways
    finally:
        index.close()


def test_seals_are_read_from_a_folder_a_zip_and_not_from_damage(package, tmp_path):
    _, folder = package
    zipped = zip_package(folder, tmp_path / f"{folder.name}.zip",      # beside a seal: not one
                         extra=[(f"{folder.name}/signatures/README.txt", b"about the seals")])
    assert seals_in(folder) == seals_of(folder) and seals_in(folder)
    assert [envelope for _, envelope in seals_in(zipped)] == [
        envelope for _, envelope in seals_of(folder)]
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(zipped.read_bytes()[: len(zipped.read_bytes()) // 2])
    assert seals_in(damaged) == []


def test_capture_into_a_collection_indexes_logs_and_is_not_recovered_later(cli, tmp_path):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    first = cli("capture", SEED, "--into", collection)
    assert first.returncode == 0, first.stderr
    package = collection / "packages" / first.stdout.strip().rsplit("/", 1)[-1]
    assert package.is_dir() and list(package.glob("signatures/*.tlog.json"))
    again = cli("capture", SEED, "--into", collection)
    assert again.returncode == 0 and "already in the collection" in again.stderr
    assert [e["type"] for e in log_entries(collection)].count("ingestion") == 1
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - glob: {tmp_path}/none-*.txt\n")
    report = json.loads(cli("run", job, "--json").stdout)
    assert report["recovered"] == [] and report["outcome"] == "ok"
    assert json.loads(cli("search", collection, "spy", "--json").stdout)[0]["id"] == package.name


def test_a_capture_killed_after_its_ingestion_line_gets_no_second_one(cli, tmp_path):
    # `capture --into` killed after its line was appended and before the package was
    # marked ingested: the next run's recovery found it unmarked and, with no log
    # position noted, appended a second ingestion line for it. A capture after the kill
    # must not move the position past the waiting line: `capture --into` finishes what
    # was interrupted first, a library caller of ingest_file (under the lock) need not.
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    killed_after_the_line = (
        "import os, signal, sys\n"
        "from archivekit.collection.catalog import CatalogIndex\n"
        "CatalogIndex.mark_ingested = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
        "from archivekit.cli import main\n"
        "main(['capture', sys.argv[1], '--into', sys.argv[2]])\n")
    killed = subprocess.run([sys.executable, "-c", killed_after_the_line, str(SEED),
                             str(collection)], env=cli.env(), capture_output=True, text=True,
                            timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    [package] = [p.name for p in (collection / "packages").iterdir()]
    assert [e["package"] for e in log_entries(collection) if e["type"] == "ingestion"] == [
        package]    # killed where meant: the line written, the mark not
    opened = Collection.open(collection)
    signer, _ = resolve_signer(Home(cli.home), None, lambda name: None)
    with opened.lock():
        later = ingest_file(opened, SAMPLES / "nytimes-saved-page.html", signer)
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {collection}\nsources:\n  - glob: {tmp_path}/none-*.txt\n")
    assert cli("run", job).returncode == 0
    lines = Counter(e["package"] for e in log_entries(collection) if e["type"] == "ingestion")
    assert lines == {package: 1, later.package_id: 1}
    assert cli("log", collection, "--verify").returncode == 0
    assert cli("run", job).returncode == 0     # marked by the first: no line now
    assert Counter(e["package"] for e in log_entries(collection)
                   if e["type"] == "ingestion") == lines
