"""A real RFC 3161 time-stamping authority on 127.0.0.1: `openssl ts -reply` behind a
small HTTP server, with a test CA and a TSA certificate made here (critical
timeStamping EKU). Routes answer honestly or in the ways a bad TSA could."""

import datetime
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CONFIG = """[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
certs = $dir/chain.pem
"""


def _name(text):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _ca(subject, issuer, issuer_key, key, now):
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def make_authority(folder: Path, label: str, shape: str = "openssl",
                   tsa_valid_days: tuple[int, int] = (-1, 30)) -> dict:
    """A CA and a TSA certificate it issued, written for openssl; returns the parts.

    `shape` is which certificates the answers carry, in the order real authorities send
    them (chain order, not DER order): "openssl" the TSA certificate alone; "freetsa" the
    TSA certificate then the root; "chain" (DigiCert, GlobalSign) the TSA certificate,
    an intermediate CA, then the root. The TSA certificate's subject is long, as real
    ones are, so it sorts after the CA certificates and chain order is never DER order.
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _ca(f"{label} root", f"{label} root", ca_key, ca_key, now)
    issuer, issuer_key, extra = ca, ca_key, []
    if shape == "chain":
        issuer_key = ec.generate_private_key(ec.SECP256R1())
        issuer = _ca(f"{label} timestamping CA", f"{label} root", ca_key, issuer_key, now)
        extra = [issuer, ca]
    elif shape == "freetsa":
        extra = [ca]
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    serial = x509.random_serial_number()

    def tsa_cert(with_eku: bool):
        subject = f"{label} TSA, signing time-stamps for archivekit tests"[:64]
        builder = (x509.CertificateBuilder().subject_name(_name(subject))
                   .issuer_name(issuer.subject).public_key(tsa_key.public_key()).serial_number(serial)
                   .not_valid_before(now + datetime.timedelta(days=tsa_valid_days[0]))
                   .not_valid_after(now + datetime.timedelta(days=tsa_valid_days[1])))
        if with_eku:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                            critical=True)
        return builder.sign(issuer_key, hashes.SHA256())
    tsa = tsa_cert(True)
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "tsa.pem").write_bytes(_pem(tsa))
    (folder / "chain.pem").write_bytes(b"".join(_pem(c) for c in extra))
    (folder / "tsa.key").write_bytes(tsa_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (folder / "serial").write_text("01\n")
    (folder / "tsa.cnf").write_text(CONFIG.format(dir=folder))
    return {"folder": folder, "ca": ca, "tsa": tsa, "tsa_without_eku": tsa_cert(False),
            "chain": extra}


def reply(authority: dict, query: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "q.tsq").write_bytes(query)
        subprocess.run(["openssl", "ts", "-reply", "-config", str(authority["folder"] / "tsa.cnf"),
                        "-queryfile", f"{work}/q.tsq", "-out", f"{work}/r.tsr"],
                       check=True, capture_output=True)
        return (Path(work) / "r.tsr").read_bytes()


def query_for(digest_hex: str) -> bytes:
    """A fresh query (new nonce) for a digest, made by openssl."""
    return subprocess.run(["openssl", "ts", "-query", "-digest", digest_hex, "-sha256", "-cert"],
                          check=True, capture_output=True).stdout


class TimestampAuthority:
    """Routes: /ok answers honestly; /wrong-nonce and /wrong-imprint answer another query;
    /web-page answers with a web page;
    /untrusted signs with an authority the verifier does not trust; /chain and /freetsa
    answer honestly with certificates in chain order (authorities `chained`, `freetsa`,
    each with its own root); /expired signs with a TSA certificate that has expired."""

    def __init__(self, folder: Path):
        self.good = make_authority(folder / "good", "archivekit test TSA")
        self.other = make_authority(folder / "other", "unknown TSA")
        self.chained = make_authority(folder / "chained", "chained TSA", "chain")
        self.freetsa = make_authority(folder / "freetsa", "FreeTSA-like", "freetsa")
        self.expired = make_authority(folder / "expired", "expired TSA", "openssl", (-10, -1))
        routes = {"/chain": self.chained, "/freetsa": self.freetsa, "/expired": self.expired}
        authority = self
        # One answer at a time: `openssl ts -reply` rewrites its serial file in place, and
        # a second process reading it half-written answers wrongly (the server is threaded).
        answering = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                query = self.rfile.read(int(self.headers["Content-Length"]))
                kind = "application/timestamp-reply"
                if self.path == "/web-page":    # the service's site, not its TSA endpoint
                    answer, kind = b"<!doctype html><title>Time Service</title>", "text/html"
                else:
                    with answering:
                        answer = self.answer(query)
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def answer(self, query: bytes) -> bytes:
                path = self.path
                if path == "/wrong-nonce":
                    return reply(authority.good, query_for(_imprint_hex(query)))
                if path == "/wrong-imprint":
                    return reply(authority.good, query_for("00" * 32))
                if path == "/untrusted":
                    return reply(authority.other, query)
                return reply(routes.get(path, authority.good), query)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, route="/ok") -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{route}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


SHA256_OID = bytes.fromhex("0609608648016503040201")


def _imprint_hex(query: bytes) -> str:
    """The SHA-256 message imprint of a query: the 32-byte OCTET STRING after the OID."""
    at = query.find(b"\x04\x20", query.find(SHA256_OID))
    return query[at + 2: at + 34].hex()


def trust_tsa(cli, tsa, tmp_path, authority="good", name="test TSA"):
    """Make `cli` trust the root of one of the authority's shapes (`good`, `freetsa`...)."""
    root = tmp_path / f"{authority}-tsa-root.pem"
    root.write_bytes(getattr(tsa, authority)["ca"].public_bytes(serialization.Encoding.PEM))
    assert cli("trust", "add-tsa", root, "--name", name).returncode == 0
