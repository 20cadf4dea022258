"""A WACZ checked by its own rules (WACZ 1.1.1), whoever made it.

Checked: datapackage.json (title, software, resources), every resource's sha256 and
size, that no other file hides in the zip unlisted, datapackage-digest.json against the
real sha256 of datapackage.json, the authsign signature over that hash, pages.jsonl,
and every WARC by the same scanner as our own.

The known weakness, said as a finding: an authsign signature signs only the hash string
in datapackage-digest.json. It binds pages.jsonl and the WARCs only through the hashes
datapackage.json lists, and only if a checker also compares the signed hash with the
real datapackage.json, which `wacz validate --verify-auth` does not: there an edited,
re-hashed pages.jsonl still "verifies". This check compares it (AK703).
"""

import base64
import contextlib
import hashlib
import os
import stat
import zipfile

from archivekit.formats import wacz
from archivekit.formats.digests import sha256_label
from archivekit._internal.fsutil import describe_mode, open_regular
from archivekit._internal.limits import Limits
from archivekit.package.reader import unsafe_name_reason
from archivekit.verify.bag import CHUNK
from archivekit.verify.findings import WARNING, Report
from archivekit.verify.records import record_findings
from archivekit.verify.warcscan import WarcScanner

SMALL_LIMIT = 64 << 20    # datapackage.json, the digest file, pages.jsonl


def is_wacz(location) -> bool:
    """A zip with datapackage.json at its top: a WACZ, whoever made it. Only a regular
    file is opened (a FIFO would block; a link is refused by the package reader)."""
    if not isinstance(location, (str, os.PathLike)):
        return False
    try:
        if not stat.S_ISREG(os.lstat(location).st_mode):
            return False
    except OSError:
        return False
    try:
        with zipfile.ZipFile(location) as archive:
            return wacz.DATAPACKAGE in archive.NameToInfo
    except wacz.ZIP_READ_ERRORS:
        return False


def describe(location) -> str:
    """'a WACZ made by ArchiveWeb.page 0.11.3, "Title"' for one line about a foreign WACZ."""
    try:
        with zipfile.ZipFile(location) as archive:
            package, _ = wacz.load_json(archive.read(wacz.DATAPACKAGE)[:SMALL_LIMIT])
    except wacz.ZIP_READ_ERRORS:
        package = None
    package = package or {}
    software = package.get("software")
    text = f"a WACZ {package.get('wacz_version') or ''}".rstrip()
    text += f" made by {software}" if isinstance(software, str) and software else \
        " made by an unknown tool"
    title = package.get("title")
    if isinstance(title, str) and title:
        text += f', "{title[:80]}"'
    return text


def check_wacz(location, sealed: bool = False, limits: Limits | None = None) -> Report:
    """Every finding about the WACZ at `location` (a path or an open file), read within
    `limits` (default Limits()). Never raises. `sealed`: it carries archivekit's seal
    (checked apart), so the lack of an authsign signature is no news."""
    report = Report(str(location))
    try:
        with _open(location) as handle, zipfile.ZipFile(handle) as archive:
            _Wacz(archive, report, sealed, limits or Limits()).check()
    except _NotAFile as exc:
        report.add("AK100", f"{location}: {exc}")
    except wacz.ZIP_READ_ERRORS as exc:
        report.add("AK100", f"{location}: not a readable zip file: {type(exc).__name__}: {exc}")
    except Exception as exc:  # a verifier defect must still end as a finding
        report.add("AK199", f"{type(exc).__name__}: {exc}")
    return report


class _NotAFile(Exception):
    """The path names a link, a folder, a FIFO or a device: not a WACZ to open."""


def _open(location):
    """An open file of the WACZ at `location` (a path), or `location` itself when it is
    already open. As for a package, a link is not followed and only a regular file is
    read: zipfile on a FIFO waits for a writer for ever."""
    if not isinstance(location, (str, os.PathLike)):
        return contextlib.nullcontext(location)
    mode = os.lstat(location).st_mode
    if stat.S_ISLNK(mode):
        raise _NotAFile("is a symbolic link; name the WACZ itself")
    if not stat.S_ISREG(mode):
        raise _NotAFile(f"is {describe_mode(mode)}; a WACZ is a regular file")
    return open_regular(location, follow_links=False)


