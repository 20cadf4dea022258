"""Recording an HTTP exchange byte for byte, under requests.

requests (urllib3) hands us parsed responses; an archive must keep what came over the
wire. These connection classes copy every byte sent and received (status line,
headers, body with its Content-Encoding and chunked framing) into an ExchangeRecorder,
and note the peer's address and, for HTTPS, the TLS session and certificate chain.
"""

import ssl
import tempfile
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

SPOOL_IN_MEMORY = 1 << 20


@dataclass
class ExchangeRecorder:
    """What one HTTP exchange sent and received, byte for byte (the response spooled to disk
    past 1 MiB), and who answered: the peer's address, TLS session and certificates."""
    request: bytearray = field(default_factory=bytearray)
    response: tempfile.SpooledTemporaryFile = field(
        default_factory=lambda: tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY))
    received: int = 0
    peer_ip: str | None = None
    peer_port: int | None = None
    tls: dict | None = None
    certificates: list[str] = field(default_factory=list)   # PEM, leaf first

    def write_response(self, data) -> None:
        """Keep `data` as it came off the socket, and count it."""
        self.response.write(data)
        self.received += len(data)


class _RecordingStream:
    """Wraps the socket file of http.client's response; copies what is read."""

    def __init__(self, fp, recorder: ExchangeRecorder):
        self.fp, self.recorder = fp, recorder

    def readinto(self, buffer):
        count = self.fp.readinto(buffer)
        if count:
            self.recorder.write_response(memoryview(buffer)[:count])
        return count

    def read(self, amount=None):
        data = self.fp.read(amount) if amount is not None else self.fp.read()
        self.recorder.write_response(data)
        return data

    def read1(self, amount=-1):
        data = self.fp.read1(amount)
        self.recorder.write_response(data)
        return data

    def readline(self, limit=-1):
        line = self.fp.readline(limit)
        self.recorder.write_response(line)
        return line

    def close(self):
        return self.fp.close()

    def __getattr__(self, name):
        return getattr(self.fp, name)


def _peer_facts(sock, recorder: ExchangeRecorder) -> None:
    try:
        recorder.peer_ip, recorder.peer_port = sock.getpeername()[:2]
    except OSError:
        pass
    if isinstance(sock, ssl.SSLSocket):
        recorder.tls = {"version": sock.version(), "cipher": (sock.cipher() or [None])[0],
                        "alpn": sock.selected_alpn_protocol(),
                        "server_name": sock.server_hostname}
        recorder.certificates = _chain(sock)


def _chain(sock: ssl.SSLSocket) -> list[str]:
    """The chain the server sent (leaf first). Python 3.13 has a public API for it;
    before that the same call is reached through the private SSL object."""
    getter = getattr(sock, "get_unverified_chain", None) or \
        getattr(getattr(sock, "_sslobj", None), "get_unverified_chain", None)
    if getter:
        try:
            chain = getter() or []
            return [cert.public_bytes(ssl._ssl.ENCODING_PEM) if not isinstance(cert, bytes)
                    else ssl.DER_cert_to_PEM_cert(cert) for cert in chain]
        except (AttributeError, ValueError, ssl.SSLError):
            pass
    leaf = sock.getpeercert(binary_form=True)
    return [ssl.DER_cert_to_PEM_cert(leaf)] if leaf else []


def _recording(base, recorder: ExchangeRecorder):
    class Recording(base):
        def send(self, data):
            super().send(data)
            if isinstance(data, (bytes, bytearray, memoryview)):
                recorder.request += data

        def getresponse(self):
            _peer_facts(self.sock, recorder)
            original = self.response_class

            def response_class(sock, *args, **kwargs):
                response = original(sock, *args, **kwargs)
                response.fp = _RecordingStream(response.fp, recorder)
                return response
            self.response_class = response_class
            try:
                return super().getresponse()
            finally:
                self.response_class = original
    return Recording


class RecordingAdapter(HTTPAdapter):
    """A requests adapter whose connections record into one ExchangeRecorder."""

    def __init__(self, recorder: ExchangeRecorder):
        self.recorder = recorder
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        """requests' hook for making connection pools: ours make recording connections."""
        super().init_poolmanager(*args, **kwargs)
        recorder = self.recorder

        class HTTPPool(HTTPConnectionPool):
            ConnectionCls = _recording(HTTPConnection, recorder)

        class HTTPSPool(HTTPSConnectionPool):
            ConnectionCls = _recording(HTTPSConnection, recorder)
        self.poolmanager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}


def recording_session(recorder: ExchangeRecorder) -> requests.Session:
    """A requests session whose every http(s) exchange is copied into `recorder`."""
    session = requests.Session()
    adapter = RecordingAdapter(recorder)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


__all__ = ["ExchangeRecorder", "recording_session"]
