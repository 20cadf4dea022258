"""`capture BAG`: a BagIt bag another tool made, checked by RFC 8493, kept whole and byte
for byte below data/bag/ (still a bag of its own there), described from its bag-info.txt,
sealed, and re-checked in its own terms by every `verify`. bagit-python is the
independent validator of both the package and the bag inside it."""

import json
import os
import shutil
import tempfile
from pathlib import Path

import bagit
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from cryptography.hazmat.primitives import serialization

from archivekit.capture.bags import bag_metadata, read_bag
from conftest import shared_corpus
from support.bags import BAG_INFO, make_bag, make_utf16_bag

SUITE = shared_corpus("bagit-conformance-suite")


def snapshot(folder: Path) -> dict:
    """Every file's bytes and every entry's mtime: what the user gave must not change."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None,
                                         p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def captured(cli, tmp_path, *sources, extra=()):
    result = cli("capture", *sources, "--out", tmp_path / "out", *extra)
    return result, [Path(line) for line in result.stdout.split("\n") if line]


def descriptor_of(package: Path) -> dict:
    return json.loads((package / "archivekit/package.json").read_text())


def assert_kept_byte_for_byte(bag: Path, package: Path) -> None:
    kept = package / "data" / "bag"
    originals = sorted(str(p.relative_to(bag)) for p in bag.rglob("*"))
    assert sorted(str(p.relative_to(kept)) for p in kept.rglob("*")) == originals
    for name in originals:
        if (bag / name).is_file():
            assert (kept / name).read_bytes() == (bag / name).read_bytes(), name


def test_a_bag_is_adopted_whole_described_and_verified(cli, tmp_path):
    bag = make_bag(tmp_path / "flood-bag")
    before = snapshot(bag)
    result, [package] = captured(cli, tmp_path, bag)
    assert result.returncode == 0, result.stderr
    assert snapshot(bag) == before                       # the user's bag is untouched
    assert_kept_byte_for_byte(bag, package)              # manifests and bag-info included
    descriptor = descriptor_of(package)
    [source] = descriptor["sources"]
    assert source["kind"] == "bag" and source["filename"] == "flood-bag"
    assert source["bytes"] == sum(p.stat().st_size for p in bag.rglob("*") if p.is_file())
    described = source["bag"]
    assert (bag / "bagit.txt").read_text().split() == [
        "BagIt-Version:", described["version"], "Tag-File-Character-Encoding:",
        described["encoding"]]
    assert described["made_by"].startswith("bagit.py")
    assert described["manifests"] == ["manifest-md5.txt", "manifest-sha1.txt",
                                      "tagmanifest-md5.txt", "tagmanifest-sha1.txt"]
    info = dict(map(tuple, described["info"]))
    assert {k: info[k] for k in BAG_INFO} == BAG_INFO and "Bagging-Date" in info
    metadata = descriptor["metadata"]     # read from the one HTML page the bag holds
    assert described["clipping"] == "data/pages/front.html"
    assert metadata["headline"] == "River crests at 31 feet"
    assert metadata["provenance"]["headline"]["from"].startswith("data/pages/front.html: ")
    assert metadata["description"] == BAG_INFO["External-Description"]
    assert [e["type"] for e in descriptor["events"]] == [
        "validation", "accession", "message digest calculation",
        "information package creation", "digital signature generation"]
    assert descriptor["events"][1]["premis_uri"].endswith("/eventType/acc")
    # our manifests (sha256, sha512) and so the seal cover every file of the bag
    listed = (package / "manifest-sha256.txt").read_text()
    assert all(f"  data/bag/{p.relative_to(bag)}\n" in listed
               for p in bag.rglob("*") if p.is_file())
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0 and report["packages"][0]["findings"] == []
    bagit.Bag(str(package)).validate()                   # the package is a valid bag
    bagit.Bag(str(package / "data" / "bag")).validate()  # and so is the bag inside it


def test_a_utf16_bag_is_read_in_its_own_encoding(cli, tmp_path):
    title = "Überschwemmung 1998 — Zeitungsausschnitte"
    bag = make_utf16_bag(tmp_path / "utf16", title)
    bagit.Bag(str(bag)).validate()   # a valid bag, for the independent validator too
    result, [package] = captured(cli, tmp_path, bag)
    assert result.returncode == 0, result.stderr
    descriptor = descriptor_of(package)
    assert descriptor["metadata"]["headline"] == title        # bag-info's Title wins
    assert descriptor["sources"][0]["bag"]["clipping"] == "data/hochwasser.txt"
    assert descriptor["metadata"]["provenance"]["headline"]["from"] == "bag-info.txt Title"
    assert descriptor["sources"][0]["bag"]["encoding"].lower() == "utf-16"
    assert ["Source-Organization", "Stadtarchiv"] in descriptor["sources"][0]["bag"]["info"]
    assert_kept_byte_for_byte(bag, package)
    assert cli("verify", package).returncode == 0
    bagit.Bag(str(package / "data" / "bag")).validate()


def test_a_bag_of_several_pages_is_described_by_its_bag_info_alone(cli, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("one", "two"):
        (folder / f"{name}.html").write_text(f"<html><title>Page {name}</title></html>")
    bagit.make_bag(str(folder), {"External-Description": "Two pages of the Herald"})
    result, [package] = captured(cli, tmp_path, folder)
    assert result.returncode == 0, result.stderr
    descriptor = descriptor_of(package)
    assert descriptor["sources"][0]["bag"]["clipping"] is None
    assert descriptor["metadata"]["headline"] == "Two pages of the Herald"


def test_an_invalid_bag_is_refused_with_its_findings_and_nothing_is_written(cli, tmp_path):
    bag = make_bag(tmp_path / "damaged")
    with open(bag / "data" / "clipping.txt", "ab") as handle:
        handle.write(b"an edit after bagging\n")
    (bag / "data" / "unlisted.txt").write_text("not in any manifest\n")
    result, packages = captured(cli, tmp_path, bag)
    assert result.returncode == 1 and packages == []
    assert f"{bag}: not a valid BagIt bag, not captured" in result.stderr
    assert "AK203" in result.stderr and "AK202" in result.stderr
    assert f"archivekit verify --bagit {bag}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_bag_holding_a_link_is_refused(cli, tmp_path):
    bag = make_bag(tmp_path / "linked")
    os.symlink("/etc/hostname", bag / "data" / "link.txt")
    result, packages = captured(cli, tmp_path, bag)
    assert result.returncode == 1 and packages == []
    assert "AK105" in result.stderr and "link.txt" in result.stderr


def test_a_valid_bag_whose_names_differ_only_by_case_is_refused(cli, tmp_path):
    folder = tmp_path / "twins"
    folder.mkdir()
    (folder / "Hello.txt").write_text("one\n")
    (folder / "hello.txt").write_text("two\n")   # a valid bag, on this file system only
    bagit.make_bag(str(folder))
    result, packages = captured(cli, tmp_path, folder)
    assert result.returncode == 1 and packages == []
    assert "names differ only by case" in result.stderr and "'data/Hello.txt'" in result.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_packages_are_never_written_into_the_bag_they_keep(cli, tmp_path):
    bag = make_bag(tmp_path / "bag")
    before = snapshot(bag)
    result = cli("capture", ".", cwd=bag)          # --out defaults to ./archive: inside it
    assert result.returncode == 2 and "is inside the bag" in result.stderr
    assert snapshot(bag) == before


def test_a_folder_that_is_not_a_bag_is_named_as_such(cli, tmp_path):
    folder = tmp_path / "clippings"
    folder.mkdir()
    (folder / "a.txt").write_text("A clipping\n")
    result, packages = captured(cli, tmp_path, folder)
    assert result.returncode == 3 and packages == []
    assert f"{folder}: is a folder without bagit.txt, so not a BagIt bag" in result.stderr


@pytest.mark.parametrize("where,codes", [
    ("data/bag/data/clipping.txt", {"AK203"}),     # a payload file of the bag
    ("data/bag/bag-info.txt", {"AK205"}),   # its bag-info: its tag manifests cover it
])
def test_a_change_after_adoption_is_caught_in_both_bags_terms(cli, tmp_path, where, codes):
    result, [package] = captured(cli, tmp_path, make_bag(tmp_path / "bag"))
    assert result.returncode == 0, result.stderr
    with open(package / where, "ab") as handle:
        handle.write(b"Contact-Name: someone else\n")
    verified, report = cli.verify_json(package)
    findings = report["packages"][0]["findings"]
    assert verified.returncode == 1
    ours = {f["code"] for f in findings if f["path"] == where
            and not f["message"].startswith("the adopted bag")}
    theirs = {f["code"] for f in findings if f["message"].startswith("the adopted bag")}
    assert "AK203" in ours            # our sha256/sha512 manifests: the seal no longer holds
    assert codes <= theirs            # and the bag's own md5/sha1 manifests say so too
    assert "AK602" in {f["code"] for f in findings}   # the recorded size of the bag


def test_adopting_with_a_timestamp_authority(cli, tmp_path, tsa):
    result, [package] = captured(cli, tmp_path, make_bag(tmp_path / "bag"),
                                 extra=("--tsa", tsa.url("/ok")))
    assert result.returncode == 0, result.stderr
    assert list(package.glob("signatures/*.tsr"))
    root = tmp_path / "tsa.pem"
    root.write_bytes(tsa.good["ca"].public_bytes(serialization.Encoding.PEM))
    assert cli("trust", "add-tsa", root, "--name", "good").returncode == 0
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0, verified.stdout
    assert report["packages"][0]["facts"]["seals"][0]["time_source"] == "timestamp"


def test_into_a_collection_once(cli, tmp_path):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    bag = make_bag(tmp_path / "bag")
    first = cli("capture", bag, "--into", collection)
    assert first.returncode == 0, first.stderr
    package = collection / "packages" / Path(first.stdout.strip()).name
    assert descriptor_of(package)["sources"][0]["kind"] == "bag"
    assert list(package.glob("signatures/*.tlog.json"))
    again = cli("capture", bag, "--into", collection)
    assert again.returncode == 0 and "already in the collection" in again.stderr
    assert len(list((collection / "packages").iterdir())) == 1


def conformance_bags(kind):
    if SUITE is None:
        return []
    return sorted(p for p in SUITE.glob(f"v*/{kind}/*") if p.is_dir())


# bagit-python reads '%' in a manifest literally, while RFC 8493 §2.1.3 (which our
# manifests follow) writes it '%25': it cannot validate a package holding such a name.
PERCENT_NAMES = "bag-with-encoded-names"


@pytest.mark.skipif(SUITE is None, reason="the LoC BagIt conformance suite (../shared/corpus/"
                                          "bagit-conformance-suite) is not in this checkout")
def test_every_valid_bag_of_the_conformance_suite_is_adopted_and_verifies(cli, tmp_path):
    bags = conformance_bags("valid")
    copies = []
    for number, bag in enumerate(bags):   # copies: the suite is read-only and shared
        copy = tmp_path / "bags" / f"{number:02d}-{bag.parent.parent.name}-{bag.name}"
        shutil.copytree(bag, copy, symlinks=True)
        copies.append(copy)
    result, packages = captured(cli, tmp_path, *copies)
    assert result.returncode == 0, result.stderr
    assert len(packages) == len(bags) >= 20
    verified, report = cli.verify_json(*packages)
    assert verified.returncode == 0, [p["findings"] for p in report["packages"]
                                      if not p["verified"]]
    for copy, package in zip(copies, packages):
        assert_kept_byte_for_byte(copy, package)
        if not copy.name.endswith(PERCENT_NAMES):
            bagit.Bag(str(package)).validate()


@pytest.mark.skipif(SUITE is None, reason="the LoC BagIt conformance suite is not in this "
                                          "checkout")
def test_every_invalid_bag_of_the_conformance_suite_is_refused(cli, tmp_path):
    for bag in conformance_bags("invalid"):
        result, packages = captured(cli, tmp_path, bag)
        assert result.returncode in (1, 3) and packages == [], bag
        assert str(bag) in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(SUITE is None, reason="the LoC BagIt conformance suite is not in this "
                                          "checkout")
def test_a_bag_with_warnings_is_adopted_with_them_recorded(cli, tmp_path):
    bags = conformance_bags("warning")
    copies = [shutil.copytree(bag, tmp_path / "bags" / bag.name, symlinks=True) for bag in bags]
    result, packages = captured(cli, tmp_path, *copies)
    assert result.returncode == 0, result.stderr
    verified, report = cli.verify_json(*packages)
    assert verified.returncode == 0
    for copy, package, checked in zip(copies, packages, report["packages"]):
        recorded = descriptor_of(package)["sources"][0]["bag"]["warnings"]
        assert recorded and f"{copy}: note: {recorded[0]['code']}" in result.stderr
        again = [(f["code"], f["path"]) for f in checked["findings"]]
        assert again == [(w["code"], "data/bag/" + (w["path"] or "")) for w in recorded]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(declaration=st.sampled_from([b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                                    b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n",
                                    b"BagIt-Version: x\n"]),
       info=st.one_of(st.binary(max_size=300),
                      st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_whatever_a_bag_says_about_itself_is_read_without_failing(tmp_path, declaration, info):
    bag = Path(tempfile.mkdtemp(dir=tmp_path))
    (bag / "data").mkdir()
    (bag / "bagit.txt").write_bytes(declaration)
    (bag / "bag-info.txt").write_bytes(info)
    source = read_bag(bag)
    metadata = bag_metadata(source)
    assert metadata.headline and "\n" not in metadata.headline
    assert json.dumps(source.describe())   # the descriptor can hold it
    assert source.size == len(declaration) + len(info)


def test_an_adopted_bag_verifies_in_a_zip_and_after_a_wacz_round_trip(cli, tmp_path):
    bag = make_bag(tmp_path / "bag")
    zipped, [package] = captured(cli, tmp_path, bag, extra=("--as", "zip"))
    assert zipped.returncode == 0, zipped.stderr
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0 and report["packages"][0]["findings"] == []
    folder = cli("capture", bag, "--out", tmp_path / "dirs").stdout.strip()
    assert cli("export", folder, "--as", "wacz", "--out", tmp_path / "x.wacz").returncode == 0
    verified, report = cli.verify_json(tmp_path / "x.wacz")
    assert verified.returncode == 0, report
    assert report["packages"][0]["facts"]["package_id"] == Path(folder).name


def test_a_bag_packed_in_a_zip_is_kept_as_the_file_and_the_user_told_how_to_adopt_it(
        cli, tmp_path):
    make_bag(tmp_path / "packed" / "flood-bag")
    zipped = Path(shutil.make_archive(str(tmp_path / "flood-bag"), "zip", tmp_path / "packed"))
    result, [package] = captured(cli, tmp_path, zipped)
    assert result.returncode == 0, result.stderr
    assert f"{zipped}: note: holds a BagIt 0.97 bag made by bagit.py" in result.stderr
    assert "unpack it and capture its folder" in result.stderr
    [source] = descriptor_of(package)["sources"]
    assert source["kind"] == "file" and source["bytes"] == zipped.stat().st_size


def test_a_bag_over_the_reading_limits_is_refused_until_they_are_raised(cli, tmp_path):
    bag = make_bag(tmp_path / "bag")      # 12 entries: 8 files, 4 folders
    refused, packages = captured(cli, tmp_path, bag, extra=("--limit", "entries=6"))
    assert refused.returncode == 1 and packages == []
    assert f"{bag}: too large to check within the reading limits" in refused.stderr
    assert "AK108" in refused.stderr and "--limit" in refused.stderr
    raised, [package] = captured(cli, tmp_path, bag, extra=("--limit", "entries=100"))
    assert raised.returncode == 0, raised.stderr
    assert cli("verify", package, "--limit", "entries=100").returncode == 0
