"""`archivekit inspect`: a package's contents and seal, for people and as JSON."""

import json

from conftest import SEED
from support.bags import BAG_INFO, make_bag


def test_inspect_shows_contents_and_seal(package):
    cli, package = package
    shown = cli("inspect", package)
    assert shown.returncode == 0, shown.stderr
    assert "Sealed" in shown.stdout and "valid, trusted" in shown.stdout
    assert SEED.name in shown.stdout and "CLIP 2023-12-28 NYT A1" in shown.stdout
    as_json = json.loads(cli("inspect", package, "--json").stdout)
    assert as_json["descriptor"]["sources"][0]["filename"] == SEED.name


def test_inspect_says_where_each_field_came_from(package):
    cli, package = package
    shown = cli("inspect", package).stdout
    # the seed's sidecar gives a title: the cataloguer's word is shown as such
    assert "Headline  Chinese Spy Agency Rising to Challenge the C.I.A.  [cataloguer: catalog title]" \
        in shown
    assert "Authors   Edward Wong, Julian E. Barnes, Muyi Xiao, Chris Buckley  [extracted: text line" \
        in shown
    assert "Published 2023-12-27  [extracted: the clipping's address]" in shown


def test_the_cataloguer_wins_over_a_wrong_extracted_headline(cli, tmp_path):
    clipping = tmp_path / "copied.txt"
    clipping.write_text("Menu\nHome\nMetro\nA headline the extractor will take\n"
                        "By Jane Doe\n" + "A sentence of the story, long enough to be prose. " * 4)
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text("title: The Headline As Printed\nauthors:\n  - Jane Doe\n  - John Roe\n"
                       "date: 2024-03-04\npublisher: Valley Herald\n")
    made = cli("capture", clipping, "--catalog", catalog, "--out", tmp_path / "out")
    assert made.returncode == 0, made.stderr
    meta = json.loads(cli("inspect", made.stdout.strip(), "--json").stdout)["descriptor"]["metadata"]
    assert meta["headline"] == "The Headline As Printed"
    assert [a["name"] for a in meta["authors"]] == ["Jane Doe", "John Roe"]
    assert meta["published"] == "2024-03-04" and meta["publisher"] == {"name": "Valley Herald"}
    assert {name: origin["by"] for name, origin in meta["provenance"].items()
            if name in ("headline", "authors", "published", "publisher")} == dict.fromkeys(
        ("headline", "authors", "published", "publisher"), "cataloguer")
    assert "valley-herald-headline-as-printed" in made.stdout   # the package is named by them


def test_inspect_shows_what_an_adopted_bag_says_about_itself(cli, tmp_path):
    made = cli("capture", make_bag(tmp_path / "flood-bag"), "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    shown = cli("inspect", made.stdout.strip())
    assert shown.returncode == 0, shown.stdout
    assert "  bag     BagIt 0.97, 8 files in data/bag/, made by bagit.py" in shown.stdout
    for label, value in BAG_INFO.items():
        assert f"  bag     {label}: {value}\n" in shown.stdout


def test_what_a_bag_says_reaches_the_terminal_escaped(cli, tmp_path):
    hostile = "Flood \x1b]0;owned\x07\x1b[2J\u202egnp.exe"
    bag = make_bag(tmp_path / "bag", {"Title": hostile, "Contact-Name": hostile})
    made = cli("capture", bag, "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    code, shown = cli.in_terminal("inspect", made.stdout.strip())
    assert code == 0, shown
    assert "Headline  Flood \\u001b]0;owned\\u0007\\u001b[2J\\u202egnp.exe" in shown
    assert "\x1b]" not in shown and "\x07" not in shown and "\u202e" not in shown
