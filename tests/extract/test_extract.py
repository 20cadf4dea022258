"""extract(): bytes and a media type in, metadata out; it never raises.

Its catch-all turns an extractor's crash into a warning, so every bad-input case names the
warning the *extractor* gives: a crash (whose warning is "extraction failed: ...") fails them.
"""

import json
import os

import pytest

from archivekit.extract import extract
from archivekit.extract import html as html_extractor
from archivekit.extract import text as text_extractor

MOJIBAKE = "CafÃ© sociÃ©tÃ© â€” mojibake all along\n".encode("utf-8") * 50


@pytest.mark.parametrize("data,media_type,method,warning", [
    (b"", "text/plain", "text", "empty text: nothing to extract"),
    (b"\xff" + os.urandom(100_000), "text/plain", "text", "text is not UTF-8"),
    (b"\xff" + os.urandom(100_000), "text/html", "html", "page is not valid UTF-8"),
    (MOJIBAKE, "text/plain", "text", "no headline found"),
    (b"<html><body><nav>Home | About</nav></body></html>", "text/html", "html",
     "no article text found"),
    (b"\x89PNG\r\n\x1a\n" + os.urandom(1000), "image/png", "ocr",
     "image refused: not a PNG, JPEG, TIFF, GIF or WebP image that can be decoded"),
    (b"%PDF-1.4\n" + os.urandom(1000), "application/pdf", "pdf", "PDF refused: "),
    (b"RIFF\0\0\0\0WAVEfmt ", "audio/wav", "none", "no text extractor for audio/wav"),
])
def test_bad_input_gives_the_extractors_warnings_not_exceptions(data, media_type, method,
                                                                warning):
    result = extract(data, media_type)
    assert result.extraction.method == method, result.extraction
    assert any(w.startswith(warning) for w in result.extraction.warnings), result.extraction
    json.dumps(result.to_dict())   # always serialisable


@pytest.mark.parametrize("media_type,extractor", [("text/html", html_extractor),
                                                  ("text/plain", text_extractor)])
def test_an_extractor_crash_becomes_a_warning_and_keeps_the_url(monkeypatch, media_type,
                                                                extractor):
    def crash(*args):
        raise RuntimeError("a bug in the extractor")
    monkeypatch.setattr(extractor, "extract", crash)
    result = extract(b"Headline\n\nBody text.\n", media_type, "https://example.org/a")
    assert result.extraction.method == "failed"
    assert result.extraction.warnings == [
        "extraction failed: RuntimeError: a bug in the extractor"]
    assert result.url == "https://example.org/a"
