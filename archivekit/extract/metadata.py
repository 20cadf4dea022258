"""The clipping metadata model: what a clipping says about itself.

Stored twice in a package, identical: as the JSON block of the WARC `metadata`
record and as the descriptor's `metadata`.
"""

from dataclasses import asdict, dataclass, field

from archivekit.extract import names

@dataclass
class Author:
    """One byline: the author's name, and a biography line and page address when the
    clipping gives them."""
    name: str
    bio: str | None = None
    url: str | None = None


@dataclass
class Credit:
    """A photo, illustration, video or graphic credit: the role, who is credited, their
    agency, and the words it was read from."""
    role: str                  # photograph, illustration, video, graphic or other
    name: str
    agency: str | None = None
    raw: str | None = None


@dataclass
class PrintInfo:
    """The print-edition line: the date, section, page and edition the article ran in, its
    print headline and dateline, any 'continued on' jumps, and the words they were read
    from."""
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
    """Reprint and rights information: the notice as written, the offers it makes
    (licensing, reprints) and the rights statement."""
    raw: str | None = None
    offers: list[str] = field(default_factory=list)
    rights: str | None = None


@dataclass
class Extraction:
    """How the metadata was read: the method (the reader that read it; "none" or "failed"
    when none could), the extractor's version, and warnings about what was not read."""
    method: str
    version: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class PageReading:
    """One page of a derived reading: its number, how it was read (OCR or the text layer),
    the OCR confidence, and the characters read."""
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
    """What a clipping says about itself: headline, bylines, publisher, dates, print-edition
    line, credits, reprint and rights, the article text, and where each value came from
    (`provenance`). Stored in the package's WARC metadata record and its descriptor,
    identical."""
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
    # field -> {"by": "extractor", "from": "text line 3" | "JSON-LD headline" | ...}
    #       or {"by": "cataloguer", "from": "catalog title"}: where each value came from,
    #       so a librarian can check it
    provenance: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The metadata as the package stores it (JSON-ready; a derived reading's text is
        left out, its conversion record holds it)."""
        data = asdict(self)
        if data["reading"] is not None:
            del data["reading"]["text"]   # the conversion record holds it, once
        return data

    def found(self, name: str, where: str) -> None:
        """Note that the extractor read field `name` at `where`."""
        self.provenance[name] = {"by": "extractor", "from": where}

    @property
    def publisher_name(self) -> str | None:
        """The publisher's name, or None."""
        return (self.publisher or {}).get("name")


# The sidecar's words for the fields a cataloguer may set over what was extracted.
CATALOG_FIELDS = {"headline": ("title", "headline"), "authors": ("authors", "author"),
                  "published": ("published", "date"), "publisher": ("publisher",)}


def apply_catalog(metadata: ClippingMetadata, catalog: dict) -> list[str]:
    """The cataloguer wins: sidecar title, authors, date and publisher replace what was
    extracted; each such field's provenance says so. Returns the fields replaced."""
    replaced = []
    for name, keys in CATALOG_FIELDS.items():
        key = next((k for k in keys if catalog.get(k) not in (None, "", [])), None)
        if key is None:
            continue
        value = catalog[key]
        if name == "authors":
            people = value if isinstance(value, list) else names.split_byline(str(value)) or [value]
            metadata.authors = [Author(" ".join(str(p).split())) for p in people if str(p).strip()]
        elif name == "publisher":
            metadata.publisher = {"name": " ".join(str(value).split())}
        else:
            setattr(metadata, name, " ".join(str(value).split()))
        metadata.provenance[name] = {"by": "cataloguer", "from": f"catalog {key}"}
        replaced.append(name)
    return replaced
