"""Digest spellings: archivekit writes 'sha256:<hex>' and reads every spelling the IIPC
WARC guidance lists; anything else is a ValueError saying what is wrong."""

import base64
import hashlib

import pytest
from hypothesis import given, strategies as st

from archivekit.formats import digests

SIZES = {"sha1": 20, "sha256": 32, "sha512": 64, "md5": 16}
LABELS = {"sha1": ["sha1", "SHA1", "sha-1", "SHA_1"], "sha256": ["sha256", "SHA-256", "Sha_256"],
          "sha512": ["sha512", "SHA-512"], "md5": ["md5", "MD5"]}


@st.composite
def spellings(draw):
    algorithm = draw(st.sampled_from(sorted(SIZES)))
    raw = draw(st.binary(min_size=SIZES[algorithm], max_size=SIZES[algorithm]))
    name = draw(st.sampled_from(LABELS[algorithm]))
    encoded = draw(st.sampled_from([raw.hex(), raw.hex().upper(),
                                    base64.b32encode(raw).decode(),
                                    base64.b32encode(raw).decode().rstrip("="),
                                    base64.b32encode(raw).decode().lower()]))
    return algorithm, raw, f"{name}:{encoded}"


@given(spellings())
def test_every_listed_spelling_reads_as_its_algorithm_and_bytes(case):
    algorithm, raw, text = case
    assert digests.parse(text) == (algorithm, raw)
    assert digests.parse(f" {text} ") == (algorithm, raw)      # as a header line holds it
    assert digests.parse(text.replace(":", ": ", 1)) == (algorithm, raw)


@given(st.binary())
def test_what_archivekit_writes_it_reads_back(data):
    written = digests.sha256_label(data)
    assert written == "sha256:" + hashlib.sha256(data).hexdigest()
    assert digests.parse(written) == ("sha256", hashlib.sha256(data).digest())
    digester = digests.Sha256Digester()
    for start in range(0, len(data), 7):
        digester.update(data[start:start + 7])
    assert str(digester) == written


@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_with_a_value_error(text):
    try:
        algorithm, raw = digests.parse(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert len(raw) == SIZES[algorithm]


@pytest.mark.parametrize("value, problem", [
    ("0" * 64, "has no algorithm label"),
    (None, "has no algorithm label"),
    ("sha384:" + "0" * 96, "unknown digest algorithm 'sha384'"),
    ("sha256:" + base64.b32encode(bytes(31)).decode(), "sha256 digest has 31 bytes, expected 32"),
    ("sha256:" + "g" * 64, "sha256 digest has 40 bytes, expected 32"),   # base32, too long
    ("sha256:" + "0" * 62, "'0+' is neither base16 nor base32"),
    ("sha256:" + "!" * 64, "neither base16 nor base32"),
    ("sha1:" + "A" * 31 + "1", "neither base16 nor base32"),
])
def test_a_wrong_digest_is_refused_saying_why(value, problem):
    with pytest.raises(ValueError, match=problem):
        digests.parse(value)
