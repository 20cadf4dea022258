"""A web archive a user brings (WARC or ARC, gzipped or not; a WACZ): recognised by its bytes,
kept whole, described from its own records, and indexed (CDXJ) for replay tools.

Checking its integrity is the verifier's work (verify/archives.py); here we only read
what the archive says about itself, and never fail on what we cannot read: a damaged
archive is described as far as it can be read, and that is said.
"""

import contextlib
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from archivekit.capture.files import FileSource, read_file_source
from archivekit.formats import layout, wacz

SNIFF_BYTES = 1 << 16
FORMATS = {"warc": "application/warc", "warc.gz": "application/warc",
           "arc": "application/x-internet-archive", "arc.gz": "application/x-internet-archive",
           "wacz": "application/wacz"}
MAX_PAGES = 1000               # pages listed in the descriptor; the rest are counted
HTML_LIMIT = 4 << 20           # bytes of an HTML response read for its title
MAX_DESCRIBED_RECORDS = 1_000_000


@dataclass
class WebArchiveSource(FileSource):
    """A web archive another tool made (WARC, ARC, gzipped or not, or WACZ), read as a file
    source: its format, and whether its bytes say so (False when only its name does)."""
    format: str = "warc.gz"      # one of FORMATS
    looks_like: bool = True      # False: only its name says it is a web archive

    kind = "webarchive"

    @property
    def stored_name(self) -> str:
        """The file's name in the package: its own name, made safe, with the suffix its
        format has (a replay tool picks files by suffix)."""
        stem = self.path.name
        for suffix in layout.WEB_ARCHIVE_SUFFIXES:
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in stem).strip(".-")
        return f"{safe or 'archive'}.{self.format}"


@dataclass
class Description:
    """What a web archive says about itself."""
    producer: str | None = None               # warcinfo `software`
    warcinfo: dict = field(default_factory=dict)
    records: int = 0
    first_record_id: str | None = None
    pages: list[dict] = field(default_factory=list)   # HTML responses: uri, date, status, title
    more_pages: int = 0
    first_date: str | None = None
    last_date: str | None = None
    unreadable: str | None = None             # why reading stopped early, if it did
    main_html: bytes | None = field(default=None, repr=False)
    main_url: str | None = None

    def to_dict(self) -> dict:
        """The description as the descriptor's `archive` entry keeps it."""
        return {"producer": self.producer, "warcinfo": self.warcinfo, "records": self.records,
                "pages": self.pages, "more_pages": self.more_pages,
                "first_date": self.first_date, "last_date": self.last_date,
                "unreadable": self.unreadable}


