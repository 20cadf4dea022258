"""verify_package: open, run every check, collect every finding. Never raises."""

from archivekit._internal.limits import LimitExceeded
from archivekit.package.reader import PackageUnreadable, open_package
from archivekit.verify.bag import BagView, check_payload, check_structure, check_tag_files
from archivekit.verify.descriptor import check_descriptor
from archivekit.verify.findings import Report
from archivekit.verify.policy import VerificationPolicy
from archivekit.verify.provenance import check_provenance
from archivekit.verify.records import check_records
from archivekit.verify.seals import check_seals


def verify_package(location, policy: VerificationPolicy) -> Report:
    report = Report(str(location))
    try:
        reader = open_package(location, policy.limits)
    except PackageUnreadable as exc:
        report.add(exc.code, f"{location}: {exc}")
        return report
    except OSError as exc:
        report.add("AK100", f"{location}: cannot open: {exc.strerror or exc}")
        return report
    with reader:
        report.facts["container"] = reader.kind
        for problem in reader.problems:
            report.add(problem.code, problem.message, path=problem.path)
        try:
            view = BagView(reader)
            check_structure(view, report)
            check_payload(view, report, policy.parallel_hashing)
            check_tag_files(view, report)
            check_records(view, report)
            descriptor = check_descriptor(view, report)
            seals = check_seals(view, descriptor, policy, report)
            check_provenance(view, descriptor, seals, policy, report)
        except LimitExceeded as exc:   # the budget is spent: what is left stays unchecked
            report.add("AK108", f"{exc}; the rest of the package was not checked",
                       path=exc.what.split(":")[0] or None)
        except Exception as exc:  # a verifier defect must still end as a finding
            report.add("AK199", f"{type(exc).__name__}: {exc}")
    return report
