"""The clipping metadata model: what a clipping says about itself.

Stored twice in a package, identical: as the JSON block of the WARC `metadata`
record and as the descriptor's `metadata`.
"""

from dataclasses import asdict, dataclass, field

@dataclass
class Author:
    name: str
    bio: str | None = None
    url: str | None = None


@dataclass
class Credit:
    role: str                  # photograph, illustration, video, graphic or other
    name: str
    agency: str | None = None
    raw: str | None = None


@dataclass
class PrintInfo:
    date: str | None = None
    section: str | None = None
    page: str | None = None
    edition: str | None = None
    headline: str | None = None
    raw: str | None = None
    dateline: str | None = None     # the place an article was filed from: 'WASHINGTON'
    continued: list[str] = field(default_factory=list)   # 'Continued on Page A12'


@dataclass
class Reprint:
    raw: str | None = None
    offers: list[str] = field(default_factory=list)
    rights: str | None = None


@dataclass
class Extraction:
    method: str
    version: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class PageReading:
    page: int
    method: str                 # "ocr" or "text layer"
    confidence: int | None      # OCR: mean word confidence, 0-100; None for a text layer
    characters: int


@dataclass
class DerivedReading:
    """The text read from a scan or PDF. It is a derived reading, never the clipping:
    the package keeps it beside the original, as a WARC `conversion` record."""
    engine: str                 # "tesseract", or "pypdf" for a PDF's own text layer
    version: str
    language: str | None        # the OCR language, e.g. "eng"
    sha256: str                 # of the UTF-8 text, as the conversion record holds it
    characters: int
    pages: list[PageReading] = field(default_factory=list)
    media_type: str = "text/plain; charset=utf-8"
    text: str = field(default="", repr=False)   # stored in the conversion record only


@dataclass
class ClippingMetadata:
    extraction: Extraction
    headline: str | None = None
    description: str | None = None
    authors: list[Author] = field(default_factory=list)
    publisher: dict | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    language: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    print: PrintInfo | None = None
    credits: list[Credit] = field(default_factory=list)
    reprint: Reprint | None = None
    corrections: list[str] = field(default_factory=list)
    comments: dict | None = None
    body: str | None = None
    boilerplate: list[str] = field(default_factory=list)
    reading: DerivedReading | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        if data["reading"] is not None:
            del data["reading"]["text"]   # the conversion record holds it, once
        return data

    @property
    def publisher_name(self) -> str | None:
        return (self.publisher or {}).get("name")
