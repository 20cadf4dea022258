"""The verifier: a trust store and a clock, verifying one package (checks.py) or many
(parallel.py). Never raises on a bad package."""

from collections.abc import Callable
from datetime import datetime

from archivekit._internal.timeutil import utc_now
from archivekit.trust.truststore import TrustStore
from archivekit.verify.checks import verify_package
from archivekit.verify.findings import Report
from archivekit.verify.parallel import default_workers, verify_many
from archivekit.verify.policy import Grounds, VerificationPolicy


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
        """Every finding about one package (a folder, .zip, .tar or exported .wacz)."""
        return verify_package(package, self.grounds(policy))

    def verify_many(self, packages, policy: VerificationPolicy = VerificationPolicy(),
                    workers: int | None = None, progress=None) -> list[Report]:
        """Reports in the order of `packages`, on up to `workers` cores (default: the
        machine's, at most 4). `progress(done, total)` is called as reports arrive."""
        return verify_many([str(p) for p in packages], self.grounds(policy),
                           workers or default_workers(), progress)
