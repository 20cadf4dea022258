"""A clipping as a person reads it (collection/show.py): plain data with no None and no
Python repr in it, bylines and credits as a page prints them, the seal's verdict in one
sentence, and in a collection its versions and its whole timeline. `archivekit show`'s
own output is tests/cli/test_show.py's."""

from dataclasses import asdict

from archivekit.collection.show import byline, catalog_lines, credit_line, view_clipping
from archivekit.trust.home import Home
from archivekit.trust.truststore import TrustStore
from archivekit.verify import Verifier
from conftest import SEED, SEED_CATALOG


def verifier_of(cli) -> Verifier:
    return Verifier(TrustStore.load(Home(cli.home).trust_path))


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def test_every_value_is_text_a_person_reads(package):
    cli, path = package
    view = view_clipping(path, verifier_of(cli))
    assert view.verified and view.package_id == path.name
    found = list(leaves(asdict(view)))
    assert None not in found
    assert not [v for v in found if isinstance(v, str) and ("None" in v or "{'" in v or "['" in v)]
    assert view.verdict.startswith("Intact: sealed by local on ")
    assert "(by the signer's clock)" in view.verdict


def test_a_package_that_does_not_verify_says_so_in_one_sentence(package):
    cli, path = package
    (path / "data/extra.txt").write_text("slipped in")
    view = view_clipping(path, verifier_of(cli))
    report = verifier_of(cli).verify(path)
    assert not view.verified
    assert view.verdict == (f"NOT verified: {len(report.errors)} problem(s) found. "
                            f"The first: {report.errors[0].message}.")


def test_a_byline_reads_as_printed():
    people = [{"name": n} for n in ("Edward Wong", "Julian E. Barnes", "Chris Buckley")]
    assert byline(people[:1]) == "Edward Wong"
    assert byline(people[:2]) == "Edward Wong and Julian E. Barnes"
    assert byline(people) == "Edward Wong, Julian E. Barnes and Chris Buckley"
    assert byline([{"name": None}, "not a person", {}]) == ""


def test_a_credit_shows_what_it_has_and_never_none():
    assert credit_line({"role": "photograph", "name": "Jim Wilson",
                        "agency": "The New York Times"}) == \
        "Photograph: Jim Wilson / The New York Times"
    assert credit_line({"role": "photograph", "name": None, "agency": "Associated Press"}) == \
        "Photograph: Associated Press"
    assert credit_line({"raw": "Getty Images"}) == "Credit: Getty Images"
    assert credit_line({}) == "Credit: not named"


def test_catalog_fields_in_the_schema_s_order_then_the_rest():
    lines = catalog_lines({"local_note": "box 4", "subjects": ["Libraries", None, "Hours"],
                           "call_number": "027.4", "title": None})
    assert lines == [("Subjects", "Libraries; Hours"), ("Call number", "027.4"),
                     ("Local note", "box 4")]


def test_show_in_a_collection_gives_the_history(cli, tmp_path):
    job = tmp_path / "job.yaml"
    job.write_text(f"collection: {tmp_path / 'coll'}\nsources:\n"
                   f"  - path: {SEED}\n    catalog: {SEED_CATALOG}\n")
    assert cli("run", job).returncode == 0
    original = next((tmp_path / "coll/packages").iterdir())
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\n")
    assert cli("amend", original, "--catalog", fixed, "--reason", "shelved again").returncode == 0
    page = cli("show", original).stdout
    assert "[SUPERSEDED]" in page and "Versions" in page
    assert f"{original.name}-v2  current" in page
    newer = cli("show", f"{original}-v2").stdout
    assert "catalog amended" in newer and "shelved again" in newer
    assert "Catalog amended: " in newer and "Call number: 327.51" in newer
    view = view_clipping(original, verifier_of(cli))      # the package's events and the log's
    times = [moment.time for moment in view.timeline]
    assert times == sorted(times) and "entered the collection" in [m.what for m in view.timeline]
    assert view.state == "superseded" and [v["id"] for v in view.versions] == [
        original.name, f"{original.name}-v2"]
