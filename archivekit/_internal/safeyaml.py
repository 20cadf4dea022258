"""YAML from files people hand us (trust store, catalog sidecar, job manifest,
collection.yaml), read with PyYAML's safe loader and two more refusals: more than a
few aliases (a "billion laughs" document expands exponentially in whoever walks it)
and deep nesting (the composer recurses: 20,000 levels is a RecursionError)."""

import yaml

from archivekit._internal.limits import Limits


class YAMLTooComplex(yaml.YAMLError):
    """Caught wherever yaml.YAMLError is: a document that is not one we will read."""


def _bounded_loader(limits: Limits):
    class BoundedLoader(yaml.SafeLoader):
        aliases = 0
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > limits.aliases:
                    raise YAMLTooComplex(f"more than {limits.aliases} aliases (*name); "
                                         "write the values out")
            if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
                return super().compose_node(parent, index)
            self.depth += 1   # mappings and sequences: the levels a walker recurses into
            try:
                if self.depth > limits.nesting:
                    raise YAMLTooComplex(f"nested more than {limits.nesting} levels deep")
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1
    return BoundedLoader


def load(text: str, limits: Limits | None = None):
    """Like yaml.safe_load, within `limits` (aliases, nesting)."""
    return yaml.load(text, Loader=_bounded_loader(limits or Limits()))


def compose(text: str, limits: Limits | None = None):
    """Like yaml.compose with the safe loader (nodes with line numbers), within `limits`."""
    return yaml.compose(text, Loader=_bounded_loader(limits or Limits()))
