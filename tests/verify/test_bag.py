"""BagIt checks (verify/bag.py): bagit.txt, bag-info.txt, manifests and unreadable files.
Each case damages one thing and expects its own finding, with its own words."""

import errno

import pytest

from archivekit.formats import layout
from conftest import verify_here, zip_package
from support.tamper import corrupt_zip_entry

HEX = "ab" * 32


def _messages(report, code):
    return [f.message for f in report.findings if f.code == code]


def test_bagit_txt_of_another_version(package):
    cli, bag = package
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    report = verify_here(cli, bag)
    assert "AK102" in report.codes()


@pytest.mark.parametrize("change, words", [
    (lambda text: b"\xff" + text, "not UTF-8"),
    (lambda text: text + b"a line without a label\n", "is not 'Label: value'"),
    (lambda text: b"".join(line for line in text.splitlines(True)
                           if not line.startswith(b"External-Identifier")),
     "lacks External-Identifier"),
])
def test_bag_info_defects(package, change, words):
    cli, bag = package
    path = bag / layout.BAG_INFO_PATH
    path.write_bytes(change(path.read_bytes()))
    report = verify_here(cli, bag)
    assert any(words in m for m in _messages(report, "AK109")), report.findings


@pytest.mark.parametrize("manifest, change, words", [
    ("manifest-sha256.txt", lambda text: b"\xfe" + text, "is not UTF-8"),
    ("manifest-sha256.txt", lambda text: text + b"not-hex  data/x\n", "is not '<sha256 hex digest> <path>'"),
    ("manifest-sha256.txt", lambda text: text + text, "twice"),
    ("manifest-sha256.txt", lambda text: text + f"{HEX}  bagit.txt\n".encode(), "outside data/"),
    ("tagmanifest-sha256.txt", lambda text: text + f"{HEX}  signatures/x.txt\n".encode(),
     "which it cannot cover"),
])
def test_manifest_defects(package, manifest, change, words):
    cli, bag = package
    path = bag / manifest
    path.write_bytes(change(path.read_bytes()))
    report = verify_here(cli, bag)
    assert any(words in m for m in _messages(report, "AK206")), report.findings


@pytest.mark.parametrize("entry", [layout.BAG_INFO_PATH, layout.WARC_PATH])
def test_a_file_that_cannot_be_read_is_a_finding(package, tmp_path, entry):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "package.zip")
    corrupt_zip_entry(archive, f"{bag.name}/{entry}")
    report = verify_here(cli, archive)
    assert any(f.path == entry for f in report.findings if f.code == "AK207"), report.findings


def test_a_tag_file_the_tag_manifest_lists_but_the_package_lacks(package):
    cli, bag = package
    (bag / layout.BAG_INFO_PATH).unlink()
    report = verify_here(cli, bag)
    assert f"{layout.BAG_INFO_PATH} is listed in tagmanifest-sha256.txt but missing" in \
        _messages(report, "AK201"), report.findings


def test_a_tag_manifest_our_format_requires_is_missing(package):
    cli, bag = package
    (bag / "tagmanifest-sha512.txt").unlink()
    report = verify_here(cli, bag)
    assert "required file tagmanifest-sha512.txt is missing" in _messages(report, "AK103")


def test_an_input_output_error_opening_a_package_is_ak100(package, monkeypatch):
    # A disk that fails as the package is opened cannot be made here: the error it gives
    # is raised in its place.
    from archivekit.verify import bag as bag_checks
    cli, bag = package

    def failing_disk(location, limits=None):
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr(bag_checks, "open_package", failing_disk)
    report = verify_here(cli, bag)
    assert [f"{bag}: cannot open: Input/output error"] == _messages(report, "AK100")


def test_a_tag_manifest_for_an_algorithm_our_format_does_not_use(package):
    cli, bag = package
    (bag / "tagmanifest-md5.txt").write_text(f"{'0' * 32}  bagit.txt\n")
    report = verify_here(cli, bag)
    assert [(f.severity, f.message) for f in report.findings if f.code == "AK107"] == [
        ("warning", "tagmanifest-md5.txt is a tag manifest for an algorithm this format "
                    "does not use")]


def test_a_required_tag_file_one_tag_manifest_leaves_out(package):
    cli, bag = package
    manifest = bag / "tagmanifest-sha256.txt"
    manifest.write_text("".join(line for line in manifest.read_text().splitlines(True)
                                if not line.rstrip().endswith(f"  {layout.BAG_INFO_PATH}")))
    report = verify_here(cli, bag)
    assert f"{layout.BAG_INFO_PATH} is not covered by tagmanifest-sha256.txt" in \
        _messages(report, "AK107"), report.findings
