"""`archivekit unpack` writes only bytes that verified: nothing from a package that does
not verify (unless --force), never past the declared size, never a failed digest."""

from pathlib import Path

import bagit

from conftest import SEED
from support.bags import make_bag
from support.tamper import edit_descriptor, flip_compressed_byte, rewrite_member


def _written(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_unpack_writes_the_original_bytes(package, tmp_path):
    cli, bag = package
    result = cli("unpack", bag, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / SEED.name).read_bytes() == SEED.read_bytes()


def test_nothing_is_written_from_a_package_that_does_not_verify(package, tmp_path):
    cli, bag = package
    edit_descriptor(bag, lambda d: d["sources"][0].update(filename="forged.txt"))
    flip_compressed_byte(bag)
    result = cli("unpack", bag, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "does not verify" in result.stderr and "AK205" in result.stderr
    assert _written(tmp_path / "out") == []


def test_force_still_refuses_bytes_that_fail_their_digest(package, tmp_path):
    cli, bag = package
    rewrite_member(bag, 1, lambda record: record.replace(b"Chinese", b"Russian"))
    result = cli("unpack", bag, "--out", tmp_path / "out", "--force")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "do not match the recorded size and sha256" in result.stderr
    assert _written(tmp_path / "out") == []          # no temporary left behind either


def test_force_never_writes_past_the_declared_size(package, tmp_path):
    """A record that holds more than the descriptor declares (say, one that inflates to
    512 MiB) is cut off at the declared size, and not kept."""
    cli, bag = package
    edit_descriptor(bag, lambda d: d["sources"][0].update(bytes=10))
    result = cli("unpack", bag, "--out", tmp_path / "out", "--force")
    assert result.returncode == 1
    assert "holds more than the 10 bytes the descriptor declares" in result.stderr
    assert _written(tmp_path / "out") == []


def test_unpack_gives_back_an_adopted_bag_as_the_folder_it_was(cli, tmp_path):
    bag = make_bag(tmp_path / "flood-bag")
    made = cli("capture", bag, "--out", tmp_path / "archive")
    assert made.returncode == 0, made.stderr
    result = cli("unpack", made.stdout.strip(), "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    restored = tmp_path / "out" / "flood-bag"
    assert sorted(str(p.relative_to(restored)) for p in restored.rglob("*")) == \
        sorted(str(p.relative_to(bag)) for p in bag.rglob("*"))     # the empty folder too
    assert all((restored / p.relative_to(bag)).read_bytes() == p.read_bytes()
               for p in bag.rglob("*") if p.is_file())
    bagit.Bag(str(restored)).validate()


def test_an_adopted_bag_that_does_not_match_its_digest_is_not_unpacked(cli, tmp_path):
    made = cli("capture", make_bag(tmp_path / "flood-bag"), "--out", tmp_path / "archive")
    package = Path(made.stdout.strip())
    changed = package / "data/bag/data/clipping.txt"
    changed.write_bytes(changed.read_bytes().replace(b"31", b"13"))   # the same size
    result = cli("unpack", package, "--out", tmp_path / "out", "--force")
    assert result.returncode == 1 and "flood-bag: the stored bag does not match" in result.stderr
    assert _written(tmp_path / "out") == []
