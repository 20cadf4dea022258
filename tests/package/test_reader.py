"""Reading a package from a folder, a .zip or a .tar: garbage in, findings out, nothing
inflated or written outside the bag, and no entry read two ways."""

import errno
import io
import os
import shutil
import tarfile
import zipfile

import pytest

from conftest import finding_codes, no_crash, zip_package


def test_empty_directory(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result, report = cli.verify_json(tmp_path / "empty")
    no_crash(result)
    assert finding_codes(report) == {"AK116"}      # no package: not a damaged one
    assert "it holds none of a package's files" in report["packages"][0]["findings"][0]["message"]


def test_random_bytes_named_zip(cli, tmp_path):
    path = tmp_path / "random.zip"
    path.write_bytes(os.urandom(4096))
    result, report = cli.verify_json(path)
    no_crash(result)
    assert finding_codes(report) == {"AK100"}     # named a package: a damaged one
    assert report["packages"][0]["verdict"] == "content changed" and result.returncode == 1


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
    assert finding_codes(report) == {"AK116"}
    verdict = report["packages"][0]
    assert (verdict["verdict"], result.returncode) == ("not a package", 3)   # not "restore it"
    assert "a file to keep is captured into a package first" in verdict["remedy"]


def test_a_collection_s_folder_is_not_a_package(package, tmp_path):
    """A collection's folder named where a package should be (verify, not audit): one
    finding saying what it is, the command line naming the audit, not a damaged
    package's dozens of findings and 'restore it from a replica'. A package that lost
    every file, a zip of a package's files without its folder, a WACZ whose bytes are
    gone, and an empty folder among a collection's packages are damaged packages."""
    cli, bag = package
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    assert cli("collection", "add", collection, bag).returncode == 0
    result, report = cli.verify_json(collection)
    no_crash(result)
    [finding] = report["packages"][0]["findings"]
    assert (finding["code"], report["packages"][0]["verdict"], result.returncode) \
        == ("AK116", "not a package", 3)
    assert finding["message"] == (f"{collection}: a collection's folder, not a package: its "
                                  f"packages are in {collection}/packages/, and an audit of "
                                  "the collection checks each")
    shown = cli("verify", collection)                  # the text report names the command
    assert f"'archivekit audit {collection}' checks every package" in shown.stdout
    packaged = collection / "packages" / bag.name          # a package, however damaged:
    with zipfile.ZipFile(tmp_path / "flat.zip", "w") as flat:   # its files zipped loose
        for path in sorted(packaged.rglob("*")):
            if path.is_file():
                flat.write(path, path.relative_to(packaged).as_posix())
    for path in sorted(packaged.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()                                  # its folders left
    garbage = tmp_path / "export.wacz"
    garbage.write_bytes(bytes(5000))
    for damaged in (packaged, tmp_path / "flat.zip", garbage):
        result, report = cli.verify_json(damaged)
        assert "AK116" not in finding_codes(report), (damaged, finding_codes(report))
        assert (report["packages"][0]["verdict"], result.returncode) == ("content changed", 1)
    shutil.rmtree(packaged)
    packaged.mkdir()                                       # emptied, among the packages
    result, report = cli.verify_json(packaged)
    assert (report["packages"][0]["verdict"], result.returncode) == ("content changed", 1)


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


# --- hostile containers: each answered by a finding, quickly, without inflating ---------


def _verify(location, cli=None, **limits):
    """The verifier's report on `location`, in this process (fast), trusting what `cli`
    trusts, with `limits` changed."""
    from archivekit._internal.limits import Limits
    from archivekit.trust.truststore import TrustStore
    from archivekit.verify import VerificationPolicy, Verifier
    trust = TrustStore.load(cli.home / "trust.yaml") if cli else TrustStore(None)
    return Verifier(trust).verify(location, VerificationPolicy(limits=Limits().replace(**limits)))


def _sparse_member(name: str, real_size: int) -> bytes:
    """A GNU sparse member header claiming `real_size` bytes, holding none."""
    member = tarfile.TarInfo(name)
    member.type = tarfile.GNUTYPE_SPARSE
    header = bytearray(member.tobuf(tarfile.GNU_FORMAT))
    header[483:495] = b"%011o\0" % real_size           # realsize: 1 TiB of zeros
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header[:512])
    return bytes(header)


def test_sparse_tar_member_is_never_read(package, tmp_path):
    cli, bag = package
    archive = _tar_of(bag, tmp_path / "sparse.tar")
    data = archive.read_bytes().rstrip(b"\0")
    data = data + b"\0" * (-len(data) % 512)
    archive.write_bytes(data + _sparse_member(f"{bag.name}/data/huge.bin", 1 << 40) + b"\0" * 1024)
    assert archive.stat().st_size < 64 << 10
    report = _verify(archive, cli)
    assert "AK113" in report.codes() and not report.verified
    assert any("sparse" in f.message for f in report.findings)


@pytest.mark.parametrize("compression", ["gz", "bz2", "xz"])
def test_compressed_tar_named_tar_is_refused(package, tmp_path, compression):
    cli, bag = package
    archive = tmp_path / "squeezed.tar"
    with tarfile.open(archive, f"w:{compression}") as out:
        out.add(bag, bag.name)
    report = _verify(archive, cli)
    assert report.codes() == {"AK110"}
    assert "named .tar but holds a" in report.findings[0].message


def _unreadable(bag, tmp_path, kind):
    if kind == "zip":
        data = bytearray(zip_package(bag, tmp_path / "p.zip").read_bytes())
        at = data.rfind(b"PK\x01\x02")   # a central directory entry's signature
        data[at:at + 2] = b"XX"
        path = tmp_path / "p.zip"
    elif kind == "tar":
        data = bytearray(_tar_of(bag, tmp_path / "p.tar").read_bytes())
        data[148:156] = b"0000000\0"    # the first header's checksum
        path = tmp_path / "p.tar"
    else:   # a path through a file, as if it were a folder
        (tmp_path / "notes.txt").write_text("a file\n")
        return tmp_path / "notes.txt" / "package"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind, words", [
    ("zip", "not a readable zip file: Bad magic number for central directory"),
    ("tar", "not a readable tar file: bad checksum"),
    ("path", "cannot read: Not a directory")])
