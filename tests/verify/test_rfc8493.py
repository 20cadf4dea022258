"""Any BagIt bag by RFC 8493 alone: the Library of Congress conformance suite, bags
made by bagit-python with every algorithm, and damage to each part of a bag."""

import hashlib
import shutil
import zipfile

import bagit
import pytest

from archivekit._internal.limits import Limits
from archivekit.verify.rfc8493 import check_bag
from conftest import shared_corpus
from support.tamper import corrupt_zip_entry

SUITE = shared_corpus("bagit-conformance-suite")
SUITE_BAGS = sorted(p for p in SUITE.glob("v*/*/*") if p.is_dir()) if SUITE else []


@pytest.mark.skipif(SUITE is None, reason="the shared corpus (../shared/corpus/"
                    "bagit-conformance-suite) is not beside this checkout")
@pytest.mark.parametrize("bag", SUITE_BAGS, ids=lambda p: str(p.relative_to(SUITE)))
def test_agrees_with_the_conformance_suite(bag):
    report = check_bag(bag)
    warnings = [f for f in report.findings if f.severity == "warning"]
    expected = bag.parent.name
    if expected == "valid":
        assert report.verified, report.errors
    elif expected == "warning":
        assert report.verified and warnings, report.findings
    else:   # invalid; linux-only (invalid on POSIX); windows-only (unsafe paths anywhere)
        assert not report.verified, f"{bag} should fail"


def test_the_whole_suite_is_there():
    if SUITE is None:
        pytest.skip("no shared corpus beside this checkout")
    kinds = {p.parent.name for p in SUITE_BAGS}
    assert {"valid", "invalid", "warning", "linux-only"} <= kinds and len(SUITE_BAGS) >= 60


@pytest.fixture
def made_bag(tmp_path):
    """A bag made by bagit-python with every algorithm archivekit reads."""
    folder = tmp_path / "bag"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(b"first file\n")
    (folder / "sub" / "b.bin").write_bytes(bytes(range(256)))
    bagit.make_bag(str(folder), checksums=["md5", "sha1", "sha224", "sha256", "sha512"])
    return folder


def test_a_bag_made_by_bagit_python_is_valid(made_bag):
    report = check_bag(made_bag)
    assert report.verified and not report.findings, report.findings
    assert report.facts["bagit"] == {"version": "0.97", "encoding": "UTF-8"}   # bagit-python 1.x writes 0.97


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha224", "sha256", "sha512"])
def test_every_manifest_algorithm_is_checked(made_bag, algorithm):
    manifest = made_bag / f"manifest-{algorithm}.txt"
    text = manifest.read_text()
    first = text.split()[0]
    manifest.write_text(text.replace(first, "0" * len(first), 1))
    report = check_bag(made_bag)
    assert [f.message for f in report.errors if f.code == "AK203"] == [
        f"{text.split()[1]}: {algorithm} digest does not match manifest-{algorithm}.txt"]
    # the tag manifests cover the edited manifest too
    assert any(f.code == "AK205" and f.path == manifest.name for f in report.errors)


def test_same_size_edit_of_the_payload_is_found(made_bag):
    (made_bag / "data" / "a.txt").write_bytes(b"FIRST FILE\n")
    report = check_bag(made_bag)
    assert {f.code for f in report.errors} == {"AK203"}
    assert len(report.errors) == 5     # one per algorithm


def test_missing_and_unlisted_payload_and_oxum(made_bag):
    (made_bag / "data" / "a.txt").unlink()
    (made_bag / "data" / "extra.txt").write_bytes(b"x")
    report = check_bag(made_bag)
    codes = [f.code for f in report.errors]
    assert codes.count("AK201") == 1 and codes.count("AK202") == 5 and "AK204" in codes


def test_a_file_still_to_be_fetched_makes_the_bag_incomplete(made_bag):
    (made_bag / "data" / "a.txt").unlink()
    (made_bag / "fetch.txt").write_text("http://127.0.0.1:9/a.txt 11 data/a.txt\n")
    report = check_bag(made_bag)
    assert [f.code for f in report.errors if "fetch.txt names it" in f.message] == ["AK201"]


