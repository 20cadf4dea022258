"""A BagIt bag another tool made, adopted whole (`capture BAG`): kept below data/bag/,
where it must still be the bag that was adopted and still a valid bag by RFC 8493.

Our manifests and seal already bind every byte of it; this check says so in the bag's
own terms: its own manifests (md5, sha1...), Payload-Oxum and tag files are checked
again at every verification, and the descriptor's digest of the bag (SHA-256 of a
sha256 manifest of its files, docs/format.md) is compared with our manifest.
"""

import hashlib

from archivekit.formats import bagit, layout
from archivekit.package.reader import FolderReader
from archivekit.verify.bag import BagView
from archivekit.verify.findings import Report
from archivekit.verify.rfc8493 import check_bag_in

DESCRIPTOR = layout.DESCRIPTOR_PATH


def bag_algorithms(reader) -> dict[str, tuple[str, ...]]:
    """The algorithms of an adopted bag's own payload manifests, for the verifier to take
    in the same read as ours (BagView.also_hash): the bag's payload is then read once."""
    algorithms = set()
    for path in reader.entries:
        named = bagit.manifest_algorithm(path[len(layout.BAG_DIR):]) \
            if path.startswith(layout.BAG_DIR) else None
        if named and named[0] == "manifest" and bagit.digest_length(named[1]):
            algorithms.add(named[1])
    return {layout.BAG_DIR + "data/": tuple(sorted(algorithms))} if algorithms else {}


def check_adopted_bags(view: BagView, descriptor: dict | None, report: Report) -> None:
    """Each bag a package adopted (a source of kind "bag"), into `report`: its descriptor
    entry, its digest, and the bag checked by RFC 8493 in its own terms."""
    for index, source in enumerate((descriptor or {}).get("sources", [])):
        if source.get("kind") != "bag":
            continue
        where = f"sources[{index}]"
        bag = source.get("bag")
        if not isinstance(bag, dict) or bag.get("path") != layout.BAG_DIR:
            report.add("AK602", f"{where} is a bag but does not name {layout.BAG_DIR}",
                       path=DESCRIPTOR)
            continue
        _check_digest(view, where, source, report)
        inner = Report(layout.BAG_DIR)
        known = {path[len(layout.BAG_DIR):]: found for path, found in view.digests.items()
                 if path.startswith(layout.BAG_DIR)}
        check_bag_in(FolderReader(view.reader, layout.BAG_DIR), inner, known)
        for finding in inner.findings:
            finding.path = layout.BAG_DIR + (finding.path or "")
            finding.message = f"the adopted bag: {finding.message}"
            report.findings.append(finding)


def _check_digest(view: BagView, where: str, source: dict, report: Report) -> None:
    """The descriptor's sha256 and size of the bag against our own manifest of it."""
    listed = {path[len(layout.BAG_DIR):]: digest
              for path, digest in view.manifests.get("sha256", {}).items()
              if path.startswith(layout.BAG_DIR)}
    if not listed:
        report.add("AK602", f"{where} names a bag, but {layout.BAG_DIR} holds no file",
                   path=DESCRIPTOR)
        return
    found = hashlib.sha256(layout.manifest_text(listed)).hexdigest()
    if found != source.get("sha256"):
        report.add("AK602", f"{where} sha256 differs from the digest of the bag's files in "
                   "manifest-sha256.txt", path=DESCRIPTOR, expected=str(source.get("sha256")),
                   found=found)
    entries = view.reader.entries
    size = sum(entries[layout.BAG_DIR + p].size for p in listed if layout.BAG_DIR + p in entries)
    if size != source.get("bytes"):
        report.add("AK602", f"{where} size differs from the bag's files", path=DESCRIPTOR,
                   expected=str(source.get("bytes")), found=str(size))
