"""The nearest name to a mistyped one, for "did you mean …?" in messages."""

import difflib


def closest(word, choices) -> str | None:
    """The choice closest to `word`, when one is close enough (difflib's 0.6), else None."""
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word, choices) -> str:
    """' (did you mean X?)' when a close match exists, else ''."""
    close = closest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""
