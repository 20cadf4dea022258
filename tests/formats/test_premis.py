"""PREMIS events: each event type names its Library of Congress term, and an event says
what happened, when, by whom, with what outcome."""

import json
import re

import pytest
from hypothesis import given, strategies as st

from archivekit._internal.software import __version__
from archivekit.formats import premis

TEXT = st.text(min_size=1, max_size=40)


@pytest.mark.parametrize("event_type, term", [
    # id.loc.gov/vocabulary/preservation/eventType: the term of each label
    ("capture", "cap"), ("fixity check", "fix"), ("ingestion", "ing"),
    ("message digest calculation", "mes"), ("digital signature validation", "dig"),
    ("accession", "acc"), ("deaccession", "dea"), ("metadata modification", "mem"),
])
def test_an_event_type_names_its_library_of_congress_term(event_type, term):
    assert premis.premis_uri(event_type) == f"http://id.loc.gov/vocabulary/preservation/eventType/{term}"


def test_every_event_type_has_a_term_and_the_orders_name_only_event_types():
    assert all(re.fullmatch(r"[a-z]{3}", term) for term in premis.EVENT_TYPES.values())
    assert set(premis.PACKAGE_EVENT_ORDER) <= set(premis.EVENT_TYPES)
    assert set(premis.ARRIVAL_EVENTS) <= set(premis.EVENT_TYPES)
    assert premis.PACKAGE_EVENT_ORDER[0] in premis.ARRIVAL_EVENTS
    with pytest.raises(KeyError):
        premis.premis_uri("Capture")


@given(st.sampled_from(sorted(premis.EVENT_TYPES)), TEXT, TEXT,
       st.sampled_from(["success", "failure"]), st.none() | TEXT)
def test_an_event_says_what_when_who_and_how_it_went(event_type, time, detail, outcome, operator):
    event = premis.make_event(event_type, time, detail, outcome, operator)
    assert json.loads(json.dumps(event)) == event == {
        "type": event_type, "premis_uri": premis.premis_uri(event_type), "time": time,
        "agent": premis.agent(operator), "outcome": outcome, "detail": detail}
    assert event["agent"].startswith(f"archivekit/{__version__}")
    assert (f" operated by {operator}" in event["agent"]) == bool(operator)


def test_the_agent_is_the_software_and_its_operator_when_known():
    assert premis.agent() == premis.agent("") == f"archivekit/{__version__}"
    assert premis.agent("Ann Lee") == f"archivekit/{__version__} operated by Ann Lee"
    assert premis.make_event("capture", "t", "d")["outcome"] == "success"
