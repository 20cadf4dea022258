"""Hostile inputs through the commands people run: FIFOs and devices, YAML bombs,
malformed checkpoints and descriptors. Each gets a clear message and a documented exit
code, quickly; none a traceback or a hang."""

import json
import os
import re

import pytest

from conftest import SEED, reseal, signing_key
from support.collection import clippings, write_manifest
from support.hostile import SHOWN_HEADLINE, hostile_package
from support.tamper import edit_descriptor

QUICK = 20   # seconds: every answer here comes in well under it


def answered(result, code):
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    return result


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.zip"
    os.mkfifo(path)
    return path


def test_a_fifo_as_a_package(cli, fifo, tmp_path):
    result, report = cli.verify_json(fifo)
    answered(result, 1)
    assert "FIFO" in report["packages"][0]["findings"][0]["message"]
    for command in (["inspect", fifo], ["unpack", fifo, "--out", tmp_path / "out"]):
        assert "FIFO" in answered(cli(*command, timeout=QUICK), 3).stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_fifo_as_trust_store_or_catalog(package, fifo, tmp_path):
    cli, bag = package
    result = answered(cli("verify", bag, "--trust", fifo, timeout=QUICK), 3)
    assert "FIFO" in result.stderr and str(fifo) in result.stderr
    for catalog in (fifo, "/dev/zero"):
        result = answered(cli("capture", SEED, "--catalog", catalog, "--out", tmp_path / "o",
                              timeout=QUICK), 3)
        assert "not a regular file" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_fifo_in_a_collection_does_not_stall_the_audit(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 1)
    answered(cli("run", write_manifest(tmp_path, [f"glob: {folder}/*.txt"])), 0)
    os.mkfifo(tmp_path / "coll" / "packages" / "stray.zip")
    result = cli("audit", tmp_path / "coll", "--json", timeout=60)
    assert "Traceback" not in result.stderr and result.returncode == 1, result.stderr
    [stray] = json.loads(result.stdout)["audit_failures"]      # not read, not passed over
    assert stray["package"] == "packages/stray.zip"
    assert "cannot be read as a package" in stray["errors"][0]


BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_yaml_bombs_in_the_trust_store(package, tmp_path):
    cli, bag = package
    trust = tmp_path / "hostile.yaml"
    for text, said in ((BILLION_LAUGHS + "keys: []\n", "aliases"),
                       ("keys: " + "[" * 20000 + "]" * 20000 + "\n", "nested"),
                       ("keys:\n" + "".join(" " * i + "- \n" for i in range(0, 400, 2)), "nested")):
        trust.write_text(text)
        result = answered(cli("verify", bag, "--trust", trust, timeout=QUICK), 2)
        assert said in result.stderr and str(trust) in result.stderr


def test_yaml_bomb_in_a_catalog_sidecar(cli, tmp_path):
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(BILLION_LAUGHS)
    result = answered(cli("capture", SEED, "--catalog", catalog, "--out", tmp_path / "o",
                          timeout=QUICK), 2)
    assert "aliases" in result.stderr


# A SubjectPublicKeyInfo whose algorithm is OID 1.2.3.4: no library knows it.
UNKNOWN_ALGORITHM = ("-----BEGIN PUBLIC KEY-----\n"
                     "MCowBQYDKgMEAyEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
                     "-----END PUBLIC KEY-----\n")


def test_a_trust_store_entry_with_an_unknown_algorithm_or_a_time_out_of_range(package, tmp_path):
    cli, bag = package
    trust = tmp_path / "trust.yaml"
    original = (cli.home / "trust.yaml").read_text()
    odd = "keys:\n- name: odd\n  public_key: |\n" + "".join(
        f"    {line}\n" for line in UNKNOWN_ALGORITHM.splitlines())
    for text, said in ((odd, "Unknown key type"),
                       (re.sub(r"not_before: .*", "not_before: '0001-01-01T00:00:00+01:00'",
                               original, count=1), "not_before")):
        trust.write_text(text)
        result = answered(cli("verify", bag, "--trust", trust, timeout=QUICK), 2)
        assert said in result.stderr


def test_a_checkpoint_that_is_not_utf8_or_not_a_checkpoint(package, tmp_path):
    cli, bag = package
    junk = tmp_path / "junk"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    result = answered(cli("verify", bag, "--log", junk), 2)
    assert "not UTF-8" in result.stderr
    folder = clippings(tmp_path / "inbox", 1)
    answered(cli("run", write_manifest(tmp_path, [f"glob: {folder}/*.txt"])), 0)
    junk.write_text("junk\n")
    result = answered(cli("log", "consistency", tmp_path / "coll", "--from", junk), 2)
    assert "not a signed checkpoint" in result.stderr and str(junk) in result.stderr


def _nested(depth: int):
    value = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("change, said", [
    (lambda d: d.update(sources=[{"record_id": ["x"], "sha256": 7, "bytes": "many"}]), "AK402"),
    (lambda d: d.update(records="none"), "AK402"),
    (lambda d: d["metadata"].update(deep=_nested(70)), "AK401"),
])
def test_descriptors_of_the_wrong_shape(package, tmp_path, change, said):
    cli, bag = package
    edit_descriptor(bag, change)
    reseal(bag, signing_key(cli))
    result, report = cli.verify_json(bag)
    answered(result, 1)
    assert said in {f["code"] for f in report["packages"][0]["findings"]}
    shown = cli("inspect", bag)
    assert "Traceback" not in shown.stderr and shown.returncode == 1
    answered(cli("unpack", bag, "--out", tmp_path / "out"), 1)
    assert not any((tmp_path / "out").glob("*"))


