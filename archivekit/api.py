"""The public API: capture a clipping into a sealed package; verify packages.

The command line is a face on these; everything here is also importable as `archivekit.X`.
See docs/api.md for a worked example.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from os import PathLike
from pathlib import Path

from archivekit._internal.limits import Limits
from archivekit._internal.timeutil import utc_now
from archivekit.package.writer import PackageSpec
from archivekit.trust.truststore import TrustStore
from archivekit.trust.signer import Signer
from archivekit.verify import Report, VerificationPolicy, Verifier

Location = str | PathLike


def _spec(signer: Signer, catalog, collection, operator, organization, container,
          tsa_url) -> PackageSpec:
    return PackageSpec.sealed_by(signer, tsa_url, organization=organization,
                                 catalog=dict(catalog or {}), collection=collection,
                                 operator=operator, container=container)


def capture_file(source: Location, out_dir: Location, signer: Signer, *,
                 url: str | None = None, catalog: dict | None = None,
                 collection: str | None = None, operator: str | None = None,
                 organization: str | None = None, container: str = "dir",
                 tsa_url: str | None = None, accept_damaged: bool = False,
                 limits: Limits | None = None) -> Path:
    """Capture `source` into a new package in `out_dir`, sealed by `signer`; return the
    package's path. As the command line does: a folder holding bagit.txt is a BagIt bag,
    checked by RFC 8493 and kept whole below data/bag/; a web archive (.warc, .warc.gz,
    .arc, .arc.gz, .wacz) is checked record by record and kept whole with a CDXJ index;
    an http(s) address is fetched (capture_url takes the web options); anything else is
    a file (a text clipping, a saved page, a PDF, an image).

    `url`: a file's article address. `catalog`: the cataloguer's fields. `container`:
    "dir", "zip" or "tar". `tsa_url`: an RFC 3161 authority to timestamp the seal.
    `accept_damaged`: keep a web archive that fails its checks, its errors recorded.
    `limits`: the reading limits for checking a bag (default Limits()).
    Raises an `ArchivekitError` naming the problem (an invalid bag, a damaged web
    archive...); nothing is written then.
    """
    from archivekit.verify.intake import capture, read_source
    intake = read_source(source, url=url, limits=limits, accept_damaged=accept_damaged)
    spec = _spec(signer, catalog, collection, operator, organization, container, tsa_url)
    return capture(intake, Path(out_dir), spec)


def capture_url(url: str, out_dir: Location, signer: Signer, *, timeout: float = 30.0,
                max_bytes: int = 50 << 20, user_agent: str | None = None,
                verify_tls: bool = True, allow_http_errors: bool = False,
                catalog: dict | None = None, collection: str | None = None,
                operator: str | None = None, organization: str | None = None,
                container: str = "dir", tsa_url: str | None = None) -> Path:
    """Fetch `url` (following redirects, every hop recorded) into a new package in
    `out_dir`, sealed by `signer`; return the package's path.

    `timeout`: seconds per hop; `max_bytes`: the largest answer accepted;
    `verify_tls=False` records a site whose certificate is not trusted, and says so in the
    package; `allow_http_errors` archives a 4xx/5xx answer instead of refusing it.
    """
    from archivekit.capture.web import USER_AGENT, WebOptions, check_url
    from archivekit.verify.intake import Intake, capture
    check_url(url)
    spec = _spec(signer, catalog, collection, operator, organization, container, tsa_url)
    options = WebOptions(timeout, max_bytes, user_agent or USER_AGENT, verify_tls,
                         allow_http_errors)
    return capture(Intake(url, url), Path(out_dir), spec, options)


def verify(package: Location, trust: TrustStore,
           policy: VerificationPolicy = VerificationPolicy(), *,
           clock: Callable[[], datetime] = utc_now) -> Report:
    """Every finding about one package (a folder, .zip, .tar or exported .wacz), judged
    by the keys in `trust`. Never raises on a bad package: every defect is a finding."""
    return Verifier(trust, clock).verify(package, policy)


def verify_many(packages: Iterable[Location], trust: TrustStore,
                policy: VerificationPolicy = VerificationPolicy(), *,
                workers: int | None = None, progress: Callable[[int, int], None] | None = None,
                clock: Callable[[], datetime] = utc_now) -> list[Report]:
    """Reports for `packages`, in their order, on up to `workers` cores (default: the
    machine's, at most 4). `progress(done, total)` is called as reports arrive."""
    return Verifier(trust, clock).verify_many(list(packages), policy, workers, progress)
