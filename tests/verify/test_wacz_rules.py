"""A WACZ made by another tool, checked by the WACZ rules; and named in one line when
`verify` is asked to treat it as an archivekit package."""

import json
import zipfile

import bagit
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from archivekit.verify.wacz_rules import check_wacz
from support.tamper import corrupt_zip_entry
from support.webarchives import forge_pages, make_wacz, rewrite_zip


def codes(report, severity="error"):
    return sorted(f.code for f in report.findings if f.severity == severity)


def test_a_sound_signed_wacz(tmp_path):
    report = check_wacz(make_wacz(tmp_path / "a.wacz", sign=True))
    assert codes(report) == [] and codes(report, "warning") == ["AK705"]
    assert "a key the WACZ itself carries" in report.facts["wacz"]["signed_by"]
    assert report.facts["wacz"]["title"] == "Flood coverage" and report.facts["wacz"]["pages"] == 2


def test_an_unsigned_wacz_says_so(tmp_path):
    report = check_wacz(make_wacz(tmp_path / "a.wacz"))
    assert codes(report) == []
    assert ("AK705", "the WACZ is not signed (no datapackage-digest.json)") in [
        (f.code, f.message) for f in report.findings]


def test_pages_edited_and_rehashed_is_caught(tmp_path):
    """The attack `wacz validate --verify-auth` lets through (support.webarchives)."""
    report = check_wacz(forge_pages(make_wacz(tmp_path / "a.wacz", sign=True)))
    assert codes(report) == ["AK703"]
    assert "pages.jsonl" in next(f.message for f in report.findings if f.code == "AK703")


def test_unlisted_pages_are_not_bound(tmp_path):
    report = check_wacz(make_wacz(tmp_path / "a.wacz", sign=True, list_pages=False))
    assert any(f.code == "AK705" and f.path == "pages/pages.jsonl" for f in report.findings)