class _Wacz:
    def __init__(self, archive: zipfile.ZipFile, report: Report, sealed: bool,
                 limits: Limits):
        self.archive = archive
        self.report = report
        self.sealed = sealed
        self.limits = limits
        self.members: dict[str, zipfile.ZipInfo] = {}

    def add(self, code, message, **details):
        self.report.add(code, message, **details)

    def warn(self, code, message, **details):
        self.report.add(code, message, severity=WARNING, **details)

    def check(self) -> None:
        self._list()
        package = self._datapackage()
        if package is None:
            return
        listed = self._resources(package)
        self._unlisted(listed)
        self._digest()
        self._pages(listed)
        for path in sorted(p for p in self.members if p.startswith(wacz.ARCHIVE_DIR)
                           and ".warc" in p.lower()):
            self._scan(path)

    def _list(self) -> None:
        limits = self.limits
        for info in self.archive.infolist()[: limits.entries + 1]:
            name = info.filename
            reason = unsafe_name_reason(name)   # first: is_dir() fails on an empty name
            if name.endswith("/"):
                continue
            if reason:
                self.add("AK104", f"unsafe path ({reason}); not read", path=name[:200])
            elif info.file_size > limits.expansion * info.compress_size + \
                    limits.expansion_allowance:
                self.add("AK108", f"entry would expand to {info.file_size} bytes; not read",
                         path=name)
            elif name in self.members:
                self.add("AK106", "the zip holds this name twice", path=name)
            else:
                self.members[name] = info
        if len(self.archive.infolist()) > limits.entries:
            self.add("AK108", f"more than {limits.entries} entries; the rest not read")

    def _stream(self, path: str, take) -> bool:
        """Feed `take` the member's bytes; a member that cannot be read is a finding."""
        try:
            with self.archive.open(self.members[path]) as handle:
                while chunk := handle.read(CHUNK):
                    take(chunk)
            return True
        except wacz.ZIP_READ_ERRORS as exc:
            self.add("AK207", f"cannot read {path}: {type(exc).__name__}: {str(exc)[:160]}",
                     path=path)
            return False

    def _read_small(self, path: str) -> bytes | None:
        if path not in self.members:
            return None
        if self.members[path].file_size > SMALL_LIMIT:
            self.add("AK108", f"{path} is larger than {SMALL_LIMIT} bytes; not read", path=path)
            return None
        parts = []
        if not self._stream(path, parts.append):
            return None
        data = b"".join(parts)
        if len(data) > SMALL_LIMIT:
            self.add("AK108", f"{path} is larger than {SMALL_LIMIT} bytes; not read", path=path)
            return None
        return data

    def _datapackage(self) -> dict | None:
        data = self._read_small(wacz.DATAPACKAGE)
        if data is None:
            self.add("AK701", "datapackage.json is missing: this is not a WACZ",
                     path=wacz.DATAPACKAGE)
            return None
        self.datapackage_bytes = data
        package, problem = wacz.load_json(data)
        if package is None or not isinstance(package.get("resources"), list):
            self.add("AK701", f"datapackage.json is {problem or 'without a resources list'}",
                     path=wacz.DATAPACKAGE)
            return None
        facts = {k: package.get(k) for k in ("title", "software", "created", "wacz_version",
                                               "mainPageUrl") if isinstance(package.get(k), str)}
        self.report.facts["wacz"] = facts
        if package.get("wacz_version") not in (None, wacz.WACZ_VERSION, "1.1.0", "1.0.0"):
            self.warn("AK701", f"WACZ version {package.get('wacz_version')!r} is not one this "
                      "checker knows", path=wacz.DATAPACKAGE)
        return package

    def _resources(self, package: dict) -> set[str]:
        listed = set()
        for index, resource in enumerate(package["resources"]):
            where = f"resources[{index}]"
            if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
                self.add("AK701", f"datapackage.json {where} has no path", path=wacz.DATAPACKAGE)
                continue
            path = resource["path"]
            listed.add(path)
            if path not in self.members:
                self.add("AK702", f"{path} is listed in datapackage.json but missing", path=path)
                continue
            digest, sizes = hashlib.sha256(), []
            if not self._stream(path, lambda chunk: (digest.update(chunk),
                                                     sizes.append(len(chunk)))):
                continue
            size = sum(sizes)
            found = "sha256:" + digest.hexdigest()
            if resource.get("hash") != found:
                self.add("AK702", f"{path}: sha256 differs from datapackage.json", path=path,
                         expected=str(resource.get("hash")), found=found)
            if resource.get("bytes") not in (None, size):
                self.add("AK702", f"{path}: size differs from datapackage.json", path=path,
                         expected=str(resource.get("bytes")), found=str(size))
        return listed

    def _unlisted(self, listed: set[str]) -> None:
        own = {wacz.DATAPACKAGE, wacz.DIGEST}
        for path in sorted(set(self.members) - listed - own):
            if path.startswith(wacz.ARCHIVEKIT_DIR):
                continue   # archivekit's seal and proofs: checked as a package, not here
            self.warn("AK705", f"{path} is not listed in datapackage.json: no hash and no "
                      "signature covers it", path=path)

    def _digest(self) -> None:
        data = self._read_small(wacz.DIGEST)
        if data is None:
            if not self.sealed:
                self.warn("AK705", "the WACZ is not signed (no datapackage-digest.json)")
            return
        digest, problem = wacz.load_json(data)
        if digest is None:
            self.add("AK703", f"datapackage-digest.json is {problem}", path=wacz.DIGEST)
            return
        actual = sha256_label(self.datapackage_bytes)
        if digest.get("hash") != actual:
            self.add("AK703", "datapackage.json has changed since its digest was made: its "
                     "resource hashes (pages.jsonl's among them) are not the ones recorded, "
                     "or signed (wacz validate does not check this)", path=wacz.DIGEST,
                     expected=str(digest.get("hash")), found=actual)
        signed = digest.get("signedData")
        if not isinstance(signed, dict):
            if self.sealed:
                return
            self.warn("AK705", "the WACZ is not signed (datapackage-digest.json has no "
                      "signedData)", path=wacz.DIGEST)
            return
        if signed.get("hash") != digest.get("hash"):
            self.add("AK703", "the signature signs another hash than datapackage-digest.json "
                     "records", path=wacz.DIGEST, expected=str(digest.get("hash")),
                     found=str(signed.get("hash")))
        self._signature(signed, actual)

    def _signature(self, signed: dict, actual: str) -> None:
        try:
            key, who = _signing_key(signed)
            ok = _verify(key, signed["signature"], signed["hash"])
        except Exception as exc:   # malformed keys, certificates, base64: all findings
            self.add("AK704", f"the WACZ signature cannot be checked: {type(exc).__name__}: "
                     f"{str(exc)[:160]}", path=wacz.DIGEST)
            return
        if not ok:
            self.add("AK704", "the WACZ signature does not verify", path=wacz.DIGEST)
            return
        self.report.facts.setdefault("wacz", {})["signed_by"] = who
        self.warn("AK705", f"signed by {who}; an authsign signature signs datapackage.json's "
                  "hash only: pages.jsonl and the WARCs are bound only through the hashes it "
                  "lists, which were compared here" + ("" if signed.get("hash") == actual else
                                                       " and do NOT match what was signed"),
                  path=wacz.DIGEST)

    def _pages(self, listed: set[str]) -> None:
        data = self._read_small(wacz.PAGES)
        if data is None:
            self.add("AK706", "pages/pages.jsonl is missing", path=wacz.PAGES)
            return
        pages, problems = wacz.parse_pages(data.decode("utf-8", "replace"))
        for problem in problems[:20]:
            self.add("AK706", f"pages.jsonl {problem}", path=wacz.PAGES)
        self.report.facts.setdefault("wacz", {})["pages"] = len(pages)
        if wacz.PAGES not in listed:
            self.warn("AK705", "pages.jsonl is not listed in datapackage.json: no signature "
                      "binds it; its pages and titles can be changed unnoticed", path=wacz.PAGES)

    def _scan(self, path: str) -> None:
        scanner = WarcScanner(path=path, gzipped=path.lower().endswith(".gz"))
        if not self._stream(path, scanner.feed):
            return
        scanner.close()
        self.report.findings.extend(scanner.findings + record_findings(scanner, path, own=False))


