"""HTML pages: parsed with lxml, never with regular expressions over markup."""

import lxml.html
from lxml import etree

from archivekit import __version__
from archivekit.metadata import ClippingMetadata, Extraction

METHOD = "html"


def parse(data: bytes):
    parser = lxml.html.HTMLParser(recover=True, remove_comments=True)
    try:
        return lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def extract(data: bytes, url: str | None = None) -> ClippingMetadata:
    result = ClippingMetadata(Extraction(METHOD, __version__), url=url)
    doc = parse(data)
    if doc is None:
        result.extraction.warnings.append("no HTML document could be parsed")
        return result
    title = doc.xpath("string(//title)").strip()
    og = doc.xpath("string(//meta[@property='og:title']/@content)").strip()
    result.headline = og or title or None
    if not result.headline:
        result.extraction.warnings.append("no headline found")
    return result
