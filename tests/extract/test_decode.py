"""Bytes to text for extraction: UTF-8 when it is, else a named fallback with a warning;
any bytes decode, and the bytes themselves are never touched."""

import codecs

import pytest
from hypothesis import given, strategies as st

from archivekit.extract.decode import decode_html, decode_text


@given(st.text())
def test_utf8_text_reads_as_itself_with_or_without_a_bom(text):
    assert decode_text(text.encode("utf-8")) == (text, [])
    assert decode_text(codecs.BOM_UTF8 + text.encode("utf-8")) == (text, [])


@given(st.binary())
def test_any_bytes_decode_and_a_fallback_says_where_utf8_stopped(data):
    text, warnings = decode_text(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        assert len(warnings) == 1 and f"(byte {exc.start})" in warnings[0]
        assert "original bytes kept unchanged" in warnings[0]
        assert len(text) == len(data)                  # one character a byte, none dropped
    else:
        assert warnings == []


def test_windows_1252_is_read_as_such_and_what_it_lacks_as_latin_1():
    text, warnings = decode_text("Café – “quoted”".encode("cp1252"))
    assert text == "Café – “quoted”" and "read as Windows-1252" in warnings[0]
    assert "(byte 3)" in warnings[0]
    text, warnings = decode_text(b"caf\xe9 \x81")          # 0x81: no character in cp1252
    assert text == "café \x81" and "read as Latin-1" in warnings[0]


@pytest.mark.parametrize("data, declared, text", [
    (codecs.BOM_UTF16_LE + "Zürich".encode("utf-16-le"), "iso-8859-1", "Zürich"),   # BOM first
    (codecs.BOM_UTF16_BE + "Zürich".encode("utf-16-be"), None, "Zürich"),
    (codecs.BOM_UTF8 + "Zürich".encode(), "iso-8859-1", "\ufeffZürich"),
    ("<p>Zürich</p>".encode("iso-8859-1"), "ISO-8859-1", "<p>Zürich</p>"),           # the server's
    ("<meta charset='windows-1251'><p>Москва".encode("cp1251"), None,
     "<meta charset='windows-1251'><p>Москва"),                                      # the page's
    ("<meta charset='windows-1251'><p>Zürich".encode("iso-8859-1"), "iso-8859-1",
     "<meta charset='windows-1251'><p>Zürich"),                            # the server's first
    ('<META http-equiv="Content-Type" content="text/html; charset=koi8-r">Мир'.encode("koi8-r"),
     "no-such-charset", '<META http-equiv="Content-Type" content="text/html; charset=koi8-r">Мир'),
    ("<meta charset=utf-8><p>“Zürich”".encode("cp1252"), "utf-8", None),           # both wrong
])
def test_html_is_read_by_bom_then_server_then_meta_then_utf8(data, declared, text):
    decoded, warning = decode_html(data, declared)
    if text is None:
        assert decoded == "<meta charset=utf-8><p>“Zürich”" and "read as Windows-1252" in warning
    else:
        assert (decoded, warning) == (text, None)


@given(st.binary(max_size=500), st.none() | st.sampled_from(["utf-8", "latin-1", "bogus", ""]))
def test_any_page_bytes_decode_with_or_without_a_warning(data, declared):
    decoded, warning = decode_html(data, declared)
    assert isinstance(decoded, str) and (warning is None or "Windows-1252" in warning)