def test_a_container_that_cannot_be_read_is_said_so(package, tmp_path, kind, words):
    cli, bag = package
    report = _verify(_unreadable(bag, tmp_path, kind), cli)
    assert [(f.code, f.severity) for f in report.findings] == [("AK100", "error")]
    assert report.findings[0].message.endswith(words)


def test_a_package_file_that_cannot_be_opened_is_said_so(package, tmp_path, monkeypatch):
    """Simulated: every test runs as root here, whom a file's mode does not stop."""
    from archivekit.package import reader

    def refuse(path, follow_links=True):
        raise PermissionError(13, "Permission denied", str(path))
    monkeypatch.setattr(reader, "open_regular", refuse)
    cli, bag = package
    report = _verify(zip_package(bag, tmp_path / "p.zip"), cli)
    assert [(f.code, f.severity) for f in report.findings] == [("AK100", "error")]
    assert report.findings[0].message.endswith("p.zip: cannot read: Permission denied")


def test_a_symbolic_link_to_a_package_is_not_followed(package, tmp_path):
    """The package itself is named, not a link that could point elsewhere by the time
    its files are read."""
    cli, bag = package
    link = tmp_path / "link"
    link.symlink_to(bag)
    report = _verify(link, cli)
    assert [(f.code, f.severity) for f in report.findings] == [("AK100", "error")]
    assert report.findings[0].message.endswith("is a symbolic link; name the package itself")


@pytest.mark.parametrize("container", ["zip", "tar"])
def test_a_container_not_named_for_what_it_holds_is_refused(package, tmp_path, container):
    """A .pkg holding a zip or a tar: read only when named .zip or .tar, since what a
    file is named decides which tool a reader later opens it with."""
    cli, bag = package
    made = (zip_package(bag, tmp_path / "clipping.zip") if container == "zip"
            else _tar_of(bag, tmp_path / "clipping.tar"))
    archive = made.rename(tmp_path / "clipping.pkg")
    report = _verify(archive, cli)
    assert [(f.code, f.severity) for f in report.findings] == [("AK110", "error")]
    assert report.findings[0].message.endswith(
        f"holds a {container} but its name does not end in .{container}; name a package "
        "file .zip or .tar")


def test_zip_of_many_entries_each_under_the_entry_limit(package, tmp_path):
    """20 entries of 16 MiB of zeros (each well under the per-entry limit) in 400 KB: the
    whole zip may inflate to 20 times its size (plus 64 MiB), no more."""
    cli, bag = package
    archive = zip_package(bag, tmp_path / "many.zip")
    zeros = bytes(16 << 20)
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        for number in range(20):
            zf.writestr(f"{bag.name}/data/zeros-{number}.bin", zeros)
    assert archive.stat().st_size < 1 << 20
    report = _verify(archive, cli)
    assert "AK108" in report.codes()
    assert any("expansion" in f.message or "inflated" in f.message for f in report.findings)


