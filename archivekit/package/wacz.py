"""Packages as a WACZ 1.1.1 (for ReplayWeb.page, pywb, py-wacz), and back.

The WACZ holds each package's WARCs in `archive/` (our clipping WARC as
`archive/<package-id>.warc.gz`, a user's WARC as `archive/<package-id>--<name>`), one
CDXJ index over them, `pages/pages.jsonl`, and, in `archivekit/`, every other file of
the bag: bagit.txt, bag-info.txt, the manifests, the descriptor, the seals and their
proofs, each as `archivekit/<package-id>%2F<its path, percent-encoded>` (py-wacz's
validator reads every file as `<folder>/<name>`: deeper paths fail it). No byte is changed, so `WaczPackageReader` can show a package inside a
WACZ as the bag it was, and the verifier checks its seal as if it had never left.
"""

import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

from archivekit._internal import strictjson
from archivekit._internal.fsutil import TEMP_PREFIX, fsync_dir
from archivekit._internal.limits import Budget, Limits
from archivekit._internal.software import SOFTWARE
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.errors import InputError, PackageExists
from archivekit.formats import layout, wacz
from archivekit.formats.digests import sha256_label
from archivekit.package.reader import Entry, PackageReader, PackageUnreadable, open_package

CHUNK = 1 << 20
SEPARATOR = "--"     # archive/<package-id>--<name>: a user's WARC, named by its package
ENCODED_SLASH = "%2F"  # archivekit/<package-id>%2F<bag path, percent-encoded>


def wacz_path(package_id: str, bag_path: str) -> str:
    """Where a bag's file lives in the WACZ."""
    if bag_path == layout.WARC_PATH:
        return f"{wacz.ARCHIVE_DIR}{package_id}.warc.gz"
    if layout.is_web_archive(bag_path) and ".warc" in bag_path.lower():
        return f"{wacz.ARCHIVE_DIR}{package_id}{SEPARATOR}{bag_path[len(layout.ARCHIVE_DIR):]}"
    return f"{wacz.ARCHIVEKIT_DIR}{package_id}{ENCODED_SLASH}{quote(bag_path, safe='')}"