def test_a_descriptor_nested_100000_deep(package, tmp_path):
    cli, bag = package
    (bag / "archivekit" / "package.json").write_text("[" * 100000 + "]" * 100000)
    result, report = cli.verify_json(bag)
    answered(result, 1)
    assert any("nested more than" in f["message"] for f in report["packages"][0]["findings"])
    for command in (["inspect", bag], ["unpack", bag, "--out", tmp_path / "out"]):
        assert "nested more than" in answered(cli(*command), 1).stderr


def _damage_descriptor_entry(archive, how):
    """The zip entry package.json, damaged in place: `how` is 'name' (its local header
    names another file), 'method' (deflate64) or 'crc' (its bytes)."""
    import zipfile
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = next(i for i in zf.infolist() if i.filename.endswith("archivekit/package.json"))
    start = info.header_offset
    if how == "name":
        data[start + 30 + len(info.filename) - 1] ^= 0x20
    elif how == "method":
        data[start + 8:start + 10] = (9).to_bytes(2, "little")
    else:
        data[start + 30 + len(info.filename) + len(info.extra) + 3] ^= 0x01
    archive.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["name", "method", "crc"])
def test_inspect_and_unpack_on_a_damaged_zip(package, tmp_path, how):
    from conftest import zip_package
    cli, bag = package
    archive = zip_package(bag, tmp_path / "damaged.zip")
    _damage_descriptor_entry(archive, how)
    result, report = cli.verify_json(archive)
    answered(result, 1)
    for command in (["inspect", archive], ["unpack", archive, "--out", tmp_path / "out"]):
        shown = cli(*command)
        assert "Traceback" not in shown.stderr and shown.returncode == 1, shown.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_audit_and_run_take_the_limits_too(cli, tmp_path):
    folder = clippings(tmp_path / "inbox", 1)
    manifest = write_manifest(tmp_path, [f"glob: {folder}/*.txt"])
    result = answered(cli("run", manifest, "--limit", "records=2", "--json"), 1)
    assert "records limit" in result.stdout
    result = answered(cli("audit", tmp_path / "coll", "--limit", "records=2"), 1)
    assert "AK108 more than 2 records (records limit)" in result.stdout
    answered(cli("audit", tmp_path / "coll"), 0)


def test_output_that_is_not_a_terminal_keeps_every_character_escaped(cli, tmp_path):
    # A nightly job's log is not a terminal. click strips what looks like a colour
    # sequence from such output before our escaping sees it: the log showed the
    # headline with "\x1b[2K\x1b[1A" gone, and an error named "report.txt", another file.
    shown = answered(cli("inspect", hostile_package(cli, tmp_path)), 0)
    assert SHOWN_HEADLINE in shown.stdout
    missing = tmp_path / "\x1b[1mreport.txt"
    failed = answered(cli("metadata", missing), 3)
    assert f"{tmp_path}/\\u001b[1mreport.txt: no such file" in failed.stderr


def test_a_linked_trust_store_or_report_is_written_through_its_link(package, tmp_path):
    # An atomic write renamed over the link: the home got a private copy of the store,
    # and the shared one (in a config repository, say) never heard of the new key.
    cli, bag = package
    shared = tmp_path / "config" / "trust.yaml"
    shared.parent.mkdir()
    cli.home.joinpath("trust.yaml").rename(shared)
    cli.home.joinpath("trust.yaml").symlink_to(shared)
    answered(cli("keys", "generate", "desk"), 0)
    assert cli.home.joinpath("trust.yaml").is_symlink()
    assert "name: desk" in shared.read_text()
    report = tmp_path / "reports" / "latest.html"
    report.parent.mkdir()
    (tmp_path / "latest.html").symlink_to(report)
    answered(cli("verify", bag, "--html", tmp_path / "latest.html"), 0)
    assert (tmp_path / "latest.html").is_symlink() and "<title>Verification report" in report.read_text()


def test_a_device_or_fifo_named_as_an_output_file_is_not_replaced(package, fifo, tmp_path):
    # As root, a rename over /dev/null replaced the device with a regular file.
    cli, bag = package
    for command in (["trust", "export", fifo], ["verify", bag, "--html", fifo]):
        result = answered(cli(*command), 3)
        assert f"is not a regular file, so it is not replaced ({fifo})" in result.stderr
        assert result.stdout == ""                              # refused before any work
        assert fifo.is_fifo()


def test_verify_wacz_takes_only_a_regular_file(cli, fifo, tmp_path):
    """--wacz opened what it was given with zipfile, which waited for ever on a FIFO's
    writer; a link or a folder is named as it is for a package."""
    from support.webarchives import make_wacz
    wacz = make_wacz(tmp_path / "crawl.wacz")
    (tmp_path / "link.wacz").symlink_to(wacz)
    (tmp_path / "folder.wacz").mkdir()
    for path, said in ((fifo, "is a FIFO (named pipe); a WACZ is a regular file"),
                       (tmp_path / "link.wacz", "is a symbolic link; name the WACZ itself"),
                       (tmp_path / "folder.wacz", "is a directory; a WACZ is a regular file")):
        result = answered(cli("verify", "--wacz", "--json", path, timeout=QUICK), 1)
        messages = [f["message"] for f in json.loads(result.stdout)["packages"][0]["findings"]]
        assert messages == [f"{path}: {said}"]
    answered(cli("verify", "--wacz", wacz, timeout=QUICK), 0)


def test_verify_wacz_reads_within_the_limits_given(cli, tmp_path):
    from support.webarchives import make_wacz
    wacz = make_wacz(tmp_path / "crawl.wacz")
    result = answered(cli("verify", "--wacz", "--json", wacz, "--limit", "entries=2"), 1)
    messages = [f["message"] for f in json.loads(result.stdout)["packages"][0]["findings"]]
    assert "more than 2 entries; the rest not read" in messages