def _signing_key(signed: dict):
    """The public key an authsign signature names, and who it says it is."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    if signed.get("publicKey"):
        key = load_der_public_key(base64.b64decode(signed["publicKey"]))
        return key, "a key the WACZ itself carries (it shows the archive is unchanged " \
                    "since that key signed it, not who signed it)"
    certificates = x509.load_pem_x509_certificates(signed["domainCert"].encode("ascii"))
    for child, parent in zip(certificates, certificates[1:]):
        child.verify_directly_issued_by(parent)
    domain = signed.get("domain") or "an unnamed domain"
    return certificates[0].public_key(), (f"the domain {domain} (its certificate chain was "
                                          "not checked against trusted roots here)")


def _verify(key, signature: str, text: str) -> bool:
    """authsign signs the ASCII hash string with ECDSA and SHA-256: DER signatures from
    authsign, raw r||s (WebCrypto's form) from ArchiveWeb.page."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    raw = base64.b64decode(signature)
    candidates = [raw]
    if len(raw) % 2 == 0:
        half = len(raw) // 2
        candidates.append(encode_dss_signature(int.from_bytes(raw[:half], "big"),
                                               int.from_bytes(raw[half:], "big")))
    for candidate in candidates:
        try:
            key.verify(candidate, text.encode("ascii"), ec.ECDSA(hashes.SHA256()))
            return True
        except (InvalidSignature, ValueError):
            continue
    return False
