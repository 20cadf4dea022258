"""A small, honest language guess from function words (or none)."""

import re
from collections import Counter

_WORDS = {
    "en": {"the", "and", "of", "to", "in", "that", "is", "for", "with", "was", "on", "as"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "den", "ein", "auch", "sich"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "dans", "que", "pour", "qui", "pas"},
    "es": {"el", "la", "los", "las", "que", "y", "del", "por", "una", "con", "para", "es"},
    "pt": {"o", "a", "os", "as", "que", "e", "do", "da", "em", "um", "uma", "para", "não"},
    "cs": {"a", "je", "se", "na", "že", "to", "v", "s", "z", "do", "jako", "ale", "který"},
}


def guess(text: str) -> str | None:
    """The language of `text` by its commonest words, or None when it is too short or unclear."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 30:
        return None
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in vocab) / len(words) for lang, vocab in _WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0.08 else None
