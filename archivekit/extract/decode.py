"""Bytes to text for extraction only; the stored bytes are never changed."""


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text for extraction and its warnings: UTF-8 (a BOM dropped), else read as
    Windows-1252 with a warning; the original bytes are never changed."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        warning = (f"text is not UTF-8 (byte {exc.start}); read as Windows-1252 for "
                   "extraction only, original bytes kept unchanged")
    try:
        return data.decode("cp1252"), [warning]
    except UnicodeDecodeError:
        return data.decode("latin-1"), [warning.replace("Windows-1252", "Latin-1")]


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Bytes to text: BOM, then the server's charset, then <meta charset>, then UTF-8,
    then Windows-1252. Returns (text, a warning or None)."""
    import codecs
    import re
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, "replace"), None
    head = data[:4096].decode("ascii", "replace")
    meta = re.search(r"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", head, re.I)
    for candidate in (declared, meta.group(1) if meta else None, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate), None
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace"), ("page is not valid UTF-8 and declares no usable "
                                              "charset; read as Windows-1252 for extraction only")
