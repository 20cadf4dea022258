"""Capture a source into a sealed package: extract, name, write, seal."""

from dataclasses import replace
from pathlib import Path

from archivekit._internal.timeutil import parse_time
from archivekit.capture.files import FileSource, write_file_records
from archivekit.errors import DamagedInput, InputError, UsageError
from archivekit.extract import extract
from archivekit.extract.metadata import apply_catalog
from archivekit.package.naming import package_id as make_package_id
from archivekit.package.writer import PackageSpec, write_package
from archivekit.formats.premis import make_event


def capture_source(source, out_dir: Path, options: PackageSpec, recorded: list[dict] = ()) -> Path:
    """Capture any source into a new package in `out_dir`; return its path. `source`: a
    FileSource, a BagSource, a WebArchiveSource or a fetched WebCapture. `recorded`: what
    checking a bag or a web archive found and the package keeps (capture_bag,
    capture_web_archive)."""
    kind = getattr(source, "kind", "web")   # a fetched WebCapture names no kind
    if kind == "bag":
        return capture_bag(source, out_dir, options, recorded)
    if kind == "webarchive":
        return capture_web_archive(source, out_dir, options, recorded)
    if kind == "file":
        return capture_file(source, out_dir, options)
    return capture_web(source, out_dir, options)


def capture_file(source: FileSource, out_dir: Path, options: PackageSpec) -> Path:
    """Capture one file source; return the package path."""
    head = source.read_for_extraction()
    metadata = extract(head, source.media_type, source.url, captured=source.retrieved)
    if source.size > len(head):
        metadata.extraction.warnings.append("file larger than the extraction limit; "
                                            "metadata read from its beginning only")
    apply_catalog(metadata, options.catalog)   # the cataloguer's title, authors... win
    spec = replace(options, metadata=metadata)
    package_id = make_package_id(metadata, source.sha256, _date(source), source.path.stem)

    def write_sources(warc, date):
        entry = write_file_records(source, warc, date)
        event = make_event("capture", date,
                           f"file {source.filename}: {source.size} bytes, {source.media_type}, "
                           f"sha256 {source.sha256}", operator=spec.operator)
        return [entry], entry["record_id"], [event] + write_reading(warc, date, entry, spec)

    return write_package(out_dir, package_id, spec, write_sources)


def write_reading(warc, date: str, entry: dict, spec: PackageSpec) -> list[dict]:
    """The text read from a scan or PDF, as a conversion record beside the source record;
    returns its derivation event (none when there was no reading)."""
    reading = spec.metadata.reading
    if reading is None:
        return []
    record = warc.conversion(date, entry["record_id"], reading.text.encode("utf-8"),
                             reading.media_type)
    how = "OCR" if any(page.method == "ocr" for page in reading.pages) else "PDF text layer"
    detail = (f"derived reading ({how}) of {entry['record_id']} by {reading.engine} "
              f"{reading.version}" + (f", language {reading.language}" if reading.language else "")
              + f": conversion record {record['id']}, {reading.characters} characters, "
              f"sha256 {reading.sha256}")
    return [make_event("derivation", date, detail, operator=spec.operator)]


def _date(source: FileSource) -> str:
    return source.retrieved.strftime("%Y-%m-%d")


def capture_web(capture, out_dir: Path, options: PackageSpec) -> Path:
    """Package a fetched WebCapture; the extractor reads the final page."""
    from archivekit.capture.web import write_web_records
    final = capture.final
    metadata = extract(capture.content, capture.media_type, final.url,
                       _charset(capture.media_type), captured=parse_time(final.date))
    metadata.url = final.url
    if final.status >= 400:
        metadata.extraction.warnings.append(
            f"archived an error page: the server answered HTTP {final.status}")
    apply_catalog(metadata, options.catalog)
    spec = replace(options, metadata=metadata)
    package_id = make_package_id(metadata, capture.sha256, final.date, "web-page")

    def write_sources(warc, date):
        entry = write_web_records(capture, warc, date)
        hops = " -> ".join(f"{h.url} ({h.status})" for h in capture.hops)
        notes = []
        if not capture.options.verify_tls:
            notes.append("TLS certificate NOT verified (verification turned off on purpose)")
        if final.status >= 400:
            notes.append("HTTP error page archived on purpose (error pages allowed)")
        detail = f"web capture {hops}; {len(capture.content)} bytes, {capture.media_type}"
        if final.peer_ip:
            detail += f"; peer {final.peer_ip}"
        if notes:
            detail += "; " + "; ".join(notes)
        event = make_event("capture", final.date, detail, operator=spec.operator)
        return [entry], entry["record_id"], [event] + write_reading(warc, date, entry, spec)

    return write_package(out_dir, package_id, spec, write_sources)


def _charset(media_type: str) -> str | None:
    for part in media_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset":
            return value.strip('"') or None
    return None


