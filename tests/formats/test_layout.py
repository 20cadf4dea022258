"""The package format's names and texts (docs/format.md): where each file lives, how the
descriptor refers to large metadata, manifests and bag-info that bagit-python reads back,
and seals written into a sealed folder atomically."""

import hashlib
import json
import tempfile

import bagit as bagit_python
import pytest
from hypothesis import given, strategies as st

from archivekit.formats import layout

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
KEY = "ed25519:0123456789abcdef"


@pytest.mark.parametrize("value, compact", [
    ("é", '"é"'.encode()),                         # UTF-8, not \u00e9
    (["a", "b"], b'["a","b"]'),                    # no spaces
    ({"k": 1}, b'{"k":1}'),
])
def test_a_large_field_is_referred_to_by_the_digest_of_its_compact_utf8_json(value, compact):
    assert layout.text_reference(value) == {"sha256": hashlib.sha256(compact).hexdigest(),
                                            "bytes": len(compact)}


@given(st.dictionaries(st.sampled_from(["body", "boilerplate", "headline", "authors"]), JSON))
def test_the_descriptor_holds_large_fields_by_reference_and_the_rest_as_they_are(metadata):
    held = layout.descriptor_metadata(metadata)
    assert held.keys() == metadata.keys()
    for key, value in metadata.items():
        large = key in layout.LARGE_METADATA and value
        assert layout.is_text_reference(held[key]) or not large
        assert held[key] == (layout.text_reference(value) if large and
                             not layout.is_text_reference(value) else value)
    assert layout.descriptor_metadata(held) == held      # a reference stays one
    json.dumps(held)


def test_only_a_digest_and_a_length_make_a_reference():
    assert layout.is_text_reference({"sha256": "ab", "bytes": 2})
    assert not layout.is_text_reference({"sha256": "ab"})
    assert not layout.is_text_reference({"sha256": "ab", "bytes": 2, "text": "x"})
    assert not layout.is_text_reference("sha256 bytes")


def test_seal_names_numbers_and_companions():
    path = layout.seal_path(12, KEY)
    assert path == "signatures/12-ed25519-0123456789abcdef.dsse.json"
    assert layout.seal_number(path) == 12
    assert layout.companion(path, "tsr") == "signatures/12-ed25519-0123456789abcdef.tsr"
    assert layout.SEAL_COMPANION.match(layout.companion(path, "tlog.json"))
    assert not layout.SEAL_NAME.match(layout.companion(path, "tsr"))


def test_the_seals_of_a_folder_are_listed_in_number_order(tmp_path):
    assert layout.seal_paths(tmp_path) == []                       # no signatures/ folder
    (tmp_path / "signatures").mkdir()
    for number in (10, 2, 1):
        (tmp_path / layout.seal_path(number, KEY)).write_text("{}")
    (tmp_path / layout.companion(layout.seal_path(2, KEY), "tsr")).write_bytes(b"")
    (tmp_path / "signatures/notes.txt").write_text("not a seal")
    assert [layout.seal_number(p) for p in layout.seal_paths(tmp_path)] == [1, 2, 10]


@pytest.mark.parametrize("path, kept", [
    ("data/archive/site.warc.gz", True), ("data/archive/OLD.ARC", True),
    ("data/archive/site.wacz", True), ("data/archive/deeper/site.warc", False),
    ("data/archive/notes.txt", False), ("data/site.warc.gz", False),
])
def test_a_kept_web_archive_is_a_web_archive_name_directly_in_the_archive_folder(path, kept):
    assert layout.is_web_archive(path) is kept
    assert layout.index_path("site.warc.gz") == "data/indexes/site.warc.gz.cdxj"
    assert layout.archive_path("site.warc.gz") == "data/archive/site.warc.gz"


@pytest.mark.parametrize("path, is_one", [
    ("tagmanifest-sha256.txt", True), ("tagmanifest-md5.txt", True),
    ("manifest-sha256.txt", False), ("data/tagmanifest-md5.txt", False),
    ("tagmanifest-sha256.txt.bak", False), ("tagmanifest-old/notes.txt", False),
])
def test_a_tag_manifest_is_any_algorithms_at_the_top_of_the_bag(path, is_one):
    assert layout.is_tag_manifest(path) is is_one


def test_manifests_and_bag_info_written_here_are_read_by_bagit_python(tmp_path):
    """Names with a space and a line break; a bag-info value over lines."""
    files = {"data/a b.txt": b"one", "data/two.txt": b"two", "data/line\nbreak.txt": b"3"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / layout.BAGIT_PATH).write_bytes(layout.BAGIT_TXT)
    (tmp_path / layout.BAG_INFO_PATH).write_bytes(layout.bag_info_text(
        [("Source-Organization", "Town\n  Library"), ("Payload-Oxum", "7.3")]))
    manifest = layout.manifest_text({n: hashlib.sha256(d).hexdigest() for n, d in files.items()})
    (tmp_path / layout.manifest_path("sha256")).write_bytes(manifest)
    tags = {name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
            for name in (layout.BAGIT_PATH, layout.BAG_INFO_PATH, layout.manifest_path("sha256"))}
    (tmp_path / layout.tagmanifest_path("sha256")).write_bytes(layout.manifest_text(tags))
    bag = bagit_python.Bag(str(tmp_path))
    bag.validate()
    assert bag.info["Source-Organization"] == "Town Library"
    assert set(bag.payload_entries()) == set(files)
    lines = manifest.decode().splitlines()
    assert lines == sorted(lines, key=lambda line: line.split("  ", 1)[1])


def test_a_percent_sign_in_a_name_is_written_as_rfc_8493_says():
    # bagit-python 1.9 neither writes nor reads %25 (NOTES.md): RFC 8493 2.1.3 is the rule.
    assert layout.manifest_text({"data/100%\r.txt": "ab"}) == b"ab  data/100%25%0D.txt\n"


def test_a_signature_file_is_written_whole_with_its_temporary_outside_the_package(
        tmp_path, monkeypatch):
    package = tmp_path / "package"
    (package / "signatures").mkdir(parents=True)
    temporaries = []
    real = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp",
                        lambda **kw: temporaries.append(kw["dir"]) or real(**kw))
    seal = layout.seal_path(2, KEY)
    target = layout.add_signature_file(package, seal, b"{}")
    assert target == package / seal and target.read_bytes() == b"{}"
    with pytest.raises(FileExistsError):
        layout.add_signature_file(package, seal, b"other")
    assert target.read_bytes() == b"{}"
    layout.add_signature_file(package, seal, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    assert temporaries == [tmp_path] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["package"]
