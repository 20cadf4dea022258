"""Web capture against real servers on 127.0.0.1 (HTTP, and HTTPS with certificates
made here). No mocked HTTP: the CLI runs as a subprocess and fetches for real."""

import gzip
import json
import os
import shutil
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archivekit._internal.timeutil import parse_time
from conftest import ROOT
from support.webserver import SMALL, Handler, Server, make_certificates, tls_context


@pytest.fixture(scope="module")
def http_server():
    server = Server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def https_server(certificates):
    server = Server(tls_context(certificates["trusted"], certificates["trusted-key"]))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def selfsigned_server(certificates):
    server = Server(tls_context(certificates["selfsigned"], certificates["selfsigned-key"]))
    yield server
    server.stop()


def capture(cli, tmp_path, url, *options, env=None):
    result = cli("capture", url, "--out", tmp_path / "archive", *options, env=env)
    return result, (Path(result.stdout.strip()) if result.returncode == 0 else None)


def records(package: Path):
    with open(package / "data/clipping.warc.gz", "rb") as stream:
        for record in ArchiveIterator(stream, check_digests=True):
            headers = dict(record.rec_headers.headers)
            raw = record.raw_stream.read()
            yield record.rec_type, headers, record.http_headers, raw
            assert record.digest_checker.passed is not False, record.digest_checker.problems


def assert_verifies(cli, package, env=None):
    result = cli("verify", package, env=env)
    assert result.returncode == 0, result.stdout


