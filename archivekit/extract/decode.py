"""Bytes to text for extraction only; the stored bytes are never changed."""


def decode_text(data: bytes) -> tuple[str, list[str]]:
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
