"""One package, every check in order (verify/checks.py): a folder, zip or tar package;
a WACZ carrying packages, each judged as the bag it was; another tool's bag or WACZ
named in one finding. What each check finds is tested under its own module."""

import zipfile

import bagit

from archivekit.trust.truststore import TrustStore
from archivekit.verify import Verifier
from conftest import SEED, verify_here
from support.webarchives import make_wacz, rewrite_zip


def test_each_package_of_a_wacz_is_checked_and_named_in_its_findings(cli, tmp_path):
    other = tmp_path / "budget.txt"
    other.write_text("Council Passes Budget\n\nThe council passed it on Tuesday.\n")
    assert cli("capture", SEED, other, "--out", tmp_path / "out").returncode == 0
    packages = sorted((tmp_path / "out").iterdir())
    wacz = tmp_path / "both.wacz"
    assert cli("export", *packages, "--as", "wacz", "--out", wacz).returncode == 0
    assert verify_here(cli, wacz).verified
    damaged = f"archive/{packages[1].name}.warc.gz"
    with zipfile.ZipFile(wacz) as archive:
        data = bytearray(archive.read(damaged))
    data[len(data) // 2] ^= 1
    rewrite_zip(wacz, {damaged: bytes(data)})
    report = verify_here(cli, wacz)
    inner = [f for f in report.errors if f.code == "AK203"]
    assert inner and all(f.path.startswith(f"{packages[1].name}/") for f in inner)
    assert report.facts["packages"] == [p.name for p in packages]
    assert len(report.facts["seals"]) == 2          # both packages' seals, side by side


def test_the_verifier_names_another_tool_s_wacz_or_bag_in_one_finding(tmp_path):
    """Not judged by our format's rules, which it was never meant to follow (AK114)."""
    bag = tmp_path / "bag"
    bag.mkdir()
    (bag / "a.txt").write_text("x")
    bagit.make_bag(str(bag), checksums=["md5"])
    for path, kind in ((make_wacz(tmp_path / "crawl.wacz"), "wacz"), (bag, "bagit")):
        report = Verifier(TrustStore(None)).verify(path)
        assert [f.code for f in report.findings] == ["AK114"]
        assert report.facts["foreign"]["kind"] == kind