def test_fetch_lines_must_name_listed_payload_files(made_bag):
    (made_bag / "fetch.txt").write_text("http://127.0.0.1:9/x - data/never-listed.txt\n"
                                        "not a fetch line\n")
    report = check_bag(made_bag)
    messages = [f.message for f in report.errors]
    assert sum("does not list" in m for m in messages) == 5
    assert any("is not 'URL LENGTH FILEPATH'" in m for m in messages)


def test_utf16_manifests_are_read_not_skipped(made_bag):
    """A UTF-16 bag whose manifest digest is wrong must fail: the manifest is decoded."""
    for name in ("manifest-md5.txt", "bag-info.txt"):
        path = made_bag / name
        path.write_bytes(path.read_text("utf-8").encode("utf-16"))
    for other in made_bag.glob("manifest-sha*.txt"):
        other.unlink()
    for tag in made_bag.glob("tagmanifest-*.txt"):
        tag.unlink()
    (made_bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n")
    assert check_bag(made_bag).verified
    (made_bag / "data" / "a.txt").write_bytes(b"changed!!!\n")
    assert [f.code for f in check_bag(made_bag).errors] == ["AK203"]


def test_a_bag_in_a_zip(made_bag, tmp_path):
    archive = tmp_path / "bag.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(made_bag.rglob("*")):
            if path.is_file():
                out.write(path, f"bag/{path.relative_to(made_bag).as_posix()}")
    assert check_bag(archive).verified
    assert check_bag(archive).facts["container"] == "zip"


def test_not_a_bag(tmp_path):
    (tmp_path / "x").mkdir()
    assert [f.code for f in check_bag(tmp_path / "x").findings] == ["AK101"]
    assert [f.code for f in check_bag(tmp_path / "nothing").findings] == ["AK100"]


def test_cli_exit_codes_and_words(cli, made_bag, tmp_path):
    ok = cli("verify", "--bagit", made_bag)
    assert ok.returncode == 0 and ok.stdout.startswith("VERIFIED"), ok.stdout + ok.stderr
    broken = tmp_path / "broken"
    shutil.copytree(made_bag, broken)
    (broken / "data" / "a.txt").write_bytes(b"changed")
    failed = cli("verify", "--bagit", broken)
    assert failed.returncode == 1 and "AK203 data/a.txt: md5 digest does not match" in failed.stdout
    if SUITE is not None:
        warned = cli("verify", "--bagit", SUITE / "v0.97/warning/made-with-md5sum-tools")
        assert warned.returncode == 0 and "WARNING AK206" in warned.stdout


# Each defect RFC 8493 names, in a small bag made by hand (so that its version and every
# line are ours to choose), and the finding it must give: code, severity, words.

PAYLOAD = {"data/a.txt": b"first\n", "data/b.txt": b"second\n"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _small_bag(folder, version="1.0", manifest=None, oxum=None):
    """A bag of PAYLOAD with one sha256 manifest (`manifest`: its text, default every
    payload file once) and a bag-info.txt giving Payload-Oxum (`oxum`, default right)."""
    for name, data in PAYLOAD.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "bagit.txt").write_text(f"BagIt-Version: {version}\n"
                                      "Tag-File-Character-Encoding: UTF-8\n")
    if manifest is None:
        manifest = "".join(f"{_sha256(data)}  {name}\n" for name, data in PAYLOAD.items())
    (folder / "manifest-sha256.txt").write_text(manifest)
    oxum = oxum or f"{sum(map(len, PAYLOAD.values()))}.{len(PAYLOAD)}"
    (folder / "bag-info.txt").write_text(f"Payload-Oxum: {oxum}\n")
    return folder


A = f"{_sha256(PAYLOAD['data/a.txt'])}  data/a.txt\n"
B = f"{_sha256(PAYLOAD['data/b.txt'])}  data/b.txt\n"


def _missing_b(bag):
    (bag / "data/b.txt").unlink()


def _fetch(text):
    def change(bag):
        (bag / "fetch.txt").write_text(text)
    return change


def _to_fetch(bag):
    _missing_b(bag)
    _fetch("http://127.0.0.1:9/b.txt 7 data/b.txt\n")(bag)


def _tag_manifest_of_a_missing_file(bag):
    (bag / "tagmanifest-sha256.txt").write_text(
        f"{_sha256((bag / 'bagit.txt').read_bytes())}  bagit.txt\n"
        f"{_sha256(b'gone')}  notes.txt\n")


def _write(name, data: bytes):
    def change(bag):
        (bag / name).write_bytes(data)
    return change


def _remove(name):
    def change(bag):
        shutil.rmtree(bag / name) if (bag / name).is_dir() else (bag / name).unlink()
    return change


def _renamed_by_case(bag):
    (bag / "data/a.txt").rename(bag / "data/A.txt")


def _unknown_algorithm(bag):
    (bag / "manifest-whirl.txt").write_text(A)


DEFECTS = [   # (id, bag options, change, (code, severity, words))
    ("no payload manifest", {}, _remove("manifest-sha256.txt"),
     ("AK103", "error", "the bag has no payload manifest")),
    ("no data/", {"manifest": ""}, _remove("data"),
     ("AK103", "error", "the bag has no payload directory data/")),
    ("bagit.txt version", {}, _write("bagit.txt", b"BagIt-Version: one\n"
                                                   b"Tag-File-Character-Encoding: UTF-8\n"),
     ("AK102", "error", "bagit.txt line 1 is not 'BagIt-Version: M.N'")),
    ("tag file not in its encoding", {}, _write("bag-info.txt", b"Payload-Oxum: 13.2\n\xff\n"),
     ("AK102", "error", "bag-info.txt is not in the declared encoding UTF-8")),
    ("unknown algorithm", {}, _unknown_algorithm,
     ("AK206", "warning", "manifest-whirl.txt uses an algorithm this verifier does not know")),
    ("md5sum star", {"manifest": A.replace("  ", " *") + B}, None,
     ("AK206", "warning", "paths are marked '*' (md5sum's binary mode)")),
    ("not a manifest line", {"manifest": A + B + "nothex  data/c.txt\n"}, None,
     ("AK206", "error", "manifest-sha256.txt line 3 is not '<sha256 hex digest> <path>'")),
    ("leading ./", {"manifest": A.replace("data/", "./data/") + B}, None,
     ("AK206", "warning", "line 1 writes its path with a leading './'")),
    ("twice, two digests", {"manifest": A + B + A.replace(A[:64], "0" * 64)}, None,
     ("AK206", "error", "lists data/a.txt twice, with different digests")),
    ("twice in 1.0", {"manifest": A + B + A}, None,
     ("AK206", "error", "manifest-sha256.txt lists data/a.txt twice")),
    ("twice in 0.97", {"manifest": A + B + A, "version": "0.97"}, None,
     ("AK206", "warning", "lists data/a.txt twice, with the same digest")),
    ("fetch line", {}, _fetch("not a fetch line\n"),
     ("AK206", "error", "fetch.txt line 1 is not 'URL LENGTH FILEPATH'")),
    ("fetch unlisted", {}, _fetch("http://127.0.0.1:9/c 1 data/c.txt\n"),
     ("AK206", "error", "fetch.txt names data/c.txt, which manifest-sha256.txt does not list")),
    ("still to fetch", {}, _to_fetch,
     ("AK201", "error", "data/b.txt is not in the bag yet: fetch.txt names it")),
    ("system file gone", {"manifest": A + B + f"{_sha256(b'x')}  data/.DS_Store\n",
                          "oxum": "14.3"}, None,
     ("AK201", "warning", "data/.DS_Store is listed but absent: a file an operating system")),
    ("oxum off by a system file", {"manifest": A + B + f"{_sha256(b'x')}  data/.DS_Store\n",
                                   "oxum": "14.3"}, None,
     ("AK204", "warning", "Payload-Oxum disagrees with the payload (by the files listed")),
    ("listed under another case", {}, _renamed_by_case,
     ("AK106", "warning", "data/a.txt is listed but the bag holds it as data/A.txt")),
    ("unsafe manifest path", {"manifest": A + B + f"{'0' * 64}  data/../../etc/passwd\n"},
     None, ("AK104", "error", "manifest-sha256.txt line 3 names an unsafe path")),
    ("unsafe fetch path", {}, _fetch("http://127.0.0.1:9/x 1 data/../../x\n"),
     ("AK104", "error", "fetch.txt line 1 names an unsafe path")),
    ("system file kept", {"manifest": A + B + f"{_sha256(b'x')}  data/.DS_Store\n",
                          "oxum": "14.3"}, _write("data/.DS_Store", b"x"),
     ("AK107", "warning", "data/.DS_Store is a file an operating system leaves behind")),
    ("bag-info line", {}, _write("bag-info.txt", b"Payload-Oxum: 13.2\nno label here\n"),
     ("AK109", "error", "bag-info.txt line 2 is not 'Label: value'")),
    ("oxum form", {"oxum": "lots"}, None,
     ("AK109", "error", "Payload-Oxum is not 'octets.files'")),
    ("missing", {}, _missing_b,
     ("AK201", "error", "data/b.txt is listed in the manifests but missing")),
    ("oxum", {"oxum": "99.2"}, None,
     ("AK204", "error", "Payload-Oxum disagrees with the payload")),
    ("tag file missing", {}, _tag_manifest_of_a_missing_file,
     ("AK201", "error", "notes.txt is listed in tagmanifest-sha256.txt but missing")),
]


@pytest.mark.parametrize("options, change, expected", [d[1:] for d in DEFECTS],
                         ids=[d[0] for d in DEFECTS])
def test_each_defect_is_named_by_its_code(tmp_path, options, change, expected):
    bag = _small_bag(tmp_path / "bag", **options)
    if change:
        change(bag)
    report = check_bag(bag)
    code, severity, words = expected
    assert any(f.code == code and f.severity == severity and words in f.message
               for f in report.findings), report.findings


def test_the_small_bag_is_valid(tmp_path):
    report = check_bag(_small_bag(tmp_path / "bag"))
    assert report.verified and report.findings == [], report.findings


def test_a_tag_file_that_cannot_be_read_is_ak207(tmp_path):
    bag = _small_bag(tmp_path / "bag")
    archive = tmp_path / "bag.zip"
    with zipfile.ZipFile(archive, "w") as out:   # stored: a flipped byte stays a flipped byte
        for path in sorted(bag.rglob("*")):
            if path.is_file():
                out.write(path, f"bag/{path.relative_to(bag).as_posix()}")
    corrupt_zip_entry(archive, "bag/manifest-sha256.txt")
    report = check_bag(archive)
    [unreadable] = [f for f in report.findings if f.code == "AK207"]
    assert unreadable.path == "manifest-sha256.txt"
    assert unreadable.message.startswith("cannot read manifest-sha256.txt")


def test_a_bag_past_the_reading_budget_is_ak108_and_checked_no_further(tmp_path):
    bag = _small_bag(tmp_path / "bag")
    tag_bytes = sum(p.stat().st_size for p in bag.iterdir() if p.is_file())
    report = check_bag(bag, Limits().replace(inflated_bytes=tag_bytes + 1))   # no payload
    [spent] = [f for f in report.findings if f.code == "AK108"]
    assert spent.message.endswith("; the rest of the bag was not checked")
    assert not report.verified


def test_a_tag_file_over_the_limit_is_too_large_not_unreadable(tmp_path):
    # A reading limit is not damage: AK108 (raise the limit), never AK207 (cannot read).
    report = check_bag(_small_bag(tmp_path / "bag"), Limits().replace(tag_file_bytes=5))
    assert [f.code for f in report.findings] == ["AK108"]
    assert "bagit.txt is larger than 5 bytes" in report.findings[0].message
