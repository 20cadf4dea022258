"""`archivekit unpack` writes only bytes that verified: nothing from a package that does
not verify (unless --force), never past the declared size, never a failed digest."""

from conftest import SEED
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
