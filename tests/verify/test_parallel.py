"""`--workers` is the number of cores verification may use; the answer never depends on it."""

import os
import shutil
from pathlib import Path

import pytest

from datetime import timedelta

from archivekit.trust.truststore import TrustStore
from archivekit.verify import VerificationPolicy, Verifier
from archivekit.verify.bag import PARALLEL_FROM
from archivekit.verify.parallel import plan
from archivekit._internal.timeutil import utc_now
from conftest import CLI, signing_key, zip_package
from support.tamper import flip_compressed_byte


@pytest.mark.parametrize("workers, packages, expected", [
    (1, 1, (1, False)),    # one core: no second thread
    (2, 1, (1, True)),     # one package, two cores: hashing on the second
    (2, 8, (2, False)),    # every core verifies a package
    (4, 2, (2, True)),
    (3, 8, (3, False)),
    (4, 0, (1, True)),
])
def test_plan_spends_the_cores_given(workers, packages, expected):
    assert plan(workers, packages) == expected


def test_any_number_of_workers_gives_the_same_findings(package, tmp_path):
    cli, bag = package
    broken = tmp_path / "broken" / bag.name
    shutil.copytree(bag, broken)
    flip_compressed_byte(broken, cli)
    answers = []
    for workers in ("1", "2", "3"):
        result, report = cli.verify_json("--workers", workers, bag, broken, bag)
        assert result.returncode == 1
        answers.append([(p["verified"], sorted(f["code"] for f in p["findings"]))
                        for p in report["packages"]])
    assert answers[0] == answers[1] == answers[2]
    assert [verified for verified, _ in answers[0]] == [True, False, True]
    assert {"AK203", "AK301"} <= set(answers[0][1][1])


def _codes(reports):
    return [sorted({f.code for f in r.findings}) for r in reports]


@pytest.mark.parametrize("workers", [1, 2])
def test_trust_clock_and_policy_reach_every_worker_intact(package, tmp_path, workers):
    """What the verifier was given, not what a path on disk says: an in-memory trust
    store, a clock set back a year, a policy's skew and seal requirement."""
    cli, bag = package
    unsealed = tmp_path / "unsealed" / bag.name
    shutil.copytree(bag, unsealed)
    shutil.rmtree(unsealed / "signatures")
    (unsealed / "signatures").mkdir()
    key = signing_key(cli)
    trust = TrustStore(None)            # never saved: a worker cannot load it from a file
    trust.add(key.public_key, key.name)
    packages = [bag, unsealed]

    def verify(clock=utc_now, **policy):
        return _codes(Verifier(trust, clock).verify_many(
            packages, VerificationPolicy(**policy), workers=workers))
    assert verify() == [[], ["AK501"]]
    assert verify(require_seal=False) == [[], []]

    def a_year_ago():
        return utc_now() - timedelta(days=365)
    assert verify(a_year_ago) == [["AK604"], ["AK501", "AK604"]]
    assert verify(a_year_ago, clock_skew=timedelta(days=400)) == [[], ["AK501"]]


@pytest.fixture(scope="module")
def large_package(tmp_path_factory):
    """A package whose WARC is past the size from which hashing moves to a second thread."""
    base = tmp_path_factory.mktemp("large")
    source = base / "scan.tiff"
    source.write_bytes(os.urandom(PARALLEL_FROM + (4 << 20)))   # incompressible: WARC as large
    cli = CLI(base / "home")
    result = cli("capture", source, "--out", base / "archive")
    assert result.returncode == 0, result.stderr
    return cli, Path(result.stdout.strip())


def _truncate(warc: Path):
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) // 2])


def _flip(warc: Path):
    with open(warc, "r+b") as handle:
        handle.seek(warc.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0x01]))


@pytest.mark.parametrize("container", ["dir", "zip"])
@pytest.mark.parametrize("damage, codes", [(_truncate, {"AK203", "AK302"}),
                                           (_flip, {"AK203", "AK301"})])
def test_damage_to_a_large_warc_is_found_with_and_without_the_hashing_thread(
        large_package, tmp_path, damage, codes, container):
    cli, pristine = large_package
    broken = tmp_path / pristine.name
    shutil.copytree(pristine, broken)
    damage(broken / "data/clipping.warc.gz")
    packages = [pristine, broken]
    if container == "zip":
        packages = [zip_package(p, tmp_path / f"{p.parent.name}.zip") for p in packages]
    for workers in ("1", "2"):      # 2: the manifests and the large block hashed on a thread
        result, report = cli.verify_json("--workers", workers, packages[0])
        assert result.returncode == 0, report
        result, report = cli.verify_json("--workers", workers, packages[1])
        assert result.returncode == 1
        assert codes <= {f["code"] for f in report["packages"][0]["findings"]}, workers
