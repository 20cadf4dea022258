"""The gzip inflater the verifier uses.

ISA-L's (the `isal` package) when it is installed: it inflates about 2.7x faster than
the standard library's zlib on this project's machine, and inflating is most of the
time a WARC check takes. Both check every member's CRC-32 and length, and both have
zlib's API, so the scanner does not care which it has. `ARCHIVEKIT_INFLATE=zlib`
chooses the standard library (for comparison, or to rule ISA-L out).
"""

import functools
import os
import zlib

try:
    from isal import isal_zlib
except ImportError:   # no wheel for this platform: the standard library does the same job
    isal_zlib = None

BACKENDS = {"zlib": zlib}
if isal_zlib is not None:
    BACKENDS["isal"] = isal_zlib


def default_backend() -> str:
    """The inflater to use: $ARCHIVEKIT_INFLATE when it names one, else isal when installed,
    else zlib."""
    wanted = os.environ.get("ARCHIVEKIT_INFLATE", "")
    if wanted in BACKENDS:
        return wanted
    return "isal" if "isal" in BACKENDS else "zlib"


def member_inflaters(backend: str | None = None):
    """(start, long): factories of gzip-member decompressors. ISA-L inflates faster but
    is slower to start (6 µs against zlib's 4 per member), so zlib starts every member
    and one that outlasts its first window is restarted on `backend` (ISA-L unless
    told otherwise). Both raise `InflateError`."""
    module = BACKENDS[backend or default_backend()]
    return (functools.partial(zlib.decompressobj, zlib.MAX_WBITS + 16),
            functools.partial(module.decompressobj, zlib.MAX_WBITS + 16))


# ISA-L's error is not a zlib.error: catch either.
InflateError = (zlib.error,) + ((isal_zlib.error,) if isal_zlib is not None else ())


def describe(exc: Exception) -> str:
    """One wording for both libraries: zlib says 'incorrect data check', ISA-L
    'Incorrect checksum found'."""
    text = str(exc)
    return "CRC-32 mismatch" if ("data check" in text or "checksum" in text) else text
