"""`amend` and `withdraw` as commands (cli/curate.py): what they print, the warnings
they pass on, and what they refuse before anything is written. What an amendment and a
withdrawal make is tests/collection/test_amend.py's and test_withdraw.py's."""

import pytest

from support.collection import seed_in_a_collection


@pytest.fixture
def collected(cli, tmp_path):
    return seed_in_a_collection(cli, tmp_path)


def test_amend_says_what_changed_and_where_the_new_version_is(cli, tmp_path, collected):
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\ncall_numbr: 1\n")
    result = cli("amend", collected, "--catalog", fixed, "--reason", "shelved again")
    assert result.returncode == 0, result.stderr
    first, path = result.stdout.splitlines()
    said = f"amended {collected.name} -> {collected.name}-v2 (changed: "
    assert first.startswith(said) and "call_number" in first[len(said):-1].split(", ")
    assert path == str(collected.parent / f"{collected.name}-v2")
    assert "archivekit: warning: " in result.stderr and "did you mean 'call_number'" in result.stderr


def test_withdraw_says_where_the_content_went(cli, collected):
    result = cli("withdraw", collected, "--reason", "takedown request", "--remove-content")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert line.startswith(f"withdrew {collected.name} (content removed; tombstone ")
    assert not collected.exists()


def test_a_package_outside_a_collection_or_mistyped_is_named(cli, tmp_path, collected, sealed):
    _, loose = sealed      # a package in a plain folder (refused before anything is written)
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text("call_number: 327.51\n")
    outside = cli("amend", loose, "--catalog", fixed)
    assert outside.returncode == 3 and "not a package in a collection" in outside.stderr
    typo = cli("amend", str(collected)[:-1] + "x", "--catalog", fixed)
    assert typo.returncode == 3 and f"did you mean '{collected.name}'?" in typo.stderr


def test_a_withdrawal_needs_a_reason(cli, collected):
    result = cli("withdraw", collected)
    assert result.returncode == 2 and "--reason" in result.stderr
    blank = cli("withdraw", collected, "--reason", "  ")
    assert blank.returncode == 2 and "needs a reason" in blank.stderr
    assert collected.exists()
