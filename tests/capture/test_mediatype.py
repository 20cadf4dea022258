"""A file's media type: its magic bytes first, its name second, then NUL-or-not; and a
charset claimed only for text that is UTF-8."""

import pytest
from hypothesis import given, strategies as st

from archivekit.capture.mediatype import sniff, with_charset


@pytest.mark.parametrize("head, name, media_type", [
    (b"%PDF-1.7\n", "scan.txt", "application/pdf"),               # the bytes win over the name
    (b"\x89PNG\r\n\x1a\n\0\0", "clip.jpg", "image/png"),
    (b"\xff\xd8\xff\xe0", "clip", "image/jpeg"),
    (b"GIF89a", "x", "image/gif"), (b"GIF87a", "x", "image/gif"),
    (b"II*\x00", "x", "image/tiff"), (b"MM\x00*", "x", "image/tiff"),
    (b"RIFF\x10\0\0\0WEBPVP8 ", "x", "image/webp"),
    (b"RIFF\x10\0\0\0WAVEfmt ", "x.wav", "application/octet-stream"),   # RIFF, not WebP
    (b"\xef\xbb\xbf \n<!DOCTYPE HTML><p>", "page.txt", "text/html"),
    (b"<HTML lang=en>", "page", "text/html"), (b"\t<body>", "p", "text/html"),
    (b"Plain words", "page.HTM", "text/html"),
    (b"Plain words", "notes.md", "text/plain"),
    (b"Plain words", "archive.xhtml", "application/xhtml+xml"),
    (b"Plain words", "no-suffix", "text/plain"),
    (b"bin\x00ary", "data.bin", "application/octet-stream"),
    (b"bin\x00ary", "data.txt", "text/plain"),                    # a name we know wins over a NUL
    (b"", "empty.tiff", "image/tiff"),
])
def test_magic_bytes_then_the_name_then_nul_or_not(head, name, media_type):
    assert sniff(head, name) == media_type


def test_html_markers_are_looked_for_only_at_the_start():
    assert sniff(b"Some words about <html> tags", "notes") == "text/plain"
    assert sniff(b" " * 2048 + b"<html>", "notes") == "text/plain"   # past the first 2 KiB


@given(st.binary(max_size=300), st.text(max_size=30))
def test_any_bytes_and_name_have_a_media_type(head, name):
    assert "/" in sniff(head, name)


@given(st.text(max_size=200), st.integers(0, 3))
def test_utf8_text_claims_utf8_even_cut_inside_its_last_character(text, cut):
    data = text.encode("utf-8")
    head = data[:max(0, len(data) - cut)]
    assert with_charset("text/plain", head) == "text/plain; charset=utf-8"


def test_text_that_is_not_utf8_claims_no_charset_and_other_types_none():
    cp1252 = "Café society – “quoted” and more words after it".encode("cp1252")
    assert with_charset("text/plain", cp1252) == "text/plain"
    assert with_charset("text/html", b"\xe9t\xe9 " * 3) == "text/html"
    assert with_charset("text/plain", b"ok \xe9") == "text/plain; charset=utf-8"   # cut at the edge
    assert with_charset("text/plain", b"ok \xe9 and five") == "text/plain"
    assert with_charset("application/pdf", b"%PDF-") == "application/pdf"
