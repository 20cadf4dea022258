"""PREMIS-style preservation events (Library of Congress event-type vocabulary)."""

from archivekit._internal.software import __version__

PREMIS_BASE = "http://id.loc.gov/vocabulary/preservation/eventType/"
EVENT_TYPES = {
    "capture": "cap",
    "message digest calculation": "mes",
    "information package creation": "ipc",
    "digital signature generation": "dsg",
    "digital signature validation": "dig",
    "ingestion": "ing",
    "fixity check": "fix",
    "validation": "val",
    "capture failure": "cap",
    # A derived reading (OCR, a PDF's text layer) made from a source: the LoC vocabulary
    # has no 'derivation'; its 'creation' (of a new object) is the nearest term.
    "derivation": "cre",
    "metadata modification": "mem",
    "deaccession": "dea",
    # A bag another tool made, taken in whole (`capture BAG`): it was not captured here.
    "accession": "acc",
}
# How a package's content came to it: captured here, or taken in whole (a bag another
# tool made). A package has one of them, first among its own events.
ARRIVAL_EVENTS = ("capture", "accession")
# The order in which a package's own events must appear.
PACKAGE_EVENT_ORDER = ["capture", "message digest calculation",
                       "information package creation", "digital signature generation"]


def premis_uri(event_type: str) -> str:
    """The Library of Congress URI of an event type."""
    return PREMIS_BASE + EVENT_TYPES[event_type]


def agent(operator: str | None = None) -> str:
    """Who acted: this software, and the person operating it when known."""
    return f"archivekit/{__version__}" + (f" operated by {operator}" if operator else "")


def make_event(event_type: str, time: str, detail: str, outcome: str = "success",
               operator: str | None = None) -> dict:
    """One event, as a package's descriptor and a collection's audit log record it."""
    return {"type": event_type, "premis_uri": premis_uri(event_type), "time": time,
            "agent": agent(operator), "outcome": outcome, "detail": detail}
