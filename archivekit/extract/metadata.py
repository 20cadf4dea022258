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

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def publisher_name(self) -> str | None:
        return (self.publisher or {}).get("name")