def sniff_format(path: Path) -> str | None:
    """'warc', 'warc.gz', 'arc', 'arc.gz' or 'wacz' when the bytes are a web archive."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                return "wacz" if wacz.DATAPACKAGE in archive.NameToInfo else None
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    gzipped = head.startswith(b"\x1f\x8b")
    if gzipped:
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64)
        except zlib.error:
            return None
    if head.startswith(b"WARC/"):
        return "warc.gz" if gzipped else "warc"
    if head.startswith(b"filedesc://"):
        return "arc.gz" if gzipped else "arc"
    return None


def format_by_name(name: str) -> str | None:
    """The web-archive format a file name says (by its suffix), or None."""
    lowered = name.lower()
    for suffix in layout.WEB_ARCHIVE_SUFFIXES:
        if lowered.endswith(suffix):
            return suffix[1:]
    return None


def read_web_archive(path) -> WebArchiveSource | None:
    """The source when `path` is (or is named as) a web archive; None otherwise."""
    path = Path(path)
    if not path.is_file():
        return None    # a folder, a pipe...: read_file_source says what is wrong with it
    sniffed = sniff_format(path)
    named = format_by_name(path.name)
    if sniffed is None and named is None:
        return None
    source = read_file_source(path)
    kind = sniffed or named
    return WebArchiveSource(source.path, source.size, source.sha256, FORMATS[kind],
                            source.retrieved, source.url, format=kind,
                            looks_like=sniffed is not None)


def describe(source: WebArchiveSource) -> Description:
    """Read the records: warcinfo, target URIs, dates, titles of HTML responses."""
    result = Description()
    if not source.looks_like:
        result.unreadable = "the file is not a web archive"
        return result
    # warcio writes its complaints about odd records to stderr; the library never prints
    # (the verifier's findings say what is wrong, in words of ours).
    try:
        with source.open() as handle, contextlib.redirect_stderr(io.StringIO()):
            if source.format == "wacz":
                _describe_wacz(handle, result)
            else:
                _read_records(handle, result)
    except Exception as exc:   # warcio on a damaged archive: say how far it got
        result.unreadable = f"{type(exc).__name__}: {str(exc)[:200]}"
    return result


def _read_records(handle, result: Description) -> None:
    from warcio.archiveiterator import ArchiveIterator
    for record in ArchiveIterator(handle, arc2warc=True):
        _note(result, record)
        if result.records >= MAX_DESCRIBED_RECORDS:
            result.unreadable = f"stopped after {MAX_DESCRIBED_RECORDS} records"
            return


def _describe_wacz(handle, result: Description) -> None:
    """A WACZ: what datapackage.json says (title, software), then its WARCs' records."""
    with zipfile.ZipFile(handle) as archive:
        package, _ = wacz.load_json(archive.read(wacz.DATAPACKAGE)[:1 << 24])
        package = package or {}
        result.warcinfo = {k: package[k] for k in ("title", "software", "created",
                                                  "wacz_version") if isinstance(package.get(k), str)}
        result.producer = result.warcinfo.get("software")
        for name in sorted(archive.namelist()):
            if name.startswith(wacz.ARCHIVE_DIR) and ".warc" in name.lower():
                with archive.open(name) as member:
                    _read_records(member, result)


def _note(result: Description, record) -> None:
    result.records += 1
    headers = record.rec_headers
    if result.records == 1:
        result.first_record_id = headers.get_header("WARC-Record-ID")
    date = headers.get_header("WARC-Date")
    if date:
        result.first_date = min(result.first_date or date, date)
        result.last_date = max(result.last_date or date, date)
    if record.rec_type == "warcinfo":
        fields = _warc_fields(record.content_stream().read(1 << 16))
        if not result.warcinfo:
            result.warcinfo = fields
            result.producer = fields.get("software")
        return
    if record.rec_type not in ("response", "resource"):
        return
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http and http.get_statuscode().isdigit() else None
    media_type = (http.get_header("Content-Type") if http else None) or \
        headers.get_header("Content-Type") or ""
    if "html" not in media_type.lower() or status not in (None, 200):
        return
    if len(result.pages) >= MAX_PAGES:
        result.more_pages += 1
        return
    body = record.content_stream().read(HTML_LIMIT)
    uri = headers.get_header("WARC-Target-URI")
    result.pages.append({"uri": uri, "date": date, "status": status, "title": _title(body)})
    if result.main_html is None:
        result.main_html, result.main_url = body, uri


def _warc_fields(block: bytes) -> dict:
    fields = {}
    for line in block.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() and name.strip() not in fields:
            fields[name.strip()] = value.strip()
    return fields


def _title(body: bytes) -> str | None:
    import lxml.html
    try:
        doc = lxml.html.fromstring(body)
    except Exception:   # lxml's errors on empty or odd documents vary by version
        return None
    title = " ".join(doc.xpath("string(//title)").split())
    return title or None


def write_cdxj(source: WebArchiveSource, out) -> str | None:
    """Write the CDXJ index of the archive (cdxj-indexer: the indexer py-wacz and pywb
    use, so that replay tools agree with its keys) to the binary stream `out`. Return
    None, or why no index could be made (a damaged archive)."""
    from cdxj_indexer.main import CDXJIndexer
    if not source.looks_like:
        return "the file is not a web archive"
    text = io.StringIO()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            CDXJIndexer(text, [str(source.path)], sort=True,
                        filename=source.stored_name).process_all()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    out.write(text.getvalue().encode("utf-8"))
    return None