def capture_web_archive(source, out_dir: Path, options: PackageSpec,
                        accepted: list[dict] = ()) -> Path:
    """Package a web archive the user brought (a WebArchiveSource): the file kept whole
    as its own payload file with a CDXJ index beside it, described in the descriptor;
    the clipping metadata read from its first HTML page. `accepted` lists the verifier's
    findings the user chose to accept (a damaged archive captured on purpose): they are
    recorded, and the verifier reports them as accepted rather than as new damage."""
    from archivekit.capture.webarchive import describe, write_cdxj
    from archivekit.formats import layout
    description = describe(source)
    if description.main_html is not None:
        metadata = extract(description.main_html, "text/html", description.main_url)
    else:
        metadata = extract(b"", "text/plain", None)
    if not metadata.headline:
        metadata.headline = (description.pages[0]["title"] if description.pages else None) \
            or description.warcinfo.get("description") or source.filename
    if description.unreadable:
        metadata.extraction.warnings.append(
            f"the web archive could be read only in part: {description.unreadable}")
    apply_catalog(metadata, options.catalog)   # the cataloguer's title, authors... win
    spec = replace(options, metadata=metadata)
    package_id = make_package_id(metadata, source.sha256, _date(source), source.path.stem)
    stored = layout.archive_path(source.stored_name)
    index = layout.index_path(source.stored_name)
    index_problem = None

    def write_payload(payload):
        nonlocal index_problem
        with payload.create(stored) as out, source.open() as handle:
            while chunk := handle.read(1 << 20):
                out.write(chunk)
        if out.hashes["sha256"].hexdigest() != source.sha256:
            raise InputError(f"{source.path}: the file changed while it was being captured")
        if source.format != "wacz":   # a WACZ carries its own index
            with payload.create(index) as out:
                index_problem = write_cdxj(source, out)

    def write_sources(warc, date):
        archive = description.to_dict()
        archive.update(format=source.format, path=stored, accepted=list(accepted),
                       index=None if index_problem or source.format == "wacz" else index)
        if index_problem:
            archive["index_problem"] = index_problem
        first_id = description.first_record_id or f"urn:archivekit:source:sha256:{source.sha256}"
        entry = {"kind": source.kind, "uri": source.target_uri, "filename": source.filename,
                 "retrieved": date, "media_type": source.media_type, "bytes": source.size,
                 "sha256": source.sha256, "record_id": first_id, "archive": archive}
        detail = (f"web archive {source.filename}: {source.size} bytes, {source.format}, "
                  f"sha256 {source.sha256}; {description.records} records, "
                  f"{len(description.pages) + description.more_pages} HTML pages"
                  + (f"; made by {description.producer}" if description.producer else ""))
        if accepted:
            detail += f"; captured with {len(accepted)} known defect(s), on purpose"
        event = make_event("capture", date, detail, operator=spec.operator)
        return [entry], first_id, [event]

    return write_package(out_dir, package_id, spec, write_sources, write_payload)


def capture_bag(source, out_dir: Path, options: PackageSpec, warnings: list[dict] = ()) -> Path:
    """Package a BagIt bag another tool made (a BagSource), already checked by RFC 8493:
    every file of it, tag files included, copied byte for byte below data/bag/, where it
    is still a bag of its own; what its bag-info.txt says read into the descriptor.
    `warnings` are the check's warnings, recorded with it."""
    from archivekit.capture.bags import MEDIA_TYPE, bag_metadata
    from archivekit.formats import layout
    if Path(out_dir).resolve().is_relative_to(source.path.resolve()):
        raise UsageError(f"{out_dir} is inside the bag {source.path}: the package would "
                         "change the bag it keeps")
    _check_bag_names(source)
    metadata = bag_metadata(source)
    apply_catalog(metadata, options.catalog)   # the cataloguer's title, authors... win
    spec = replace(options, metadata=metadata)
    package_id = make_package_id(metadata, source.sha256, _date(source), source.filename)

    def write_payload(payload):
        for folder in ["data"] + source.folders:   # empty folders too: data/ may be one
            payload.folder(layout.BAG_DIR + folder)
        for item in source.files:
            with payload.create(layout.BAG_DIR + item.path) as out, source.open(item) as handle:
                while chunk := handle.read(1 << 20):
                    out.write(chunk)
            if out.hashes["sha256"].hexdigest() != item.sha256:
                raise InputError(f"{source.path / item.path}: the file changed while the bag "
                                 "was being captured")

    def write_sources(warc, date):
        bag = dict(source.describe(), warnings=list(warnings))
        entry = {"kind": source.kind, "uri": source.target_uri, "filename": source.filename,
                 "retrieved": date, "media_type": MEDIA_TYPE, "bytes": source.size,
                 "sha256": source.sha256, "record_id": source.target_uri, "bag": bag}
        made = (f" made by {bag['made_by']}" if bag["made_by"] else "") + \
            (f" on {bag['bagging_date']}" if bag["bagging_date"] else "")
        manifests = ", ".join(bag["manifests"]) or "no manifests"
        checked = make_event(
            "validation", date,
            f"BagIt {source.version} bag {source.filename} checked by RFC 8493 before "
            f"adoption: valid, {len(warnings)} warning(s); {manifests}",
            operator=spec.operator)
        adopted = make_event(
            "accession", date,
            f"adopted the BagIt bag {source.filename}{made}: {len(source.files)} files "
            f"({bag['payload_files']} payload), {source.size} bytes, kept byte for byte as "
            f"{layout.BAG_DIR} with its own manifests and bag-info.txt; sha256 {source.sha256}",
            operator=spec.operator)
        return [entry], source.target_uri, [checked, adopted]

    return write_package(out_dir, package_id, spec, write_sources, write_payload)


def _check_bag_names(source) -> None:
    """A valid bag may still hold names a package may not: one a case-insensitive file
    system cannot tell apart from another, or a path too deep or long below data/bag/.
    Such a bag is refused rather than sealed into a package that would not verify."""
    from archivekit.formats import layout
    from archivekit.package.reader import collisions, unsafe_name_reason
    names = [f.path for f in source.files] + source.folders
    problems = [f"{name!r}: {reason}" for name in names
                if (reason := unsafe_name_reason(layout.BAG_DIR + name))]
    problems += ["names differ only by case or Unicode normalisation: "
                 + ", ".join(map(repr, group)) for group in collisions(names)]
    if problems:
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise DamagedInput(f"{source.path}: a bag a package cannot hold as it is (a package "
                           "must copy to any file system), not captured: "
                           + "; ".join(problems[:3]) + more)
