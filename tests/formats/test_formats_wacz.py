"""WACZ's JSON files: pages.jsonl written here reads back page for page, and any text is
read into pages and problems naming their line, never an exception."""

import json

import pytest
from hypothesis import given, strategies as st

from archivekit.formats import wacz

PAGES = st.lists(st.fixed_dictionaries(
    {"url": st.text(min_size=1), "ts": st.text(max_size=20)},
    optional={"title": st.text(), "id": st.text(max_size=8)}), max_size=6)


@given(PAGES)
def test_pages_written_here_read_back_as_written(pages):
    text = wacz.pages_text(pages)
    assert json.loads(text.splitlines()[0]) == wacz.PAGES_HEADER
    assert text.endswith(b"\n") and len(text.splitlines()) == len(pages) + 1
    assert wacz.parse_pages(text.decode("utf-8")) == (pages, [])


def test_titles_are_written_as_utf8_and_a_line_separator_in_one_is_no_line_break():
    pages = [{"url": "u", "title": "Zürich\u2028Genève\x85"}]
    text = wacz.pages_text(pages)
    assert "Zürich".encode() in text
    assert wacz.parse_pages(text.decode()) == (pages, [])
    assert wacz.parse_pages('{"url": "a"}\r\n{"url": "b"}\r\n') == ([{"url": "a"}, {"url": "b"}], [])


@given(st.text(max_size=400))
def test_any_text_is_read_into_pages_and_problems(text):
    pages, problems = wacz.parse_pages(text)
    assert all(isinstance(page["url"], str) for page in pages)
    assert all(problem.startswith("line ") for problem in problems)


def test_each_bad_line_is_named_by_its_number():
    text = "\n".join([json.dumps(wacz.PAGES_HEADER), "", "{not json", "[1]",
                      json.dumps({"ts": "2024"}), json.dumps({"format": "x", "url": "u"}),
                      json.dumps({"url": "https://a.example/"})])
    pages, problems = wacz.parse_pages(text)
    assert problems == ["line 3 is not JSON", "line 4 is not a JSON object", "line 5 has no url"]
    assert pages == [{"format": "x", "url": "u"}, {"url": "https://a.example/"}]
    assert wacz.parse_pages(json.dumps({"url": 5}))[1] == ["line 1 has no url"]


@pytest.mark.parametrize("data, problem", [
    (b"\xff{}", "not JSON"), (b"{", "not JSON"), (b"[]", "not a JSON object"),
    (b"\"text\"", "not a JSON object"), (b"{" * 100_000, "not JSON"),
])
def test_a_json_file_that_is_not_an_object_says_why(data, problem):
    value, why = wacz.load_json(data)
    assert value is None and why.startswith(problem) and len(why) <= 130


def test_a_json_object_is_read():
    assert wacz.load_json(b'{"profile": "data-package", "resources": []}') == \
        ({"profile": "data-package", "resources": []}, None)
