"""Recording an HTTP exchange: the recorder holds every byte that went over the wire, as
sent (status line, headers, chunked framing, a body still gzip-encoded), and who answered.
The server here writes raw bytes on a socket on 127.0.0.1, so the test knows them exactly."""

import gzip
import io
import socket
import ssl
import threading

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from archivekit._internal.wire import (SPOOL_IN_MEMORY, ExchangeRecorder, _RecordingStream,
                                      recording_session)
from support.webserver import make_certificates


class RawServer:
    """Answers each connection with `self.answer`, after reading the request's head and any
    Content-Length body; keeps the bytes it read."""

    def __init__(self, context=None):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.context, self.answer, self.received = context, b"", []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path="/"):
        scheme = "https" if self.context else "http"
        return f"{scheme}://127.0.0.1:{self.listener.getsockname()[1]}{path}"

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            try:
                if self.context:
                    conn = self.context.wrap_socket(conn, server_side=True)
                got = b""
                while b"\r\n\r\n" not in got:
                    got += conn.recv(65536)
                head = got.split(b"\r\n\r\n", 1)[0].lower()
                length = int(head.split(b"content-length:", 1)[1].split(b"\r\n")[0]) \
                    if b"content-length:" in head else 0
                while len(got) < len(head) + 4 + length:
                    got += conn.recv(65536)
                self.received.append(got)
                conn.sendall(self.answer)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self):
        """Stop the thread, then close. Closed while the thread waited in accept(), the
        listener's descriptor was later given to another server's (the test TSA's, in
        test_trust_history): the thread, woken, accepted a connection meant for it and
        sent this server's last answer (2 MiB, no Content-Type) in its place."""
        self.listener.shutdown(socket.SHUT_RDWR)   # wakes accept() with an error
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "the server's thread did not stop"
        self.listener.close()


@pytest.fixture(scope="module")
def server():
    running = RawServer()
    yield running
    running.close()


def _chunked(body: bytes, sizes) -> bytes:
    out, start = b"", 0
    for size in sizes:
        piece = body[start:start + size]
        if piece:
            out += b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n"
        start += size
    if start < len(body):
        out += b"%x\r\n" % (len(body) - start) + body[start:] + b"\r\n"
    return out + b"0\r\nX-Trailer: t\r\n\r\n"


def _fetch(url, **kwargs):
    recorder = ExchangeRecorder()
    with recording_session(recorder) as session:
        response = session.get(url, headers={"Connection": "close"}, **kwargs)
    recorder.response.seek(0)
    return response, recorder, recorder.response.read()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=3000), sizes=st.lists(st.integers(1, 700), max_size=6))
def test_a_chunked_gzip_response_is_kept_as_it_came_over_the_wire(server, body, sizes):
    encoded = gzip.compress(body, mtime=0)
    server.answer = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                     b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                     + _chunked(encoded, sizes))
    response, recorder, wire = _fetch(server.url("/page"))
    assert response.content == body                      # requests decoded it for the caller
    assert wire == server.answer                          # the recorder kept it encoded, framed
    assert recorder.received == len(server.answer)
    assert bytes(recorder.request) == server.received[-1]
    assert recorder.request.startswith(b"GET /page HTTP/1.1\r\n")
    assert (recorder.peer_ip, recorder.peer_port) == ("127.0.0.1", server.listener.getsockname()[1])
    assert recorder.tls is None and recorder.certificates == []


def test_a_request_body_and_a_response_past_the_memory_spool_are_recorded_whole(server):
    body = bytes(range(256)) * ((SPOOL_IN_MEMORY * 2) // 256)
    server.answer = (b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                     % len(body)) + body
    recorder = ExchangeRecorder()
    with recording_session(recorder) as session:
        response = session.post(server.url("/form"), data=b"q=clipping&n=1")
    recorder.response.seek(0)
    assert response.content == body
    assert recorder.response.read() == server.answer and recorder.received == len(server.answer)
    assert recorder.response._rolled                       # spooled to disk, not held in memory
    assert bytes(recorder.request) == server.received[-1]
    assert recorder.request.endswith(b"\r\n\r\nq=clipping&n=1")


def test_https_notes_the_tls_session_and_the_chain_the_server_sent(tmp_path):
    paths = make_certificates(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(paths["trusted"], paths["trusted-key"])
    server = RawServer(context)
    server.answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    try:
        response, recorder, wire = _fetch(server.url(), verify=str(paths["ca"]))
    finally:
        server.close()
    assert response.content == b"ok" and wire == server.answer
    assert recorder.tls["version"].startswith("TLS") and recorder.tls["cipher"]
    assert recorder.tls["server_name"] == "127.0.0.1"
    sent = paths["trusted"].read_text()                   # leaf, then the CA
    assert "".join(recorder.certificates).replace("\n", "") == sent.replace("\n", "")
    assert len(recorder.certificates) == 2
    assert bytes(recorder.request) == server.received[-1]


READS = st.lists(st.tuples(st.sampled_from(["read", "read1", "readinto", "readline", "all"]),
                           st.integers(0, 300)), max_size=12)


@given(data=st.binary(max_size=2000).map(lambda b: b.replace(b"\0", b"\n")), reads=READS)
def test_the_response_stream_copies_exactly_what_each_kind_of_read_returns(data, reads):
    """http.client and urllib3 read a response by several methods, by version and framing:
    whichever they use, the recorder holds the bytes read, in order, no more."""
    recorder = ExchangeRecorder()
    stream = _RecordingStream(io.BufferedReader(io.BytesIO(data)), recorder)
    handed = b""
    for method, amount in reads:
        if method == "readinto":
            buffer = bytearray(amount)
            handed += bytes(buffer[:stream.readinto(buffer)])
        elif method == "all":
            handed += stream.read()
        else:
            handed += getattr(stream, method)(amount)
    recorder.response.seek(0)
    assert recorder.response.read() == handed == data[:len(handed)]
    assert recorder.received == len(handed)
