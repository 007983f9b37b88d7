"""A language's lexicon: the words of crisis, age, negation and the helpline's topics.

    Lexicon.words(name)           -> tuple of phrases   one list, in normal form
    Lexicon.extended(other)       -> Lexicon   a script's own words added to the language's
    LISTS, MEANING_LISTS, ...     the lists a lexicon may have, and what they mean

The lexicon belongs to the language, not to one script: every en-GB script understands
the same crisis and age words. It is YAML that helpline staff can edit; each list has a
`source:` saying where it came from. A script may add phrases under `lexicon:` in the same
shape. Every phrase is kept in the normal form of `tokens.phrase`, with the line it was
written on, so that `ivr validate` can name the file and line of any problem.

This module is the model only. Reading a lexicon file (`load(language)`, `read(path)`)
or a script's `lexicon:` section (`parse`) is ivr/understanding/lexicon_file.py, which
raises LexiconError (below) naming the file, line and fix of each mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from ivr.errors import ScriptFormatError

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
    "idiom_fillers",  # words an idiom reads past ("my phone is literally dying")
    "spellings.sounds_like",
    "spellings.clipped",
    "spellings.objects",
    "spellings.fillers",
    "spellings.text_speak",
    "relations",
    "medicine_signs",
    "medicine_verbs",
    "prescribers",  # a medicine or dose beside one of these is routine, with no sign
    "everyday_means",  # means named alone ("knife"), everyday beside one of...
    "everyday_uses",  # ...these ("chop", "whites", "lawnmower"), with no sign of...
    "means_signs",  # ...harm ("wrists", "threatened")
    "jokes",  # danger that a laugh beside it makes a joke ("kill me", "...kill my brother")
    "laughs",  # "lol", "haha", "jk", "😂"
    "harm_doers",  # "X is killing me" is danger only where X is one of these
    *(f"topics.{role}" for role in TOPIC_ROLES),
    *(f"topic_patterns.{role}" for role in TOPIC_ROLES),
    "person",
    "hints",
    "known_words",
    "markers",  # words that show a message is in this language (ivr.languages)
)
PATTERNS = "danger.patterns"  # phrases with {slot}s and ... gaps (see `patterns`)
IDIOMS = "idioms"  # written like patterns: what they match is not read as danger
# Danger that a laugh beside it makes a joke: plain phrases, and danger patterns as
# written (a hit names its pattern so), so in the patterns' normal form.
JOKES = "jokes"
# Topics asked with words between or a choice of words ("where do i even start"): written
# like danger patterns, each leading to its role's topic (see `findings`).
TOPIC_PATTERNS = tuple(f"topic_patterns.{role}" for role in TOPIC_ROLES)
PATTERN_LISTS = (PATTERNS, IDIOMS, JOKES, *TOPIC_PATTERNS)
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
