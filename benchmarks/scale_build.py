"""Capture a job's inbox into its collection on several processes: the fast way to build
a large collection for benchmarks/scale.py (a `run` captures one source at a time; 3,000
took 5.6 minutes on this shared machine).

    .venv/bin/python benchmarks/scale_build.py JOB.yaml --workers 2

Each worker process makes real packages with archivekit's own capture (read the file,
extract, write the WARC and the bag, seal with the job's key) straight into the
collection's packages/, as a run does; nothing is copied. The parent records them in
batches as a run records each one (catalog, audit log, transparency log, the inbox file
settled), under the collection's lock, so the job's next `archivekit run` finds nothing
new. What a run's own capture costs is measured by scale.py without --build-workers.
"""

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_OUT = None    # the collection's packages/, in each worker
_SPEC = None   # how each worker's packages are sealed and described


def _start_worker(manifest_file: str) -> None:
    global _OUT, _SPEC
    from archivekit.collection.jobs import load_manifest
    from archivekit.collection.runs import _package_spec
    from archivekit.collection.store import Collection
    from archivekit.trust.home import Home
    from archivekit.trust.signer import resolve_signer
    manifest = load_manifest(manifest_file)
    collection = Collection.open(manifest.collection)
    signer, _ = resolve_signer(Home.locate(), manifest.key, lambda name: None)
    _OUT = collection.packages_dir
    _SPEC = _package_spec(manifest, collection, signer, None)   # as the run's capture


def _capture(path: str) -> str:
    from archivekit.capture.files import read_file_source
    from archivekit.package.build import capture_file
    return capture_file(read_file_source(Path(path), None), _OUT, _SPEC).name


def build(manifest_file: Path, workers: int, batch: int = 2000) -> int:
    """Capture every source of the manifest on `workers` processes and record each batch
    of `batch` packages as a run records one; how many were made."""
    from archivekit.collection.jobs import load_manifest
    from archivekit.collection.runs import _refresh_due
    from archivekit.collection.store import Collection
    from archivekit.trust.home import Home
    from archivekit.trust.signer import resolve_signer
    manifest = load_manifest(manifest_file)
    collection = Collection.open_or_init(manifest.collection, manifest.name,
                                         manifest.organization)
    signer, _ = resolve_signer(Home.locate(), manifest.key, lambda name: None)
    specs = [spec for spec in manifest.specs() if not spec.problem]
    made = 0
    with collection.lock(), ProcessPoolExecutor(workers, initializer=_start_worker,
                                                initargs=(str(manifest_file),)) as pool:
        names = pool.map(_capture, [str(spec.path) for spec in specs], chunksize=32)
        for start in range(0, len(specs), batch):
            done = [(spec, next(names)) for spec in specs[start:start + batch]]
            _record(collection, signer, done)
            made += len(done)
        index = collection.index()
        try:
            due = _refresh_due(collection, False, index)
            if due:   # every proof was made for this key: nothing for the next run to bring up
                index.mark_proofs_refreshed(due)
        finally:
            index.close()
    return made


def _record(collection, signer, done) -> None:
    """What a run does after capturing each source (runs._capture_one, then log_seals),
    for a batch at once: the packages indexed, their ingestions in the audit log, their
    seals in the transparency log, their inbox files settled."""
    from archivekit.collection.ingest import seals_in
    from archivekit.collection.inbox import catalog_digest, file_identity as _identity
    from archivekit.package.contents import read_descriptor
    from archivekit.trust.tlog import log_unlogged_seals
    packages = [(spec, collection.packages_dir / name) for spec, name in done]
    descriptors = [read_descriptor(path) for _, path in packages]
    index = collection.index()
    try:
        index.add_many([(descriptor, str(path.relative_to(collection.root)),
                         {"signer": signer.name, "sealed_at": descriptor["created"]})
                        for descriptor, (_, path) in zip(descriptors, packages)])
        collection.audit_log.append_many([dict(
            event_type="ingestion", outcome="success", package=descriptor["id"],
            detail=f"captured {spec.path.name} ({descriptor['sources'][0]['bytes']} bytes, "
                   f"sha256 {descriptor['sources'][0]['sha256']}) and sealed by "
                   f"{signer.key.key_id}") for descriptor, (spec, _) in zip(descriptors, packages)])
        with index.db:
            index.db.executemany("UPDATE packages SET ingested = 1 WHERE id = ?",
                                 [(descriptor["id"],) for descriptor in descriptors])
        ids = {path: descriptor["id"] for descriptor, (_, path) in zip(descriptors, packages)}
        logged = log_unlogged_seals(collection.transparency_log, list(ids), signer.key,
                                    signer.name, read_seals=seals_in).logged
        index.mark_logged([(digest, ids[path]) for path, digest in logged])
        index.remember_files([(str(spec.path), *_identity(str(spec.path),
                                                         catalog_digest(spec.catalog)),
                               descriptor["sources"][0]["sha256"])
                              for descriptor, (spec, _) in zip(descriptors, packages)])
    finally:
        index.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(build(args.manifest, args.workers))


if __name__ == "__main__":
    main()
