"""The learned rankers' weights: one per feature the code computes, read from the data
file beside the code; a file fitted for other features is refused naming the trainer."""

import json
from importlib import resources

import pytest

from archivekit.extract import byline, headline, learned, span

RANKERS = {"byline": byline, "headline": headline, "span": span}


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_each_rankers_weights_match_the_features_its_code_computes(name):
    features = RANKERS[name].FEATURES
    weights = learned.load_weights(name, features)
    assert len(weights) == len(features) and all(isinstance(w, (int, float)) for w in weights)
    stored = json.loads(resources.files("archivekit.extract").joinpath(
        f"{name}-weights.json").read_text())
    assert weights == tuple(stored["weights"])


@pytest.mark.parametrize("change", [lambda f: f[:-1], lambda f: f[::-1] if len(f) > 1 else ("x",),
                                    lambda f: f + ("a new feature",)])
def test_weights_fitted_for_other_features_are_refused_naming_the_trainer(change):
    features = change(headline.FEATURES)
    with pytest.raises(ValueError, match=r"headline-weights.json was fitted for other "
                                         r"features: run benchmarks/train_headline.py"):
        learned.load_weights("headline", features)


def test_a_ranker_without_a_weights_file_is_an_error():
    with pytest.raises(FileNotFoundError):
        learned.load_weights("no-such-ranker", ())
