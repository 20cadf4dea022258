"""The checks of a user's web archive, as a library: each defect found, any bytes
taken without a crash, and the same verdict however the bytes are chunked."""

from hypothesis import HealthCheck, given, settings, strategies as st

from archivekit.verify.warcscan import WarcScanner
from archivekit.verify.archives import check_file
from support.webarchives import make_arc, make_defective, make_warc


def scan(data: bytes, gzipped: bool, chunk: int) -> WarcScanner:
    scanner = WarcScanner(path="x", gzipped=gzipped)
    for start in range(0, len(data), chunk):
        scanner.feed(data[start:start + chunk])
    scanner.close()
    return scanner


def test_sound_archives_have_no_errors(tmp_path):
    for path, format in ((make_warc(tmp_path / "a.warc.gz"), "warc.gz"),
                         (make_warc(tmp_path / "a.warc"), "warc"),
                         (make_arc(tmp_path / "a.arc"), "arc")):
        assert check_file(path, format).findings == [], path


def test_each_defect_is_found(tmp_path):
    expected = {"bad-digest": {"AK306", "AK307"}, "truncated": {"AK302"},
                "whole-file-gzip": {"AK310"}, "not-a-warc": {"AK303"}}
    for kind, codes in expected.items():
        folder = tmp_path / kind
        folder.mkdir()
        path = make_defective(folder, kind)
        format = "warc.gz" if path.name.endswith(".gz") else "warc"
        assert {f.code for f in check_file(path, format).errors} == codes, kind


def test_a_plain_warc_cut_short_is_found(tmp_path):
    data = make_warc(tmp_path / "a.warc").read_bytes()
    assert [f.code for f in scan(data[:-10], False, 1 << 20).findings] == ["AK304"]
    assert [f.code for f in scan(b"GIF89a....", False, 4).findings] == ["AK304"]


def test_an_arc_that_does_not_read_to_its_end_is_found(tmp_path):
    """ARC has no digests: a record cut short, or bytes that are no record, are what a
    damaged ARC shows."""
    data = make_arc(tmp_path / "a.arc").read_bytes()
    cut, after = tmp_path / "cut.arc", tmp_path / "notes-after.arc"
    cut.write_bytes(data[:-40])
    after.write_bytes(data + b"these are my notes\n")
    [short] = check_file(cut, "arc").findings
    assert (short.code, short.severity, short.path, short.expected, short.found) == \
        ("AK304", "error", "cut.arc", "238", "199")
    assert short.message == ("the ARC file ends inside the record of http://news.example/"
                             "second: 39 of its 238 bytes are missing")
    [unread] = check_file(after, "arc").findings
    assert (unread.code, unread.severity) == ("AK304", "error")
    assert unread.message.startswith("the ARC file cannot be read to its end: "
                                     "ArchiveLoadFailed: Unknown archive format")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunk=st.integers(min_value=1, max_value=700))
def test_chunking_does_not_change_the_verdict(tmp_path, chunk):
    data = (tmp_path / "a.warc").read_bytes() if (tmp_path / "a.warc").exists() else \
        make_warc(tmp_path / "a.warc").read_bytes()
    whole = scan(data, False, len(data))
    pieces = scan(data, False, chunk)
    assert [(r.id, r.offset, r.length, r.block_check) for r in pieces.records] == \
        [(r.id, r.offset, r.length, r.block_check) for r in whole.records]
    assert len(whole.records) == 3 and not whole.findings and not pieces.findings


@settings(deadline=None)
@given(st.binary(max_size=2048), st.booleans(), st.integers(min_value=1, max_value=300))
def test_any_bytes_become_findings_never_a_crash(data, gzipped, chunk):
    scanner = scan(data, gzipped, chunk)
    assert scanner.records or scanner.findings or not data


def test_a_descriptor_naming_no_archive_is_a_finding_not_a_crash(tmp_path):
    from archivekit.verify.archives import check_web_archives
    from archivekit.verify.findings import Report

    class View:
        archives = {}
        manifests = {}
        reader = None

    report = Report("x")
    sources = [{"kind": "webarchive", "archive": {"path": None}},
               {"kind": "webarchive", "archive": {"path": "archivekit/package.json"}}]
    check_web_archives(View(), {"sources": sources}, report)
    assert [f.code for f in report.findings] == ["AK602", "AK602"]


def test_a_descriptor_naming_an_archive_the_package_lacks():
    from archivekit.verify.archives import check_web_archives
    from archivekit.verify.findings import Report

    class Reader:
        entries = {}

    class View:
        archives = {}
        manifests = {}
        reader = Reader()

    report = Report("x")
    sources = [{"kind": "webarchive", "archive": {"path": "data/archive/site.warc.gz"}}]
    check_web_archives(View(), {"sources": sources}, report)
    assert [(f.code, f.message) for f in report.findings] == [
        ("AK602", "sources[0] names data/archive/site.warc.gz, which is not in the package")]


def test_a_descriptor_that_disagrees_with_its_archive():
    from archivekit.package.reader import Entry
    from archivekit.verify.archives import check_web_archives
    from archivekit.verify.findings import Report
    path = "data/archive/site.warc.gz"

    class Reader:
        entries = {path: Entry(path, "file", 10)}

    class View:
        archives = {}
        manifests = {"sha256": {path: "aa"}}
        reader = Reader()

    report = Report("x")
    sources = [{"kind": "webarchive", "sha256": "bb", "bytes": 11,
                "archive": {"path": path, "index": "data/indexes/site.warc.gz.cdxj"}}]
    check_web_archives(View(), {"sources": sources}, report)
    assert [(f.code, f.message) for f in report.findings] == [
        ("AK602", f"sources[0] sha256 differs from the manifest's for {path}"),
        ("AK602", f"sources[0] size differs from {path}'s"),
        ("AK602", "sources[0] names the index data/indexes/site.warc.gz.cdxj, which is missing")]


def test_a_web_archive_that_cannot_be_read(tmp_path):
    from archivekit.verify.archives import check_file
    report = check_file(tmp_path / "gone.warc.gz", "warc.gz")
    assert [(f.code, f.path) for f in report.findings] == [("AK207", "gone.warc.gz")]
    assert "cannot read" in report.findings[0].message
