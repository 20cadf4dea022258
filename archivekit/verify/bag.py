"""BagIt checks (RFC 8493): structure, manifests, Payload-Oxum, tag files.

The payload pass streams each payload file once, feeding every manifest
algorithm and, for the WARC, the record scanner from the same read.
"""

import hashlib
from pathlib import Path

from archivekit._internal.limits import LimitExceeded
from archivekit.formats import bagit, layout
from archivekit.package.reader import (PackageReader, PackageUnreadable, collisions,
                                       open_package, unsafe_name_reason)
from archivekit.verify.findings import ERROR, WARNING, Report
from archivekit._internal.hashpipe import HashPipe
from archivekit.verify.warcscan import WarcScanner

CHUNK = 1 << 20
PARALLEL_FROM = 16 << 20     # below this, a second thread costs more than it saves
REQUIRED_TAG_FILES = (layout.BAGIT_PATH, layout.BAG_INFO_PATH, layout.DESCRIPTOR_PATH,
                      *(layout.manifest_path(a) for a in layout.ALGORITHMS))


def open_reporting(location, report: Report, limits=None) -> PackageReader | None:
    """Open a package or bag for checking; when it cannot be opened, say so in `report`
    (AK100 or the reader's code) and return None. The reader's problems become findings."""
    try:
        reader = open_package(location, limits)
    except PackageUnreadable as exc:
        report.add(exc.code, f"{location}: {exc}")
        return None
    except OSError as exc:
        report.add("AK100", f"{location}: cannot open: {exc.strerror or exc}")
        return None
    report.facts["container"] = reader.kind
    for problem in reader.problems:
        report.add(problem.code, problem.message, path=problem.path)
    return reader


PACKAGE_TOPS = {path.split("/")[0] for path in REQUIRED_TAG_FILES} | {
    "data", layout.SIGNATURES_DIR.rstrip("/")}


def report_not_a_package(reader: PackageReader, location, report: Report) -> bool:
    """Whether `location` is a folder holding none of a package's parts (no tag file, no
    data/, signatures/ or archivekit/); if so, say what it is in one AK116 finding: a
    collection's folder (verify named in place of audit; the `collection` fact tells the
    command line), or anything else. Never a container (named or made as a package: a
    damaged one), a folder holding any part, or one among a collection's packages
    (emptied, it is a damaged package)."""
    folder = Path(location)
    if reader.kind != "directory" or any(path.split("/")[0] in PACKAGE_TOPS
                                         for path in reader.entries):
        return False
    if folder.parent.name == "packages" and (folder.parent.parent / "collection.yaml").exists():
        return False
    report.facts["collection"] = "collection.yaml" in reader.entries
    if report.facts["collection"]:
        report.add("AK116", f"{location}: a collection's folder, not a package: its packages "
                            f"are in {location}/packages/, and an audit of the collection "
                            "checks each")
    else:
        report.add("AK116", f"{location}: not a package: it holds none of a package's files "
                            "(bagit.txt, bag-info.txt, archivekit/package.json, manifests, "
                            "data/, signatures/)")
    return True


def foreign_bag(reader: PackageReader) -> str | None:
    """'a BagIt 0.97 bag made by bagit.py v1.5.4' when the reader holds a bag that another
    tool made (no descriptor, no seals, no archivekit agent); None for ours, even damaged."""
    entries = reader.entries
    if layout.BAGIT_PATH not in entries or layout.DESCRIPTOR_PATH in entries or \
            any(p.startswith(layout.SIGNATURES_DIR) for p in entries):
        return None
    try:
        declared = reader.read(layout.BAGIT_PATH, 4096)
        info = reader.read(layout.BAG_INFO_PATH) \
            if layout.BAG_INFO_PATH in entries else b""
    except Exception:   # unreadable: not ours to name; the checks will say what is wrong
        return None
    declaration, _ = bagit.parse_declaration(declared)
    fields, _ = bagit.parse_fields(info.decode("utf-8", "replace"))
    agents = bagit.field(fields, "Bag-Software-Agent")
    if agents and agents[0].startswith("archivekit"):
        return None
    version = f" {declaration.version_text}" if declaration else ""
    return f"a BagIt{version} bag made by {agents[0][:80] if agents else 'an unknown tool'}"