def test_damage_to_each_part(tmp_path):
    path = make_wacz(tmp_path / "a.wacz", sign=True)
    with zipfile.ZipFile(path) as archive:
        warc = bytearray(archive.read("archive/data.warc.gz"))
        digest = json.loads(archive.read("datapackage-digest.json"))
    warc[len(warc) // 2] ^= 0xFF
    digest["signedData"]["signature"] = digest["signedData"]["signature"][::-1]
    rewrite_zip(path, {"archive/data.warc.gz": bytes(warc), "extra.txt": b"smuggled",
                       "datapackage-digest.json": json.dumps(digest).encode()})
    report = check_wacz(path)
    found = set(codes(report))
    assert {"AK702", "AK704", "AK301"} <= found, report.findings
    assert any(f.path == "extra.txt" and f.code == "AK705" for f in report.findings)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_mutated_waczs_become_findings_never_a_crash(tmp_path, flips):
    source = tmp_path / "base.wacz"
    if not source.exists():
        make_wacz(source, sign=True)
    data = bytearray(source.read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    (tmp_path / "m.wacz").write_bytes(bytes(data))
    report = check_wacz(tmp_path / "m.wacz")
    assert "AK199" not in {f.code for f in report.findings}


def test_not_a_wacz(tmp_path):
    (tmp_path / "x.wacz").write_bytes(b"PK\x03\x04 not really")
    assert codes(check_wacz(tmp_path / "x.wacz")) == ["AK100"]
    with zipfile.ZipFile(tmp_path / "y.wacz", "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert codes(check_wacz(tmp_path / "y.wacz")) == ["AK701"]


def test_verify_names_a_foreign_wacz_or_bag_in_one_line(cli, tmp_path):
    path = make_wacz(tmp_path / "crawl.wacz")
    result = cli("verify", path)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines() == [
        f"FAILED  {path}: a WACZ 1.1.1 made by ArchiveWeb.page 0.11.3, \"Flood coverage\", "
        f"not an archivekit package: use 'archivekit verify --wacz {path}' to check it by "
        f"the WACZ rules, 'archivekit capture {path}' to keep it in a sealed package"]
    bag = tmp_path / "bag"
    bag.mkdir()
    (bag / "a.txt").write_text("x")
    bagit.make_bag(str(bag), checksums=["md5"])
    result = cli("verify", bag)
    assert result.returncode == 1 and len(result.stdout.strip().splitlines()) == 1
    assert "a BagIt 0.97 bag made by bagit.py" in result.stdout and "--bagit" in result.stdout
    checked = cli("verify", "--wacz", path)
    assert checked.returncode == 0 and "VERIFIED" in checked.stdout


def test_pages_that_cannot_be_read(tmp_path):
    path = make_wacz(tmp_path / "a.wacz", list_pages=False)     # pages bound by no hash
    rewrite_zip(path, {"pages/pages.jsonl":
                       b'{"format": "json-pages-1.0"}\nnot json\n{"title": "no url"}\n'})
    assert [(f.code, f.message) for f in check_wacz(path).findings if f.code == "AK706"] == [
        ("AK706", "pages.jsonl line 2 is not JSON"), ("AK706", "pages.jsonl line 3 has no url")]


def test_a_wacz_without_pages(tmp_path):
    path = make_wacz(tmp_path / "a.wacz", list_pages=False)
    with zipfile.ZipFile(path) as archive:
        kept = {i.filename: archive.read(i) for i in archive.infolist()
                if i.filename != "pages/pages.jsonl"}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in kept.items():
            archive.writestr(name, data)
    findings = [(f.code, f.message) for f in check_wacz(path).findings]
    assert ("AK706", "pages/pages.jsonl is missing") in findings


def _changed(path, member: str, change):
    """`path` with the JSON member `member` changed in place by `change`."""
    with zipfile.ZipFile(path) as archive:
        document = json.loads(archive.read(member))
    change(document)
    rewrite_zip(path, {member: json.dumps(document).encode()})
    return path


def _found(path) -> list[tuple[str, str, str]]:
    return [(f.code, f.severity, f.message) for f in check_wacz(path).findings]


@pytest.mark.parametrize("change, code, severity, words", [
    (lambda p: p.pop("resources"), "AK701", "error", "without a resources list"),
    (lambda p: p.update(wacz_version="9.9"), "AK701", "warning", "version '9.9' is not one"),
    (lambda p: p["resources"].append({"name": "x"}), "AK701", "error", "has no path"),
    (lambda p: p["resources"].append({"path": "archive/gone.warc.gz"}), "AK702", "error",
     "listed in datapackage.json but missing"),
    (lambda p: p["resources"][0].update(bytes=1), "AK702", "error", "size differs"),
])
def test_each_datapackage_defect_is_named(tmp_path, change, code, severity, words):
    path = _changed(make_wacz(tmp_path / "a.wacz"), "datapackage.json", change)
    assert any(c == code and s == severity and words in m for c, s, m in _found(path))


def test_a_datapackage_that_is_not_json(tmp_path):
    path = make_wacz(tmp_path / "a.wacz")
    rewrite_zip(path, {"datapackage.json": b"{oops"})
    assert [(c, m.startswith("datapackage.json is ")) for c, _, m in _found(path)] == \
        [("AK701", True)]


@pytest.mark.parametrize("change, code, severity, words", [
    (lambda d: d.pop("signedData"), "AK705", "warning", "datapackage-digest.json has no "
     "signedData"),
    (lambda d: d["signedData"].update(hash="sha256:" + "0" * 64), "AK703", "error",
     "signs another hash"),
    (lambda d: d["signedData"].update(publicKey="AAAA"), "AK704", "error",
     "the WACZ signature cannot be checked"),
    (lambda d: (d.update(hash="sha256:" + "0" * 64),
                d["signedData"].update(hash="sha256:" + "0" * 64)), "AK704", "error",
     "the WACZ signature does not verify"),
])
def test_each_digest_defect_is_named(tmp_path, change, code, severity, words):
    path = _changed(make_wacz(tmp_path / "a.wacz", sign=True), "datapackage-digest.json",
                    change)
    assert any(c == code and s == severity and words in m for c, s, m in _found(path))


def test_a_digest_that_is_not_json(tmp_path):
    path = make_wacz(tmp_path / "a.wacz", sign=True)
    rewrite_zip(path, {"datapackage-digest.json": b"[1, 2"})
    assert any(c == "AK703" and m.startswith("datapackage-digest.json is ")
               for c, _, m in _found(path))


def test_pages_no_signature_binds(tmp_path):
    path = make_wacz(tmp_path / "a.wacz", sign=True, list_pages=False)
    assert ("AK705", "warning", "pages.jsonl is not listed in datapackage.json: no signature "
            "binds it; its pages and titles can be changed unnoticed") in _found(path)


def test_a_member_that_cannot_be_read_is_ak207_naming_it(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    corrupt_zip_entry(wacz, "datapackage.json")
    report = check_wacz(wacz)
    [unreadable] = [f for f in report.findings if f.code == "AK207"]
    assert unreadable.path == "datapackage.json"
    assert unreadable.message.startswith("cannot read datapackage.json")


def test_a_member_with_an_unsafe_name_is_ak104_and_not_read(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    rewrite_zip(wacz, {"../outside.txt": b"a name that climbs out"})
    report = check_wacz(wacz)
    [unsafe] = [f for f in report.findings if f.code == "AK104"]
    assert unsafe.path == "../outside.txt" and unsafe.message.startswith("unsafe path (")


def test_a_name_held_twice_is_ak106(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(wacz, "a") as archive:
            archive.writestr("pages/pages.jsonl", b'{"format": "json-pages-1.0"}\n')
    report = check_wacz(wacz)
    assert ("AK106", "pages/pages.jsonl") in [(f.code, f.path) for f in report.findings]


# Reading limits (the defaults: 10,000 entries; an entry may expand 20 times plus 64 MiB;
# datapackage.json, the digest file and pages.jsonl are read whole up to 64 MiB).

def test_an_entry_that_would_expand_too_far_is_ak108_and_not_read(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    with zipfile.ZipFile(wacz, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("archive/zeros.bin", "w") as out:   # ~70 KiB holding 70 MiB
            for _ in range(70):
                out.write(bytes(1 << 20))
    report = check_wacz(wacz)
    assert [(f.path, f.message) for f in report.findings if f.code == "AK108"] == [
        ("archive/zeros.bin", f"entry would expand to {70 << 20} bytes; not read")]


def test_more_entries_than_the_limit_is_ak108(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    with zipfile.ZipFile(wacz, "a") as archive:
        for number in range(10_000):
            archive.writestr(f"extra/{number}", b"")
    report = check_wacz(wacz)
    assert "more than 10000 entries; the rest not read" in [
        f.message for f in report.findings if f.code == "AK108"]


def test_a_datapackage_too_large_to_read_whole_is_ak108(tmp_path):
    wacz = make_wacz(tmp_path / "a.wacz")
    rewrite_zip(wacz, {"datapackage.json": b" " * ((64 << 20) + 1)})   # stored: no expansion
    report = check_wacz(wacz)
    assert [(f.path, f.message) for f in report.findings if f.code == "AK108"] == [
        ("datapackage.json", f"datapackage.json is larger than {64 << 20} bytes; not read")]
