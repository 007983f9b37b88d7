"""Reading a lexicon: a language's file (lexicons/<language>.yaml) or a script's
`lexicon:` section, into the model of ivr/understanding/lexicon.py.

    load(language)                       -> Lexicon   the shipped lexicon, read once
    read(path)                           -> Lexicon   one file; raises LexiconError
    parse(data, path, whole_file, line)  -> (Lexicon, [Problem])   from YAML data
    lexicon_path(language)               -> Path

The lexicon's shape is declared as records, as the script format's are
(ivr.yaml_records): each section a Field, each list a record of `source:` and
`phrases:`. read_record reports an unknown section or list, and the readers below a list
in the wrong shape or a phrase that is not words, each once, with the file, line and fix.
A shape mistake is V101 whichever reader found it (the F-codes name a script's own
fields), a list that does not say where it came from V102, and a danger pattern naming
a slot the lexicon has no phrases for V140.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ivr.errors import Problem
from ivr.phrasebook import LEXICON_PHRASES
from ivr.script import Text
from ivr.understanding import patterns
from ivr.understanding.lexicon import (
    GUIDES,
    IDIOMS,
    JOKES,
    LISTS,
    MAPPINGS,
    MEANS,
    PATTERN_LISTS,
    PATTERNS,
    SLOTS,
    Entry,
    Lexicon,
    LexiconError,
    WordList,
)
from ivr.understanding.tokens import phrase
from ivr.yaml_records import At, Field, Problems, Reader, items, read_record
from ivr.yaml_text import List, Map, read_yaml

HERE = Path(__file__).parent / "lexicons"

SHAPE = (
    "Each list is written 'source: where it came from' and 'phrases: [...]'; "
    "see docs/script-format.md, 'Words the line understands'."
)
PATTERN_FIX = (
    "Name only slots listed under 'slots:', and put words on both sides of '...'; "
    "see docs/script-format.md, 'Danger patterns'."
)
SPOKEN_WORDS = ("dot", "slash", "dash", "uk")


def lexicon_path(language: str) -> Path:
    return HERE / f"{language}.yaml"


@cache
def load(language: str) -> Lexicon:
    """The shipped lexicon for a language; an empty one for a language without a file."""
    path = lexicon_path(language)
    if not path.is_file():
        return Lexicon(str(path), language)
    return read(path)


def read(path: Path) -> Lexicon:
    shown = str(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = Problem(
            shown,
            1,
            None,
            f"The lexicon cannot be read ({exc}).",
            "Save it as UTF-8 text.",
            code="V101",
        )
        raise LexiconError([problem]) from None
    lexicon, problems = parse(read_yaml(source, shown), shown, whole_file=True)
    if problems:
        raise LexiconError(problems)
    return lexicon


class _Problems(Problems):
    """A lexicon's problems: a mistake of shape is V101, whichever reader found it."""

    def problem(self, code: str, at: At, message: str, fix: str) -> None:
        super().problem(code if code.startswith("V") else "V101", at, message, fix)


def parse(data: Any, path: str, whole_file: bool = False, line: int = 1):
    """Read lexicon data (a whole file, or a script's `lexicon:` section written on `line`)
    as ivr.yaml_text reads it; plain mappings and lists count as written on `line`.

    Returns (Lexicon, problems): an empty Lexicon when there is any problem."""
    r = _Problems(path)
    what = "The lexicon" if whole_file else "The script's lexicon"
    data = _remembered(data, line)
    if not isinstance(data, Map):
        r.problem("V101", At(line, what), f"{what} should be a YAML mapping of lists.", SHAPE)
        return Lexicon(path, ""), r.problems
    schema = FILE_FIELDS if whole_file else SECTION_FIELDS
    values = read_record(r, data, At(line, what), schema, _same, kind="section")
    if values is None:
        return Lexicon(path, ""), r.problems
    lists: dict[str, WordList] = {}
    for field in LIST_FIELDS:  # each a list, or a section of lists (the slots too)
        value = values.get(field.name)
        lists.update({value.name: value} if isinstance(value, WordList) else value or {})
    if whole_file:  # a script's patterns may use the language's slots: checked by lint
        _check_patterns(r, lists)
    lexicon = Lexicon(
        path, values.get("language") or "", MappingProxyType(lists),
        MappingProxyType(values.get("phrases") or {}), values.get("name") or "",
        MappingProxyType(values.get("spoken") or {}),
    )  # fmt: skip
    return lexicon, r.problems


def _same(whole: str, name: str) -> str:
    """A part is named in messages by its reader, not as "whole's part"."""
    return whole


def _remembered(value: Any, line: int) -> Any:
    """Plain data as read_yaml gives it (a Map or a List remembering its lines), every
    part written on `line`; what read_yaml gave is returned as it is."""
    if isinstance(value, dict) and not isinstance(value, Map):
        found = Map({k: _remembered(v, line) for k, v in value.items()})
        found.line, found.key_lines = line, dict.fromkeys(found, line)
        return found
    if isinstance(value, list) and not isinstance(value, List):
        found = List(_remembered(v, line) for v in value)
        found.line, found.item_lines = line, [line] * len(found)
        return found
    return value


