"""Web sources: a URL fetched with requests and recorded as WARC request/response
records, one pair per hop (redirects included), with the peer's address and, for
HTTPS, the TLS session and certificate chain."""

import hashlib
import time
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser

from archivekit._internal.software import __version__
from archivekit._internal.wire import ExchangeRecorder, recording_session
from archivekit.errors import CaptureFailed, UsageError
from archivekit._internal.timeutil import format_time, utc_now

USER_AGENT = f"archivekit/{__version__} (news clipping preservation; +https://pypi.org/project/archivekit/)"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_HOPS = 10
CHUNK = 64 << 10
PEER_MEDIA_TYPE = "application/vnd.archivekit.peer+json"


@dataclass
class WebOptions:
    """How a web page is fetched: seconds to wait per hop, the largest answer accepted, the
    User-Agent sent, whether the TLS certificate must be trusted, and whether a 4xx/5xx
    answer is archived rather than refused."""
    timeout: float = 30.0
    max_bytes: int = 50 << 20
    user_agent: str = USER_AGENT
    verify_tls: bool = True
    allow_http_errors: bool = False


@dataclass
class Hop:
    """One request and its answer, as sent and received: the bytes of both, the parsed
    headers, the peer's address and, over HTTPS, the TLS session and certificate chain."""
    url: str
    date: str
    status: int
    request: bytes
    response_head: bytes          # status line and headers, exactly as received
    response_body: object         # a file holding the body exactly as received
    body_size: int
    headers: StatusAndHeaders
    peer_ip: str | None
    tls: dict | None
    certificates: list[str]


@dataclass
class WebCapture:
    """A fetched page: every hop from the address asked for to the final answer, and the
    final body decoded."""
    requested: str
    hops: list[Hop] = field(default_factory=list)
    content: bytes = b""          # the final body, transfer- and content-decoded
    options: WebOptions = field(default_factory=WebOptions)

    @property
    def final(self) -> Hop:
        """The last hop: the answer that was archived."""
        return self.hops[-1]

    @property
    def media_type(self) -> str:
        """The final answer's Content-Type (application/octet-stream when it gives none)."""
        return self.final.headers.get_header("Content-Type") or "application/octet-stream"

    @property
    def sha256(self) -> str:
        """SHA-256 of the final body, decoded."""
        return hashlib.sha256(self.content).hexdigest()


