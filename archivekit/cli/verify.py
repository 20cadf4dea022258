"""Reading packages: `verify`, `inspect`, `unpack`, `metadata`."""

import functools
import json
import os

import click

from archivekit.cli.app import (EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, limits_option,
                                main, progress_display, read_text_file, trust_store_for,
                                verifier_for)
from archivekit.errors import InputError, NotVerified

# Each verdict's exit code (the verdicts: archivekit/verify/verdicts.py).
VERDICT_EXITS = {"verified": EXIT_OK, "content changed": EXIT_FAILED,
                 "not trusted": EXIT_FAILED, "could not check": EXIT_CANNOT_RUN,
                 "not a package": EXIT_CANNOT_RUN}


def exit_code_for(verdicts) -> int:
    """A failed check outranks one that could not run: exit 1, else 3, else 0."""
    codes = {VERDICT_EXITS[v.name] for v in verdicts}
    return EXIT_FAILED if EXIT_FAILED in codes else max(codes, default=EXIT_OK)


@main.command()
@click.argument("packages", nargs=-1, required=True)
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store to believe (default: the one in the configuration folder).")
@click.option("--json", "as_json", is_flag=True, help="Print the machine-readable report.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False),
              help="Also write a self-contained HTML report to this file (dated, with the "
                   "archivekit version and trust store; prints on A4).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Cores to use: this many packages at once, one process each; a single "
                   "package uses a second core for hashing. Default: the machine's cores, "
                   "at most 4.")
@click.option("--log", "log_checkpoint", type=click.Path(dir_okay=False),
              help="A transparency-log checkpoint each seal must be proven to be in.")
@click.option("--bagit", "any_bag", is_flag=True,
              help="Check any BagIt bag by RFC 8493 alone (all manifest algorithms, "
                   "declared tag-file encodings, fetch.txt, Payload-Oxum), not as an "
                   "archivekit package: for bags made by other tools.")
@click.option("--wacz", "any_wacz", is_flag=True,
              help="Check any WACZ by the WACZ 1.1.1 rules (resource hashes, the "
                   "datapackage digest and authsign signature, pages.jsonl, its WARCs).")
@limits_option
@click.pass_context
def verify(ctx, packages, trust_path, as_json, html_path, workers, log_checkpoint, any_bag,
           any_wacz, limits):
    """Check PACKAGES (folders, .zip or .tar): structure, fixity, WARC records,
    descriptor, seals and provenance. Every finding is reported, not just the first.

    \b
    Each package gets a verdict, with what to do about it:
      verified         nothing wrong (warnings say what to tend to)      exit 0
      content changed  restore from a replica                            exit 1
      not trusted      intact, but no trusted key vouches for it now     exit 1
      could not check  the verifier failed; run it again                 exit 3
      not a package    name a package; capture a clipping's own file     exit 3
    A package inside a collection is checked against the collection's latest log
    checkpoint; an older stored proof is a warning ('archivekit log refresh').
    With --bagit or --wacz, check bags or WACZ files made by any tool by their own
    rules instead:
      archivekit verify --bagit path/to/bag
      archivekit verify --wacz crawl.wacz
    """
    from archivekit._internal.fsutil import atomic_write_bytes, own_file
    from archivekit.verify import VerificationPolicy
    from archivekit.verify.render import to_html, to_json, to_text
    html_file = own_file(html_path) if html_path else None   # refused before any work
    missing = [p for p in packages if not os.path.lexists(p)]
    if missing:   # nothing to verify is a run that could not happen, not a failed check
        raise InputError(f"{', '.join(missing)}: no such file or directory")
    if any_bag and any_wacz:
        raise click.UsageError("--bagit and --wacz check different things: give one")
    if any_bag:
        from archivekit.verify.rfc8493 import check_bag
        reports = [check_bag(p, limits) for p in packages]
    elif any_wacz:
        from archivekit.verify.wacz_rules import check_wacz
        reports = [check_wacz(p, limits=limits) for p in packages]
    else:
        verifier = verifier_for(ctx, trust_path)   # a broken trust store: a usage error, first
        checkpoint = read_text_file(log_checkpoint, "checkpoint") if log_checkpoint else None
        policy = VerificationPolicy(log_checkpoint=checkpoint, limits=limits)
        with progress_display(not as_json) as show:
            reports = verifier.verify_many(packages, policy, workers,
                                           show and functools.partial(show, "verify"))
    if as_json:
        click.echo(to_json(reports))
    else:
        for report in reports:
            foreign = report.facts.get("foreign")
            click.echo(_foreign_line(report.target, foreign) if foreign else to_text(report))
            if report.facts.get("collection"):   # verify named where audit was meant
                click.echo(f"  'archivekit audit {report.target}' checks every package of a "
                           f"collection; 'archivekit verify {report.target}/packages/ID' one")
    if html_file:
        from archivekit.verify.render import about
        page = to_html(reports, about(trust_store_for(ctx, trust_path)))
        atomic_write_bytes(html_file, page.encode("utf-8"))
    code = exit_code_for([r.verdict for r in reports])
    if code:
        ctx.exit(code)


