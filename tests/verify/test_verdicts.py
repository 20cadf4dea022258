"""Verdicts a librarian can act on, and the exit code of several."""

import pytest

from archivekit.verify.codes import CODES
from archivekit.verify.verdicts import (CHANGED, NOT_CHECKED, NOT_TRUSTED, TRUST_CODES, VERIFIED,
                                        exit_code_for, verdict_for)


@pytest.mark.parametrize("codes,expected", [
    (set(), VERIFIED),
    ({"AK203"}, CHANGED),                       # a payload digest differs
    ({"AK508"}, CHANGED),                       # the seal's signature no longer verifies
    ({"AK507"}, NOT_TRUSTED),                   # nobody we trust signed it
    ({"AK510", "AK531"}, NOT_TRUSTED),          # compromised key, its checkpoint
    ({"AK516"}, NOT_TRUSTED),                   # retired key used after retirement
    ({"AK207"}, NOT_CHECKED),                   # a file could not be read
    ({"AK207", "AK507"}, NOT_CHECKED),
    ({"AK208"}, CHANGED),                       # damaged inside its container
    ({"AK203", "AK207", "AK507"}, CHANGED),     # a change found outranks the rest
])
def test_verdict_for(codes, expected):
    assert verdict_for(codes) == expected


def test_every_trust_code_exists():
    assert TRUST_CODES <= set(CODES)


def test_exit_codes():
    assert exit_code_for([]) == 0
    assert exit_code_for([VERIFIED, NOT_CHECKED]) == 3
    assert exit_code_for([NOT_CHECKED, NOT_TRUSTED]) == 1
    assert exit_code_for([VERIFIED, CHANGED]) == 1
