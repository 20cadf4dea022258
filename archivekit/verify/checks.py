"""One package, every check in order: open it, run each check, collect every finding.
Never raises. (verifier.py holds the Verifier, which verifies one package or many;
parallel.py spreads many over processes.)"""

from archivekit._internal.limits import LimitExceeded
from archivekit.formats.wacz import ZIP_READ_ERRORS
from archivekit.package.wacz import WaczPackageReader, packages_in
from archivekit.verify.bag import (BagView, check_payload, check_structure, check_tag_files,
                                   foreign_bag, open_reporting, report_not_a_package)
from archivekit.verify.descriptor import check_descriptor
from archivekit.verify.findings import Report
from archivekit.verify.policy import Grounds
from archivekit.verify.provenance import check_provenance
from archivekit.verify.records import check_records
from archivekit.verify.seals import check_seals
from archivekit.verify.adopted import bag_algorithms, check_adopted_bags
from archivekit.verify.archives import check_web_archives
from archivekit.verify.wacz_rules import check_wacz, describe as describe_wacz, is_wacz


def verify_package(location, grounds: Grounds, parallel_hashing: bool = True) -> Report:
    """Every finding about the package at `location`. `parallel_hashing`: hash large
    files on a second thread (off when every core already verifies a package)."""
    report = Report(str(location))
    if is_wacz(location):
        return _verify_wacz(location, grounds, parallel_hashing, report)
    reader = open_reporting(location, report, grounds.policy.limits)
    if reader is None:
        return report
    with reader:
        made_by = foreign_bag(reader)
        if made_by:
            return _foreign(report, "bagit", made_by)
        if not report_not_a_package(reader, location, report):
            _check(reader, grounds, parallel_hashing, report)
    return report


def _check(reader, grounds: Grounds, parallel_hashing: bool, report: Report) -> None:
    try:
        view = BagView(reader)
        view.also_hash = bag_algorithms(reader)   # an adopted bag: its digests, in one read
        check_structure(view, report)
        check_payload(view, report, parallel_hashing)
        check_tag_files(view, report)
        check_records(view, report)
        descriptor = check_descriptor(view, report)
        check_web_archives(view, descriptor, report)
        check_adopted_bags(view, descriptor, report)
        seals = check_seals(view, descriptor, grounds, report)
        check_provenance(view, descriptor, seals, grounds, report)
    except LimitExceeded as exc:   # the budget is spent: what is left stays unchecked
        report.add("AK108", f"{exc}; the rest of the package was not checked",
                   path=exc.what.split(":")[0] or None)
    except Exception as exc:  # a verifier defect must still end as a finding
        report.add("AK199", f"{type(exc).__name__}: {exc}")


def _verify_wacz(location, grounds: Grounds, parallel_hashing: bool,
                 report: Report) -> Report:
    """A WACZ archivekit exported: the WACZ by its own rules, then each package it
    carries as the bag it was, seal and all. Another tool's WACZ is only named."""
    try:
        ids = packages_in(location)
    except ZIP_READ_ERRORS as exc:
        report.add("AK100", f"{location}: cannot read the WACZ: {type(exc).__name__}: {exc}")
        return report
    if not ids:
        return _foreign(report, "wacz", describe_wacz(location))
    outer = check_wacz(location, sealed=True, limits=grounds.policy.limits)
    report.findings.extend(outer.findings)
    report.facts.update(container="wacz", wacz=outer.facts.get("wacz"), packages=ids)
    for package_id in ids:
        inner = report if len(ids) == 1 else Report(f"{location}#{package_id}")
        try:
            reader = WaczPackageReader(location, package_id, grounds.policy.limits)
        except ZIP_READ_ERRORS as exc:
            report.add("AK100", f"{location}: cannot read package {package_id}: {exc}")
            continue
        with reader:
            for problem in reader.problems:
                inner.add(problem.code, problem.message, path=problem.path)
            _check(reader, grounds, parallel_hashing, inner)
        if inner is not report:
            for finding in inner.findings:
                finding.path = f"{package_id}/{finding.path}" if finding.path else package_id
            report.findings.extend(inner.findings)
            report.facts.setdefault("seals", []).extend(inner.facts.get("seals", []))
    return report


def _foreign(report: Report, kind: str, description: str) -> Report:
    """Another tool's bag or WACZ: named in one finding, not judged by our format's rules
    (which it was never meant to follow)."""
    report.facts["foreign"] = {"kind": kind, "description": description}
    report.add("AK114", f"{description}: not an archivekit package")
    return report
