"""Bylines split into people."""

import pytest

from archivekit.extract.names import says_not_a_person, split_byline


@pytest.mark.parametrize("byline,expected", [
    ("By JOHN SMITH and MARY JONES", ["John Smith", "Mary Jones"]),
    ("By Anna Lee, Ben Ode and Carla Diaz", ["Anna Lee", "Ben Ode", "Carla Diaz"]),
    ("Edward WongJulian E. BarnesMuyi Xiao and", ["Edward Wong", "Julian E. Barnes", "Muyi Xiao"]),
    ("by Lucas Nolan22 Dec 2016651", ["Lucas Nolan"]),
    ("By Ross McDonald", ["Ross McDonald"]),
    ("Martin Untersinger (avec Damien Leloup et Morgane Tual)",
     ["Martin Untersinger", "Damien Leloup", "Morgane Tual"]),
    # handles, addresses and buttons after the names are not names
    ("By Marah Eakin@marahe", ["Marah Eakin"]),
    ("Sharon Grigsby Follow @SharonFGrigsby Email sgrigsby@dallasnews.com", ["Sharon Grigsby"]),
    ("Ben Walsh Become a fan benjamin.walsh@huffingtonpost.com", ["Ben Walsh"]),
    ("James Akinaka • 8h", ["James Akinaka"]),
    # a lower-case particle glued to the surname; 'dec...' is no December
    ("Lena deCasparis | Contributing Writer | 5 days ago", ["Lena deCasparis"]),
    # a writer's role in brackets goes, a photographer is a credit, not an author
    ("by Eleanor Ainge Roy (reporting) and Adrian Malloch (photography)", ["Eleanor Ainge Roy"]),
])
def test_bylines(byline, expected):
    assert split_byline(byline) == expected


def test_degrees_after_a_name_are_not_part_of_it():
    assert split_byline("By Lynne Eldridge MD") == ["Lynne Eldridge"]
    assert split_byline("Brenda Goodman, MA") == ["Brenda Goodman"]
    assert split_byline("By Martin Luther King Jr.") == ["Martin Luther King Jr."]


@pytest.mark.parametrize("text, nobody", [
    ("Letters to the Editor", True), ("Staff", True), ("BBC News", True), ("AFP", True),
    ("Redaktion", True), ("Érica Silva", False), ("王小明", False), ("Madonna", False)])
def test_sections_desks_and_organisations_say_they_are_not_people(text, nobody):
    assert says_not_a_person(text) is nobody