def test_plain_page(cli, tmp_path, http_server):
    url = http_server.url("/page")
    result, package = capture(cli, tmp_path, url)
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    found = list(records(package))
    assert [r[0] for r in found] == ["warcinfo", "response", "request", "metadata"]
    _, response, http, body = found[1]
    _, request, request_http, _ = found[2]
    assert response["WARC-Target-URI"] == url and response["WARC-IP-Address"] == "127.0.0.1"
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    assert body == SMALL and http.get_statuscode() == "200"
    assert request_http.get_header("User-Agent").startswith("archivekit/")
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    source = descriptor["sources"][0]
    assert source["kind"] == "web" and source["http_status"] == 200
    meta = descriptor["metadata"]
    assert meta["headline"] == "Library Hours Extended" and meta["authors"][0]["name"] == "Jane Doe"
    assert meta["canonical_url"] == "https://towncrier.example/2024/05/02/library-hours.html"
    restored = cli("unpack", package, "--out", tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr
    assert (tmp_path / "restored/page.html").read_bytes() == SMALL


def test_a_date_the_page_gives_relative_to_now_is_read_against_the_fetch(cli, tmp_path,
                                                                        http_server):
    result, package = capture(cli, tmp_path, http_server.url("/relative"))
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    fetched = descriptor["sources"][0]["retrieved"]
    meta = descriptor["metadata"]
    hours_before = parse_time(fetched) - timedelta(hours=2)
    assert meta["published"] == hours_before.strftime("%Y-%m-%d")
    assert meta["provenance"]["published"]["from"].endswith(
        f"relative: '2 hours ago' before the capture at {parse_time(fetched).isoformat()}")


def test_a_pdf_fetched_from_the_web_keeps_its_reading_beside_the_response(cli, tmp_path,
                                                                          http_server):
    result, package = capture(cli, tmp_path, http_server.url("/clipping.pdf"))
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    found = list(records(package))
    assert [r[0] for r in found] == ["warcinfo", "response", "request", "conversion", "metadata"]
    response, conversion = found[1][1], found[3][1]
    assert conversion["WARC-Refers-To"] == response["WARC-Record-ID"]
    assert found[3][3].startswith(b"Library Board Approves Extended Hours\n")
    meta = json.loads((package / "archivekit/package.json").read_text())["metadata"]
    assert meta["headline"] == "Library Board Approves Extended Hours"
    assert meta["reading"]["pages"][0]["method"] == "text layer"
    restored = cli("unpack", package, "--out", tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr
    assert [p.read_bytes() for p in (tmp_path / "restored").iterdir()] == [Handler.sent["/clipping.pdf"]]


def test_redirect_chain_records_every_hop(cli, tmp_path, http_server):
    result, package = capture(cli, tmp_path, http_server.url("/r1"))
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    found = list(records(package))
    responses = [(h["WARC-Target-URI"], http.get_statuscode()) for t, h, http, _ in found
                 if t == "response"]
    assert responses == [(http_server.url("/r1"), "301"), (http_server.url("/r2"), "302"),
                         (http_server.url("/page"), "200")]
    ids = {h["WARC-Record-ID"] for t, h, _, _ in found if t == "response"}
    assert {h["WARC-Concurrent-To"] for t, h, _, _ in found if t == "request"} == ids
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert [h["status"] for h in descriptor["sources"][0]["hops"]] == [301, 302, 200]
    shown = cli("inspect", package).stdout
    assert f"hop     HTTP 301  {http_server.url('/r1')}" in shown


def test_gzip_body_is_stored_encoded(cli, tmp_path, http_server):
    result, package = capture(cli, tmp_path, http_server.url("/gzip"))
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    _, _, http, body = [r for r in records(package) if r[0] == "response"][0]
    assert http.get_header("Content-Encoding") == "gzip"
    assert body == Handler.sent["/gzip"]              # the encoded bytes, as sent
    assert gzip.decompress(body) == SMALL


def test_chunked_body_is_stored_as_received(cli, tmp_path, http_server):
    result, package = capture(cli, tmp_path, http_server.url("/chunked"))
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    _, _, http, body = [r for r in records(package) if r[0] == "response"][0]
    assert http.get_header("Transfer-Encoding") == "chunked"
    assert body.startswith(b"64\r\n") and body.endswith(b"0\r\n\r\n")
    with open(package / "data/clipping.warc.gz", "rb") as stream:
        response = next(r for r in ArchiveIterator(stream) if r.rec_type == "response")
        assert response.content_stream().read() == SMALL   # de-chunked by a WARC reader
    restored = cli("unpack", package, "--out", tmp_path / "restored")
    assert restored.returncode == 0, restored.stderr


@pytest.mark.parametrize("route,status", [("/404", 404), ("/500", 500)])
def test_http_errors_are_refused_unless_allowed(cli, tmp_path, http_server, route, status):
    refused, _ = capture(cli, tmp_path, http_server.url(route))
    assert refused.returncode == 3 and f"HTTP {status}" in refused.stderr
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").iterdir())
    allowed, package = capture(cli, tmp_path, http_server.url(route), "--allow-http-errors")
    assert allowed.returncode == 0, allowed.stderr
    assert_verifies(cli, package)
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["sources"][0]["http_status"] == status
    assert any(f"HTTP {status}" in w for w in descriptor["metadata"]["extraction"]["warnings"])
    assert "error page archived on purpose" in descriptor["events"][0]["detail"]


def test_stalled_server_times_out(cli, tmp_path, http_server):
    started = time.monotonic()
    result, _ = capture(cli, tmp_path, http_server.url("/stall"), "--timeout", "1")
    assert result.returncode == 3 and "nothing was written" in result.stderr
    assert time.monotonic() - started < 15
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").iterdir())


def test_body_over_the_limit(cli, tmp_path, http_server):
    result, _ = capture(cli, tmp_path, http_server.url("/big"), "--max-bytes", "1000000")
    assert result.returncode == 3 and "larger than the limit" in result.stderr
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").iterdir())


def test_connection_refused(cli, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, _ = capture(cli, tmp_path, f"http://127.0.0.1:{port}/")
    assert result.returncode == 3 and "cannot connect" in result.stderr


def test_unresolvable_host(cli, tmp_path):
    result, _ = capture(cli, tmp_path, "http://no-such-host.invalid/")
    assert result.returncode == 3 and "nothing was written" in result.stderr


def test_not_a_web_address(cli, tmp_path):
    result = cli("capture", "ftp://127.0.0.1/file", "--out", tmp_path / "archive")
    assert result.returncode == 3 and "no such file" in result.stderr


def test_https_records_tls_facts_and_chain(cli, tmp_path, https_server, certificates):
    env = {"REQUESTS_CA_BUNDLE": str(certificates["ca"])}
    result, package = capture(cli, tmp_path, https_server.url("/page"), env=env)
    assert result.returncode == 0, result.stderr
    assert_verifies(cli, package)
    peer = [json.loads(body) for t, h, _, body in records(package)
            if t == "metadata" and h["Content-Type"] == "application/vnd.archivekit.peer+json"]
    assert len(peer) == 1
    assert peer[0]["tls"]["version"].startswith("TLSv1")
    assert len(peer[0]["certificates"]) == 2            # leaf and the CA, as the server sent
    assert peer[0]["certificates"][0].startswith("-----BEGIN CERTIFICATE-----")
    source = json.loads((package / "archivekit/package.json").read_text())["sources"][0]
    assert source["tls_verified"] is True and source["peer"]["tls"]["cipher"]
    assert len(source["peer"]["certificate_sha256"]) == 2


def test_untrusted_certificate_is_refused_unless_insecure(cli, tmp_path, selfsigned_server):
    refused, _ = capture(cli, tmp_path, selfsigned_server.url("/page"))
    assert refused.returncode == 3 and "TLS failed" in refused.stderr
    assert "--insecure" in refused.stderr
    recorded, package = capture(cli, tmp_path, selfsigned_server.url("/page"), "--insecure")
    assert recorded.returncode == 0, recorded.stderr
    assert_verifies(cli, package)
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["sources"][0]["tls_verified"] is False
    assert "NOT verified" in descriptor["events"][0]["detail"]


def test_a_real_news_page_over_http(cli, tmp_path, http_server):
    result, package = capture(cli, tmp_path, http_server.url("/nyt"))
    assert result.returncode == 0, result.stderr
    descriptor = json.loads((package / "archivekit/package.json").read_text())
    assert descriptor["metadata"]["print"]["page"] == "7"
    assert package.name.startswith("2017-01-13-nyt-united-states-lift-sudan-sanctions")


PYWB = os.environ.get("ARCHIVEKIT_PYWB_BIN") or str(ROOT / ".venv-pywb/bin")


@pytest.mark.skipif(not Path(PYWB, "wb-manager").exists(),
                    reason="pywb is not installed (.ci/run installs it into .venv-pywb when "
                           "the package registry allows)")
def test_pywb_replays_our_warc(cli, tmp_path, http_server):
    import urllib.request
    result, package = capture(cli, tmp_path, http_server.url("/page"))
    assert result.returncode == 0
    work = tmp_path / "pywb"
    work.mkdir()
    subprocess.run([f"{PYWB}/wb-manager", "init", "clips"], cwd=work, check=True,
                   capture_output=True)
    shutil.copy(package / "data/clipping.warc.gz", work / "clip.warc.gz")
    subprocess.run([f"{PYWB}/wb-manager", "add", "clips", str(work / "clip.warc.gz")],
                   cwd=work, check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([f"{PYWB}/wayback", "-b", "127.0.0.1", "-p", str(port)], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        replay = f"http://127.0.0.1:{port}/clips/id_/{http_server.url('/page')}"
        body = None
        for _ in range(60):
            try:
                body = urllib.request.urlopen(replay, timeout=5).read()
                break
            except OSError:
                time.sleep(0.25)
        assert body == SMALL
    finally:
        server.terminate()
        server.wait(timeout=10)
