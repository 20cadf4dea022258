"""archivekit: preserve news clippings as sealed, verifiable packages.

The whole flow, capture to verification::

    import archivekit as ak
    signer = ak.Signer.generate("reading-room")
    package = ak.capture_file("clipping.txt", "archive", signer)
    report = ak.verify(package, ak.TrustStore.in_memory(signer.key))
    print(report.verified, [finding.code for finding in report.findings])

docs/api.md walks through it; docs/architecture.md says where everything lives.
"""

import importlib
import sys
import types
from typing import TYPE_CHECKING

from archivekit._internal.software import SOFTWARE, __version__

# Where each public name lives. They are imported on first use, so that `archivekit
# --help` (which imports this package first) does not pay for the whole library.
_HOMES = {
    "capture_file": "archivekit.api",
    "capture_url": "archivekit.api",
    "verify": "archivekit.api",
    "verify_many": "archivekit.api",
    "Verifier": "archivekit.verify",
    "VerificationPolicy": "archivekit.verify",
    "Report": "archivekit.verify",
    "Finding": "archivekit.verify",
    "TrustStore": "archivekit.trust.truststore",
    "Signer": "archivekit.trust.signer",
    "Collection": "archivekit.collection.store",
    "ArchivekitError": "archivekit.errors",
}

__all__ = ["SOFTWARE", "__version__", *_HOMES]


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'archivekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    def __setattr__(self, name, value):
        # Importing the subpackage archivekit.verify binds it here, over the function
        # `verify`: `archivekit.verify` stays the function (the subpackage is imported by
        # its full name, `from archivekit.verify import Report`).
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


if TYPE_CHECKING:   # what type checkers and editors see
    from archivekit.api import capture_file, capture_url, verify, verify_many
    from archivekit.collection.store import Collection
    from archivekit.errors import ArchivekitError
    from archivekit.trust.truststore import TrustStore
    from archivekit.trust.signer import Signer
    from archivekit.verify import Finding, Report, VerificationPolicy, Verifier
