"""Publishers by address and agencies by name: a known host or any subdomain of it; an
agency named as such or by the words agencies end in."""

import pytest

from archivekit.extract.publishers import AGENCIES, DOMAINS, from_url, is_agency


@pytest.mark.parametrize("url, publisher", [
    ("https://www.nytimes.com/2024/01/02/world/x.html", "The New York Times"),
    ("https://NYTimes.com/x", "The New York Times"),
    ("http://news.bbc.co.uk:8080/1/hi/x.stm", "BBC News"),
    ("https://www.ft.com/content/x", "Financial Times"),
    ("https://notnytimes.com/x", None),                       # a suffix, not a subdomain
    ("https://nytimes.com.evil.example/x", None),
    ("https://draft.ft.com.example/", None),
    ("not a url", None), ("", None), (None, None),
])
def test_a_known_host_or_its_subdomain_names_the_publisher(url, publisher):
    assert from_url(url) == publisher


def test_every_known_domain_is_a_host_name_and_every_agency_is_one():
    assert all(from_url(f"https://www.{domain}/") == name for domain, name in DOMAINS.items())
    assert all(is_agency(agency) for agency in AGENCIES)


@pytest.mark.parametrize("text, agency", [
    ("  AP Photo ", True), ("getty images", True), ("Reuters", True),
    ("Contributor/Redux Pictures Wire", True), ("Kyiv Independent News Agency", True),
    ("Magnum Photos", True), ("Bay Area News Press", True),
    ("Ann Lee", False), ("APR", False), ("The Press Room", False), ("Wire", False),
])
def test_an_agency_is_one_we_know_or_named_as_agencies_are(text, agency):
    assert is_agency(text) is agency
