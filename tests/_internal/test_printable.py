"""printable(): control characters and bidirectional overrides become visible escapes."""

import json

from archivekit._internal.printable import printable


def test_escape_sequences_become_visible():
    assert printable("ok\x1b[2K\x1b[1A\rFAILED") == "ok\\u001b[2K\\u001b[1A\\u000dFAILED"
    assert printable("\x9b31m red") == "\\u009b31m red"            # the one-byte CSI
    assert printable("abc\u202edcba") == "abc\\u202edcba"          # right-to-left override
    assert printable("\x00\x07\x08\x7f") == "\\u0000\\u0007\\u0008\\u007f"


def test_ordinary_text_is_untouched():
    text = "Chinese Spy Agency Rising to Challenge the C.I.A.\n\tÉté — 東京 «citation» 🙂"
    assert printable(text) == text


def test_escaped_json_means_the_same():
    value = {"headline": "a\u009bb\u202ec\u2066d"}
    text = json.dumps(value, ensure_ascii=False)
    assert printable(text) != text and json.loads(printable(text)) == value
