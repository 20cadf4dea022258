"""Writing WARC/1.1 records over warcio, one gzip member per record.

warcio builds and serialises the records; two things are ours:
- digests are `sha256:<lowercase hex>` (warcio hard-codes sha1/base32), and only
  response, resource and conversion records carry WARC-Payload-Digest (warcio adds it
  to metadata records too, against WARC 1.1);
- each record is its own gzip member at level 6 (warcio uses 9: ~1.5x slower for
  a few bytes), and we learn each member's offset and length for the descriptor.
"""

import zlib
from functools import cache
from io import BytesIO

from archivekit._internal.software import __version__

from archivekit._internal import strictjson
from archivekit.formats.digests import Sha256Digester

WARC_VERSION = "WARC/1.1"
GZIP_LEVEL = 6
CONFORMS_TO = "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
PAYLOAD_TYPES = ("response", "resource")
# A reading derived from a source record (OCR, a PDF's text layer): WARC 1.1's
# `conversion` type, never a replacement for the original.
CONVERSION_TYPE = "conversion"
CONVERSION_MEDIA_TYPE = "text/plain; charset=utf-8"
# The clipping metadata record; other metadata records (the peer's TLS facts) differ.
CLIPPING_METADATA_TYPE = "application/json"


@cache
def _writer_class():
    """warcio's writer with our digests, made when a WARC is first written: importing
    warcio (fsspec, asyncio) costs every command that only reads ~0.1 s."""
    from warcio.warcwriter import WARCWriter

    class ArchivekitWARCWriter(WARCWriter):
        NO_PAYLOAD_DIGEST_TYPES = ("warcinfo", "revisit", "metadata", "request")

        @staticmethod
        def _create_digester():
            return Sha256Digester()
    return ArchivekitWARCWriter


class GzipMemberWriter:
    """A file-like sink: what is written between two flush() calls is one gzip member."""

    def __init__(self, out, level: int = GZIP_LEVEL):
        self.out = out
        self.level = level
        self.offset = 0
        self._compressor = None

    def write(self, data: bytes) -> None:
        """Compress `data` into the current gzip member (one is begun if none is open)."""
        if self._compressor is None:
            self._compressor = zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self._emit(self._compressor.compress(data))

    def flush(self) -> None:
        """End the current gzip member, if one is open."""
        if self._compressor is not None:
            self._emit(self._compressor.flush())
            self._compressor = None

    def _emit(self, data: bytes) -> None:
        if data:
            self.out.write(data)
            self.offset += len(data)


class ClippingWarcWriter:
    """Writes the records of one package and keeps their inventory."""

    def __init__(self, out):
        self._sink = GzipMemberWriter(out)
        self._writer = _writer_class()(self._sink, gzip=False, warc_version=WARC_VERSION)
        self.inventory: list[dict] = []

    def _write(self, record) -> dict:
        offset = self._sink.offset
        self._writer.write_record(record)
        headers = record.rec_headers
        entry = {
            "id": headers.get_header("WARC-Record-ID"),
            "type": headers.get_header("WARC-Type"),
            "target_uri": headers.get_header("WARC-Target-URI"),
            "offset": offset,
            "length": self._sink.offset - offset,
            "block_digest": headers.get_header("WARC-Block-Digest"),
            "payload_digest": headers.get_header("WARC-Payload-Digest"),
        }
        self.inventory.append(entry)
        return entry

    def warcinfo(self, date: str, fields: dict) -> dict:
        """The warcinfo record opening the WARC: the software, format and profile, and the
        non-empty `fields`; returns its inventory entry."""
        info = {"software": f"archivekit/{__version__}",
                "format": "WARC File Format 1.1", "conformsTo": CONFORMS_TO}
        info.update({k: v for k, v in fields.items() if v})
        record = self._writer.create_warcinfo_record("clipping.warc.gz", info)
        record.rec_headers.replace_header("WARC-Date", date)
        return self._write(record)

    def resource(self, target_uri: str, date: str, media_type: str, stream, length: int) -> dict:
        """A resource record of `length` bytes read from `stream` (a file the clipping is);
        returns its inventory entry."""
        record = self._writer.create_warc_record(
            target_uri, "resource", payload=stream, length=length,
            warc_content_type=media_type, warc_headers_dict={"WARC-Date": date})
        return self._write(record)

    def metadata(self, date: str, refers_to: str, document: dict,
                 media_type: str = CLIPPING_METADATA_TYPE, kind: str = "metadata") -> dict:
        """A metadata record about the record `refers_to`. Its target URI is a URN of its
        own, not the page's URL: replay tools (pywb) would otherwise serve this JSON
        in place of the page."""
        block = strictjson.dumps(document, compact=True)
        target_uri = f"urn:archivekit:{kind}:{refers_to.strip('<>').rsplit(':', 1)[-1]}"
        record = self._writer.create_warc_record(
            target_uri, "metadata", payload=BytesIO(block), length=len(block),
            warc_content_type=media_type,
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": refers_to})
        return self._write(record)

    def conversion(self, date: str, refers_to: str, text: bytes,
                   media_type: str = CONVERSION_MEDIA_TYPE) -> dict:
        """A reading derived from the record `refers_to`. Like metadata records, its
        target URI is a URN of its own, so that replay tools never serve it as the page."""
        target_uri = f"urn:archivekit:conversion:{refers_to.strip('<>').rsplit(':', 1)[-1]}"
        record = self._writer.create_warc_record(
            target_uri, CONVERSION_TYPE, payload=BytesIO(text), length=len(text),
            warc_content_type=media_type,
            warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": refers_to})
        return self._write(record)

    def response(self, target_uri: str, headers: dict, http_headers, body, length: int) -> dict:
        """An HTTP response; `http_headers` keeps the received header bytes exactly."""
        record = self._writer.create_warc_record(
            target_uri, "response", payload=body, length=length, http_headers=http_headers,
            warc_headers_dict=headers)
        return self._write(record)

    def request(self, target_uri: str, headers: dict, http_headers) -> dict:
        """An HTTP request (`http_headers` keeps the bytes sent exactly); returns its
        inventory entry."""
        record = self._writer.create_warc_record(
            target_uri, "request", payload=BytesIO(b""), length=0, http_headers=http_headers,
            warc_headers_dict=headers)
        return self._write(record)
