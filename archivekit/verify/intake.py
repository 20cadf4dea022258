"""Before capture: what each source a user names is, read and checked; then captured.

An http(s) address is a web page (its form checked here, fetched at capture). A folder
holding bagit.txt is a bag another tool made: checked by RFC 8493, refused when invalid.
A web archive (.warc, .warc.gz, .arc, .arc.gz, .wacz, by its bytes or its name) is
checked record by record and refused when damaged, unless the damage is accepted.
Anything else is a file. Reading writes nothing, so a caller can read every source
before capturing any (the command line does); `capture` then makes one package.

This sits on the verify floor because a source is checked by the verifier's own checks
before it is kept.
"""

from dataclasses import dataclass
from pathlib import Path

from archivekit._internal.limits import Limits
from archivekit.capture.bags import BagSource, is_bag, read_bag
from archivekit.capture.files import FileSource, read_file_source
from archivekit.capture.web import WebOptions, check_url, fetch
from archivekit.capture.webarchive import WebArchiveSource, read_web_archive
from archivekit.errors import DamagedInput
from archivekit.package.build import capture_source
from archivekit.package.writer import PackageSpec
from archivekit.verify.archives import accepted_entries, check_file
from archivekit.verify.findings import Finding
from archivekit.verify.rfc8493 import check_bag

Source = FileSource | BagSource | WebArchiveSource | str   # str: a web address


@dataclass(frozen=True)
class Intake:
    """One source, read and checked, ready to capture.

    `source`: a FileSource, a BagSource, a WebArchiveSource, or a web address (str).
    `recorded`: what the package records of the check (a bag's warnings, a web archive's
    accepted damage). `notes`: the check's warnings, for the user. `accepted`: the errors
    of a damaged web archive captured on purpose."""

    name: str
    source: Source
    recorded: tuple[dict, ...] = ()
    notes: tuple[Finding, ...] = ()
    accepted: tuple[Finding, ...] = ()

    @property
    def kind(self) -> str:
        """"web" (a page to fetch), "file", "bag" or "webarchive"."""
        return "web" if isinstance(self.source, str) else self.source.kind


def is_web_address(name: str) -> bool:
    """Whether `name` is an http(s) address rather than a path."""
    return name.startswith(("http://", "https://"))


def read_source(name, *, url: str | None = None, limits: Limits | None = None,
                accept_damaged: bool = False) -> Intake:
    """Read and check the source `name` (a path or an http(s) address). `url`: a file's
    article address; `limits`: the reading limits for a bag's check; `accept_damaged`:
    keep a damaged web archive, its errors recorded. Raises an ArchivekitError naming the
    source and the problem (an invalid bag, a damaged web archive, a missing file)."""
    name = str(name)
    if is_web_address(name):
        check_url(name)
        return Intake(name, name)
    if is_bag(name):
        return _read_bag(name, limits)
    archive = read_web_archive(name)
    if archive is not None:
        return _read_web_archive(name, archive, accept_damaged)
    return Intake(name, read_file_source(name, url))


def capture(intake: Intake, out_dir: Path, spec: PackageSpec,
            web: WebOptions | None = None) -> Path:
    """Capture a source read by `read_source` into a new package in `out_dir`; return its
    path. A web page is fetched now, with `web`'s options (default WebOptions())."""
    source = fetch(intake.source, web or WebOptions()) if intake.kind == "web" else intake.source
    return capture_source(source, Path(out_dir), spec, list(intake.recorded))


def _read_bag(name: str, limits: Limits | None) -> Intake:
    report = check_bag(name, limits)
    notes = tuple(f for f in report.findings if f.severity != "error")
    if not report.verified:
        errors = report.errors
        listed = _listed(f"{f.code} {f.message}" + (f" [{f.path}]" if f.path and f.path
                                                     not in f.message else "")
                         for f in errors)
        if any(f.code == "AK108" for f in errors):   # the rest follows from what was not read
            raise DamagedInput(f"{name}: too large to check within the reading limits, not "
                               f"captured: {listed}", remedy="raise-limits")
        raise DamagedInput(f"{name}: not a valid BagIt bag, not captured: {listed}",
                           remedy="verify-bagit", subject=name)
    recorded = tuple({"code": f.code, "path": f.path, "message": f.message} for f in notes)
    return Intake(name, read_bag(name), recorded, notes)


def _read_web_archive(name: str, source: WebArchiveSource, accept_damaged: bool) -> Intake:
    report = check_file(source.path, source.format)
    notes = tuple(f for f in report.findings if f.severity != "error")
    errors = tuple(report.errors)
    if errors and not accept_damaged:
        what, listed = damage(source, errors)
        raise DamagedInput(f"{source.path}: {what}, not captured: {listed}",
                           remedy="accept-damaged")
    return Intake(name, source, tuple(accepted_entries(list(errors))), notes, errors)


def damage(source: WebArchiveSource, errors) -> tuple[str, str]:
    """What a web archive that failed its check is, in a few words, and its first
    findings."""
    what = "a damaged web archive" if source.looks_like else \
        f"named as a web archive (.{source.format}) but not one"
    return what, _listed(f"{f.code} {f.message}" + (f" ({f.record})" if f.record else "")
                         for f in errors)


def _listed(lines) -> str:
    lines = list(lines)
    more = f"; and {len(lines) - 3} more" if len(lines) > 3 else ""
    return "; ".join(lines[:3]) + more
