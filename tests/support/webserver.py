"""Real HTTP and HTTPS servers on 127.0.0.1 for web-capture tests.

Each route remembers the exact body bytes it sent, so tests can compare what the
package stored with what went over the wire. Certificates are made here: a test CA
that the client is told to trust, and a self-signed one it is not.
"""

import datetime
import gzip
import ipaddress
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PAGE = (Path(__file__).resolve().parents[2] / "samples/nytimes-saved-page.html").read_bytes()
PDF = (Path(__file__).resolve().parents[2] / "samples/library-board-clipping.pdf").read_bytes()
SMALL = (b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
         b"<title>Library Hours Extended | Town Crier</title>"
         b"<link rel='canonical' href='https://towncrier.example/2024/05/02/library-hours.html'>"
         b"<meta property='og:title' content='Library Hours Extended'>"
         b"<meta name='author' content='Jane Doe'></head><body><article><h1>Library Hours "
         b"Extended</h1><p>The town library will stay open until nine on weekdays, the board "
         b"decided on Tuesday after a long public meeting.</p></article></body></html>")

# A page that says when it was published only relative to now.
RELATIVE = (b"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            b"<title>Library Hours Extended</title></head><body><article><h1>Library Hours "
            b"Extended</h1><div>By Jane Doe</div><div>Published 2 hours ago</div><p>The town "
            b"library will stay open until nine on weekdays, the board decided on Tuesday after "
            b"a long public meeting.</p></article></body></html>")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sent: dict = {}

    def log_message(self, *args):
        pass

    def _send(self, status, body, content_type="text/html; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in extra:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        Handler.sent[self.path] = body

    def do_GET(self):
        path = self.path
        if path == "/page":
            return self._send(200, SMALL)
        if path == "/relative":
            return self._send(200, RELATIVE)
        if path == "/nyt":
            return self._send(200, PAGE)
        if path == "/clipping.pdf":
            return self._send(200, PDF, content_type="application/pdf")
        if path == "/r1":
            return self._send(301, b"moved", extra=[("Location", "/r2")])
        if path == "/r2":
            return self._send(302, b"found", extra=[("Location", "/page")])
        if path == "/gzip":
            return self._send(200, gzip.compress(SMALL), extra=[("Content-Encoding", "gzip")])
        if path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(SMALL), 100):
                piece = SMALL[start:start + 100]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            Handler.sent[path] = SMALL
            return None
        if path == "/404":
            return self._send(404, b"<html><title>Not Found</title><body>No such page</body></html>")
        if path == "/500":
            return self._send(500, b"<html><body>Server error</body></html>")
        if path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"<html>")
            self.wfile.flush()
            time.sleep(4)
            return None
        if path == "/big":
            return self._send(200, b"x" * (3 << 20), "text/plain")
        return self._send(404, b"unknown route")


class Server:
    def __init__(self, context: ssl.SSLContext | None = None):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if context:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if context else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _name(common: str):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_certificates(folder: Path) -> dict:
    """A test CA and a server certificate it signed; and a self-signed one. PEM files."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("archivekit test CA"))
          .issuer_name(_name("archivekit test CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    paths = {"ca": folder / "ca.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for label, issuer_name, issuer_key in (("trusted", ca.subject, ca_key), ("selfsigned", None, None)):
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (x509.CertificateBuilder().subject_name(_name("127.0.0.1"))
                   .issuer_name(issuer_name or _name("127.0.0.1")).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.SubjectAlternativeName(
                       [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False))
        cert = builder.sign(issuer_key or key, hashes.SHA256())
        chain = cert.public_bytes(serialization.Encoding.PEM)
        if issuer_name:
            chain += ca.public_bytes(serialization.Encoding.PEM)
        paths[label] = folder / f"{label}.pem"
        paths[label].write_bytes(chain)
        paths[f"{label}-key"] = folder / f"{label}-key.pem"
        paths[f"{label}-key"].write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    return paths


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
