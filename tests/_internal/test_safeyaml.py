"""YAML people hand us: PyYAML's safe loader, without alias bombs or deep nesting."""

import time

import pytest
import yaml

from archivekit._internal import safeyaml
from archivekit._internal.limits import Limits


def test_ordinary_yaml_with_a_few_aliases_reads_as_safe_load_does():
    text = "base: &base {rights: CC-BY}\none: *base\ntwo: *base\nlist: [1, 2, {a: b}]\n"
    assert safeyaml.load(text) == yaml.safe_load(text)
    assert safeyaml.compose(text).start_mark.line == 0


def test_billion_laughs_is_refused_at_once():
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    started = time.process_time()    # this process's CPU: a loaded machine does not count
    with pytest.raises(yaml.YAMLError, match="more than 16 aliases"):
        safeyaml.load(text)
    assert time.process_time() - started < 1


@pytest.mark.parametrize("text", ["[" * 20000 + "]" * 20000, "{a: " * 20000 + "1" + "}" * 20000,
                                  "".join(" " * i + "- \n" for i in range(0, 300, 2))])
def test_deep_nesting_is_refused_without_recursion(text):
    with pytest.raises(yaml.YAMLError, match="nested more than 64 levels"):
        safeyaml.load(text)
    with pytest.raises(yaml.YAMLError, match="nested more than"):
        safeyaml.compose(text)


def test_the_limits_are_the_policy_s():
    with pytest.raises(yaml.YAMLError, match="more than 1 aliases"):
        safeyaml.load("a: &a 1\nb: *a\nc: *a\n", Limits().replace(aliases=1))
    assert safeyaml.load("[[[1]]]", Limits().replace(nesting=3)) == [[[1]]]
    with pytest.raises(yaml.YAMLError):
        safeyaml.load("[[[[1]]]]", Limits().replace(nesting=3))
