"""The copied-text headline ranker: learned weights over line features."""

import json

import pytest

from archivekit.extract import article, byline, extract, headline, learned, span, text

MENU = ["Home", "News", "Science", "Gear", "Subscribe", "Search"]
OTHER_STORIES = ["The Dining Innovations That Helped Us Conquer the Seas",
                 "Biochemists Are Turning Genetically Modified Yeast Into Perfume",
                 "The Man Who Forecasts Avalanches in America's Riskiest Snowpack"]
PARAGRAPHS = [
    "A shiny butterfly is a master of light bending: that blue is not a pigment but light "
    "reflecting off scales built from layers of chitin and air.",
    "If the wing is all made of the same stuff, why are some parts so shiny and other parts "
    "not? The answer lies in how the scales grow inside the pupa.",
    "Scale cells and socket cells are ordinary cells in a caterpillar; during metamorphosis "
    "they stretch and fold until the ridges that bend the light appear.",
]
TITLE_CASED = OTHER_STORIES + MENU + ["How Butterflies Get Their Shine", "By Gwen Pearson",
                                      "December 22, 2014", "Share on Facebook", *PARAGRAPHS]


def _read(lines):
    return extract("\n".join(lines).encode(), "text/plain; charset=utf-8")


def test_a_title_cased_headline_is_not_read_as_a_line_of_names():
    meta = _read(TITLE_CASED)
    assert meta.headline == "How Butterflies Get Their Shine"
    assert [a.name for a in meta.authors] == ["Gwen Pearson"]


def test_a_names_only_line_whose_words_the_page_writes_in_lower_case_is_no_byline():
    ordinary = text.lowercase_words(PARAGRAPHS + ["how to get their shine"])
    assert text._byline("How Butterflies Get Their Shine", [], ordinary)[0] == 0
    assert text._byline("Gwen Pearson", [], ordinary)[0] == text.NAMES_ONLY


def test_the_headline_over_its_dek_not_the_dek():
    lines = MENU + ["How Butterflies Get Their Shine",
                    "Butterflies bend light with scales, not with pigments.",
                    "By Gwen Pearson", *PARAGRAPHS]
    meta = _read(lines)
    assert meta.headline == "How Butterflies Get Their Shine"
    assert meta.description == "Butterflies bend light with scales, not with pigments."


def test_every_candidate_has_one_value_per_feature_and_the_weights_match():
    page = text.headline_page("\n".join(TITLE_CASED))
    rows = [headline.features(page, i) for i in headline.candidates(page)]
    assert all(len(row) == len(headline.FEATURES) for row in rows if row is not None)
    assert any(row is None for row in rows)   # menu words are never candidates
    assert len(headline._weights()) == len(headline.FEATURES)


@pytest.mark.parametrize("model, script", [(headline, "train_headline.py"),
                                           (byline, "train_byline.py"),
                                           (span, "train_span.py")])
def test_weights_fitted_for_other_features_are_refused(model, script, tmp_path, monkeypatch):
    stale = tmp_path / f"{model.__name__.rsplit('.', 1)[-1]}-weights.json"
    stale.write_text(json.dumps({"features": ["words"], "weights": [1.0]}))
    monkeypatch.setattr(learned.resources, "files", lambda package: tmp_path)
    model._weights.cache_clear()
    try:
        with pytest.raises(ValueError, match=script):
            model._weights()
    finally:
        model._weights.cache_clear()


@pytest.mark.parametrize("line", [
    "She Was Tired Of Being Photoshopped, So Here’s What She Did About It Today.",
    "We use cookies and similar technologies to improve your browsing experience and more.",
    "Use of this site constitutes acceptance of our User Agreement and Privacy Policy here.",
    "(function (i, s, o, g, r, a, m) { i[r] = i[r] || function () { (i[r].q = i[r].q); }; })",
])
def test_headlines_site_prompts_and_code_are_not_prose(line):
    assert not article.is_prose(line)
    assert article.is_prose(PARAGRAPHS[0])
