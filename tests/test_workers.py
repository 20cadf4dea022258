"""`--workers` is the number of cores verification may use; the answer never depends on it."""

import shutil

import pytest

from archivekit.verify.parallel import plan
from test_tamper import flip_compressed_byte


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
