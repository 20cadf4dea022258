"""`archivekit log`: a bad checkpoint given by the user is a usage error naming the file."""

import pytest


@pytest.mark.parametrize("text, words", [
    ("junk\n", "--from {}: not a signed checkpoint"),
    ("", "--from {}: not a signed checkpoint"),
    ("\xff\xfe not even text", "{}: the checkpoint is not UTF-8 text"),
])
def test_consistency_from_a_junk_checkpoint_is_a_usage_error(cli, tmp_path, text, words):
    assert cli("collection", "init", tmp_path / "coll").returncode == 0
    junk = tmp_path / "old-checkpoint.txt"
    junk.write_text(text, "latin-1")
    result = cli("log", "consistency", tmp_path / "coll", "--from", junk)
    assert result.returncode == 2, result.stderr
    assert words.format(junk) in result.stderr
    assert "Traceback" not in result.stderr
