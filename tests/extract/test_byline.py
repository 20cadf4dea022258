"""The copied-text byline chooser: learned weights over the bylines the rules find."""

import json

import pytest

from archivekit.extract import byline, extract, text

MENU = ["Home", "News", "World", "Business", "Subscribe", "Search"]
HEADLINE = "River floods the valley as levee strains under record rain"
PARAGRAPHS = [
    "The river rose faster than anyone in the valley had expected on Tuesday, forcing "
    "hundreds of families to leave their homes before dawn.",
    "Emergency crews worked through the night to shore up the levee near the old mill, "
    "officials said, and most roads north of the town remained closed.",
    "The mayor said the flood was the worst since 1978 and asked residents to stay away "
    "from the river banks until the water receded.",
]
# another story's teaser under the article, with its own byline
TEASER = ["Read next", "City council approves the new budget after a long night",
          "By Sam Other"]


def _read(lines):
    return extract("\n".join(lines).encode(), "text/plain; charset=utf-8")


def test_the_byline_under_the_headline_not_a_teasers_under_the_article():
    meta = _read(MENU + [HEADLINE, "By Jane Doe", *PARAGRAPHS, *TEASER])
    assert [a.name for a in meta.authors] == ["Jane Doe"]
    assert meta.body.split("\n\n") == PARAGRAPHS


def test_a_by_line_under_the_article_when_none_is_by_the_headline():
    # beyond where the rules alone looked (three lines under the article's last paragraph)
    lines = MENU + [HEADLINE, *PARAGRAPHS, "Share", "Print", "Email", "Posted in Weather",
                    "by Jane Doe"]
    assert [a.name for a in _read(lines).authors] == ["Jane Doe"]


def test_every_candidate_has_one_value_per_feature_and_the_weights_match():
    lines, candidates, place, given = text.byline_page(
        "\n".join(MENU + [HEADLINE, "By Jane Doe", *PARAGRAPHS, *TEASER]))
    assert [c.names for c in candidates] == [("Jane Doe",), ("Sam Other",)]
    assert place.rule == candidates[0].index and given == []
    rows = [byline.features(c, place, lines) for c in [None, *candidates]]
    assert all(len(row) == len(byline.FEATURES) for row in rows)
    assert len(byline._weights()) == len(byline.FEATURES)
    assert byline.choose(candidates, place, lines) == candidates[0]


def test_no_candidate_means_no_byline():
    lines, candidates, place, _ = text.byline_page("\n".join(MENU + [HEADLINE, *PARAGRAPHS]))
    assert candidates == [] and byline.choose(candidates, place, lines) is None
    assert _read(MENU + [HEADLINE, *PARAGRAPHS]).authors == []


def test_weights_fitted_for_other_features_are_refused(tmp_path, monkeypatch):
    stale = tmp_path / "byline-weights.json"
    stale.write_text(json.dumps({"features": ["no byline"], "weights": [1.0]}))
    monkeypatch.setattr(byline.resources, "files", lambda package: tmp_path)
    byline._weights.cache_clear()
    try:
        with pytest.raises(ValueError, match="train_byline.py"):
            byline._weights()
    finally:
        byline._weights.cache_clear()
