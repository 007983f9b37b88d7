"""A language's lexicon: the words of crisis, age, negation and the helpline's topics.

    load(language)                -> Lexicon   the shipped lexicon (lexicons/<language>.yaml)
    parse(data, path)             -> Lexicon   from YAML data that remembers its lines
    Lexicon.extended(other)       -> Lexicon   a script's own words added to the language's
    lexicon_path(language)        -> Path

The lexicon belongs to the language, not to one script: every en-GB script understands
the same crisis and age words. It is YAML that helpline staff can edit; each list has a
`source:` saying where it came from. A script may add phrases under `lexicon:` in the same
shape. Every phrase is kept in the normal form of `tokens.phrase`, with the line it was
written on, so that `ivr validate` can name the file and line of any problem.

Raises LexiconError (a ScriptError) when the file is missing, is not YAML, or does not
have the shape below; each Problem names the file, line and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ivr.errors import Problem, ScriptFormatError
from ivr.phrasebook import LEXICON_PHRASES
from ivr.script import Text
from ivr.understanding import patterns
from ivr.understanding.tokens import phrase
from ivr.yaml_text import read_yaml

HERE = Path(__file__).parent / "lexicons"

# Topic lists are named by the script's roles; danger and main have lists of their own.
TOPIC_ROLES = ("clicked_link", "under_18", "steps", "dont", "can_wait", "support")

# Every list a lexicon may have, as "section.list" (or just "section" for a single list).
LISTS = (
    "danger.words",
    "danger.distress",
    "danger.patterns",
    "danger.when_negated",
    "danger.medications",
    "danger.dose_units",
    "danger.emoji",
    "danger.weak",
    "negation.words",
    "negation.breaks",
    "negation.of_danger",
    "negation.hedges",
    "negation.safe_said",
    "idioms",
    "spellings.sounds_like",
    "spellings.clipped",
    "spellings.objects",
    "spellings.fillers",
    "spellings.text_speak",
    "relations",
    "medicine_signs",
    "medicine_verbs",
    *(f"topics.{role}" for role in TOPIC_ROLES),
    "person",
    "hints",
    "known_words",
    "markers",  # words that show a message is in this language (ivr.languages)
)
PATTERNS = "danger.patterns"  # phrases with {slot}s and ... gaps (see `patterns`)
IDIOMS = "idioms"  # written like patterns: what they match is not read as danger
PATTERN_LISTS = (PATTERNS, IDIOMS)
# Lists of `written => meant` (see `disguises`): the written side in the normal form of
# messages (the clipped forms keep their apostrophe, as they are undone before it goes).
MAPPINGS = ("spellings.sounds_like", "spellings.clipped", "spellings.text_speak")
MEANS = "=>"
SLOTS = "slots"  # slot lists are named "slots.<name>": any name a pattern uses
# Words that go back to the guide choice where one number offers several guides
# (ivr.opening). Not a meaning of any one script, so not among LISTS: read by the opening
# alone, never by a script's understanding, its typo corrector or its lint.
GUIDES = "guides"
# Lists whose phrases mean something: one phrase may stand in only one of them.
MEANING_LISTS = (
    "danger.words",
    "danger.distress",
    "danger.medications",
    "danger.weak",
    *(f"topics.{role}" for role in TOPIC_ROLES),
    "person",
)


class LexiconError(ScriptFormatError):
    """A lexicon file cannot be used; `problems` says why."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One phrase as written, its normal form, and where it was written."""

    written: str
    normal: str
    path: str
    line: int
    means: str = ""  # in a list of MAPPINGS: what the written form means, normalised


