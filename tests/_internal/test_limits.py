"""The Budget: what reading one package may cost, and the error that names the limit."""

import io

import pytest

from archivekit._internal.limits import Budget, BudgetedStream, LimitExceeded, Limits


def test_inflated_bytes_are_counted_across_files():
    budget = Budget(Limits(inflated_bytes=100))
    BudgetedStream(io.BytesIO(bytes(60)), budget, "a").read()
    with pytest.raises(LimitExceeded, match="over the inflated_bytes limit") as caught:
        BudgetedStream(io.BytesIO(bytes(60)), budget, "b").read()
    assert caught.value.limit == "inflated_bytes" and caught.value.what.startswith("b")


def test_a_compressed_container_may_expand_only_so_far():
    budget = Budget(Limits(expansion=10, expansion_allowance=5))
    budget.cap_expansion(stored_bytes=3)             # 10 * 3 + 5 = 35 bytes
    budget.spend(35, "entry")
    with pytest.raises(LimitExceeded, match="expansion"):
        budget.spend(1, "entry")


def test_wall_time_and_bytes_held():
    budget = Budget(Limits(seconds=0, kept_bytes=10))
    with pytest.raises(LimitExceeded, match="seconds"):
        budget.spend(1, "slow")
    with pytest.raises(LimitExceeded, match="kept_bytes"):
        budget.keep(11, "held")


def test_limits_are_replaced_by_name_only():
    assert Limits().replace(records=5).records == 5
    with pytest.raises(ValueError, match="unknown limit recrods"):
        Limits().replace(recrods=5)
