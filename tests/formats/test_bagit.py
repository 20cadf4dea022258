"""The RFC 8493 parsers never raise on any text, and read what they are given."""

from hypothesis import given, settings, strategies as st

from archivekit.formats import bagit


@settings(deadline=None)
@given(st.text())
def test_parsers_take_any_text(text):
    bagit.parse_manifest(text, "sha256")
    bagit.parse_fetch(text)
    bagit.parse_fields(text)
    bagit.parse_declaration(text.encode("utf-8", "surrogatepass"))


@settings(deadline=None)
@given(st.text(min_size=1))
def test_paths_round_trip(path):
    assert bagit.decode_path(bagit.encode_path(path)) == path


def test_manifest_lines():
    lines, problems = bagit.parse_manifest(
        "ABCDEF01  ./data/a%25b.txt\r\nabcdef01\tdata/x y\nbad\n", "crc32")
    assert [(l.digest, l.path) for l in lines] == [("abcdef01", "data/a%b.txt"),
                                                   ("abcdef01", "data/x y")]
    assert [p.line for p in problems] == [3]


def test_declaration():
    declaration, problems = bagit.parse_declaration(
        b"BagIt-Version: 0.97\r\nTag-File-Character-Encoding: ISO-8859-1")
    assert declaration == bagit.Declaration((0, 97), "ISO-8859-1") and not problems
    for bad in (b"\xef\xbb\xbfBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
                b"BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n",
                b"BagIt-Version: 1.0\nTag-File-Character-Encoding: NOPE-9\n",
                b"BagIt-Version: 1.0\n"):
        assert bagit.parse_declaration(bad)[0] is None


def test_fields_keep_repeats_and_continuations():
    fields, problems = bagit.parse_fields("A: 1\n  more\nA : 2\nno colon\n")
    assert fields == [("A", "1 more"), ("A", "2")] and len(problems) == 1
    assert bagit.field(fields, "a") == ["1 more", "2"]