# -- a list: source: and phrases: ----------------------------------------------------------


def word_list(name: str) -> Reader:
    """A reader of one list: a record of `source:` and `phrases:`. A list without a source
    is kept (and reported); a phrase that is not words is left out (and reported)."""
    fields = (Field("source", _source(name)), Field("phrases", _entries(name)))

    def read(r: Problems, value: Any, at: At) -> WordList | None:
        if not isinstance(value, Map):
            r.problem("V101", at, f"The list '{name}' should have a source and phrases.", SHAPE)
            return None
        values = read_record(r, value, at.to(f"The list '{name}'"), fields, _same, "key")
        if values is None:
            return None
        if values["source"] is None:
            _no_source(r, name, at)
        if values["phrases"] is None:
            r.problem("V101", at, f"The list '{name}' has no phrases list.", SHAPE)
            return None
        return WordList(name, values["source"] or "", values["phrases"])

    return read


def _no_source(r: Problems, name: str, at: At) -> None:
    r.problem(
        "V102",
        at,
        f"The list '{name}' does not say where its words came from.",
        "Add 'source:' with the study, guidance or team that gave them.",
    )


def _source(name: str) -> Reader:
    def read(r: Problems, value: Any, at: At) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        _no_source(r, name, at)
        return None

    return read


def _entries(name: str) -> Reader:
    """A list's `phrases:`, each kept as an Entry in normal form with its line."""

    def read(r: Problems, value: Any, at: At) -> tuple[Entry, ...] | None:
        if not isinstance(value, List):
            r.problem("V101", at, f"The list '{name}' has no phrases list.", SHAPE)
            return None
        found = []
        for written, line in items(r, value, at):
            here = at.to(at.what, line)
            if not isinstance(written, str) or not phrase(written):
                r.problem(
                    "V101",
                    here,
                    f"The list '{name}' has {written!r}, which is not a phrase with words in it.",
                    "Write each phrase as words, in quotes if it is a number or yes/no.",
                )
            elif name in MAPPINGS:
                found.append(_mapping_entry(r, name, written, here))
            else:
                normal = patterns.normal(written) if name in PATTERN_LISTS else phrase(written)
                found.append(Entry(written, normal, r.path, line))
        return tuple(e for e in found if e is not None)

    return read


def _mapping_entry(r: Problems, name: str, written: str, at: At) -> Entry | None:
    """`written => meant`: "sue a side => suicide", "od'd => overdosed"."""
    left, arrow, right = written.partition(MEANS)
    if not arrow or not phrase(left) or not phrase(right):
        r.problem(
            "V101",
            at,
            f"The list '{name}' has {written!r}, which is not 'written => meant'.",
            "Write what people write, then =>, then the words they mean: 'dye => die'.",
        )
        return None
    if name == "spellings.clipped":  # undone before apostrophes are dropped
        normal = " ".join(left.lower().replace("’", "'").replace("`", "'").split())
    else:
        normal = phrase(left)
    return Entry(written, normal, r.path, at.line, phrase(right))


# -- sections of lists, and the slots ------------------------------------------------------


def _section(section: str) -> Reader:
    """A reader of a section of lists (danger:, negation:, spellings:, topics:), each list
    named "section.list"."""
    names = [n for n in LISTS if n.startswith(section + ".")]
    fields = tuple(Field(n.partition(".")[2], word_list(n)) for n in names)

    def read(r: Problems, value: Any, at: At) -> dict[str, WordList] | None:
        if not isinstance(value, Map):
            r.problem("V101", at, f"'{section}' should be a mapping of lists.", SHAPE)
            return None
        values = read_record(r, value, at.to(f"'{section}'"), fields, _same, "list")
        return None if values is None else {w.name: w for w in values.values() if w}

    return read


def _slots(r: Problems, value: Any, at: At) -> dict[str, WordList] | None:
    """`slots:`: a mapping of slot names, each a list like any other."""
    if not isinstance(value, Map):
        r.problem("V101", at, "'slots' should be a mapping of slot names to lists.", SHAPE)
        return None
    found = {}
    for name, body in value.items():
        where = at.to(f"The slot '{name}'", value.key_lines[name])
        if not patterns.SLOT_NAME.fullmatch(str(name)):
            r.problem(
                "V101",
                where,
                f"The slot name '{name}' is not one word of small letters, digits and _.",
                "Rename it, for example 'intent' or 'harm_verb', and use it as {intent}.",
            )
            continue
        found[f"{SLOTS}.{name}"] = word_list(f"{SLOTS}.{name}")(r, body, where)
    return None if None in found.values() or len(found) < len(value) else found


