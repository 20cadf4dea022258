"""verify_package: open, run every check, collect every finding. Never raises."""

from archivekit.verify.bag import (BagView, check_payload, check_structure, check_tag_files,
                                   open_reporting)
from archivekit.verify.descriptor import check_descriptor
from archivekit.verify.findings import Report
from archivekit.verify.policy import VerificationPolicy
from archivekit.verify.provenance import check_provenance
from archivekit.verify.records import check_records
from archivekit.verify.seals import check_seals
from archivekit.verify.archives import check_web_archives


def verify_package(location, policy: VerificationPolicy) -> Report:
    report = Report(str(location))
    reader = open_reporting(location, report)
    if reader is None:
        return report
    with reader:
        try:
            view = BagView(reader)
            check_structure(view, report)
            check_payload(view, report, policy.parallel_hashing)
            check_tag_files(view, report)
            check_records(view, report)
            descriptor = check_descriptor(view, report)
            check_web_archives(view, descriptor, report)
            seals = check_seals(view, descriptor, policy, report)
            check_provenance(view, descriptor, seals, policy, report)
        except Exception as exc:  # a verifier defect must still end as a finding
            report.add("AK199", f"{type(exc).__name__}: {exc}")
    return report
