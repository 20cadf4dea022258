"""A VerificationPolicy is requirements only, small and frozen: what a verification asks
of a package reaches every worker process as it was made (verify/policy.py). What each
requirement does to a verdict, in one process and across workers, is tested in
tests/verify/test_parallel.py."""

import dataclasses
import pickle
from datetime import datetime, timedelta, timezone

import pytest

from archivekit._internal.limits import Limits
from archivekit.trust.truststore import TrustStore
from archivekit.verify import Grounds, VerificationPolicy


def a_policy_unlike_the_default() -> VerificationPolicy:
    default = VerificationPolicy()
    return VerificationPolicy(require_seal=not default.require_seal,
                              clock_skew=default.clock_skew * 3,
                              log_checkpoint="example.org/log\n7\nroot\n",
                              limits=Limits().replace(records=2))


def test_the_default_policy_asks_for_a_seal():
    assert VerificationPolicy().require_seal is True


def test_a_policy_cannot_be_changed_once_made():
    policy = a_policy_unlike_the_default()
    for field in dataclasses.fields(policy):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(policy, field.name, getattr(VerificationPolicy(), field.name))


def test_a_policy_crosses_to_a_worker_process_intact():
    policy = a_policy_unlike_the_default()
    copied = pickle.loads(pickle.dumps(policy))
    assert copied == policy and copied != VerificationPolicy()
    assert hash(copied) == hash(policy)        # frozen: usable as a key, equal when equal


def test_grounds_are_fixed_for_the_whole_verification():
    grounds = Grounds(TrustStore(None), datetime(2026, 1, 1, tzinfo=timezone.utc),
                      VerificationPolicy())
    with pytest.raises(dataclasses.FrozenInstanceError):
        grounds.now = grounds.now + timedelta(days=1)
