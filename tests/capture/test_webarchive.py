"""`capture` of a web archive made by another tool: recognised, checked, kept whole
beside our WARC with a CDXJ index, described; refused when damaged unless the user
accepts the damage; re-checked by every `verify`."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from warcio.archiveiterator import ArchiveIterator

from conftest import ROOT
from support.webarchives import (PAGES, PRODUCER, forge_pages, make_arc, make_defective,
                                 make_wacz, make_warc)

PYWB = ROOT / ".venv-pywb" / "bin"


def captured(cli, tmp_path, source, *extra):
    result = cli("capture", source, "--out", tmp_path / "out", *extra)
    packages = sorted((tmp_path / "out").iterdir()) if (tmp_path / "out").exists() else []
    return result, packages[0] if packages else None


@pytest.mark.parametrize("name", ["site.warc.gz", "site.warc", "site.arc"])
def test_a_web_archive_is_kept_whole_described_and_indexed(cli, tmp_path, name):
    maker = make_arc if name.endswith(".arc") else make_warc
    source = maker(tmp_path / name)
    result, package = captured(cli, tmp_path, source)
    assert result.returncode == 0, result.stderr
    stored = package / "data" / "archive" / name
    assert stored.read_bytes() == source.read_bytes()        # byte for byte, not nested
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    [entry] = descriptor["sources"]
    archive = entry["archive"]
    assert entry["kind"] == "webarchive" and entry["bytes"] == source.stat().st_size
    assert [(p["uri"], p["title"]) for p in archive["pages"]] == [(u, t) for u, t, _ in PAGES]
    assert archive["producer"] == (None if name.endswith(".arc") else PRODUCER)
    assert descriptor["metadata"]["headline"] == PAGES[0][1]
    index = (package / archive["index"]).read_text().splitlines()
    assert [line.split(" ", 1)[0] for line in index] == ["example,news)/second",
                                                         "example,news)/story"]
    assert all(json.loads(line.split(" ", 2)[2])["filename"] == name for line in index)
    # our own WARC holds no copy of it: warcinfo and the clipping metadata only
    with open(package / "data/clipping.warc.gz", "rb") as handle:
        assert [r.rec_type for r in ArchiveIterator(handle)] == ["warcinfo", "metadata"]
    verified, report = cli.verify_json(package)
    assert verified.returncode == 0 and report["packages"][0]["findings"] == []


DEFECTS = {"bad-digest": "AK306", "truncated": "AK302", "whole-file-gzip": "AK310",
           "not-a-warc": "AK303"}


@pytest.mark.parametrize("kind", DEFECTS)
def test_a_damaged_web_archive_is_refused(cli, tmp_path, kind):
    source = make_defective(tmp_path, kind)
    result, package = captured(cli, tmp_path, source)
    assert result.returncode == 1 and package is None
    assert f"{source}:" in result.stderr and DEFECTS[kind] in result.stderr
    assert "--accept-damaged" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", DEFECTS)
def test_accepted_damage_is_recorded_and_reported_by_every_verify(cli, tmp_path, kind):
    source = make_defective(tmp_path, kind)
    result, package = captured(cli, tmp_path, source, "--accept-damaged")
    assert result.returncode == 0, result.stderr
    assert (package / "data/archive" / source.name).read_bytes() == source.read_bytes()
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    accepted = descriptor["sources"][0]["archive"]["accepted"]
    assert DEFECTS[kind] in {a["code"] for a in accepted}
    verified, report = cli.verify_json(package)
    findings = report["packages"][0]["findings"]
    assert verified.returncode == 0
    assert {f["code"] for f in findings} >= {DEFECTS[kind]}
    assert all(f["severity"] == "warning" and "accepted" in f["message"] for f in findings)


def test_damage_after_capture_is_an_error(cli, tmp_path):
    result, package = captured(cli, tmp_path, make_warc(tmp_path / "site.warc"))
    stored = package / "data/archive/site.warc"
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"seven to two", b"seven to six"))
    verified, report = cli.verify_json(package)
    codes = {f["code"] for f in report["packages"][0]["findings"] if f["severity"] == "error"}
    assert verified.returncode == 1 and {"AK203", "AK306", "AK307"} <= codes


def test_a_warc_without_digests_is_captured_with_a_warning(cli, tmp_path):
    record = (b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
              b"WARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Target-URI: http://x.example/\r\n"
              b"Content-Type: text/html\r\nContent-Length: 32\r\n\r\n"
              b"<title>No digest</title><p>x</p>\r\n\r\n")
    source = tmp_path / "wget.warc"
    source.write_bytes(record)
    result, package = captured(cli, tmp_path, source)
    assert result.returncode == 0 and "note: AK308" in result.stderr
    verified, report = cli.verify_json(package)
    findings = report["packages"][0]["findings"]
    assert verified.returncode == 0
    assert {(f["code"], f["severity"]) for f in findings} == {("AK308", "warning"),
                                                                ("AK311", "warning")}


@pytest.mark.skipif(not (PYWB / "wayback").exists(), reason="pywb is not installed "
                    "(.ci/run installs it into .venv-pywb when the package registry allows)")
def test_pywb_replays_the_archive_from_the_package_and_its_index(cli, tmp_path):
    """pywb is given the package's own files: the archive and the CDXJ we wrote."""
    result, package = captured(cli, tmp_path, make_warc(tmp_path / "site.warc.gz"))
    collection = tmp_path / "pywb" / "collections" / "kept"
    for folder in ("archive", "indexes"):
        shutil.copytree(package / "data" / folder, collection / folder)
    (collection / "indexes" / "site.warc.gz.cdxj").rename(collection / "indexes" / "index.cdxj")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(PYWB / "wayback"), "-b", "127.0.0.1", "-p", str(port)],
                              cwd=tmp_path / "pywb", stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        body = None
        for _ in range(120):
            try:
                body = urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/kept/id_/{PAGES[1][0]}", timeout=5).read()
                break
            except OSError:
                time.sleep(0.25)
        assert body is not None and b"The vote was seven to two." in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_unpack_gives_back_the_archive_byte_for_byte(cli, tmp_path):
    source = make_warc(tmp_path / "site.warc.gz")
    result, package = captured(cli, tmp_path, source)
    unpacked = cli("unpack", package, "--out", tmp_path / "back")
    assert unpacked.returncode == 0, unpacked.stderr
    assert (tmp_path / "back" / "site.warc.gz").read_bytes() == source.read_bytes()


