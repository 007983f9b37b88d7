"""YAML text into plain data whose mappings and lists remember the lines they were on.

PyYAML's safe loader (never the unsafe one; libyaml's C parser where present, for speed),
extended only to remember line numbers and to refuse a key written twice, which plain
YAML silently resolves by keeping the last.
Text that is not YAML raises ScriptSyntaxError naming the line and the likely fix.
"""

from __future__ import annotations

from typing import Any

import yaml

from ivr.errors import Problem, ScriptSyntaxError


class Map(dict):
    """A YAML mapping that remembers where it and each of its keys were written."""

    line = 1
    key_lines: dict


class List(list):
    """A YAML sequence that remembers where it and each of its items were written."""

    line = 1
    item_lines: list


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _LineLoader(yaml.SafeLoader):
    """The pure-Python safe loader: slow, but its error messages are the clearest."""


# libyaml's C parser, where PyYAML was built with it (its wheels are): about 5x faster,
# with the same marks, so the same line numbers. It is only a faster parser under the
# same safe constructors; text it cannot parse is parsed again by _LineLoader, whose
# messages people see. (libyaml accepts a tab in a few places PyYAML refuses; nothing else
# differed over 3,000 mangled copies of the shipped script.)
_FAST_BASE = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader


class _FastLineLoader(_FAST_BASE):
    pass


_STR = "tag:yaml.org,2002:str"


def _construct(loader: _LineLoader, node: yaml.Node) -> Any:
    """What construct_object gives, without its bookkeeping for the most common node by
    far, a string (which no alias can make recursive): its value as it stands."""
    if node.tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Map:
    loader.flatten_mapping(node)
    mapping = Map()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        if key in mapping:
            raise _DuplicateKey(
                "while reading a mapping",
                node.start_mark,
                f"the key '{key}' appears twice (first on line {mapping.key_lines[key]}); "
                "YAML would silently keep only the last one",
                key_node.start_mark,
            )
        mapping[key] = _construct(loader, value_node)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> List:
    items = List(_construct(loader, child) for child in node.value)
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def read_yaml(source: str, path: str) -> Any:
    """YAML text as data of Map, List and plain values. Raises ScriptSyntaxError."""
    try:
        try:
            return yaml.load(source, Loader=_FastLineLoader)
        except yaml.YAMLError:
            return yaml.load(source, Loader=_LineLoader)  # raises again, with a clearer message
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = Problem(path, line, None, _message(exc), _fix(exc), code="F001")
    except yaml.YAMLError as exc:
        message = f"This is not valid YAML: {exc}."
        problem = Problem(path, 1, None, message, "Save it as YAML text.", code="F001")
    raise ScriptSyntaxError([problem])


def _message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "something is wrong").rstrip(".")
    return f"This is not valid YAML: {problem}."


def _fix(exc: yaml.MarkedYAMLError) -> str:
    if isinstance(exc, _DuplicateKey):
        return "Remove or rename one of the two."
    problem = f"{exc.context or ''} {exc.problem or ''}"
    if "alias" in problem or "anchor" in problem:
        return 'Put quotes around values that start with * or &, for example key: "*".'
    if "mapping values are not allowed" in problem:
        return "A text containing ': ' needs quotes, or write it as a block with |."
    if "indent" in problem or "expected <block end>" in problem:
        return "Check the indentation: items of one list or mapping line up exactly."
    return "Check the line shown and the one above it."
