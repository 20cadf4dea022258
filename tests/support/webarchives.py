"""Web archives for tests, made the way other tools make them: WARCs by warcio (as
ArchiveWeb.page, Browsertrix and pywb do), ARCs by hand (the format is four text lines
and the records), and the defects that `warcio check` lets through."""

import gzip
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PAGES = [("http://news.example/story", "Flood waters recede in the valley",
          "<p>The river fell two metres overnight, officials said.</p>"),
         ("http://news.example/second", "Council approves the new bridge",
          "<p>The vote was seven to two.</p>")]
PRODUCER = "ArchiveWeb.page 0.11.3"


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><h1>{title}</h1>{body}</body></html>").encode()


def make_warc(path: Path, gzipped: bool | None = None, pages=PAGES) -> Path:
    gzipped = path.name.endswith(".gz") if gzipped is None else gzipped
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(
            path.name, {"software": PRODUCER, "format": "WARC File Format 1.1"}))
        for url, title, body in pages:
            html = page(title, body)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(html)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html),
                                                          http_headers=headers))
    return path


def make_arc(path: Path, pages=PAGES) -> Path:
    info = b"1 0 Example Org\nURL IP-address Archive-date Content-type Archive-length\n"
    out = (b"filedesc://%s 0.0.0.0 20090101000000 text/plain %d\n" % (path.name.encode(), len(info))
           + info + b"\n")
    for url, title, body in pages:
        html = page(title, body)
        http = (b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n"
                % len(html) + html)
        out += b"%s 127.0.0.1 20090101000000 text/html %d\n" % (url.encode(), len(http)) + http + b"\n"
    path.write_bytes(out)
    return path


def make_defective(folder: Path, kind: str) -> Path:
    """One of the WARCs `warcio check` passes or swallows (NOTES.md)."""
    good = make_warc(folder / "good.warc")
    data = good.read_bytes()
    good.unlink()
    if kind == "bad-digest":          # a same-length edit inside a response body
        path, data = folder / "edited.warc", data.replace(b"fell two", b"fell ten")
    elif kind == "truncated":        # a per-record gzip WARC cut inside its last member
        path = make_warc(folder / "cut.warc.gz")
        data = path.read_bytes()[:-40]
    elif kind == "whole-file-gzip":   # one gzip member for every record
        path, data = folder / "whole.warc.gz", gzip.compress(data)
    elif kind == "not-a-warc":
        path, data = folder / "notes.warc.gz", b"these are my notes, not a web archive\n" * 20
    else:
        raise ValueError(kind)
    path.write_bytes(data)
    return path


def make_wacz(path: Path, software: str = "ArchiveWeb.page 0.11.3", sign: bool = False,
              list_pages: bool = True) -> Path:
    """A WACZ 1.1.1 as ArchiveWeb.page writes one: a WARC, a CDXJ index, pages.jsonl,
    datapackage.json with every resource's hash, and (sign=True) datapackage-digest.json
    with an anonymous ECDSA P-256 signature whose public key it carries."""
    import base64
    import hashlib
    import io
    import json
    import zipfile

    from cdxj_indexer.main import CDXJIndexer
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    warc = make_warc(path.parent / "data.warc.gz")
    index = io.StringIO()
    CDXJIndexer(index, [str(warc)], sort=True, filename="data.warc.gz").process_all()
    pages = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    pages += [json.dumps({"url": u, "ts": "2024-01-01T00:00:00Z", "title": t}) for u, t, _ in PAGES]
    files = {"archive/data.warc.gz": warc.read_bytes(),
             "indexes/index.cdxj": index.getvalue().encode(),
             "pages/pages.jsonl": ("\n".join(pages) + "\n").encode()}
    warc.unlink()
    resources = [{"name": name.rsplit("/", 1)[1], "path": name,
                  "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                 for name, data in files.items() if list_pages or not name.startswith("pages/")]
    package = json.dumps({"profile": "data-package", "wacz_version": "1.1.1",
                          "title": "Flood coverage", "software": software,
                          "created": "2024-01-01T00:00:00Z", "resources": resources},
                         indent=2).encode()
    files["datapackage.json"] = package
    if sign:
        digest = "sha256:" + hashlib.sha256(package).hexdigest()
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        signature = key.sign(digest.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        files["datapackage-digest.json"] = json.dumps({
            "path": "datapackage.json", "hash": digest,
            "signedData": {"hash": digest, "signature": base64.b64encode(signature).decode(),
                           "publicKey": base64.b64encode(public).decode(),
                           "created": "2024-01-01T00:00:00Z", "software": software}}).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def rewrite_zip(path: Path, changes: dict) -> None:
    """Replace members of a zip (name -> bytes), keeping the others as they are."""
    import zipfile
    with zipfile.ZipFile(path) as archive:
        members = {i.filename: archive.read(i) for i in archive.infolist()}
    members.update(changes)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def forge_pages(path: Path) -> Path:
    """The attack `wacz validate --verify-auth` lets through: a new pages.jsonl, its new
    hash written into datapackage.json, the old signed digest left in place."""
    import hashlib
    import json
    import zipfile
    with zipfile.ZipFile(path) as archive:
        package = json.loads(archive.read("datapackage.json"))
    pages = b'{"format": "json-pages-1.0"}\n{"url": "http://evil.example/", "title": "Forged"}\n'
    for resource in package["resources"]:
        if resource["path"] == "pages/pages.jsonl":
            resource.update(hash="sha256:" + hashlib.sha256(pages).hexdigest(), bytes=len(pages))
    rewrite_zip(path, {"pages/pages.jsonl": pages, "datapackage.json": json.dumps(package).encode()})
    return path
