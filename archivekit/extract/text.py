"""Plain-text clippings (an article page copied from a browser)."""

from archivekit import __version__
from archivekit.metadata import ClippingMetadata, Extraction

METHOD = "text"


def extract(text: str, url: str | None = None) -> ClippingMetadata:
    lines = [line.strip() for line in text.splitlines()]
    result = ClippingMetadata(Extraction(METHOD, __version__), url=url)
    content = [line for line in lines if line]
    if not content:
        result.extraction.warnings.append("empty text")
        return result
    result.headline = content[0][:500]
    result.body = "\n\n".join(content)
    return result
