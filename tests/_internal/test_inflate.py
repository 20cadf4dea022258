"""The gzip inflaters: each backend inflates what gzip wrote, member by member, and every
kind of damage raises InflateError in one wording."""

import gzip
import zlib

import pytest
from hypothesis import given, settings, strategies as st

from archivekit._internal import inflate

BACKENDS = sorted(inflate.BACKENDS)


def _inflate(factory, member: bytes, cut: int) -> bytes:
    inflater, out = factory(), bytearray()
    for start in range(0, len(member), cut):
        out += inflater.decompress(member[start:start + cut])
    out += inflater.flush()
    assert inflater.eof
    return bytes(out)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=20_000), level=st.integers(0, 9), cut=st.integers(1, 5000))
def test_both_inflaters_give_back_what_gzip_wrote_however_it_is_cut(backend, data, level, cut):
    member = gzip.compress(data, compresslevel=level, mtime=0)
    for factory in inflate.member_inflaters(backend):
        assert _inflate(factory, member, cut) == data


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_inflater_stops_at_the_end_of_its_member(backend):
    first, second = gzip.compress(b"first", mtime=0), gzip.compress(b"second", mtime=0)
    for factory in inflate.member_inflaters(backend):
        inflater = factory()
        assert inflater.decompress(first + second) == b"first"
        assert inflater.unused_data == second


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=60, deadline=None)
@given(data=st.binary(min_size=1, max_size=5000), where=st.integers(0, 7))
def test_a_changed_crc_is_an_inflate_error_called_a_crc_mismatch(backend, data, where):
    member = bytearray(gzip.compress(data, mtime=0))
    member[-8 + where % 4] ^= 0x01                    # one bit of the CRC-32
    for factory in inflate.member_inflaters(backend):
        with pytest.raises(inflate.InflateError) as caught:
            _inflate(factory, bytes(member), len(member))
        assert inflate.describe(caught.value) == "CRC-32 mismatch"


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_wrong_length_and_bad_deflate_data_are_inflate_errors(backend):
    member = gzip.compress(b"x" * 1000, mtime=0)
    wrong_length = member[:-1] + bytes([member[-1] ^ 1])
    not_deflate = member[:10] + b"\xff" * 20 + member[30:]
    for factory in inflate.member_inflaters(backend):
        for broken in (wrong_length, not_deflate):
            with pytest.raises(inflate.InflateError) as caught:
                _inflate(factory, broken, len(broken))
            assert inflate.describe(caught.value) != ""


def test_describe_keeps_any_other_message():
    assert inflate.describe(zlib.error("invalid block type")) == "invalid block type"
    assert inflate.describe(zlib.error("Error -3 incorrect data check")) == "CRC-32 mismatch"


def test_the_inflater_is_isal_when_installed_and_zlib_on_request(monkeypatch):
    monkeypatch.delenv("ARCHIVEKIT_INFLATE", raising=False)
    assert inflate.default_backend() == ("isal" if "isal" in inflate.BACKENDS else "zlib")
    monkeypatch.setenv("ARCHIVEKIT_INFLATE", "zlib")
    assert inflate.default_backend() == "zlib"
    monkeypatch.setenv("ARCHIVEKIT_INFLATE", "brotli")            # not one we have: ignored
    assert inflate.default_backend() == ("isal" if "isal" in inflate.BACKENDS else "zlib")