def check_url(url: str) -> None:
    """Raise a UsageError unless `url` is an http(s) address with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url}: not an http(s) address")


def fetch(url: str, options: WebOptions) -> WebCapture:
    """Fetch `url`, following redirects; raise CaptureFailed naming the problem."""
    check_url(url)
    result = WebCapture(url, options=options)
    current = url
    for _ in range(MAX_HOPS + 1):
        hop = _exchange(current, options)
        result.hops.append(hop)
        location = hop.headers.get_header("Location")
        if hop.status in REDIRECTS and location:
            current = urljoin(current, location)
            continue
        if hop.status >= 400 and not options.allow_http_errors:
            raise CaptureFailed(f"{current}: the server answered HTTP {hop.status}; nothing "
                                "was written", remedy="allow-http-errors")
        result.content = _decoded_body(hop, current, options)
        return result
    raise CaptureFailed(f"{url}: more than {MAX_HOPS} redirects; nothing was written")


def _exchange(url: str, options: WebOptions) -> Hop:
    recorder = ExchangeRecorder()
    session = recording_session(recorder)
    date = format_time(utc_now())
    deadline = time.monotonic() + options.timeout
    try:
        with session.get(url, stream=True, allow_redirects=False, timeout=options.timeout,
                         verify=options.verify_tls, headers={
                             "User-Agent": options.user_agent, "Accept-Encoding": "gzip, deflate",
                             "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}) as response:
            # The recorder keeps every byte as received; reading here only drives it.
            while response.raw.read(CHUNK, decode_content=False):
                if recorder.received > options.max_bytes:
                    raise CaptureFailed(f"{url}: the response is larger than the limit of "
                                        f"{options.max_bytes} bytes; nothing was written")
                if time.monotonic() > deadline:
                    raise CaptureFailed(f"{url}: the server took longer than {options.timeout:g} s "
                                        "to send the page; nothing was written")
            status = response.status_code
    except requests.exceptions.SSLError as exc:
        raise CaptureFailed(f"{url}: TLS failed ({_reason(exc)}); nothing was written",
                            remedy="insecure") from None
    except (requests.exceptions.Timeout, urllib3.exceptions.TimeoutError):
        raise CaptureFailed(f"{url}: no answer within {options.timeout:g} s; nothing was written") from None
    except urllib3.exceptions.HTTPError as exc:   # raised by the body read, not wrapped
        raise CaptureFailed(f"{url}: the connection broke ({_reason(exc)}); nothing was written") from None
    except requests.exceptions.ConnectionError as exc:
        raise CaptureFailed(f"{url}: cannot connect ({_reason(exc)}); nothing was written") from None
    except requests.exceptions.RequestException as exc:
        raise CaptureFailed(f"{url}: {_reason(exc)}; nothing was written") from None
    finally:
        session.close()
    recorder.response.seek(0)
    raw = recorder.response
    head = bytearray()
    while not head.endswith(b"\r\n\r\n") and not head.endswith(b"\n\n"):
        line = raw.readline()
        if not line:
            raise CaptureFailed(f"{url}: the response ended inside its headers")
        head += line
    size = recorder.received - len(head)
    parsed = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"]).parse(BytesIO(bytes(head)))
    exact = ExactHeaders(parsed.statusline, parsed.headers, parsed.protocol, bytes(head))
    return Hop(url, date, status, bytes(recorder.request), bytes(head), raw, size, exact,
               recorder.peer_ip, recorder.tls, recorder.certificates)


def _reason(exc) -> str:
    text = str(exc.args[0] if exc.args else exc)
    for marker in ("CERTIFICATE_VERIFY_FAILED", "Name or service not known",
                   "Connection refused", "timed out", "hostname mismatch"):
        if marker in text:
            return marker.replace("_", " ").lower() if marker.isupper() else marker.lower()
    return text[:200]


def _decoded_body(hop: Hop, url: str, options: WebOptions) -> bytes:
    """The body as a browser would save it: chunking and Content-Encoding removed."""
    hop.response_body.seek(len(hop.response_head))
    body = hop.response_body.read()
    if (hop.headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
        body = _dechunk(body, url)
    encoding = (hop.headers.get_header("Content-Encoding") or "").lower().strip()
    try:
        if encoding in ("gzip", "x-gzip"):
            body = _inflate(body, 31, options.max_bytes, url)
        elif encoding == "deflate":
            body = _inflate(body, 15, options.max_bytes, url)
    except zlib.error as exc:
        raise CaptureFailed(f"{url}: the {encoding} body is corrupt ({exc}); nothing was written") from None
    return body


def _inflate(data: bytes, wbits: int, limit: int, url: str) -> bytes:
    inflater = zlib.decompressobj(wbits)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise CaptureFailed(f"{url}: the decoded page is larger than {limit} bytes")
    return out


def _dechunk(data: bytes, url: str) -> bytes:
    out, at = bytearray(), 0
    while True:
        end = data.find(b"\r\n", at)
        if end < 0:
            raise CaptureFailed(f"{url}: chunked body ends early")
        size = int(data[at:end].split(b";")[0].strip() or b"0", 16)
        at = end + 2
        if size == 0:
            return bytes(out)
        out += data[at:at + size]
        at += size + 2


class ExactHeaders(StatusAndHeaders):
    """warcio re-serialises HTTP headers when it writes; ours keep the received bytes."""

    def __init__(self, statusline, headers, protocol, raw: bytes):
        super().__init__(statusline, headers, protocol)
        self.headers_buff = raw

    def compute_headers_buffer(self, header_filter=None):
        """Keep the bytes as received: warcio would write them anew."""
        pass


def write_web_records(capture: WebCapture, warc, date: str) -> dict:
    """Request/response pairs per hop, peer metadata for HTTPS; the `sources` entry."""
    response_id = None
    for hop in capture.hops:
        hop.response_body.seek(len(hop.response_head))
        headers = {"WARC-Date": hop.date}
        if hop.peer_ip:
            headers["WARC-IP-Address"] = hop.peer_ip
        response = warc.response(hop.url, headers, hop.headers, hop.response_body, hop.body_size)
        response_id = response["id"]
        request_head = StatusAndHeadersParser(["GET", "POST", "HEAD"]).parse(BytesIO(hop.request))
        exact_request = ExactHeaders(request_head.statusline, request_head.headers,
                                     request_head.protocol, hop.request)
        warc.request(hop.url, {"WARC-Date": hop.date, "WARC-Concurrent-To": response_id},
                     exact_request)
        if hop.tls:
            warc.metadata(hop.date, response_id, peer_document(hop), media_type=PEER_MEDIA_TYPE,
                          kind="peer")
    final = capture.final
    return {
        "kind": "web", "uri": final.url, "requested_uri": capture.requested,
        "filename": _filename(final.url, capture.media_type),
        "retrieved": final.date, "media_type": capture.media_type, "bytes": len(capture.content),
        "sha256": capture.sha256, "record_id": response_id, "http_status": final.status,
        "hops": [{"uri": h.url, "status": h.status} for h in capture.hops],
        "peer": {"ip": final.peer_ip, "tls": final.tls,
                 "certificate_sha256": _cert_digests(final.certificates)},
        "tls_verified": capture.options.verify_tls,
    }


def _filename(url: str, media_type: str) -> str:
    """What a browser would save the page as: the last path segment, or index.html."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if not name or "." not in name:
        name = (name or "index") + (".html" if "html" in media_type else "")
    return name


def peer_document(hop: Hop) -> dict:
    """The peer metadata record of an HTTPS hop: address, TLS session and certificates."""
    return {"uri": hop.url, "ip": hop.peer_ip, "tls": hop.tls, "certificates": hop.certificates}


def _cert_digests(certificates: list[str]) -> list[str]:
    import ssl
    return [hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest() for pem in certificates]

