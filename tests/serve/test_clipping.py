"""What a clipping page shows (serve/clipping.py), read from the package itself: the
descriptor, the full metadata record, and each source's original bytes, handed out only
when they match their recorded sha256. Real packages; the page in Debian's Chromium."""

import gzip
import hashlib

from archivekit.serve.clipping import read_clipping, source_bytes
from conftest import SEED
from support.tamper import WARC, edit_descriptor, members, rewrite_member


def test_a_source_is_handed_out_as_captured(package):
    _, bag = package
    clipping = read_clipping(bag)
    assert clipping.problem is None and clipping.media_type == "text/plain"
    [source] = clipping.sources
    assert source.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert source_bytes(clipping, 0) == SEED.read_bytes()
    assert source_bytes(clipping, 1) is None and source_bytes(clipping, -1) is None


def test_bytes_that_no_longer_match_their_digest_are_not_handed_out(package):
    _, bag = package
    [source_record] = [i for i, part in enumerate(members(bag / WARC))
                       if b"WARC-Type: resource" in gzip.decompress(part)]
    rewrite_member(bag, source_record, lambda record: record.replace(b"Spy", b"Spi", 1))
    clipping = read_clipping(bag)
    assert clipping.sources and source_bytes(clipping, 0) is None


def test_the_metadata_shown_is_the_sealed_record_not_the_descriptor_s_copy(package):
    _, bag = package
    sealed_body = read_clipping(bag).metadata["body"]
    edit_descriptor(bag, lambda d: d["metadata"].update(body="a body nobody sealed"))
    clipping = read_clipping(bag)
    assert clipping.descriptor["metadata"]["body"] == "a body nobody sealed"
    assert clipping.metadata["body"] == sealed_body


def test_a_web_archive_downloads_whole_and_a_bag_comes_with_its_package(room, page, tmp_path):
    from support.bags import make_bag
    from support.webarchives import make_warc
    warc = make_warc(tmp_path / "crawl.warc.gz")
    bag = make_bag(tmp_path / "flood-bag")
    for source in (warc, bag):
        added = room.cli("capture", source, "--into", room.collection)
        assert added.returncode == 0, added.stdout + added.stderr
    seen = set()
    for name in sorted(p.name for p in (room.collection / "packages").iterdir()):
        page.goto(f"{room.url}/p/{name}")
        sources = page.get_by_role("region", name="Downloads")
        if "crawl.warc.gz" in sources.inner_text():
            seen.add("web archive")
            link = sources.get_by_role("link", name="crawl.warc.gz")
            got = page.request.get(room.url + link.get_attribute("href"))
            assert got.status == 200 and got.body() == warc.read_bytes()
        elif "flood-bag" in sources.inner_text():
            seen.add("bag")
            assert sources.get_by_role("link", name="flood-bag").count() == 0
            assert "comes with the whole package" in sources.inner_text()
            assert page.request.get(f"{room.url}/p/{name}/source/0").status == 409
    assert seen == {"web archive", "bag"}


def test_a_package_that_cannot_be_read_still_gets_a_page_that_says_why(room, page):
    package = next(p for p in (room.collection / "packages").iterdir() if "spy" in p.name)
    (package / "archivekit" / "package.json").write_bytes(b"{not json")
    (package / "data" / "clipping.warc.gz").write_bytes(b"\x1f\x8b\x08garbage")
    page.goto(f"{room.url}/p/{package.name}")
    assert "cannot be read" in page.get_by_role("note").inner_text()
    page.get_by_role("button", name="Verify now").click()
    assert page.get_by_role("status").inner_text().startswith("Verification FAILED")
    assert page.request.get(f"{room.url}/p/{package.name}/source/0").status == 404
