"""Reading a package from a folder, a .zip or a .tar: garbage in, findings out, nothing
inflated or written outside the bag, and no entry read two ways."""

import io
import os
import tarfile
import zipfile

import pytest

from conftest import finding_codes, no_crash, zip_package


def test_empty_directory(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result, report = cli.verify_json(tmp_path / "empty")
    no_crash(result)
    assert {"AK101", "AK103", "AK501"} <= finding_codes(report)


def test_random_bytes_named_zip(cli, tmp_path):
    path = tmp_path / "random.zip"
    path.write_bytes(os.urandom(4096))
    result, report = cli.verify_json(path)
    no_crash(result)
    assert finding_codes(report) == {"AK100"}


def test_random_bytes_that_start_like_a_zip(cli, tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04" + os.urandom(4096))
    result, report = cli.verify_json(path)
    no_crash(result)
    assert "AK100" in finding_codes(report)


def test_plain_text_file(cli, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is not a package\n")
    result, report = cli.verify_json(path)
    no_crash(result)
    assert finding_codes(report) == {"AK100"}
    assert "not a package" in report["packages"][0]["findings"][0]["message"]


def test_huge_zip_entry_is_not_inflated(package, tmp_path):
    """A zip bomb: 256 MiB of zeros in ~256 KiB. Refused from its header, never inflated."""
    cli, bag = package
    archive = zip_package(bag, tmp_path / "bomb.zip", leave_out=("clipping.warc.gz",))
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(f"{bag.name}/data/clipping.warc.gz", "w", force_zip64=True) as entry:
            zeros = bytes(1 << 24)
            for _ in range(16):
                entry.write(zeros)
    assert archive.stat().st_size < 8 << 20
    result, report = cli.verify_json(archive)
    no_crash(result)
    assert "AK108" in finding_codes(report)


def test_deeply_nested_zip_entry(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "deep.zip",
                          [(f"{bag.name}/data/" + "d/" * 5000 + "leaf.txt", b"deep")])
    result, report = cli.verify_json(archive)
    no_crash(result)
    assert "AK104" in finding_codes(report)


# --- serialized containers ------------------------------------------------------------


def test_zip_entry_with_dotdot(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "evil.zip", [(f"{bag.name}/data/../../escape.txt", b"x")])
    result, report = cli.verify_json(archive)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and "AK104" in found
    assert not (tmp_path / "escape.txt").exists()


def test_zip_with_a_name_twice(package, tmp_path):
    """Two entries named data/clipping.warc.gz: one tool would read the first, another
    the second. Reported, whichever the forger hoped would be read."""
    import warnings
    cli, bag = package
    archive = zip_package(bag, tmp_path / "twice.zip")
    with warnings.catch_warnings(), zipfile.ZipFile(archive, "a") as zf:
        warnings.simplefilter("ignore")     # zipfile warns about the duplicate, as it should
        zf.writestr(f"{bag.name}/data/clipping.warc.gz", b"another payload")
    result, report = cli.verify_json(archive)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and "AK106" in found


def _tar_of(bag, path, extra_members=()):
    with tarfile.open(path, "w") as archive:
        for file in sorted(bag.rglob("*")):
            if file.is_file():
                archive.add(file, f"{bag.name}/{file.relative_to(bag).as_posix()}")
        for member in extra_members:
            archive.addfile(member, io.BytesIO(b"") if member.isfile() else None)
    return path


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_tar_member_device_or_link(package, tmp_path, kind):
    cli, bag = package
    member = tarfile.TarInfo(f"{bag.name}/data/odd")
    member.type = kind
    if kind == tarfile.CHRTYPE:
        member.devmajor, member.devminor = 1, 3
    else:
        member.linkname = "/etc/shadow" if kind == tarfile.SYMTYPE else f"{bag.name}/bagit.txt"
    archive = _tar_of(bag, tmp_path / "odd.tar", [member])
    result, report = cli.verify_json(archive)
    found = {f["code"] for f in report["packages"][0]["findings"]}
    assert result.returncode == 1 and "AK105" in found