def _foreign_line(target: str, foreign: dict) -> str:
    """Another tool's bag or WACZ, named in one line with what to use instead (the
    description, from the file, is escaped on its way out like all output)."""
    rules = {"bagit": ("--bagit", "RFC 8493"), "wacz": ("--wacz", "the WACZ rules")}
    flag, by = rules[foreign["kind"]]
    line = (f"FAILED  {target}: {foreign['description']}, not an archivekit package: use "
            f"'archivekit verify {flag} {target}' to check it by {by}")
    return line + f", 'archivekit capture {target}' to keep it in a sealed package"


@main.command()
@click.argument("package")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the descriptor and seal facts as JSON.")
@limits_option
@click.pass_context
def inspect(ctx, package, trust_path, as_json, limits):
    """Show what PACKAGE holds, who sealed it and when. The package is verified first;
    one that does not verify is shown as what it claims, under a warning, and exits 1."""
    from archivekit.package.contents import read_descriptor
    from archivekit.verify import VerificationPolicy
    report = verifier_for(ctx, trust_path).verify(package, VerificationPolicy(limits=limits))
    descriptor = read_descriptor(package, limits)
    if as_json:
        click.echo(json.dumps({"descriptor": descriptor, "verification": report.to_dict()},
                              indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(_inspected(package, descriptor, report)))
    if not report.verified:
        ctx.exit(EXIT_FAILED)


def _inspected(package, descriptor: dict, report) -> list[str]:
    lines = [] if report.verified else [
        f"WARNING   {package} does NOT verify: what follows is only what it claims"]
    lines += _described(descriptor)
    for seal in report.facts.get("seals", []):
        lines.append(f"Sealed    {seal.get('timestamp') or seal.get('sealed_at')} "
                     f"({'timestamped' if seal.get('timestamp') else 'claimed'}) by {seal.get('signer')} "
                     f"({seal.get('key_id')}): {'valid, trusted' if seal['valid'] else 'NOT valid'}")
    lines.append(f"Verified  {'yes' if report.verified else 'NO'} "
                 f"({len(report.errors)} error(s); run 'archivekit verify' for details)")
    return lines


def describe_reading(reading: dict) -> str:
    """'derived reading (OCR): tesseract 5.3.0, eng; confidence page 1 95%'."""
    pages = _dicts(reading.get("pages"))
    how = "OCR" if any(p.get("method") == "ocr" for p in pages) else "PDF text layer"
    said = f"derived reading ({how}), not the original: {reading.get('engine')} {reading.get('version')}"
    if reading.get("language"):
        said += f", {reading['language']}"
    scores = [f"page {p.get('page')} {p.get('confidence')}%" for p in pages
              if p.get("confidence") is not None]
    if scores:
        said += "; confidence " + ", ".join(scores)
    return said


def _get(value, *keys):
    """value[k1][k2]... or None: a descriptor that does not verify may hold any JSON."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _dicts(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _origin(meta, name: str) -> str:
    """'  [cataloguer: catalog title]' or '  [extracted: text line 4]', for a librarian to check."""
    origin = _get(meta, "provenance", name)
    if not isinstance(origin, dict):
        return ""
    who = "cataloguer" if origin.get("by") == "cataloguer" else "extracted"
    return f"  [{who}: {origin.get('from')}]"


def _described(descriptor: dict) -> list[str]:
    from archivekit.collection.show import catalog_lines, credit_line
    meta = descriptor.get("metadata")
    lines = [f"Package   {descriptor.get('id')}",
             f"Created   {descriptor.get('created')}   collection: {descriptor.get('collection') or '-'}",
             f"Headline  {_get(meta, 'headline') or '-'}{_origin(meta, 'headline')}"]
    authors = ", ".join(str(a.get("name", "")) for a in _dicts(_get(meta, "authors")))
    if authors:
        lines.append(f"Authors   {authors}{_origin(meta, 'authors')}")
    if _get(meta, "published"):
        lines.append(f"Published {_get(meta, 'published')}{_origin(meta, 'published')}")
    if _get(meta, "publisher", "name"):
        lines.append(f"Publisher {_get(meta, 'publisher', 'name')}{_origin(meta, 'publisher')}")
    for label, key in (("Published", "published"), ("Updated", "modified")):
        if _get(meta, key):
            lines.append(f"{label:9} {_get(meta, key)}{_origin(meta, key)}")
    if _get(meta, "print", "raw"):
        lines.append(f"Print     {_get(meta, 'print', 'raw')}")
    lines += [f"Credit    {credit_line(c)}" for c in _dicts(_get(meta, "credits"))]
    if isinstance(_get(meta, "reading"), dict):
        lines.append(f"Reading   {describe_reading(meta['reading'])}")
    for source in _dicts(descriptor.get("sources")):
        shown = source.get("uri") if source.get("kind") == "web" else source.get("filename")
        lines.append(f"Source    {shown or source.get('uri')}  {source.get('media_type')}  "
                     f"{source.get('bytes')} bytes  sha256 {source.get('sha256')}")
        bag = source.get("bag") if source.get("kind") == "bag" else None
        if isinstance(bag, dict):   # an adopted bag: what it says about itself, as written
            lines.append(f"  bag     BagIt {bag.get('version')}, {bag.get('files')} files in "
                         f"{bag.get('path')}, made by {bag.get('made_by') or 'an unknown tool'}")
            lines += [f"  bag     {item[0]}: {item[1]}" for item in bag.get("info") or []
                      if isinstance(item, list) and len(item) == 2]
        for hop in _dicts(source.get("hops")):
            lines.append(f"  hop     HTTP {hop.get('status')}  {hop.get('uri')}")
        if _get(source, "peer", "tls"):
            lines.append(f"  TLS     {_get(source, 'peer', 'tls', 'version')} "
                         f"{_get(source, 'peer', 'tls', 'cipher')}, certificate "
                         f"{'verified' if source.get('tls_verified') else 'NOT verified'}, "
                         f"peer {_get(source, 'peer', 'ip')}")
    for record in _dicts(descriptor.get("records")):
        lines.append(f"Record    {str(record.get('type')):10} {record.get('id')}  "
                     f"@{record.get('offset')}+{record.get('length')}")
    if isinstance(descriptor.get("catalog"), dict):
        lines += [f"Catalog   {label}: {value}" for label, value in
                  catalog_lines(descriptor["catalog"])]
    if isinstance(descriptor.get("amendment"), dict):
        lines.append(f"Amends    {descriptor['amendment'].get('supersedes')} "
                     f"({', '.join(map(str, descriptor['amendment'].get('changed') or []))})")
    return lines


@main.command()
@click.argument("package")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder to write the original source files into.")
@click.option("--trust", "trust_path", type=click.Path(dir_okay=False),
              help="Trust store to believe (default: the one in the configuration folder).")
@click.option("--force", is_flag=True,
              help="Unpack a package that does not verify. Each source is still checked "
                   "against its recorded sha256 as it is written, and removed if it fails.")
@click.option("--mode", default="644", show_default=True, metavar="OCTAL",
              help="Permissions of the written files (e.g. 600 for a private copy).")
@limits_option
@click.pass_context
def unpack(ctx, package, out_dir, trust_path, force, mode, limits):
    """Write the original bytes of PACKAGE's sources into OUT.

    The package is verified first: nothing is written unless it verifies (or --force).
    No source is written past the size the package declares, and each is checked
    against its sha256; exit 1 names any that failed.
    """
    from archivekit.package.contents import read_descriptor, unpack as unpack_package
    from archivekit.verify import VerificationPolicy
    try:
        bits = int(mode, 8)
    except ValueError:
        bits = -1
    if not 0 <= bits <= 0o777:
        raise click.BadParameter(f"{mode!r} is not a file mode such as 644 or 600",
                                 param_hint="--mode")
    read_descriptor(package, limits)   # not a package at all: exit 3, as for inspect
    report = verifier_for(ctx, trust_path).verify(package, VerificationPolicy(limits=limits))
    if not report.verified and not force:
        for finding in report.errors[:10]:
            click.echo(f"  {finding.code} {finding.message}", err=True)
        raise UnpackRefused(f"{package}: not unpacked: the package does not verify "
                            f"({len(report.errors)} error(s); 'archivekit verify' explains them, "
                            "--force unpacks what still matches its sha256)")
    result = unpack_package(package, out_dir, limits, bits)
    for path in result.written:
        click.echo(str(path))
    for problem in result.failed:
        click.echo(f"archivekit: {problem}", err=True)
    if result.failed:
        ctx.exit(EXIT_FAILED)


class UnpackRefused(NotVerified):
    """`unpack` refuses a package that does not verify (unless told to go on)."""


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--url", help="The article's address, if known.")
@click.option("--json", "as_json", is_flag=True, help="Print all fields as JSON.")
def metadata(source, url, as_json):
    """Extract clipping metadata from SOURCE without making a package."""
    from archivekit.capture.files import read_file_source
    from archivekit.collection.show import credit_line
    from archivekit.extract import extract
    file_source = read_file_source(source, url)
    result = extract(file_source.read_for_extraction(), file_source.media_type, url).to_dict()
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    for name in ("headline", "description", "published", "section", "url"):
        if result.get(name):
            click.echo(f"{name:12} {result[name]}")
    for author in result["authors"]:
        click.echo(f"{'author':12} {author['name']}")
    for credit in result["credits"]:
        click.echo(f"{'credit':12} {credit_line(credit)}")
    if result.get("print"):
        click.echo(f"{'print':12} {result['print'].get('raw')}")
    if result.get("reading"):
        click.echo(f"{'reading':12} {describe_reading(result['reading'])}")
    for warning in result["extraction"]["warnings"]:
        click.echo(f"{'warning':12} {warning}")


if __name__ == "__main__":  # pragma: no cover
    main()