class BagView:
    """What the verifier learned of a bag's tag files; shared by the later checks."""

    def __init__(self, reader: PackageReader):
        self.reader = reader
        self.tag_bytes: dict[str, bytes] = {}
        self.bag_info: list[tuple[str, str]] = []
        self.manifests: dict[str, dict[str, str]] = {}
        self.tag_manifests: dict[str, dict[str, str]] = {}
        self.scan: WarcScanner | None = None
        self.archives: dict[str, WarcScanner] = {}    # users' WARCs, by path
        # More digests to take in the payload's one read, for files below a folder (an
        # adopted bag's own algorithms), and what they came to: path -> (size, digests).
        self.also_hash: dict[str, tuple[str, ...]] = {}
        self.digests: dict[str, tuple[int, dict[str, str]]] = {}

    def info(self, name: str) -> str | None:
        """The first bag-info.txt value of field `name` (case-insensitive), or None."""
        return next((v for k, v in self.bag_info if k.lower() == name.lower()), None)

    def read_tag(self, path: str, report: Report, limit: int | None = None) -> bytes | None:
        """A tag file's bytes (None if absent or unreadable, with a finding); over
        `limit` (default: the tag_file_bytes limit) raises LimitExceeded."""
        if path in self.tag_bytes:
            return self.tag_bytes[path]
        if path not in self.reader.entries or self.reader.entries[path].kind != "file":
            return None
        try:
            data = self.reader.read(path, limit)
        except LimitExceeded:
            raise
        except Exception as exc:   # zlib, zipfile, tarfile and the OS each raise their own
            report.add("AK207", f"cannot read {path}: {exc}", path=path)
            return None
        self.reader.budget.keep(len(data), path)
        self.tag_bytes[path] = data
        return data


def check_structure(view: BagView, report: Report) -> None:
    """The bag's shape: names that collide, bagit.txt's declaration, the files our format
    requires, bag-info.txt and the manifests (read here for the checks that follow)."""
    reader = view.reader
    for group in collisions(reader.entries):
        report.add("AK106", "names differ only by Unicode normalisation or case: "
                   + ", ".join(repr(p) for p in group), path=group[0])
    bagit = view.read_tag(layout.BAGIT_PATH, report)
    if bagit is None:
        report.add("AK101", "bagit.txt is missing: this is not a BagIt bag", path="bagit.txt")
    else:
        lines = bagit.replace(b"\r\n", b"\n").split(b"\n")
        if lines[:2] != [b"BagIt-Version: 1.0", b"Tag-File-Character-Encoding: UTF-8"]:
            report.add("AK102", "bagit.txt must declare BagIt-Version 1.0 and UTF-8",
                       path="bagit.txt", expected=layout.BAGIT_TXT.decode(),
                       found=bagit[:200].decode("utf-8", "replace"))
    for path in REQUIRED_TAG_FILES[1:] + (layout.WARC_PATH,):
        if path not in reader.entries:
            report.add("AK103", f"required file {path} is missing", path=path)
    info = view.read_tag(layout.BAG_INFO_PATH, report)
    if info is not None:
        view.bag_info = _parse_bag_info(info, report)
    for alg in layout.ALGORITHMS:
        for kind, target in (("manifest", view.manifests), ("tagmanifest", view.tag_manifests)):
            path = f"{kind}-{alg}.txt"
            data = view.read_tag(path, report)
            if data is None:
                if kind == "tagmanifest":
                    report.add("AK103", f"required file {path} is missing", path=path)
                continue
            target[alg] = _parse_manifest(path, data, report, reader.budget.limits.depth)


