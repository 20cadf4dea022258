"""The verifier: open a package, run every check, collect every finding. Never raises."""

from collections.abc import Callable
from datetime import datetime

from archivekit._internal.limits import LimitExceeded
from archivekit.package.reader import PackageUnreadable, open_package
from archivekit.verify.bag import BagView, check_payload, check_structure, check_tag_files
from archivekit.verify.descriptor import check_descriptor
from archivekit.verify.findings import Report
from archivekit.verify.policy import Grounds, VerificationPolicy
from archivekit.verify.provenance import check_provenance
from archivekit.verify.records import check_records
from archivekit.verify.seals import check_seals
from archivekit.trust.keys import TrustStore
from archivekit._internal.timeutil import utc_now


class Verifier:
    """Verifies packages against one trust store.

    `clock` tells the time each verification judges at: claimed times beyond it are "in
    the future", and key validity is judged against it. Inject one to re-judge as of a
    given moment; the default is the system clock.
    """

    def __init__(self, trust: TrustStore, clock: Callable[[], datetime] = utc_now):
        self.trust = trust
        self.clock = clock

    def grounds(self, policy: VerificationPolicy) -> Grounds:
        """Trust, the clock's time now, and `policy`: what one verification stands on."""
        return Grounds(self.trust, self.clock(), policy)

    def verify(self, package, policy: VerificationPolicy = VerificationPolicy()) -> Report:
        """Every finding about one package (a folder, .zip or .tar)."""
        return verify_package(package, self.grounds(policy))

    def verify_many(self, packages, policy: VerificationPolicy = VerificationPolicy(),
                    workers: int | None = None, progress=None) -> list[Report]:
        """Reports in the order of `packages`, on up to `workers` cores (default: the
        machine's, at most 4). `progress(done, total)` is called as reports arrive."""
        from archivekit.verify.parallel import default_workers, verify_many
        return verify_many([str(p) for p in packages], self.grounds(policy),
                           workers or default_workers(), progress)


def verify_package(location, grounds: Grounds, parallel_hashing: bool = True) -> Report:
    """Every finding about the package at `location`. `parallel_hashing`: hash large
    files on a second thread (off when every core already verifies a package)."""
    report = Report(str(location))
    try:
        reader = open_package(location, grounds.policy.limits)
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
            check_payload(view, report, parallel_hashing)
            check_tag_files(view, report)
            check_records(view, report)
            descriptor = check_descriptor(view, report)
            seals = check_seals(view, descriptor, grounds, report)
            check_provenance(view, descriptor, seals, grounds, report)
        except LimitExceeded as exc:   # the budget is spent: what is left stays unchecked
            report.add("AK108", f"{exc}; the rest of the package was not checked",
                       path=exc.what.split(":")[0] or None)
        except Exception as exc:  # a verifier defect must still end as a finding
            report.add("AK199", f"{type(exc).__name__}: {exc}")
    return report
