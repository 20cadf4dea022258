"""What the verifier believes: an explicit policy object, safe by default."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from archivekit._internal.limits import Limits
from archivekit.trust.keys import TrustStore
from archivekit._internal.timeutil import utc_now


@dataclass
class VerificationPolicy:
    trust: TrustStore
    now: datetime = field(default_factory=utc_now)
    # How far a seal's claimed time may run ahead of our clock before it is "in the future".
    clock_skew: timedelta = timedelta(minutes=5)
    require_seal: bool = True
    # Hash on a second thread beside the WARC scan (large files only): the manifests and
    # the blocks of large records. Off when every core already verifies a package.
    parallel_hashing: bool = True
    # A transparency-log checkpoint (signed note) the package must be shown to be in.
    log_checkpoint: str | None = None
    # What reading one package may cost (bytes inflated, entries, records, time).
    limits: Limits = field(default_factory=Limits)
