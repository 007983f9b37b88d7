"""The YAML reader: libyaml's C parser for speed, with the same data and line numbers as
PyYAML's pure-Python one, and the pure one's clearer messages for text that is not YAML."""

from __future__ import annotations

import pytest
import yaml

from ivr import yaml_text
from ivr.errors import ScriptSyntaxError

from support import FIXTURES, SCRIPTS


def _lines(data, where="top"):
    """Every line number a Map or List remembers, with where it is, for comparing."""
    if isinstance(data, yaml_text.Map):
        yield where, data.line, tuple(sorted(data.key_lines.items(), key=str))
        for key, value in data.items():
            yield from _lines(value, f"{where}.{key}")
    elif isinstance(data, yaml_text.List):
        yield where, data.line, tuple(data.item_lines)
        for i, value in enumerate(data):
            yield from _lines(value, f"{where}[{i}]")


def test_the_fast_parser_is_libyaml_where_pyyaml_has_it():
    assert yaml.__with_libyaml__  # the wheels carry it; without it the test below is moot
    assert issubclass(yaml_text._FastLineLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", [*SCRIPTS, FIXTURES / "valid.yaml"], ids=lambda p: p.name)
def test_both_parsers_give_the_same_data_and_the_same_lines(path):
    source = path.read_text(encoding="utf-8")
    fast = yaml.load(source, Loader=yaml_text._FastLineLoader)
    pure = yaml.load(source, Loader=yaml_text._LineLoader)
    assert fast == pure
    assert list(_lines(fast)) == list(_lines(pure))
    assert len(list(_lines(fast))) > 20


def test_text_that_is_not_yaml_gets_the_pure_parsers_message():
    source = "format: 1\nid: x\nnodes:\n  main:\n   text: a\n  - b\n"
    with pytest.raises(ScriptSyntaxError) as raised:
        yaml_text.read_yaml(source, "broken.yaml")
    (problem,) = raised.value.problems
    # libyaml would say "did not find expected key"; PyYAML names what it expected.
    assert "expected <block end>" in problem.message
    assert problem.line == 6
    assert problem.fix.startswith("Check the indentation")
