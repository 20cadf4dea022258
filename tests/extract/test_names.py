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
    # capitals outside A-Z begin names too
    ("Por Óscar López y Ángel Pérez", ["Óscar López", "Ángel Pérez"]),
    ("Šimon Černý, Élodie Martin", ["Šimon Černý", "Élodie Martin"]),
    # a place or an employer after the person is neither a name nor the end of the byline
    ("By Jon Henley in Paris and Angela Giuffrida in Rome", ["Jon Henley", "Angela Giuffrida"]),
    ("BY JOHN SMITH IN LONDON", ["John Smith"]),
    ("By Dana Reyes for The Washington Post", ["Dana Reyes"]),
    # organisations are not people, whether they look like names or like acronyms
    ("By Ann Lowe and Bo Chen, Washington Post", ["Ann Lowe", "Bo Chen"]),
    ("By Ann Lowe, CNN Business", ["Ann Lowe"]),
    ("By ANN LOWE, USA TODAY", ["Ann Lowe"]),
    # nor is the ground a sports reporter files from
    ("Andrew Ramsey, Melbourne Cricket Ground", ["Andrew Ramsey"]),
    # what is cut at a figure leaves no name ending in an initial ('KFC T20 Big Bash')
    ("KFC T20 Big Bash League", []),
])
def test_bylines(byline, expected):
    assert split_byline(byline) == expected


def test_degrees_after_a_name_are_not_part_of_it():
    assert split_byline("By Lynne Eldridge MD") == ["Lynne Eldridge"]
    assert split_byline("Brenda Goodman, MA") == ["Brenda Goodman"]
    assert split_byline("By Martin Luther King Jr.") == ["Martin Luther King Jr."]


@pytest.mark.parametrize("text, nobody", [
    ("Letters to the Editor", True), ("Staff", True), ("BBC News", True), ("AFP", True),
    ("Redaktion", True), ("Alle Blogs", True), ("Global National", True), ("Érica Silva", False), ("王小明", False), ("Madonna", False)])
def test_sections_desks_and_organisations_say_they_are_not_people(text, nobody):
    assert says_not_a_person(text) is nobody


def test_no_name_follows_a_phrase():
    # a bio's first words are no byline, and a title-cased phrase after them is no name
    assert split_byline("Scott Cunningham Senior Vice President of Technology and Ad Operations "
                        "at IAB") == []
    # a long title-cased headline with 'In' in it is not cut into a 'name'
    assert split_byline("Cadbury Creme Eggs Aren't Changing In America, Everybody Relax") == []