def test_zip_entry_count_is_read_before_the_directory(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "crowd.zip",
                          [(f"{bag.name}/data/n{i}", b"") for i in range(60)])
    report = _verify(archive, cli, entries=50)
    assert report.codes() == {"AK108"} and "more than the entries limit" in report.findings[0].message


def test_seal_of_60_mib_whitespace_is_not_read_whole(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "padded.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{bag.name}/signatures/9-ed25519-0000000000000000.dsse.json",
                    b" " * (60 << 20))
    report = _verify(archive, cli)
    assert "AK108" in report.codes() and not report.verified


def test_tar_with_a_zip_appended_and_named_zip(package, tmp_path):
    """A genuine tar with a forged zip after it: zip tools read the zip, tar tools the
    tar. Named .zip, it holds a tar first: refused."""
    cli, bag = package
    tar = _tar_of(bag, tmp_path / "real.tar")
    forged = zip_package(bag, tmp_path / "forged.zip", [(f"{bag.name}/data/forged.txt", b"x")])
    both = tmp_path / "both.zip"
    both.write_bytes(tar.read_bytes() + forged.read_bytes())
    assert zipfile.is_zipfile(both)   # what a zip tool sees
    assert _verify(both, cli).codes() == {"AK110"}


def test_tar_with_data_after_its_end(package, tmp_path):
    cli, bag = package
    tar = _tar_of(bag, tmp_path / "tail.tar")
    tar.write_bytes(tar.read_bytes() + b"PK\x05\x06 a zip's end, say")
    report = _verify(tar, cli)
    assert "AK111" in report.codes() and not report.verified


def test_zip_with_data_after_its_end(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "wrapped.zip")
    data = archive.read_bytes()
    archive.write_bytes(data + b"trailing")
    assert _verify(archive, cli).codes() == {"AK111"}


def test_zip_local_header_disagrees_with_central_directory(package, tmp_path):
    """One name in the central directory, another in the local header: tools that read
    the local headers see another file."""
    cli, bag = package
    archive = zip_package(bag, tmp_path / "two-faced.zip")
    data = bytearray(archive.read_bytes())
    name = f"{bag.name}/bag-info.txt".encode()
    local = data.index(b"PK\x03\x04" + data[4:4])   # the first local header
    at = data.index(name, local)                        # its name, before the directory
    data[at + len(name) - 5] ^= 0x20                    # bag-Info.txt, locally
    archive.write_bytes(bytes(data))
    report = _verify(archive, cli)
    assert "AK112" in report.codes() and not report.verified


def test_zip_entry_in_deflate64_is_a_finding(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "d64.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info, directory = zf.getinfo(f"{bag.name}/bag-info.txt"), zf.start_dir
    # Method 9 (deflate64) in its local header and in its central directory entry.
    data[info.header_offset + 8:info.header_offset + 10] = (9).to_bytes(2, "little")
    entry = data.index(b"PK\x01\x02", directory)
    while data[entry + 46:entry + 46 + len(info.filename)] != info.filename.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 10:entry + 12] = (9).to_bytes(2, "little")
    archive.write_bytes(bytes(data))
    report = _verify(archive, cli)
    assert "AK113" in report.codes() and any("method 9" in f.message for f in report.findings)
    assert "AK199" not in report.codes()