def test_a_wacz_is_kept_whole_and_described(cli, tmp_path):
    source = make_wacz(tmp_path / "crawl.wacz", sign=True)
    result, package = captured(cli, tmp_path, source)
    assert result.returncode == 0, result.stderr
    assert (package / "data/archive/crawl.wacz").read_bytes() == source.read_bytes()
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    archive = descriptor["sources"][0]["archive"]
    assert archive["producer"] == "ArchiveWeb.page 0.11.3"
    assert archive["warcinfo"]["title"] == "Flood coverage"
    assert [p["title"] for p in archive["pages"]] == [t for _, t, _ in PAGES]
    verified, report = cli.verify_json(package)
    findings = report["packages"][0]["findings"]
    assert verified.returncode == 0
    assert [(f["code"], f["severity"]) for f in findings] == [("AK705", "warning")]
    assert "signs datapackage.json's hash only" in findings[0]["message"]


def test_a_wacz_with_forged_pages_is_refused(cli, tmp_path):
    source = forge_pages(make_wacz(tmp_path / "crawl.wacz", sign=True))
    result, package_path = captured(cli, tmp_path, source)
    assert result.returncode == 1 and package_path is None and "AK703" in result.stderr


def test_into_a_collection_a_web_archive_is_kept_whole_too(cli, tmp_path):
    collection = tmp_path / "coll"
    assert cli("collection", "init", collection).returncode == 0
    result = cli("capture", make_warc(tmp_path / "site.warc.gz"), "--into", collection)
    assert result.returncode == 0, result.stderr
    package = collection / "packages" / result.stdout.strip().rsplit("/", 1)[-1]
    [entry] = json.loads((package / "archivekit/package.json").read_text())["sources"]
    assert entry["kind"] == "webarchive" and (package / "data/archive/site.warc.gz").is_file()
