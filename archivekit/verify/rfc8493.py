"""Any BagIt bag, judged by RFC 8493 alone (not by archivekit's own package format).

A bag is valid when bagit.txt declares a version and an encoding, every tag file reads
in that encoding, every payload file is listed in every payload manifest, every listed
file is present (fetch.txt names files still to fetch: the bag is then incomplete), and
every digest of every manifest and tag manifest matches. Payload-Oxum, when given, must
agree. What the RFC allows but a careful archivist would want to know (a leading './',
md5sum's '*', a name listed twice with one digest in a bag older than 1.0, names that
differ only by case or Unicode normalisation) is a warning.

Agreement with the Library of Congress conformance suite is tested over the whole suite
(tests/verify/test_rfc8493.py).
"""

import hashlib
import unicodedata

from archivekit._internal.limits import LimitExceeded

from archivekit.formats import bagit
from archivekit.package.reader import PackageReader, unsafe_name_reason
from archivekit.verify.bag import open_reporting, stream_file
from archivekit.verify.findings import WARNING, Report


def check_bag(location, limits=None) -> Report:
    """Every finding about the bag at `location` (a folder, .zip or .tar), read within
    `limits` (default Limits()). Never raises."""
    report = Report(str(location))
    reader = open_reporting(location, report, limits)
    if reader is None:
        return report
    with reader:
        check_bag_in(reader, report)
    return report


def check_bag_in(reader: PackageReader, report: Report, known: dict | None = None) -> None:
    """Every finding about the bag `reader` reads, into `report`. Never raises. `known`:
    payload files already read by the caller, path -> (size, {algorithm: hex digest});
    they are not read again when they hold every digest the manifests ask for."""
    try:
        _Bag(reader, report, known or {}).check()
    except LimitExceeded as exc:   # the budget is spent: what is left stays unchecked
        report.add("AK108", f"{exc}; the rest of the bag was not checked")
    except Exception as exc:  # a verifier defect must still end as a finding
        report.add("AK199", f"{type(exc).__name__}: {exc}")


