"""`archivekit export` and `unpack` as commands: formats and files named, ordinary file
modes unless asked. What an export holds is tests/collection/test_collection_export.py's."""

import stat


def test_a_mistyped_format_and_an_existing_file_are_named(cli, tmp_path, package):
    cli, path = package
    typo = cli("export", path, "--as", "tra", "--out", tmp_path / "out")
    assert typo.returncode == 2 and "did you mean 'tar'?" in typo.stderr
    assert cli("export", path, "--out", tmp_path / "out").returncode == 0
    again = cli("export", path, "--out", tmp_path / "out")
    assert again.returncode == 3 and "already exists" in again.stderr
    gone = cli("export", tmp_path / "gone", "--out", tmp_path / "out")
    assert gone.returncode == 3 and "no such package" in gone.stderr


def test_unpacked_files_are_ordinary_unless_asked(package, tmp_path):
    cli, path = package
    assert cli("unpack", path, "--out", tmp_path / "a").returncode == 0
    assert cli("unpack", path, "--out", tmp_path / "b", "--mode", "600").returncode == 0
    modes = {p.parent.name: stat.S_IMODE(p.stat().st_mode)
             for p in tmp_path.glob("[ab]/*")}
    assert modes == {"a": 0o644, "b": 0o600}
    bad = cli("unpack", path, "--out", tmp_path / "c", "--mode", "rw")
    assert bad.returncode == 2 and "--mode" in bad.stderr
