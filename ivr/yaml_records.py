"""Declared records: YAML data (ivr.yaml_text's, which remembers lines) read field by
field, each mistake reported once with its code, line and fix.

    read_record(r, data, at, fields)   each field's value, or None if anything was wrong
    record(fields, build)              a reader of one mapping, made into an object
    listed(reader, name)               a reader of a list of them

A record is a tuple of Fields (its name, reader, whether it is required, its default).
Each reader takes the value as YAML gave it and an `At` (its line, node and name), and
returns the value or None. Whatever is wrong is reported once, as a Problem with a code
and a fix; the caller never reports it again. The generic readers (a mapping, a list,
words, a whole number, true or false) are here too.

Below both the script loader (ivr/loader) and the lexicon's reader
(ivr/understanding/lexicon_file.py), which read their files with it: the loader loads
each script's lexicon, so the lexicon cannot import the loader.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ivr.errors import Problem
from ivr.yaml_text import List, Map


@dataclass(frozen=True, slots=True)
class At:
    """Where a value was written, for messages: its line, what it is, and its node."""

    line: int
    what: str  # "Option 2's keyword", "voice", "The node's text"
    node: str | None = None
    required: bool = True  # an empty required field is not fixed by removing it

    def to(self, what: str, line: int | None = None, required: bool = True) -> At:
        """A part of this value: its own name and line, the same node."""
        # Built directly, not by dataclasses.replace: a 10,000-node script asks 70,000 times.
        return At(line or self.line, what, self.node, required)


class Problems:
    """The problems found so far in one file."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, code: str, at: At, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, at.line, at.node, message, fix, code=code))


def mapping(r: Problems, value: Any, at: At) -> Map | None:
    if isinstance(value, Map):
        return value
    r.problem(
        "F003",
        at,
        f"{at.what} should be a mapping of names to values, but {described(value)}.",
        "Write it as 'name: value' lines indented under it, as docs/script-format.md shows.",
    )
    return None


def items(r: Problems, value: Any, at: At) -> Iterator[tuple[Any, int]]:
    """Each item of a list with its line; a value that is not a list is reported."""
    if not isinstance(value, List):
        r.problem(
            "F003",
            at,
            f"{at.what} should be a list, but {described(value)}.",
            "Write each item on its own line starting with '- '.",
        )
        return iter(())
    return zip(value, value.item_lines, strict=True)


def words(r: Problems, value: Any, at: At) -> str | None:
    """Non-empty text, stripped."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, str) or value is None:
        fix = "Write the words." if at.required else "Write the words, or remove the field."
        r.problem("F006", at, f"{at.what} is empty.", fix)
    elif isinstance(value, bool):
        r.problem(
            "F007",
            at,
            f"{at.what} was read as true/false, not as words.",
            "YAML reads yes, no, on and off as true/false: put the words in quotes.",
        )
    else:
        r.problem(
            "F003",
            at,
            f"{at.what} should be text, but {described(value)}.",
            "Write it as words; put them in quotes if they start with a symbol.",
        )
    return None


def yes_or_no(r: Problems, value: Any, at: At) -> bool | None:
    if isinstance(value, bool):
        return value
    r.problem("F003", at, f"{at.what} should be true or false, but {described(value)}.",
              "Write true or false, without quotes.")  # fmt: skip
    return None


def whole_number(low: int, high: int, advice: str) -> Callable[[Problems, Any, At], int | None]:
    """A reader of a whole number from `low` to `high`."""

    def read(r: Problems, value: Any, at: At) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return value
        r.problem(
            "F010",
            at,
            f"{at.what} should be a whole number from {low} to {high}, but {described(value)}.",
            advice,
        )
        return None

    return read


def known_fields(
    r: Problems, data: Map, allowed: tuple[str, ...], at: At, kind: str = "field"
) -> bool:
    """Report each field the format does not know; True if there were none. `kind` is what
    the format calls its keys in messages (a lexicon's are sections and lists)."""
    unknown = [key for key in data if key not in allowed]
    for key in unknown:
        close = difflib.get_close_matches(str(key), allowed, n=1)
        fix = (
            f"Did you mean '{close[0]}'? Rename it, or remove it."
            if close
            else f"Remove it, or use a {kind} the format knows: {', '.join(allowed)}."
        )
        where = at.to(at.what, data.key_lines.get(key, data.line))
        r.problem(
            "F004", where, f"{at.what} has a {kind} '{key}' that the format does not know.", fix
        )
    return not unknown


def described(value: Any) -> str:
    """What YAML made of a value, as the end of a sentence: 'it is a list'."""
    if value is None or value == "":
        return "it is empty"
    kinds = ((bool, "true/false"), (Map, "a mapping"), (dict, "a mapping"), (List, "a list"),
             (list, "a list"), (str, "text"), (int, "a number"), (float, "a number"))  # fmt: skip
    for cls, name in kinds:
        if isinstance(value, cls):
            return (
                f"it is {name} ({_shown(value)})"
                if name in ("a number", "text")
                else (f"it is {name}")
            )
    return f"it is {type(value).__name__}"


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "..."


# -- records ---------------------------------------------------------------------------

Reader = Callable[[Problems, Any, At], Any]
Naming = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    read: Reader
    required: bool = False
    default: Any = None
    add: str = ""  # the fix when a required field is missing: how to add it


def read_record(
    r: Problems,
    data: Map,
    at: At,
    schema: tuple[Field, ...],
    part: Naming | None = None,
    kind: str = "field",
) -> dict | None:
    """Each field's value (its default when absent), or None if anything was wrong.
    `part(whole, field)` names a field in messages ("Option 2's keyword" by default);
    `kind` is what the format calls its fields (see known_fields)."""
    before = len(r.problems)
    known_fields(r, data, tuple(f.name for f in schema), at, kind)
    values = {}
    for field in schema:
        if field.name not in data:
            if field.required:
                add = field.add or f"Add '{field.name}:'."
                r.problem("F005", at, f"{at.what} is missing the field '{field.name}'.", add)
            values[field.name] = field.default
            continue
        named = (part or _part)(at.what, field.name)
        where = at.to(named, data.key_lines[field.name], field.required)
        values[field.name] = field.read(r, data[field.name], where)
    return values if len(r.problems) == before else None


def _part(whole: str, name: str) -> str:
    if whole == "The script":
        return name
    return f"{whole}, {name}" if "'s " in whole else f"{whole}'s {name}"


def record(
    schema: tuple[Field, ...],
    build: Callable[[Problems, dict, At], Any],
    part: Naming | None = None,
) -> Reader:
    """A reader of one record: a mapping with these fields, made into an object by `build`."""

    def read(r: Problems, value: Any, at: At) -> Any:
        data = mapping(r, value, at)
        if data is None:
            return None
        here = at.to(at.what, data.line, at.required)
        values = read_record(r, data, here, schema, part)
        return None if values is None else build(r, values, here)

    return read


def listed(reader: Reader, name: Callable[[int], str]) -> Reader:
    """A reader of a list whose items are read by `reader`, named by `name(i)`."""

    def read(r: Problems, value: Any, at: At) -> tuple | None:
        before = len(r.problems)
        found = [reader(r, item, at.to(name(i), line)) for i, (item, line) in
                 enumerate(items(r, value, at), 1)]  # fmt: skip
        return tuple(found) if len(r.problems) == before else None

    return read