def export_wacz(packages: list, out: Path, title: str | None = None) -> Path:
    """Write the packages at `packages` (folders, .zip or .tar) as one WACZ at `out`,
    atomically; refuse to overwrite. Return `out`."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise PackageExists(f"{out} already exists: choose another name")
    if not packages:
        raise InputError("nothing to export: no packages given")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=out.parent))
    try:
        files, pages, titles = {}, [], []
        for location in packages:
            _stage(Path(location), work, files, pages, titles)
        built = work / "export.wacz"
        _write(built, work, files, pages, title or (titles[0] if len(titles) == 1 else
                                                    f"{len(titles)} archivekit packages"))
        os.link(built, out)   # fails rather than overwrite a file that appeared meanwhile
        fsync_dir(out.parent)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _stage(location: Path, work: Path, files: dict, pages: list, titles: list) -> None:
    """Copy one package's files into `work` under their WACZ names."""
    try:
        reader = open_package(location)
    except PackageUnreadable as exc:
        raise InputError(f"{location}: {exc}") from None
    with reader:
        if layout.DESCRIPTOR_PATH not in reader.entries:
            raise InputError(f"{location}: no {layout.DESCRIPTOR_PATH}; not an archivekit package")
        try:
            descriptor = strictjson.loads(reader.read(layout.DESCRIPTOR_PATH))
            package_id = descriptor["id"]
        except (strictjson.StrictJSONError, KeyError, TypeError) as exc:
            raise InputError(f"{location}: package.json is damaged: {exc}") from None
        if package_id in {_package_of(name) for name in files}:
            raise InputError(f"{location}: package {package_id} is given twice")
        for path in reader.files():
            target = wacz_path(package_id, path)
            staged = work / "files" / target
            staged.parent.mkdir(parents=True, exist_ok=True)
            with reader.open(path) as source, open(staged, "wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            files[target] = staged
        titles.append((descriptor.get("metadata") or {}).get("headline") or package_id)
        pages.extend(_pages(descriptor))


def _pages(descriptor: dict) -> list[dict]:
    """The pages a replay can open: each web source, each page of a user's web archive,
    and a file source that names its article's address."""
    headline = (descriptor.get("metadata") or {}).get("headline")
    found = []
    for source in descriptor.get("sources", []):
        archive = source.get("archive") or {}
        if source.get("kind") == "webarchive" and ".warc" in str(archive.get("path")):
            found += [{"url": p["uri"], "ts": p.get("date"), "title": p.get("title")}
                      for p in archive.get("pages", []) if isinstance(p.get("uri"), str)]
        elif str(source.get("uri", "")).startswith(("http://", "https://")):
            found.append({"url": source["uri"], "ts": source.get("retrieved"),
                          "title": headline})
    return [{k: v for k, v in page.items() if v is not None} for page in found]


def _write(built: Path, work: Path, files: dict, pages: list, title: str) -> None:
    from cdxj_indexer.main import CDXJIndexer
    files = dict(files)
    archives = sorted(p for p in files if p.startswith(wacz.ARCHIVE_DIR))
    index = io.StringIO()
    for name in archives:
        CDXJIndexer(index, [str(files[name])], filename=name[len(wacz.ARCHIVE_DIR):]).process_all()
    lines = sorted(index.getvalue().splitlines(keepends=True))
    (work / "index.cdxj").write_text("".join(lines), "utf-8")
    (work / "pages.jsonl").write_bytes(wacz.pages_text(pages))
    files["indexes/index.cdxj"] = work / "index.cdxj"
    files[wacz.PAGES] = work / "pages.jsonl"
    resources, names = [], set()
    for name, path in sorted(files.items()):
        # Frictionless (py-wacz's schema check) wants unique lower-case names.
        short = re.sub(r"[^a-z0-9._-]", "-", Path(unquote(name)).name.lower())
        while short in names:
            short = "x" + short
        names.add(short)
        resources.append({"name": short, "path": name, "hash": _sha256(path),
                          "bytes": path.stat().st_size})
    now = format_time(utc_now())
    package = {"profile": "data-package", "wacz_version": wacz.WACZ_VERSION, "title": title,
               "created": now, "modified": now,
               "software": f"{SOFTWARE['name']} {SOFTWARE['version']}",
               "resources": resources}
    if pages:
        package.update(mainPageUrl=pages[0]["url"], mainPageDate=pages[0].get("ts"))
    datapackage = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
    digest = json.dumps({"path": wacz.DATAPACKAGE, "hash": sha256_label(datapackage)},
                        indent=2).encode("utf-8")
    # Stored, not deflated: replay tools read WARC records by offset inside the zip.
    with zipfile.ZipFile(built, "w", zipfile.ZIP_STORED) as archive:
        for name, path in sorted(files.items()):
            archive.write(path, name)
        archive.writestr(wacz.DATAPACKAGE, datapackage)
        archive.writestr(wacz.DIGEST, digest)
    with open(built, "rb") as handle:
        os.fsync(handle.fileno())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def _package_of(name: str) -> str | None:
    if not name.startswith(wacz.ARCHIVEKIT_DIR) or ENCODED_SLASH not in name:
        return None
    return name[len(wacz.ARCHIVEKIT_DIR):].split(ENCODED_SLASH, 1)[0] or None


def packages_in(location) -> list[str]:
    """The ids of the archivekit packages a WACZ carries."""
    with zipfile.ZipFile(location) as archive:
        ids = {_package_of(name) for name in archive.namelist()} - {None}
    return sorted(ids)


class WaczPackageReader(PackageReader):
    """One package carried in a WACZ, read as the bag it was exported from."""

    kind = "wacz"

    def __init__(self, location: Path, package_id: str, limits: Limits | None = None):
        super().__init__(Path(location), Budget(limits))
        self.root_name = package_id
        self._zip = zipfile.ZipFile(location)
        self._names = {}
        prefix = f"{wacz.ARCHIVEKIT_DIR}{package_id}{ENCODED_SLASH}"
        own = f"{wacz.ARCHIVE_DIR}{package_id}"
        for info in self._zip.infolist():
            name = info.filename
            if name.startswith(prefix):
                path = unquote(name[len(prefix):])
            elif name == own + ".warc.gz":
                path = layout.WARC_PATH
            elif name.startswith(own + SEPARATOR):
                path = layout.ARCHIVE_DIR + name[len(own + SEPARATOR):]
            else:
                continue   # the WACZ's own files, and other packages'
            self._names[path] = info
            self._add(path, "file", info.file_size, name)
        for path in list(self.entries):   # the folders a directory listing would show
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth])
                if folder not in self.entries:
                    self.entries[folder] = Entry(folder, "dir", 0)

    def _open(self, path: str):
        return self._zip.open(self._names[path])

    def close(self) -> None:
        """Close the WACZ file."""
        self._zip.close()
