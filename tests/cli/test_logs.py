"""`archivekit log`: a bad checkpoint given by the user is a usage error naming the file."""

import pytest


@pytest.mark.parametrize("text", ["junk\n", "\xff\xfe not even text", ""])
def test_consistency_from_a_junk_checkpoint_is_a_usage_error(cli, tmp_path, text):
    assert cli("collection", "init", tmp_path / "coll").returncode == 0
    junk = tmp_path / "old-checkpoint.txt"
    junk.write_text(text, "latin-1")
    result = cli("log", "consistency", tmp_path / "coll", "--from", junk)
    assert result.returncode == 2, result.stderr
    assert f"--from {junk}: not a signed checkpoint" in result.stderr
    assert "Traceback" not in result.stderr
