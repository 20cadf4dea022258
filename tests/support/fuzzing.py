"""Every reader of untrusted input, fed arbitrary bytes: the property each must keep is
"a finding or a clear error, never an exception, within the budget".

Shared by the property tests (tests/*/test_*_properties.py: a few hundred examples
each) and scripts/fuzz.py (long campaigns; what it finds is kept under
tests/fixtures/fuzz/<reader>/ and replayed by tests/verify/test_fuzz_regressions.py).
"""

import io
import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

from hypothesis import strategies as st

from archivekit._internal import strictjson
from archivekit._internal.limits import LimitExceeded, Limits
from archivekit.capture.catalog import load_catalog
from archivekit.errors import ArchivekitError
from archivekit.formats import layout
from archivekit.trust.truststore import TrustStore
from archivekit.verify import VerificationPolicy, Verifier
from archivekit.verify.warcscan import WarcScanner

# Small limits keep each example fast; the property is the same at any size.
LIMITS = Limits(inflated_bytes=64 << 20, expansion_allowance=8 << 20, entries=500,
                records=500, tag_file_bytes=1 << 20, kept_bytes=4 << 20, seconds=10)
FUZZ = Path(__file__).resolve().parent.parent / "fixtures" / "fuzz"


class Workbench:
    """A sealed package and its trust store, copied once; each reader writes its
    input where the package (or a file beside it) expects it."""

    def __init__(self, package: Path, home: Path, folder: Path):
        self.folder = folder
        self.bag = folder / package.name
        shutil.copytree(package, self.bag)
        self.trust = TrustStore.load(home / "trust.yaml")
        self.verifier = Verifier(self.trust)
        self.policy = VerificationPolicy(limits=LIMITS)
        self.pristine = {path.relative_to(self.bag).as_posix(): path.read_bytes()
                         for path in self.bag.rglob("*") if path.is_file()}
        self.seal_path = next(p for p in self.pristine if p.startswith("signatures/"))
        self.seeds = {
            "zip": self._zip(), "tar": self._tar(),
            "warc": self.pristine[layout.WARC_PATH],
            "descriptor": self.pristine[layout.DESCRIPTOR_PATH],
            "bag-info": self.pristine[layout.BAG_INFO_PATH],
            "manifest": self.pristine[layout.manifest_path("sha256")],
            "seal": self.pristine[self.seal_path],
            "trust": (home / "trust.yaml").read_bytes(),
            "catalog": b"subjects: [espionage, CIA]\ncall_number: CLIP 2023-12-28 NYT A1\n"
                       b"rights: &r {holder: NYT}\nreprint: *r\n",
            "json": self.pristine[layout.DESCRIPTOR_PATH],
        }
        self.readers = {
            "zip": self.read_zip, "tar": self.read_tar, "warc": read_warc,
            "descriptor": self._tag_reader(layout.DESCRIPTOR_PATH),
            "bag-info": self._tag_reader(layout.BAG_INFO_PATH),
            "manifest": self._tag_reader(layout.manifest_path("sha256")),
            "seal": self._tag_reader(self.seal_path),
            "trust": self.read_trust, "catalog": self.read_catalog, "json": read_json,
        }

    def _zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.pristine.items()):
                archive.writestr(f"{self.bag.name}/{path}", data)
        return out.getvalue()

    def _tar(self) -> bytes:
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w") as archive:
            for path, data in sorted(self.pristine.items()):
                member = tarfile.TarInfo(f"{self.bag.name}/{path}")
                member.size = len(data)
                archive.addfile(member, io.BytesIO(data))
        return out.getvalue()

    def _verified(self, location) -> None:
        report = self.verifier.verify(location, self.policy)
        defects = [f.message for f in report.findings if f.code == "AK199"]
        assert not defects, defects   # AK199: the verifier met an exception it did not expect

    def read_zip(self, data: bytes) -> None:
        path = self.folder / "package.zip"
        path.write_bytes(data)
        self._verified(path)

    def read_tar(self, data: bytes) -> None:
        path = self.folder / "package.tar"
        path.write_bytes(data)
        self._verified(path)

    def _tag_reader(self, relative: str):
        def read(data: bytes) -> None:
            target = self.bag / relative
            target.write_bytes(data)
            try:
                self._verified(self.bag)
            finally:
                target.write_bytes(self.pristine[relative])
        return read

    def read_trust(self, data: bytes) -> None:
        path = self.folder / "trust.yaml"
        path.write_bytes(data)
        try:
            TrustStore.load(path)
        except ArchivekitError:
            pass   # a clear error, naming the file

    def read_catalog(self, data: bytes) -> None:
        path = self.folder / "catalog.yaml"
        path.write_bytes(data)
        try:
            load_catalog(path)
        except ArchivekitError:
            pass


def read_warc(data: bytes) -> None:
    from archivekit._internal.limits import Budget
    scanner = WarcScanner(budget=Budget(LIMITS))
    try:
        for start in range(0, len(data), 4096):
            scanner.feed(data[start:start + 4096])
        scanner.close()
    except LimitExceeded:
        return
    assert scanner.failed_at is not None or all(r.length > 0 for r in scanner.records)


def read_json(data: bytes) -> None:
    try:
        strictjson.loads(data)
    except strictjson.StrictJSONError:
        pass


def mutations(seed: bytes):
    """Bytes near `seed`: a few bytes changed, a cut, a slice repeated or dropped, or
    anything at all."""
    size = max(len(seed), 1)
    edit = st.tuples(st.integers(0, size - 1), st.binary(min_size=1, max_size=8))
    return st.one_of(
        st.lists(edit, min_size=1, max_size=6).map(lambda edits: _overwrite(seed, edits)),
        st.integers(0, len(seed)).map(lambda cut: seed[:cut]),
        st.tuples(st.integers(0, size), st.integers(0, size), st.integers(0, 3)).map(
            lambda t: seed[:min(t[:2])] + seed[min(t[:2]):max(t[:2])] * t[2] + seed[max(t[:2]):]),
        st.binary(max_size=2048),
    )


def _overwrite(seed: bytes, edits) -> bytes:
    data = bytearray(seed)
    for at, new in edits:
        data[at:at + len(new)] = new
    return bytes(data)


def workbench_from(package: Path, home: Path) -> Workbench:
    return Workbench(package, home, Path(tempfile.mkdtemp(prefix="ak-fuzz-")))


def regression_inputs() -> list[tuple[str, Path]]:
    """(reader, file) for every input a fuzzing campaign kept."""
    if not FUZZ.is_dir():
        return []
    return sorted((folder.name, path) for folder in FUZZ.iterdir() if folder.is_dir()
                  for path in folder.iterdir() if path.is_file())


def keep(reader: str, data: bytes) -> Path:
    """Save an input that broke `reader` as a regression fixture."""
    import hashlib
    folder = FUZZ / reader
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
    path.write_bytes(data)
    os.sync()
    return path
