"""Reading a source before capture (verify/intake.py): what each kind of source is taken
for, what its check hands on to the package and to the user, and that reading writes
nothing. Capturing through it, against the command line, is tested in tests/api."""

from pathlib import Path

import pytest

from archivekit.errors import ArchivekitError, DamagedInput, UsageError
from archivekit.verify.intake import read_source
from conftest import SEED
from support.bags import make_bag
from support.webarchives import make_defective, make_warc


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_each_kind_of_source_is_taken_for_what_it_is(tmp_path):
    bag = make_bag(tmp_path / "bag")
    warc = make_warc(tmp_path / "site.warc.gz")
    before = _listing(tmp_path)
    kinds = {name: read_source(name).kind for name in
             (str(SEED), str(bag), str(warc), "https://news.example/story")}
    assert kinds == {str(SEED): "file", str(bag): "bag", str(warc): "webarchive",
                     "https://news.example/story": "web"}
    assert _listing(tmp_path) == before            # reading wrote nothing


def test_a_bag_s_warnings_are_notes_for_the_user_and_recorded_in_the_package(tmp_path):
    bag = make_bag(tmp_path / "bag")
    (bag / "manifest-md5.txt").write_text((bag / "manifest-md5.txt").read_text()
                                          .replace("  data/", "  ./data/"))
    for tag_manifest in bag.glob("tagmanifest-*.txt"):
        tag_manifest.unlink()                      # they would not match the edit
    intake = read_source(bag)
    assert intake.notes and {f.code for f in intake.notes} == {"AK206"}
    assert [r["code"] for r in intake.recorded] == [f.code for f in intake.notes]
    assert intake.accepted == ()


def test_damage_accepted_is_recorded_and_damage_refused_names_no_flag(tmp_path):
    source = make_defective(tmp_path, "bad-digest")
    with pytest.raises(DamagedInput) as refused:
        read_source(source)
    assert refused.value.remedy == "accept-damaged" and "--" not in refused.value.message
    intake = read_source(source, accept_damaged=True)
    assert "AK306" in {f.code for f in intake.accepted}
    assert {r["code"] for r in intake.recorded} == {f.code for f in intake.accepted}


def test_a_bad_address_or_a_missing_file_is_refused_before_anything(tmp_path):
    with pytest.raises(UsageError, match="not an http"):
        read_source("https://")
    with pytest.raises(ArchivekitError, match="nope.txt: no such file"):
        read_source(tmp_path / "nope.txt")