def test_zip_entry_with_a_bad_crc(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "crc.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(f"{bag.name}/bagit.txt")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 2] ^= 0x01                              # inside its deflate stream
    archive.write_bytes(bytes(data))
    report = _verify(archive, cli)
    assert not report.verified and report.codes() & {"AK207", "AK102"}
    assert "AK199" not in report.codes()


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_special_files_are_refused_before_they_are_opened(tmp_path, kind):
    import socket
    path = tmp_path / "package.zip"
    if kind == "fifo":
        os.mkfifo(path)
        report = _verify(path)
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            report = _verify(path)
    assert report.codes() == {"AK100"}
    assert "a package is a folder or a regular .zip or .tar file" in report.findings[0].message


def test_a_fifo_inside_a_directory_package_is_not_opened(package):
    cli, bag = package
    os.mkfifo(bag / "data" / "pipe")
    report = _verify(bag, cli)
    assert "AK105" in report.codes()


def test_zip_entry_hidden_from_the_central_directory(package, tmp_path):
    """Bytes of an entry whose central directory record was removed: tools that scan
    local headers find a file the verifier would never see."""
    import struct
    cli, bag = package
    archive = zip_package(bag, tmp_path / "hidden.zip", [(f"{bag.name}/data/hidden.txt", b"x")])
    data = archive.read_bytes()
    with zipfile.ZipFile(archive) as zf:
        start = zf.start_dir
    records, at = [], start
    while data[at:at + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        end = at + 46 + name_length + extra_length + comment_length
        records.append(data[at:end])
        at = end
    kept = [r for r in records if b"hidden.txt" not in r]
    directory = b"".join(kept)
    end_record = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(kept), len(kept),
                             len(directory), start, 0)
    archive.write_bytes(data[:start] + directory + end_record)
    report = _verify(archive, cli)
    assert report.codes() == {"AK111"}
    assert "bytes between the last entry and the central directory" in report.findings[0].message


def test_an_entry_outside_the_bag_directory_is_not_read(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "extra.zip", [("elsewhere/notes.txt", b"x")])
    result, report = cli.verify_json(archive)
    assert result.returncode == 1
    assert [(f["code"], f["path"]) for f in report["packages"][0]["findings"]] == [
        ("AK115", "elsewhere/notes.txt")]


def _point_entry_at(archive, which, offset_of) -> str:
    """Rewrite the central directory record of entry number `which` (in local-header
    order) so that it points at `offset_of(data, entries)`; the entry's name."""
    import struct
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        entries = sorted(zf.infolist(), key=lambda i: i.header_offset)
        at = zf.start_dir
    target = entries[which]
    while data[at:at + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, at + 28)
        if bytes(data[at + 46:at + 46 + name_length]).decode() == target.orig_filename:
            struct.pack_into("<L", data, at + 42, offset_of(data, entries))
        at += 46 + name_length + extra_length + comment_length
    archive.write_bytes(bytes(data))
    return target.filename


def _problems(report) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in report.findings]


def test_zip_whose_comment_runs_past_the_end(package, tmp_path):
    import struct
    cli, bag = package
    archive = zip_package(bag, tmp_path / "comment.zip")
    data = bytearray(archive.read_bytes())
    struct.pack_into("<H", data, len(data) - 2, 40)     # a 40-byte comment that is not there
    archive.write_bytes(bytes(data))
    report = _verify(archive, cli)
    assert ("AK111", "the zip's comment runs past the end of the file") in _problems(report)


def test_zip_entries_that_overlap(package, tmp_path):
    """Two central directory records, one local header: each tool may read another file."""
    cli, bag = package
    archive = zip_package(bag, tmp_path / "overlap.zip")
    _point_entry_at(archive, 1, lambda data, entries: entries[0].header_offset)
    report = _verify(archive, cli)
    assert ("AK111", "the entry overlaps the one before it") in _problems(report)


def test_zip_local_header_cut_short(package, tmp_path):
    cli, bag = package
    archive = zip_package(bag, tmp_path / "cut.zip")
    _point_entry_at(archive, -1, lambda data, entries: len(data) - 10)
    report = _verify(archive, cli)
    assert ("AK112", "local header truncated") in _problems(report)
    assert any(code == "AK111" and message.endswith("unlisted byte(s) before this entry")
               for code, message in _problems(report))        # what it skipped to get there
    assert "AK199" not in report.codes()


def test_a_folder_that_cannot_be_listed_or_an_entry_that_cannot_be_examined(package,
                                                                            monkeypatch):
    # The tests run as root, whom no permission stops: the errors the system gives a user
    # it refuses are raised in their place, for the package's data/ folder and bagit.txt.
    cli, bag = package
    real_scandir = os.scandir

    class Refused:
        def __init__(self, entry):
            self.entry, self.name, self.path = entry, entry.name, entry.path

        def stat(self, follow_symlinks=True):
            raise PermissionError(errno.EACCES, "Permission denied")

    def scandir(folder):
        if os.path.basename(folder) == "data":
            raise PermissionError(errno.EACCES, "Permission denied")
        return [Refused(e) if e.name == "bagit.txt" else e for e in real_scandir(folder)]
    monkeypatch.setattr(os, "scandir", scandir)
    found = {(f.code, f.path, f.message) for f in _verify(bag, cli).findings}
    assert ("AK100", "data/", "cannot list: Permission denied") in found
    assert ("AK100", "bagit.txt", "cannot stat: Permission denied") in found
