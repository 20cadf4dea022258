"""extract(): bytes and a media type in, metadata out; it never raises.

Its catch-all turns an extractor's crash into a warning, so every bad-input case names the
warning the *extractor* gives: a crash (whose warning is "extraction failed: ...") fails them.
"""

import json
import os
import time

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


# --- property-based: no input makes a reader raise -----------------------------------
# extract() catches everything and says so in a warning; these call the readers
# themselves, so a reader bug cannot hide behind that guard.

from hypothesis import HealthCheck, example, given, settings, strategies as st  # noqa: E402

_LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["By Jane Doe and John Roe", "Published March 4, 2024", "Updated 2 hours ago",
                     "Advertisement", "Share on Facebook", "Comments", "© 2024 Herald Media",
                     "Reporting by A in B; Editing by C", "Credit...Getty Images", "By", "and",
                     "A version of this article appears in print on Dec. 28, 2023, Section A",
                     "The river rose fast on Tuesday, and the town left before dawn came."]))
_PAGES = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PAGES
@given(st.lists(_LINE, max_size=60))
def test_the_text_reader_never_raises(lines):
    result = text_extractor.extract("\n".join(lines))
    assert result.extraction.method == "text"
    assert not any("extraction failed" in w for w in result.extraction.warnings)


_TAGS = st.sampled_from(["p", "h1", "div", "time", "a", "article", "script", "meta", "span",
                         "figure", "figcaption", "nav", "footer", "li", "html", "body"])
_ATTRS = st.sampled_from(["", " class='byline'", " rel='author'", " itemprop='author'",
                          " datetime='2024-03-04'", " property='og:title' content='&amp;T'",
                          " type='application/ld+json'", " class='caption credit'",
                          " class='date updated'", " itemprop='dateModified' datetime='x'",
                          " property='article:published_time' content='20180619T055000+0900'",
                          " name='ptime' content='Fri Mar 13 21:30:09 EST 2015'"])


@st.composite
def _html(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag, attrs = draw(_TAGS), draw(_ATTRS)
        inner = draw(st.one_of(st.text(max_size=60), st.sampled_from(
            ['{"@type": "NewsArticle", "@graph": [{"author": [null, {"name": 3}]}]}',
             "By Jane Doe", "&#8216;x&#8217; &amp;amp;", "<", "]]>"])))
        parts.append(f"<{tag}{attrs}>{inner}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    return "".join(parts).encode("utf-8", "surrogatepass")


@_PAGES
@given(_html())
@example(b"<p><script></script><html>\x1f")    # htmldate's lxml refused the control character
def test_the_html_reader_never_raises(page):
    result = html_extractor.extract(page)
    assert result.extraction.method == "html"


# Pages no one would write but anyone can hand us: one line of 40,000 characters. Each
# took time in the square of its length (a regular expression tried again from every
# character): 80,000 spaces in a paragraph 37 s, a hex dump 40 s.
LONG_LINES = {
    "a hex dump on one line": ("text/plain", lambda n: (os.urandom(n).hex()[:n]).encode()),
    "spaces inside a paragraph": ("text/html",
                                  lambda n: b"<html><body><h1>T</h1><p>a" + b" " * n + b"b</p>"),
}


@pytest.mark.parametrize("shape", sorted(LONG_LINES))
def test_a_long_line_is_read_in_time_linear_in_its_length(shape):
    media_type, make = LONG_LINES[shape]
    extract(make(10), media_type)     # first reads load their libraries: not counted
    spent = []
    for size in (2_500, 40_000):
        started = time.process_time()     # this process's CPU: other work does not count
        extract(make(size), media_type)
        spent.append(time.process_time() - started)
    assert spent[1] < 60 * max(spent[0], 0.01), spent   # 16x the input; the square is 256x
