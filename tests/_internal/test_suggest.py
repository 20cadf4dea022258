"""'Did you mean …?': the closest name to a mistyped one, and nothing when none is close."""

from archivekit._internal.suggest import closest, did_you_mean

JOBS = ["audit", "verify", "timestamp", "countersign"]


def test_a_typing_slip_finds_the_name_meant():
    assert closest("veryfy", JOBS) == "verify"
    assert closest("timestmap", JOBS) == "timestamp"
    assert did_you_mean("adit", JOBS) == " (did you mean 'audit'?)"


def test_a_word_close_to_nothing_suggests_nothing():
    assert closest("zzzz", JOBS) is None
    assert closest("verification", JOBS) is None       # 'verify' in it, but 0.56 alike: too far
    assert did_you_mean("zzzz", JOBS) == ""
    assert did_you_mean("audit", []) == ""


def test_names_that_are_not_strings_are_compared_as_written():
    assert closest(2024, [2042, "x"]) == "2042"
    assert closest("ak-1", {"ak-1": 1, "ak-2": 2}) == "ak-1"       # a mapping's keys