class _Bag:
    def __init__(self, reader: PackageReader, report: Report, known: dict):
        self.reader = reader
        self.report = report
        self.known = known
        self.files = set(reader.files())
        # Names are compared after NFC normalisation, as bagit-python does: a name
        # written NFD in a manifest made on a Mac names the same file on Linux.
        self.by_nfc = {unicodedata.normalize("NFC", p): p for p in self.files}
        self.encoding = "utf-8"
        self.version = (1, 0)
        self.excused: set[str] = set()   # listed, absent, and only warned about

    def add(self, code, message, **details):
        self.report.add(code, message, **details)

    def warn(self, code, message, **details):
        self.report.add(code, message, severity=WARNING, **details)

    def check(self) -> None:
        if not self._declaration():
            return
        self._bag_info()
        manifests = self._manifests("manifest")
        tag_manifests = self._manifests("tagmanifest")
        if not manifests:
            self.add("AK103", "the bag has no payload manifest (manifest-<algorithm>.txt)")
        if "data" not in self.reader.entries and not any(p.startswith("data/") for p in self.files):
            self.add("AK103", "the bag has no payload directory data/", path="data/")
        fetch = self._fetch(manifests)
        self._payload(manifests, fetch)
        self._tag_files(tag_manifests)

    def _declaration(self) -> bool:
        data = self._read("bagit.txt")
        if data is None:
            self.add("AK101", "bagit.txt is missing: this is not a BagIt bag", path="bagit.txt")
            return False
        declaration, problems = bagit.parse_declaration(data)
        for problem in problems:
            self.add("AK102", problem.message, path="bagit.txt", found=problem.found)
        if declaration is None:
            return False
        self.encoding, self.version = declaration.encoding, declaration.version
        self.report.facts["bagit"] = {"version": declaration.version_text,
                                      "encoding": declaration.encoding}
        return True

    def _read(self, path: str) -> bytes | None:
        entry = self.reader.entries.get(path)
        if entry is None or entry.kind != "file":
            return None
        try:
            return self.reader.read(path)
        except LimitExceeded:   # not damage: the check stops, as a package's does (AK108)
            raise
        except Exception as exc:  # zip CRC errors, tar truncation, I/O: all findings
            self.add("AK207", f"cannot read {path}: {exc}", path=path)
            return None

    def _text(self, path: str) -> str | None:
        data = self._read(path)
        if data is None:
            return None
        try:
            return bagit.decode_tag_file(data, self.encoding)
        except UnicodeDecodeError as exc:
            self.add("AK102", f"{path} is not in the declared encoding {self.encoding} "
                     f"(byte {exc.start})", path=path)
            return None

    def _bag_info(self) -> None:
        for name in bagit.BAG_INFO_NAMES:
            text = self._text(name)
            if text is None:
                continue
            fields, problems = bagit.parse_fields(text)
            for problem in problems:
                self.add("AK109", f"{name} {problem.message}", path=name, found=problem.found)
            self.report.facts["bag_info"] = fields
            return

    def _manifests(self, kind: str) -> dict[str, dict[str, str]]:
        """{algorithm: {path: digest}} of every manifest of this kind."""
        found = {}
        for path in sorted(self.files):
            named = bagit.manifest_algorithm(path)
            if not named or named[0] != kind:
                continue
            algorithm = named[1]
            if bagit.digest_length(algorithm) is None:
                self.warn("AK206", f"{path} uses an algorithm this verifier does not know; "
                          "it was not checked", path=path)
                continue
            text = self._text(path)
            if text is not None:
                found[algorithm] = self._manifest_entries(path, text, algorithm, kind)
        return found

    def _manifest_entries(self, path, text, algorithm, kind) -> dict[str, str]:
        lines, problems = bagit.parse_manifest(text, algorithm)
        for problem in problems:
            if problem.line is None:
                self.warn("AK206", f"{path}: {problem.message}", path=path)
            else:
                self.add("AK206", f"{path} {problem.message}", path=path, found=problem.found)
        entries: dict[str, str] = {}
        for line in lines:
            name = unicodedata.normalize("NFC", line.path)
            reason = unsafe_name_reason(line.path) or _outside(line.path, kind)
            if reason:
                self.add("AK104", f"{path} line {line.line} names an unsafe path: {reason}",
                         path=path, found=line.written[:200])
                continue
            if line.written.startswith("./"):
                self.warn("AK206", f"{path} line {line.line} writes its path with a leading "
                          "'./'", path=path, found=line.written[:200])
            if name in entries:
                self._listed_twice(path, line, name, entries[name])
                continue
            entries[name] = line.digest
        return entries

    def _listed_twice(self, path, line, name, earlier) -> None:
        same_name = "" if line.path == name else " (under another Unicode normalisation)"
        if earlier != line.digest:
            self.add("AK206", f"{path} lists {name} twice{same_name}, with different digests",
                     path=path, expected=earlier, found=line.digest)
        elif self.version >= (1, 0) and not same_name:
            # RFC 8493 §2.1.3: a payload manifest lists each file once.
            self.add("AK206", f"{path} lists {name} twice", path=path)
        else:
            self.warn("AK206", f"{path} lists {name} twice{same_name}, with the same digest",
                      path=path)

    def _fetch(self, manifests) -> set[str]:
        """The files fetch.txt says are to be fetched."""
        text = self._text("fetch.txt")
        if text is None:
            return set()
        lines, problems = bagit.parse_fetch(text)
        for problem in problems:
            self.add("AK206", f"fetch.txt {problem.message}", path="fetch.txt", found=problem.found)
        named = set()
        for line in lines:
            reason = unsafe_name_reason(line.path) or _outside(line.path, "manifest")
            if reason:
                self.add("AK104", f"fetch.txt line {line.line} names an unsafe path: {reason}",
                         path="fetch.txt", found=line.path[:200])
                continue
            name = unicodedata.normalize("NFC", line.path)
            for algorithm, entries in manifests.items():
                if name not in entries:
                    self.add("AK206", f"fetch.txt names {name}, which manifest-{algorithm}.txt "
                             "does not list", path="fetch.txt")
            named.add(name)
        return named

    def _payload(self, manifests, fetch: set[str]) -> None:
        payload = sorted(p for p in self.files if p.startswith("data/"))
        listed = set().union(*manifests.values()) if manifests else set()
        for path in payload:
            name = unicodedata.normalize("NFC", path)
            for algorithm, entries in manifests.items():
                if name not in entries:
                    self.add("AK202", f"{path} is not listed in manifest-{algorithm}.txt",
                             path=path)
            if bagit.SYSTEM_FILES.search(path):
                self.warn("AK107", f"{path} is a file an operating system leaves behind",
                          path=path)
        for name in sorted(listed - set(self.by_nfc)):
            self._absent(name, manifests, fetch)
        total, count = 0, 0
        for path in payload:
            name = unicodedata.normalize("NFC", path)
            needed = [a for a, entries in manifests.items() if name in entries]
            size, digests = self._digests(path, needed)
            if size is None:
                continue
            total, count = total + size, count + 1
            for algorithm, found in digests.items():
                expected = manifests[algorithm][name]
                if found != expected:
                    self.add("AK203", f"{path}: {algorithm} digest does not match "
                             f"manifest-{algorithm}.txt", path=path, expected=expected,
                             found=found)
        self._oxum(total, count)

    def _digests(self, path: str, algorithms: list[str]) -> tuple[int | None, dict[str, str]]:
        """(size, {algorithm: hex digest}) of a payload file: as the caller read it, else
        read now (size None when it cannot be read)."""
        size, known = self.known.get(path, (None, {}))
        if size is not None and all(a in known for a in algorithms):
            return size, {a: known[a] for a in algorithms}
        hashes = {a: hashlib.new(a) for a in algorithms}
        size = stream_file(self.reader, path, hashes, None, None, self.report)
        return size, {a: h.hexdigest() for a, h in hashes.items()}

    def _absent(self, name, manifests, fetch) -> None:
        """A listed file that is not in the bag."""
        if name in fetch:
            self.add("AK201", f"{name} is not in the bag yet: fetch.txt names it, so the bag "
                     "is incomplete until it is fetched", path=name)
            return
        twin = [p for n, p in self.by_nfc.items() if n.casefold() == name.casefold()]
        digests = {entries[name] for entries in manifests.values() if name in entries}
        if twin and all(self._digest_of(twin[0], a) == entries[name]
                        for a, entries in manifests.items() if name in entries):
            self.excused.add(name)
            self.warn("AK106", f"{name} is listed but the bag holds it as {twin[0]}: the "
                      "names differ only by case (a bag made on a case-insensitive file "
                      "system)", path=name)
        elif bagit.SYSTEM_FILES.search(name):
            self.excused.add(name)
            self.warn("AK201", f"{name} is listed but absent: a file an operating system "
                      "leaves behind, which copying tools drop", path=name,
                      expected=", ".join(sorted(digests)))
        else:
            self.add("AK201", f"{name} is listed in the manifests but missing", path=name)

    def _digest_of(self, path: str, algorithm: str) -> str | None:
        digest = hashlib.new(algorithm)
        return digest.hexdigest() if stream_file(self.reader, path, {"d": digest}, None, None,
                                             self.report) is not None else None

    def _oxum(self, total: int, count: int) -> None:
        values = bagit.field(self.report.facts.get("bag_info", []), "Payload-Oxum")
        if not values:
            return
        oxum = bagit.parse_oxum(values[0])
        if oxum is None:
            self.add("AK109", "Payload-Oxum is not 'octets.files'", path="bag-info.txt",
                     found=values[0][:100])
        elif oxum != (total, count):
            message, details = "Payload-Oxum disagrees with the payload", {
                "path": "bag-info.txt", "expected": values[0], "found": f"{total}.{count}"}
            if self.excused:   # the files warned about above explain it
                self.warn("AK204", message + " (by the files listed but absent, above)", **details)
            else:
                self.add("AK204", message, **details)

    def _tag_files(self, tag_manifests) -> None:
        for algorithm, entries in tag_manifests.items():
            for name, expected in sorted(entries.items()):
                path = self.by_nfc.get(name)
                data = self._read(path) if path else None
                if data is None:
                    if path is None:
                        self.add("AK201", f"{name} is listed in tagmanifest-{algorithm}.txt "
                                 "but missing", path=name)
                    continue
                found = hashlib.new(algorithm, data).hexdigest()
                if found != expected:
                    self.add("AK205", f"{name}: {algorithm} digest does not match "
                             f"tagmanifest-{algorithm}.txt", path=name, expected=expected,
                             found=found)


def _outside(path: str, kind: str) -> str | None:
    """Payload manifests and fetch.txt name files in data/; tag manifests, files outside it."""
    if path.startswith("~"):
        return "it starts with '~' (a home-folder shortcut)"
    if kind == "manifest" and not path.startswith("data/"):
        return "it is outside the payload directory data/"
    return None
