"""'Did you mean …?' for a mistyped name (a key, a field, a collection, a package)."""

import difflib


def did_you_mean(word, choices) -> str:
    """' (did you mean X?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