def _parse_bag_info(data: bytes, report: Report) -> list[tuple[str, str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.add("AK109", "bag-info.txt is not UTF-8", path=layout.BAG_INFO_PATH)
        return []
    fields, problems = bagit.parse_fields(text)
    for problem in problems:
        report.add("AK109", f"bag-info.txt {problem.message}", path=layout.BAG_INFO_PATH,
                   found=problem.found)
    for required in ("Payload-Oxum", "External-Identifier"):
        if not any(k == required for k, _ in fields):
            report.add("AK109", f"bag-info.txt lacks {required}", path=layout.BAG_INFO_PATH)
    return fields


def _parse_manifest(path: str, data: bytes, report: Report, depth: int) -> dict[str, str]:
    alg = path.rsplit("-", 1)[1][:-4]
    entries = {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        report.add("AK206", f"{path} is not UTF-8", path=path)
        return entries
    lines, problems = bagit.parse_manifest(text, alg)
    for problem in problems:
        report.add("AK206", f"{path} {problem.message}", path=path, found=problem.found,
                   severity=ERROR if problem.line else WARNING)
    for line in lines:
        reason = unsafe_name_reason(line.path, depth)
        if reason:
            report.add("AK104", f"{path} line {line.line} names an unsafe path ({reason})",
                       path=path, found=line.path[:200])
            continue
        if line.path in entries:
            report.add("AK206", f"{path} lists {line.path} twice", path=path)
        entries[line.path] = line.digest
    return entries


def check_payload(view: BagView, report: Report, parallel_hashing: bool = True) -> None:
    """Every payload byte read once: manifest digests, Payload-Oxum and the WARC scan."""
    reader = view.reader
    payload_files = [p for p in reader.files() if p.startswith("data/")]
    for alg, entries in view.manifests.items():
        for path in sorted(set(payload_files) - set(entries)):
            report.add("AK202", f"{path} is not listed in manifest-{alg}.txt", path=path)
        for path in sorted(set(entries) - set(payload_files)):
            report.add("AK201", f"{path} is listed in manifest-{alg}.txt but missing", path=path)
        for path in entries:
            if not path.startswith("data/"):
                report.add("AK206", f"manifest-{alg}.txt lists {path}, outside data/", path=path)
    total = 0
    for path in payload_files:
        also = next((algs for folder, algs in view.also_hash.items() if path.startswith(folder)),
                    ())
        hashes = {alg: hashlib.new(alg) for alg in (*view.manifests, *also)}
        entry = reader.entries.get(path)
        is_warc = path == layout.WARC_PATH
        # A user's WARC is scanned in the same read; its findings are judged later,
        # against what the descriptor says was known and accepted at capture.
        users_warc = layout.is_web_archive(path) and ".warc" in path.lower()
        # For a large WARC, a second thread does the hashing (manifests and the blocks
        # of large records) while this one reads, inflates and parses.
        pipe = HashPipe() if (parallel_hashing and (is_warc or users_warc) and entry
                              and entry.size > PARALLEL_FROM) else None
        scanner = WarcScanner(pipe=pipe, budget=reader.budget, path=path,
                              gzipped=path.lower().endswith(".gz")) \
            if (is_warc or users_warc) else None
        size = stream_file(reader, path, hashes, scanner, pipe, report)
        if size is None:
            continue
        total += size
        if scanner:
            scanner.close()
            if is_warc:
                view.scan = scanner
                report.findings.extend(scanner.findings)
            else:
                view.archives[path] = scanner
        if also:
            view.digests[path] = (size, {alg: hashes[alg].hexdigest() for alg in also})
        for alg, digest in hashes.items():
            expected = view.manifests.get(alg, {}).get(path)
            if expected and expected != digest.hexdigest():
                report.add("AK203", f"{path}: {alg} digest does not match manifest-{alg}.txt",
                           path=path, expected=expected, found=digest.hexdigest())
    oxum = view.info("Payload-Oxum")
    if oxum is not None:
        actual = f"{total}.{len(payload_files)}"
        if oxum.strip() != actual:
            report.add("AK204", "Payload-Oxum disagrees with the payload", path="bag-info.txt",
                       expected=oxum, found=actual)


def stream_file(reader, path, hashes, scanner, pipe, report) -> int | None:
    """Read `path` once, feeding the manifest digests and the WARC scanner."""
    size = 0
    try:
        with reader.open(path) as handle:
            while chunk := handle.read(CHUNK):
                size += len(chunk)
                if pipe:
                    pipe.submit(_update_all, hashes, chunk)
                else:
                    _update_all(hashes, chunk)
                if scanner:
                    scanner.feed(chunk)
    except LimitExceeded:
        raise
    except Exception as exc:  # zip CRC errors, I/O errors, tar truncation: all findings
        report.add("AK207", f"cannot read {path}: {type(exc).__name__}: {exc}", path=path)
        return None
    finally:
        if pipe:
            pipe.finish()
    return size


def _update_all(hashes: dict, chunk: bytes) -> None:
    for digest in hashes.values():
        digest.update(chunk)


def check_tag_files(view: BagView, report: Report) -> None:
    """Every tag file against the tag manifests, and every tag file covered by one."""
    reader = view.reader
    tag_files = [p for p in reader.files() if not p.startswith("data/")]
    covered = set()
    for alg, entries in view.tag_manifests.items():
        for path, expected in entries.items():
            covered.add(path)
            if layout.is_tag_manifest(path) or path.startswith(layout.SIGNATURES_DIR):
                report.add("AK206", f"tagmanifest-{alg}.txt lists {path}, which it cannot "
                           "cover", path=path)
                continue
            data = view.read_tag(path, report)
            if data is None:
                if path not in reader.entries:   # unreadable ones are reported as AK207
                    report.add("AK201", f"{path} is listed in tagmanifest-{alg}.txt but missing",
                               path=path)
                continue
            found = hashlib.new(alg, data).hexdigest()
            if found != expected:
                report.add("AK205", f"{path}: {alg} digest does not match "
                           f"tagmanifest-{alg}.txt", path=path, expected=expected, found=found)
        for path in REQUIRED_TAG_FILES:
            if path in reader.entries and path not in entries:
                report.add("AK107", f"{path} is not covered by tagmanifest-{alg}.txt", path=path)
    for path in tag_files:
        if path in covered or layout.is_tag_manifest(path):
            continue
        if path.startswith(layout.SIGNATURES_DIR):
            if not (layout.SEAL_NAME.match(path) or layout.SEAL_COMPANION.match(path)):
                report.add("AK513", f"{path} is not a seal; it is ignored and proves nothing",
                           path=path)
            continue
        report.add("AK107", f"{path} is not covered by the tag manifests: it was added "
                   "after sealing, and is ignored", path=path)
    for path in reader.files():
        if layout.is_tag_manifest(path) and path not in {
                layout.tagmanifest_path(a) for a in layout.ALGORITHMS}:
            report.add("AK107", f"{path} is a tag manifest for an algorithm this format "
                       "does not use", path=path, severity=WARNING)
