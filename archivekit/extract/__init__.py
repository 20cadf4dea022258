"""Clipping metadata extraction: bytes in, ClippingMetadata out. Never raises."""

from datetime import datetime

from archivekit._internal.software import __version__
from archivekit.extract.metadata import ClippingMetadata, Extraction

from archivekit.extract.decode import decode_text
from archivekit.extract import html as html_extractor
from archivekit.extract import reading as scan_extractor
from archivekit.extract import text as text_extractor


def extract(data: bytes, media_type: str, url: str | None = None,
            declared_charset: str | None = None, captured: datetime | None = None
            ) -> ClippingMetadata:
    """Read what the clipping says about itself. Problems become warnings.
    `declared_charset`: what a web server said the page's encoding is; `captured`: when
    the clipping was taken ('Updated 2 hours ago' is read against it; in HTML, no
    date after it is taken for the publication)."""
    try:
        if media_type.startswith("text/html") or media_type.startswith("application/xhtml"):
            result = html_extractor.extract(data, url, declared_charset, captured)
        elif media_type.startswith("text/"):
            text, warnings = decode_text(data)
            result = text_extractor.extract(text, url, captured)
            result.extraction.warnings[:0] = warnings
        elif media_type.startswith("image/"):
            result = scan_extractor.extract_image(data, url)
        elif media_type.startswith("application/pdf"):
            result = scan_extractor.extract_pdf(data, url)
        else:
            result = ClippingMetadata(Extraction("none", __version__,
                                                 [f"no text extractor for {media_type}"]))
    except Exception as exc:  # an extractor bug must never cost us the capture
        result = ClippingMetadata(Extraction("failed", __version__,
                                             [f"extraction failed: {type(exc).__name__}: {exc}"]))
    if url and not result.url:
        result.url = url
    return result
