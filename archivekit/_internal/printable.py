"""Text from a package made safe to show: control characters become visible escapes.

A headline, a file name or an error message quoting either can hold terminal escape
sequences (erase the line that said FAILED, move the cursor, retitle the window) or
bidirectional overrides (show a name reversed). Shown as `\\uXXXX`, which is also a
valid JSON escape of the same character, so escaped JSON output keeps its meaning.
"""

import re

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI),
# and the invisible bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every control or bidirectional-override character as `\\uXXXX`."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
