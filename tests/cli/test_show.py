"""`archivekit show`, `inspect` and `metadata` as a person reads them: every part of
the clipping, the provenance, one sentence on the seal, and no None or Python repr."""

import json
import re

from conftest import SEED

NO_PROGRAMMER_TEXT = re.compile(r"\bNone\b|\{'|\['|': ")


def test_show_reads_like_the_clipping(package):
    cli, path = package
    result = cli("show", path)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    for expected in ("Chinese Spy Agency Rising to Challenge the C.I.A.",
                     "The ambitious Ministry of State Security",
                     "By Edward Wong, Julian E. Barnes, Muyi Xiao and Chris Buckley",
                     "In print: 2023-12-28", "Print: A version of this article appears",
                     "Photograph: Jim Wilson / The New York Times",
                     "Photograph: Associated Press",                 # an agency without a name
                     "Call number: CLIP 2023-12-28 NYT A1",
                     "Subjects: China. Guo jia an quan bu; Intelligence service -- China",
                     "The Chinese spies wanted more.", "Provenance", "captured", "sealed",
                     "Intact: sealed by local on "):
        assert expected in page, expected
    assert not NO_PROGRAMMER_TEXT.search(page), NO_PROGRAMMER_TEXT.search(page)
    view = json.loads(cli("show", path, "--json").stdout)
    assert view["verified"] and view["package_id"] == path.name


def test_show_says_in_one_sentence_when_the_seal_does_not_hold(package):
    cli, path = package
    (path / "data/clipping.warc.gz").write_bytes(b"\x1f\x8b" + b"\0" * 40)
    result = cli("show", path)
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1].startswith("NOT verified: ")


def test_inspect_shows_credits_dates_and_catalog_fields_not_json(package):
    cli, path = package
    page = cli("inspect", path).stdout
    assert "Credit    Photograph: Associated Press" in page
    assert "Catalog   Call number: CLIP 2023-12-28 NYT A1" in page
    assert not NO_PROGRAMMER_TEXT.search(page), NO_PROGRAMMER_TEXT.search(page)


def test_metadata_names_an_agency_credit_without_none(cli):
    page = cli("metadata", SEED).stdout
    assert "credit       Photograph: Associated Press" in page and "None" not in page


def test_a_finding_without_an_expected_value_says_nothing_not_none(package):
    cli, path = package
    (path / "tagmanifest-sha256.txt").unlink()     # the seal names a digest; nothing is there
    page = cli("verify", path).stdout
    assert "found nothing" in page and "None" not in page
