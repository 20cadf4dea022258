"""Package ids: readable and unique, e.g. 2023-12-28-nyt-chinese-spy-agency-rising-7f3a9c2e."""

import re
import unicodedata

from archivekit.extract.metadata import ClippingMetadata

_PUBLISHER_SHORT = {
    "the new york times": "nyt", "new york times": "nyt", "the washington post": "wapo",
    "washington post": "wapo", "the wall street journal": "wsj", "wall street journal": "wsj",
    "the guardian": "guardian", "associated press": "ap", "the associated press": "ap",
    "reuters": "reuters", "the economist": "economist", "bbc news": "bbc",
}
_STOP = {"a", "an", "the", "of", "to", "and", "in", "on", "for", "at"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,120}$")


def slug(text: str, words: int = 5, limit: int = 40) -> str:
    """A few words of `text` for a file name: ASCII, lower case, stop words dropped."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    tokens = [t for t in re.split(r"[^a-z0-9]+", ascii_text.lower().replace(".", "")) if t]
    chosen = [t for t in tokens if t not in _STOP][:words] or tokens[:words]
    return "-".join(chosen)[:limit].strip("-")


def package_id(metadata: ClippingMetadata, sha256_hex: str, captured: str,
               fallback_name: str) -> str:
    """A package's id: its date, publisher, a slug of its headline and the start of its
    sha256, so that ids sort by date and name the clipping."""
    date = None
    for candidate in ((metadata.print.date if metadata.print else None), metadata.published):
        if candidate and re.match(r"^\d{4}-\d{2}-\d{2}", candidate):
            date = candidate[:10]
            break
    parts = [date or captured[:10]]
    publisher = metadata.publisher_name
    if publisher:
        parts.append(_PUBLISHER_SHORT.get(publisher.lower().strip()) or slug(publisher, 2, 16))
    parts.append(slug(metadata.headline or "") or slug(fallback_name) or "clipping")
    parts.append(sha256_hex[:8])
    return "-".join(p for p in parts if p)
