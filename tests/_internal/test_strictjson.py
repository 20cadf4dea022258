"""Strict JSON: what is hashed and signed is read strictly and written canonically."""

import json

import pytest

from archivekit._internal import strictjson

DOCUMENT = {"records": [{"id": "<urn:1>", "offset": 0}, {"id": "<urn:2>", "offset": 9}],
            "metadata": {"headline": "Cafe\u0301", "authors": ["A", "B"]}, "id": "p", "none": {}}


@pytest.mark.parametrize("compact", [False, True])
def test_written_canonically_and_read_back_the_same(compact):
    data = strictjson.dumps(DOCUMENT, compact=compact)
    assert data.endswith(b"\n")
    back = strictjson.loads(data)
    assert back["metadata"]["headline"] == "Café"          # stored in NFC
    assert list(back) == sorted(back)
    assert strictjson.dumps(back, compact=compact) == data   # canonical: a fixed point
    assert json.loads(data) == back


def test_for_people_one_record_per_line():
    lines = strictjson.dumps(DOCUMENT).decode().splitlines()
    assert '    {"id":"<urn:1>","offset":0},' in lines
    assert '    {"id":"<urn:2>","offset":9}' in lines
    assert '    "authors": ["A","B"],' in lines
    assert '  "none": {},' in lines
    assert len(strictjson.dumps(DOCUMENT, compact=True).splitlines()) == 1


@pytest.mark.parametrize("text, problem", [
    (b'{"a": 1, "b": 2, "a": 3}', "duplicate key 'a'"),
    (b'{"a": [{"x": 1, "x": 1}]}', "duplicate key 'x'"),
    (b'{"a": 1.5}', "non-integer number"),
    (b'{"a": NaN}', "non-standard constant"),
    (b'{"a": "e\\u0301"}', "not in Unicode NFC"),
    (b'\xef\xbb\xbf{}', "byte order mark"),
    (b'{"a": "\xff"}', "not UTF-8"),
])
def test_strict_reading_names_the_problem(text, problem):
    with pytest.raises(strictjson.StrictJSONError, match=problem):
        strictjson.loads(text)


def test_floats_are_refused_when_writing():
    with pytest.raises(strictjson.StrictJSONError, match="float"):
        strictjson.dumps({"page": 3.5})
