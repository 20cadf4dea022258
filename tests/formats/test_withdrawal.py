"""The tombstone format: made and read back; any bytes are read or refused as a format
error, never a crash."""

import base64
import json

import pytest
from hypothesis import given, settings, strategies as st

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from archivekit.formats.seal import SealFormatError, pae
from archivekit.formats.withdrawal import PAYLOAD_TYPE, make_tombstone, read_tombstone
from archivekit.trust.keys import SigningKey


def Key():
    return SigningKey("desk", Ed25519PrivateKey.generate())


def test_a_tombstone_reads_back_with_what_was_signed():
    key = Key()
    data = make_tombstone("clip-1", "2026-01-01T00:00:00Z", "duplicate", "removed", None,
                          key, "desk", "Library")
    envelope, statement = read_tombstone(data)
    assert statement["reason"] == "duplicate" and statement["content"] == "removed"
    assert envelope.signed_message == pae(PAYLOAD_TYPE, envelope.body)
    key.public_key.verify(envelope.signatures[0][1], envelope.signed_message)   # raises if not


@pytest.mark.parametrize("change,message", [
    ({"content": "burnt"}, "misstates content"),
    ({"reason": None}, "lacks or misstates reason"),
    ({"type": "archivekit/seal/v1"}, "not a withdrawal statement"),
])
def test_a_statement_that_says_the_wrong_thing_is_refused(change, message):
    envelope = json.loads(make_tombstone("clip-1", "2026-01-01T00:00:00Z", "x", "removed",
                                         None, Key(), "desk", ""))
    statement = json.loads(base64.b64decode(envelope["payload"]))
    statement.update(change)
    envelope["payload"] = base64.b64encode(json.dumps(statement).encode()).decode()
    with pytest.raises(SealFormatError, match=message):
        read_tombstone(json.dumps(envelope).encode())


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_any_bytes_are_read_or_refused_as_a_format_error(data):
    try:
        read_tombstone(data)
    except SealFormatError:
        pass