@dataclass(frozen=True, slots=True)
class WordList:
    name: str
    source: str
    entries: tuple[Entry, ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        """The normal forms, in the order written, without repeats."""
        return tuple(dict.fromkeys(e.normal for e in self.entries if e.normal))


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity, so compiled forms
class Lexicon:  # of it can be memoised
    path: str
    language: str
    lists: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    phrases_said: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    name: str = ""  # how the language names itself (English, Cymraeg)
    # How the phone says numbers, addresses and the * and # keys in this language
    # (ivr.spoken): digits, dot, slash, dash, uk, key_names; empty for the defaults.
    spoken: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def phrases(self) -> MappingProxyType:
        """The script phrases this language gives a script that leaves them out."""
        return self.phrases_said

    def get(self, name: str) -> WordList:
        return self.lists.get(name) or WordList(name, "", ())

    def words(self, name: str) -> tuple[str, ...]:
        """The phrases of one list, in normal form."""
        return self.get(name).phrases

    def mapping(self, name: str) -> dict[str, str]:
        """A list of MAPPINGS as {written: meant}, both in normal form."""
        return {e.normal: e.means for e in self.get(name).entries if e.normal and e.means}

    def slots(self) -> dict[str, tuple[str, ...]]:
        """The slot lists the danger patterns name, by slot name."""
        prefix = SLOTS + "."
        return {n[len(prefix) :]: w.phrases for n, w in self.lists.items() if n.startswith(prefix)}

    def extended(self, other: Lexicon) -> Lexicon:
        """This lexicon with `other`'s phrases added to the lists of the same names."""
        merged = dict(self.lists)
        for name, extra in other.lists.items():
            mine = self.get(name)
            merged[name] = WordList(name, mine.source, mine.entries + extra.entries)
        return Lexicon(
            self.path, self.language, MappingProxyType(merged), self.phrases_said, self.name,
            self.spoken,
        )  # fmt: skip


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


def parse(data: Any, path: str, whole_file: bool = False, line: int = 1):
    """Read lexicon data (a whole file, or a script's `lexicon:` section).

    Returns (Lexicon, problems). Lists that are wrong are left out and reported."""
    problems: list[Problem] = []

    def problem(at: int | None, message: str, fix: str, code: str = "V101") -> None:
        problems.append(Problem(path, at or line, None, message, fix, code=code))

    what = "The lexicon" if whole_file else "The script's lexicon"
    said = (
        _phrases(data.get("phrases"), path, problem)
        if whole_file and isinstance(data, dict)
        else {}
    )
    if not isinstance(data, dict):
        problem(line, f"{what} should be a YAML mapping of lists.", _SHAPE)
        return Lexicon(path, ""), problems
    lines = getattr(data, "key_lines", {})
    language = str(data.get("language", "")) if whole_file else ""
    sections = {"language", "phrases", "name", "spoken", GUIDES} if whole_file else set()
    sections |= {name.split(".")[0] for name in LISTS} | {SLOTS}
    for key in data:
        if key not in sections:
            problem(lines.get(key), f"{what} has an unknown section '{key}'.", _SHAPE)
    lists: dict[str, WordList] = {}
    told: set[str] = set()  # sections already reported: one mistake, one problem
    for name in LISTS:
        section, _, list_name = name.partition(".")
        value = data.get(section)
        at = lines.get(section, line)
        if list_name:
            if value is None:
                continue
            if not isinstance(value, dict):
                if section not in told:
                    problem(at, f"'{section}' should be a mapping of lists.", _SHAPE)
                told.add(section)
                continue
            known = {n.partition(".")[2] for n in LISTS if n.startswith(section)}
            for key in sorted(map(str, set(value) - known)) if section not in told else ():
                problem(
                    getattr(value, "key_lines", {}).get(key, at),
                    f"'{section}' has an unknown list '{key}'.",
                    _SHAPE,
                )
            told.add(section)
            at = getattr(value, "key_lines", {}).get(list_name, at)
            value = value.get(list_name)
        if value is None:
            continue
        found = _word_list(name, value, at, path, problem)
        if found:
            lists[name] = found
    lists.update(_more_lists(data, lines, line, path, problem, whole_file))
    if whole_file:  # a script's patterns may use the language's slots: checked by lint
        _check_patterns(lists, problem)
    who = _identity(data, lines, line, problem) if whole_file else ("", MappingProxyType({}))
    return Lexicon(path, language, MappingProxyType(lists), MappingProxyType(said), *who), problems


def _identity(data: dict, lines: dict, line: int, problem) -> tuple[str, dict]:
    """A lexicon file's `name:` (how the language names itself) and `spoken:` section."""
    name = data.get("name", "")
    if not isinstance(name, str):
        problem(lines.get("name"), "The lexicon's name should be words.",
                "Write how the language names itself: name: Cymraeg.")  # fmt: skip
        name = ""
    spoken = _spoken(data.get("spoken"), lines.get("spoken", line), problem)
    return name.strip(), MappingProxyType(spoken)


SPOKEN_WORDS = ("dot", "slash", "dash", "uk")


def _is_words(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _spoken(value: Any, at: int, problem) -> dict:
    """The `spoken:` section: how the phone says digits, addresses and the * and # keys."""
    if value is None:
        return {}
    fix = (
        "Write spoken: with digits: (ten words, zero to nine), dot:, slash:, dash:, uk: "
        'and key_names: {"*": ..., "#": ...}; see docs/languages.md.'
    )
    if not isinstance(value, dict):
        problem(at, "The lexicon's spoken: should be a mapping.", fix)
        return {}
    found: dict[str, Any] = {}
    digits = value.get("digits")
    if digits is not None:
        if isinstance(digits, list) and len(digits) == 10 and all(map(_is_words, digits)):
            found["digits"] = tuple(d.strip() for d in digits)
        else:
            problem(at, "The lexicon's spoken digits should be ten words, zero to nine.", fix)
    for word in SPOKEN_WORDS:
        if isinstance(value.get(word), str):
            found[word] = value[word].strip()
    keys = value.get("key_names")
    if keys is not None:
        if isinstance(keys, dict) and all(isinstance(keys.get(k), str) for k in "*#"):
            found["key_names"] = MappingProxyType({k: keys[k].strip() for k in "*#"})
        else:
            problem(at, "The lexicon's spoken key_names should say '*' and '#'.", fix)
    unknown = set(value) - {"digits", "key_names", *SPOKEN_WORDS}
    if unknown:
        problem(at, f"The lexicon's spoken: has {', '.join(sorted(map(str, unknown)))}, "
                "which it does not know.", fix)  # fmt: skip
    return found


def _phrases(value: Any, path: str, problem) -> dict[str, Text]:
    """The `phrases:` section: the script phrases a script may leave to its language."""
    if value is None:
        return {}
    lines = getattr(value, "key_lines", {})
    if not isinstance(value, dict):
        problem(None, "The lexicon's phrases should be a mapping of phrase names.", _SHAPE)
        return {}
    found = {}
    for name, text in value.items():
        at = lines.get(name)
        if name not in LEXICON_PHRASES:
            allowed = ", ".join(LEXICON_PHRASES)
            problem(at, f"The lexicon has a phrase '{name}' no script uses.", f"Use: {allowed}.")
        elif isinstance(text, str):
            found[name] = Text(text.strip(), text.strip(), at or 0)
        elif isinstance(text, dict) and all(isinstance(text.get(c), str) for c in ("voice", "sms")):
            found[name] = Text(text["voice"].strip(), text["sms"].strip(), at or 0)
        else:
            problem(
                at,
                f"The lexicon's phrase '{name}' should be words, or voice: and sms:.",
                "Write it as the script's phrases are written (docs/script-format.md).",
            )
    return found


def _check_patterns(lists: dict[str, WordList], problem) -> None:
    """V140: each danger pattern and idiom names only slots the lists have."""
    slots = {n.split(".", 1)[1]: w.phrases for n, w in lists.items() if n.startswith("slots.")}
    for name in PATTERN_LISTS:
        for entry in lists.get(name, WordList(name, "", ())).entries:
            wrong = patterns.problem_in(entry.normal, slots)
            if wrong:
                what = "danger pattern" if name == PATTERNS else "idiom"
                problem(entry.line, f"The {what} {entry.written!r} {wrong}.", PATTERN_FIX, "V140")


PATTERN_FIX = (
    "Name only slots listed under 'slots:', and put words on both sides of '...'; "
    "see docs/script-format.md, 'Danger patterns'."
)


def _more_lists(data, lines, line: int, path: str, problem, whole_file: bool) -> dict:
    """The slot lists, and (a whole file's) words for going back to the guide choice."""
    found = _slot_lists(data.get(SLOTS), lines.get(SLOTS, line), path, problem)
    if whole_file and data.get(GUIDES) is not None:
        guides = _word_list(GUIDES, data[GUIDES], lines.get(GUIDES, line), path, problem)
        if guides:
            found[GUIDES] = guides
    return found


def _slot_lists(value: Any, at: int, path: str, problem) -> dict[str, WordList]:
    """The `slots:` section: a mapping of slot names, each a list like any other."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        problem(at, "'slots' should be a mapping of slot names to lists.", _SHAPE)
        return {}
    lines = getattr(value, "key_lines", {})
    found = {}
    for name, body in value.items():
        where = lines.get(name, at)
        if not patterns.SLOT_NAME.fullmatch(str(name)):
            problem(
                where,
                f"The slot name '{name}' is not one word of small letters, digits and _.",
                "Rename it, for example 'intent' or 'harm_verb', and use it as {intent}.",
            )
            continue
        word_list = _word_list(f"slots.{name}", body, where, path, problem)
        if word_list:
            found[word_list.name] = word_list
    return found


_SHAPE = (
    "Each list is written 'source: where it came from' and 'phrases: [...]'; "
    "see docs/script-format.md, 'Words the line understands'."
)


def _word_list(name: str, value: Any, at: int, path: str, problem) -> WordList | None:
    if not isinstance(value, dict):
        problem(at, f"The list '{name}' should have a source and phrases.", _SHAPE)
        return None
    key_lines = getattr(value, "key_lines", {})
    source = value.get("source")
    if not isinstance(source, str) or not source.strip():
        problem(
            key_lines.get("source", at),
            f"The list '{name}' does not say where its words came from.",
            "Add 'source:' with the study, guidance or team that gave them.",
            "V102",
        )
    phrases = value.get("phrases")
    if not isinstance(phrases, list):
        problem(key_lines.get("phrases", at), f"The list '{name}' has no phrases list.", _SHAPE)
        return None
    item_lines = getattr(phrases, "item_lines", [at] * len(phrases))
    entries = []
    for written, line in zip(phrases, item_lines, strict=True):
        if not isinstance(written, str) or not phrase(written):
            problem(
                line,
                f"The list '{name}' has {written!r}, which is not a phrase with words in it.",
                "Write each phrase as words, in quotes if it is a number or yes/no.",
            )
            continue
        if name in MAPPINGS:
            entry = _mapping_entry(name, written, path, line, problem)
            if entry is not None:
                entries.append(entry)
            continue
        normal = patterns.normal(written) if name in PATTERN_LISTS else phrase(written)
        entries.append(Entry(written, normal, path, line))
    return WordList(name, str(source or ""), tuple(entries))


def _mapping_entry(name: str, written: str, path: str, line: int, problem) -> Entry | None:
    """`written => meant`: "sue a side => suicide", "od'd => overdosed"."""
    left, arrow, right = written.partition(MEANS)
    if not arrow or not phrase(left) or not phrase(right):
        problem(
            line,
            f"The list '{name}' has {written!r}, which is not 'written => meant'.",
            "Write what people write, then =>, then the words they mean: 'dye => die'.",
        )
        return None
    if name == "spellings.clipped":  # undone before apostrophes are dropped
        normal = " ".join(left.lower().replace("’", "'").replace("`", "'").split())
    else:
        normal = phrase(left)
    return Entry(written, normal, path, line, phrase(right))
