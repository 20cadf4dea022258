"""The weights of the small learned rankers (headline.py, byline.py): data files beside the
code, fitted reproducibly on the corpus's tuning pages by benchmarks/train_<name>.py."""

import json
from importlib import resources


def load_weights(name: str, features: tuple[str, ...]) -> tuple[float, ...]:
    """The weights in `<name>-weights.json`; ValueError when they were fitted for other
    features than the code computes (the file and the code disagree)."""
    data = json.loads(resources.files(__package__).joinpath(f"{name}-weights.json").read_text())
    if tuple(data["features"]) != features:
        raise ValueError(f"{name}-weights.json was fitted for other features: "
                         f"run benchmarks/train_{name}.py")
    return tuple(data["weights"])
