"""Capture a source into a sealed package: extract, name, write, seal."""

from pathlib import Path

from archivekit.capture.files import FileSource, write_file_records
from archivekit.extract import extract
from archivekit.package.naming import package_id as make_package_id
from archivekit.package.writer import PackageSpec, write_package
from archivekit.provenance import make_event


def capture_file(source: FileSource, out_dir: Path, spec_without_metadata: dict) -> Path:
    """Capture one file source; return the package path."""
    head = source.read_for_extraction()
    metadata = extract(head, source.media_type, source.url)
    if source.size > len(head):
        metadata.extraction.warnings.append("file larger than the extraction limit; "
                                            "metadata read from its beginning only")
    spec = PackageSpec(metadata=metadata, **spec_without_metadata)
    package_id = make_package_id(metadata, source.sha256, _date(source), source.path.stem)

    def write_sources(warc, date):
        entry = write_file_records(source, warc, date)
        event = make_event("capture", date,
                           f"file {source.filename}: {source.size} bytes, {source.media_type}, "
                           f"sha256 {source.sha256}", operator=spec.operator)
        return [entry], entry["record_id"], [event]

    return write_package(out_dir, package_id, spec, write_sources)


def _date(source: FileSource) -> str:
    return source.retrieved.strftime("%Y-%m-%d")
