"""What a verification asks of a package, and what it stands on.

A `VerificationPolicy` holds requirements only: small and frozen, it reaches every worker
process as it was made. Whom to trust and what time it is belong to the `Verifier`; how
many cores to use, to `verify_many`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from archivekit._internal.limits import Limits
from archivekit.trust.truststore import TrustStore


@dataclass(frozen=True)
class VerificationPolicy:
    """What a package must show to verify. The defaults are the safe ones."""
    # A package without a seal fails (AK501); off only to check unsealed drafts.
    require_seal: bool = True
    # How far a claimed time may run ahead of the verifier's clock before it is "in the
    # future" (AK604).
    clock_skew: timedelta = timedelta(minutes=5)
    # A transparency-log checkpoint (signed-note text) every seal must be shown to be in.
    log_checkpoint: str | None = None
    # What reading one package may cost (bytes inflated, entries, records, time).
    limits: Limits = Limits()


@dataclass(frozen=True)
class Grounds:
    """What one verification stands on, handed to every check: the keys it believes, the
    moment it judges at, and the policy's requirements."""
    trust: TrustStore
    now: datetime
    policy: VerificationPolicy
