"""Media type of a file source: magic bytes first, the file name second."""

_MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]
_EXTENSIONS = {
    ".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain", ".text": "text/plain", ".md": "text/plain",
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".tif": "image/tiff", ".tiff": "image/tiff",
    ".webp": "image/webp",
}
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


def sniff(head: bytes, filename: str) -> str:
    """A file's media type, from its first bytes (magic numbers, HTML markers), then its
    name's suffix; else binary when it holds a NUL byte, plain text when not."""
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    lowered = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(lowered.startswith(marker) for marker in _HTML_MARKERS):
        return "text/html"
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if b"\x00" in head:
        return "application/octet-stream"
    return "text/plain"


def with_charset(media_type: str, data_head: bytes) -> str:
    """Declare UTF-8 only when the bytes are UTF-8; otherwise claim nothing."""
    if not media_type.startswith("text/"):
        return media_type
    try:
        data_head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data_head) - 4:  # not just a character cut at the edge
            return media_type
    return f"{media_type}; charset=utf-8"
