"""Verdicts a librarian can act on."""

import pytest

from archivekit.verify.codes import CODES
from archivekit.verify.verdicts import (CHANGED, NOT_CHECKED, NOT_TRUSTED, TOO_LARGE,
                                        TRUST_CODES, VERIFIED, verdict_for)


@pytest.mark.parametrize("codes,expected", [
    (set(), VERIFIED),
    ({"AK203"}, CHANGED),                       # a payload digest differs
    ({"AK508"}, CHANGED),                       # the seal's signature no longer verifies
    ({"AK507"}, NOT_TRUSTED),                   # nobody we trust signed it
    ({"AK510", "AK531"}, NOT_TRUSTED),          # compromised key, its checkpoint
    ({"AK516"}, NOT_TRUSTED),                   # retired key used after retirement
    ({"AK207"}, CHANGED),                       # unreadable: a bad CRC reads the same way
    ({"AK199"}, NOT_CHECKED),                   # the verifier failed
    ({"AK199", "AK507"}, NOT_CHECKED),
    ({"AK203", "AK199", "AK507"}, CHANGED),     # a change found outranks the rest
    ({"AK108"}, TOO_LARGE),                     # a reading limit: nothing judged past it
    ({"AK108", "AK507"}, TOO_LARGE),
    ({"AK108", "AK203"}, CHANGED),
])
def test_verdict_for(codes, expected):
    assert verdict_for(codes) == expected


def test_every_trust_code_exists():
    assert TRUST_CODES <= set(CODES)