def _check_patterns(r: Problems, lists: dict[str, WordList]) -> None:
    """V140: each danger pattern, idiom and topic pattern names only slots the lists have."""
    prefix = SLOTS + "."
    slots = {n[len(prefix) :]: w.phrases for n, w in lists.items() if n.startswith(prefix)}
    for name in PATTERN_LISTS:
        for entry in lists.get(name, WordList(name, "", ())).entries:
            wrong = patterns.problem_in(entry.normal, slots)
            if wrong:
                what = {PATTERNS: "danger pattern", IDIOMS: "idiom", JOKES: "joke"}.get(
                    name, "topic pattern"
                )
                at = At(entry.line, what)
                r.problem("V140", at, f"The {what} {entry.written!r} {wrong}.", PATTERN_FIX)


# -- a whole file's own sections: language, name, phrases, spoken --------------------------


def _text(r: Problems, value: Any, at: At) -> str:
    return str(value)


def _name(r: Problems, value: Any, at: At) -> str | None:
    """How the language names itself (English, Cymraeg)."""
    if isinstance(value, str):
        return value.strip()
    r.problem("V101", at, "The lexicon's name should be words.",
              "Write how the language names itself: name: Cymraeg.")  # fmt: skip
    return None


def _phrases(r: Problems, value: Any, at: At) -> dict[str, Text] | None:
    """`phrases:`: the script phrases a script may leave to its language."""
    if not isinstance(value, Map):
        r.problem("V101", at, "The lexicon's phrases should be a mapping of phrase names.",
                  SHAPE)  # fmt: skip
        return None
    found = {}
    for name, text in value.items():
        here = at.to(f"The phrase '{name}'", value.key_lines[name])
        if name not in LEXICON_PHRASES:
            allowed = ", ".join(LEXICON_PHRASES)
            r.problem("V101", here, f"The lexicon has a phrase '{name}' no script uses.",
                      f"Use: {allowed}.")  # fmt: skip
        elif isinstance(text, str):
            found[name] = Text(text.strip(), text.strip(), here.line)
        elif isinstance(text, dict) and all(isinstance(text.get(c), str) for c in ("voice", "sms")):
            found[name] = Text(text["voice"].strip(), text["sms"].strip(), here.line)
        else:
            r.problem(
                "V101",
                here,
                f"The lexicon's phrase '{name}' should be words, or voice: and sms:.",
                "Write it as the script's phrases are written (docs/script-format.md).",
            )
    return found


def _is_words(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _spoken(r: Problems, value: Any, at: At) -> dict | None:
    """`spoken:`: how the phone says digits, addresses and the * and # keys (ivr.spoken)."""
    fix = (
        "Write spoken: with digits: (ten words, zero to nine), dot:, slash:, dash:, uk: "
        'and key_names: {"*": ..., "#": ...}; see docs/languages.md.'
    )
    if not isinstance(value, Map):
        r.problem("V101", at, "The lexicon's spoken: should be a mapping.", fix)
        return None
    found: dict[str, Any] = {}
    digits = value.get("digits")
    if digits is not None:
        if isinstance(digits, list) and len(digits) == 10 and all(map(_is_words, digits)):
            found["digits"] = tuple(d.strip() for d in digits)
        else:
            r.problem("V101", at, "The lexicon's spoken digits should be ten words, zero to "
                      "nine.", fix)  # fmt: skip
    for word in SPOKEN_WORDS:
        if isinstance(value.get(word), str):
            found[word] = value[word].strip()
    keys = value.get("key_names")
    if keys is not None:
        if isinstance(keys, dict) and all(isinstance(keys.get(k), str) for k in "*#"):
            found["key_names"] = MappingProxyType({k: keys[k].strip() for k in "*#"})
        else:
            r.problem("V101", at, "The lexicon's spoken key_names should say '*' and '#'.", fix)
    unknown = set(value) - {"digits", "key_names", *SPOKEN_WORDS}
    if unknown:
        r.problem("V101", at, f"The lexicon's spoken: has {', '.join(sorted(map(str, unknown)))}, "
                  "which it does not know.", fix)  # fmt: skip
    return found


# -- the declared shape --------------------------------------------------------------------

# A script's `lexicon:` may have every list of the language's file, and slots.
SECTION_FIELDS = (
    *(Field(s, _section(s) if "." in n else word_list(n))
      for s, n in {n.partition(".")[0]: n for n in LISTS}.items()),
    Field(SLOTS, _slots),
)  # fmt: skip
# A language's file also says its name, its phrases, how numbers are spoken, and the
# words for going back to the guide choice (read by ivr.opening alone).
FILE_FIELDS = (
    Field("language", _text),
    Field("name", _name),
    Field("phrases", _phrases),
    Field("spoken", _spoken),
    *SECTION_FIELDS,
    Field(GUIDES, word_list(GUIDES)),
)
LIST_FIELDS = (*SECTION_FIELDS, FILE_FIELDS[-1])  # the fields that hold lists
