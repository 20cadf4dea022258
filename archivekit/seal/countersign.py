"""Adding to a sealed package without touching what is sealed: a countersignature
(another seal over the same tag manifests) or an RFC 3161 timestamp for a seal.
Only `signatures/` changes, one new file at a time, each written atomically."""

from pathlib import Path

from archivekit.formats import seal
from archivekit.errors import InputError, NotVerified
from archivekit.formats import layout
from archivekit.trust.sealer import Sealer
from archivekit.trust.signer import Signer
from archivekit._internal.timeutil import format_time, utc_now
from archivekit.verify import Verifier


def _checked_folder(package: Path, verifier: Verifier):
    if not package.is_dir():
        raise InputError(f"{package}: seals can be added to folder packages only "
                         "(a .zip or .tar would have to be rewritten)")
    report = verifier.verify(package)
    if not report.verified:
        codes = ", ".join(sorted({f.code for f in report.errors}))
        raise NotVerified(f"{package} does not verify ({codes}); refusing to add to it")
    return report


def countersign(package: Path, signer: Signer, verifier: Verifier,
                tsa_url: str | None = None) -> list[Path]:
    """A further seal by `signer` over the same, verified, tag manifests."""
    package = Path(package)
    _checked_folder(package, verifier)
    tag_manifests = {layout.tagmanifest_path(a): (package / layout.tagmanifest_path(a)).read_bytes()
                     for a in layout.ALGORITHMS}
    oxum = next(line.split(":", 1)[1].strip() for line in
                (package / layout.BAG_INFO_PATH).read_text("utf-8").splitlines()
                if line.startswith("Payload-Oxum:"))
    numbers = [layout.seal_number(path) for path in layout.seal_paths(package)]
    name = layout.seal_path(max(numbers, default=0) + 1, signer.key.key_id)
    # The authority is asked inside seal(): if it fails, nothing is written.
    sealed = Sealer(signer, tsa_url).seal(package.name, format_time(utc_now()), tag_manifests,
                                          oxum)
    written = []
    if sealed.token is not None:
        written.append(layout.add_signature_file(package, layout.companion(name, "tsr"),
                                                 sealed.token))
    layout.add_signature_file(package, name, sealed.envelope)
    return [package / name] + written


def timestamp_seals(package: Path, verifier: Verifier, tsa_url: str) -> list[Path]:
    """A token for every seal that has none yet."""
    from archivekit.trust.timestamp import request_token
    package = Path(package)
    _checked_folder(package, verifier)
    written = []
    for relative in layout.seal_paths(package):
        token_path = layout.companion(relative, "tsr")
        if (package / token_path).exists():
            continue
        signature = seal.Envelope.parse((package / relative).read_bytes()).signatures[0][1]
        written.append(layout.add_signature_file(package, token_path,
                                                 request_token(tsa_url, signature)))
    return written
