"""What a message means: the script's roles and options, most urgent first.

    for_script(script, channel)        -> Understanding   compiled once per script and channel
    Understanding.read(text, here)     -> Reading         `here`: the node the person is at

One reading serves typed text and recognised speech alike. A Reading lists the meanings
found, each once, most urgent first:

1. danger: any danger or distress phrase of the lexicon or the script's danger option,
   in any tense (see `inflection`), a danger pattern (see `patterns`), a medicine, a
   dose ("800mg"), an emoji; negated or not. A when-negated phrase only after a
   negation ("I don't feel safe"); a weak one ("please help") only when nothing else is
   understood.
2. under 18: an age, a school year, or an under-18 phrase (see `ages`).
3. the other roles, in the order the script's `roles:` lists them, then options that
   lead to other nodes, in the order the script writes them.
4. asking for a person, then the controls: the main menu, next, repeat.

Topic phrases (everything but danger) are cancelled by a negation shortly before them
("I didn't click it"). A phrase made only of negations (the keyword DONT) counts only as
the whole message, so "I don't want to live" is never "what not to do". Small typos are
forgiven (see `typos`). Where phrases overlap, the one that starts first, then the
longest, is read ("should I click it" asks what not to do, not "clicked").

Everything that depends only on the script and lexicon (phrase tables as automata, the
danger patterns' starts, the typo index) is built in `for_script`; reading a message is
a pass of compiled code per table over the message's words (see `phrases`), a few set
operations and dict lookups, whatever the size of the lexicon. Its cost, and what each
choice bought, is in docs/performance.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ivr.script import DIAL, GO, REPEAT, SEND_TEXT, TRANSFER, Script
from ivr.understanding import lexicon as lexicons
from ivr.understanding import patterns
from ivr.understanding.ages import Ages
from ivr.understanding.inflection import forms
from ivr.understanding.negation import Negation
from ivr.understanding.phrases import Phrases, Search, spaced
from ivr.understanding.tokens import Tokens, digits_at, phrase, tokenise
from ivr.understanding.typos import Corrector

NEXT = "next"
PERSON = "person"
DANGER = "danger"  # the meaning class of every danger word, for typos
MAX_WORDS = 400  # a long SMS is about 300 words; the rest is not read
MAX_CHARACTERS = 1600  # the most Twilio delivers in one message

# Ranks: lower is more urgent.
_DANGER, _CHILD, _ROLES, _OTHER, _PERSON, _CONTROLS = 0, 1, 10, 100, 900, 1000
_CONTROL_RANKS = {"main": 0, NEXT: 1, REPEAT: 2, DIAL: 3}


@dataclass(frozen=True, slots=True)
class Meaning:
    """Where a message leads: GO to a node, NEXT, REPEAT, DIAL, or PERSON."""

    kind: str
    target: str | None = None  # a node id for GO, a number for DIAL
    rank: int = 0

    @property
    def is_control(self) -> bool:
        return self.rank >= _PERSON


@dataclass(frozen=True, slots=True)
class Reading:
    meanings: tuple[Meaning, ...]  # each once, most urgent first
    danger: bool = False
    child: bool = False  # someone under 18 is involved

    @property
    def top(self) -> Meaning | None:
        return self.meanings[0] if self.meanings else None

    @property
    def also(self) -> Meaning | None:
        """A second need worth offering beside the answer: another node, not a control."""
        top = self.top
        for meaning in self.meanings[1:]:
            if meaning.kind == GO and not meaning.is_control and meaning.target != top.target:
                return meaning
        return None


NOTHING = Reading(())


@dataclass(frozen=True, slots=True)
class _Entry:
    meaning: Meaning
    where: str | None  # None: anywhere; else only at this node


class Understanding:
    """A script's words and its language's lexicon, compiled for reading messages."""

    def __init__(self, script: Script, lexicon: lexicons.Lexicon, channel: str):
        roles = script.roles
        self.danger = Meaning(GO, roles["danger"], _DANGER)
        self.child_meaning = Meaning(GO, roles["under_18"], _CHILD) if "under_18" in roles else None
        self._negation = Negation(lexicon.words("negation.words"), lexicon.words("negation.breaks"))
        self._ages = Ages(lexicon.words("relations"))
        ranks = _ranks(script)
        entries: dict[str, list[_Entry]] = {}
        danger_words = set(
            p for name in ("danger.words", "danger.distress", "danger.medications", "danger.emoji")
            for p in lexicon.words(name)
        )  # fmt: skip
        for word, meaning, where in _script_words(script, ranks, channel):
            if meaning.target == self.danger.target and meaning.kind == GO:
                danger_words.add(word)
            else:
                entries.setdefault(word, []).append(_Entry(meaning, where))
        for role in lexicons.TOPIC_ROLES:
            if role in roles:
                meaning = Meaning(GO, roles[role], ranks[roles[role]])
                for word in lexicon.words(f"topics.{role}"):
                    entries.setdefault(word, []).append(_Entry(meaning, None))
        for word in lexicon.words("person"):
            entries.setdefault(word, []).append(_Entry(Meaning(PERSON, None, _PERSON), None))
        # Script entries first: an option's own words beat the lexicon at its node.
        self._entries = {
            w: tuple(sorted(e, key=lambda x: x.where is None)) for w, e in entries.items()
        }
        self._whole_only = {w for w in self._entries if self._negation.is_negation(w)}
        self._units = frozenset(lexicon.words("danger.dose_units"))
        units = "|".join(map(re.escape, sorted(self._units)))
        # "800mg" or "800 mg", as whole words of the spaced message (see `phrases`). It
        # starts with a space, which the regular expression engine finds fast.
        self._dose = re.compile(rf" \d+(?:  )?(?:{units})(?= )") if units else None
        # Every tense of a danger phrase: "end it" also hears "ending it" and "ended it".
        inflected = {form for word in danger_words for form in forms(word)}
        self._danger = Phrases(inflected)
        slots = lexicon.slots()
        self._patterns = _patterns(lexicon.words(lexicons.PATTERNS), tuple(sorted(slots.items())))
        self._when_negated = Phrases(lexicon.words("danger.when_negated"))
        self._weak = Phrases(lexicon.words("danger.weak"))
        self._topics = Phrases(w for w in self._entries if w not in self._whole_only)
        # Every table above, and the patterns' starts, found in one pass over a message.
        tables = (self._danger, self._patterns, self._when_negated, self._weak, self._topics)
        self._search = Search(tables)
        self._typos = _corrector(lexicon, danger_words, self._entries, inflected, slots)

    def read(self, text: str, here: str | None = None) -> Reading:
        tokens = tokenise(text[:MAX_CHARACTERS])
        if len(tokens.words) > MAX_WORDS:
            tokens = Tokens(tokens.words[:MAX_WORDS], tokens.clauses[:MAX_WORDS])
        tokens = Tokens(self._typos.correct_all(tokens.words), tokens.clauses)
        words = tokens.words
        if not words:
            return NOTHING
        said = tokens.text
        text = spaced(words)
        tables = self._search(text)  # every phrase table's phrases, in one pass
        found: list[Meaning] = []
        danger = (
            tables.within(self._danger)
            or self._patterns.within(words, tables)
            or self._a_dose(text)
            or any(self._negation.before(tokens, i) for i, _ in tables.find(self._when_negated))
        )
        if said in self._whole_only:
            found += self._pick(said, here)
        for start, phrase_found in tables.find(self._topics):
            if not self._negation.before(tokens, start):
                found += self._pick(phrase_found, here)
        child = self._ages.child(said) or any(m == self.child_meaning for m in found)
        if child and self.child_meaning:
            found.append(self.child_meaning)
        if not danger and tables.within(self._weak) and not any(m.kind == GO for m in found):
            danger = True
        if danger:
            found.append(self.danger)
        meanings = tuple(sorted(dict.fromkeys(found), key=lambda m: m.rank))
        return Reading(meanings, danger, child)

    def _a_dose(self, text: str) -> bool:
        """A number with a unit of dose: "800mg" or "800 mg" (`text`: the spaced words)."""
        if self._dose is None:
            return False
        # Where a digit starts a word: the only places the pattern (" 800") can start.
        return any(text[at - 1] == " " and self._dose.match(text, at - 1) for at in digits_at(text))

    def _pick(self, word: str, here: str | None) -> list[Meaning]:
        for entry in self._entries.get(word, ()):
            if entry.where is None or entry.where == here:
                return [entry.meaning]
        return []


def _corrector(
    lexicon: lexicons.Lexicon,
    danger_words: set[str],
    entries: dict[str, tuple[_Entry, ...]],
    inflected: set[str],
    slots: dict,
) -> Corrector:
    """Typos of the words that carry a meaning, corrected to them; known words stay."""
    vocabulary: dict[str, set[str]] = {}
    for word in danger_words:
        for token in word.split():
            vocabulary.setdefault(token, set()).add(DANGER)
    for word, found in entries.items():
        for token in word.split():
            vocabulary.setdefault(token, set()).update(str(e.meaning) for e in found)
    known = {
        t
        for name in lexicons.LISTS
        if name not in lexicons.MEANING_LISTS
        for p in lexicon.words(name)
        for t in p.split()
    }
    # An inflected form or a slot's word is itself, never a typo of another word
    # ("ending" stays, "drown" is not "down"); slot words are not typo targets either,
    # as they are everyday words ("thought" is not "the thoughts").
    known |= {t for p in inflected for t in p.split()}
    known |= {t for slot in slots.values() for p in slot for t in p.split()}
    return Corrector({w: frozenset(m) for w, m in vocabulary.items()}, known)


@lru_cache(maxsize=128)  # a Script is hashed by identity: one compile per script and channel
def for_script(script: Script, channel: str) -> Understanding:
    """The script's words on one channel (an option offered only by phone has no meaning
    in a text), with its language's lexicon and its own `lexicon:` additions."""
    return Understanding(script, lexicon_for(script), channel)


@lru_cache(maxsize=16)  # scripts of one language share their patterns
def _patterns(rules: tuple[str, ...], slots: tuple) -> patterns.Patterns:
    return patterns.Patterns(rules, dict(slots))


def lexicon_for(script: Script) -> lexicons.Lexicon:
    """The script's language's lexicon, with the crisis words of every other language the
    script speaks (people switch: "I want to die" in a Welsh conversation is danger, and
    so is "dw i eisiau marw" in an English one), and the script's own additions."""
    language = lexicons.load(script.language)
    for other in dict.fromkeys((script.translated_from, *script.languages)):
        if other and other != script.language:
            language = language.extended(_crisis_words(lexicons.load(other)))
    own, _ = lexicons.parse(script.lexicon, script.path) if script.lexicon else (None, [])
    return language.extended(own) if own else language


# The lists another language's crisis words live in: its words and distress, and its
# patterns with the slots they name (each language names its own slots).
_CRISIS_LISTS = ("danger.words", "danger.distress", lexicons.PATTERNS)


def _crisis_words(lexicon: lexicons.Lexicon) -> lexicons.Lexicon:
    kept = {
        name: found
        for name, found in lexicon.lists.items()
        if name in _CRISIS_LISTS or name.startswith(lexicons.SLOTS + ".")
    }
    return lexicons.Lexicon(lexicon.path, lexicon.language, MappingProxyType(kept))


def _ranks(script: Script) -> dict[str, int]:
    """Each node's rank as a meaning: the roles in the script's order, then the rest."""
    ranks = {script.roles["danger"]: _DANGER}
    if "under_18" in script.roles:
        ranks[script.roles["under_18"]] = _CHILD
    for i, (role, node) in enumerate(script.roles.items()):
        if role != "main":
            ranks.setdefault(node, _ROLES + i)
    for i, node in enumerate(script.nodes):
        ranks.setdefault(node, _OTHER + i)
    ranks[script.roles["main"]] = _CONTROLS + _CONTROL_RANKS["main"]
    return ranks


def _script_words(
    script: Script, ranks: dict[str, int], channel: str
) -> Iterable[tuple[str, Meaning, str | None]]:
    """Every option's keyword and synonyms, with its meaning and where it counts.

    A word counts anywhere unless it leads to different places at different nodes; then
    it counts only at its own nodes (and the globals' words anywhere)."""
    found: list[tuple[str, Meaning, str | None]] = []
    for option in script.globals:
        if channel in option.channels:
            found += [(w, _option_meaning(option, ranks), None) for w in _normal(option.words)]
    for node in script.nodes.values():
        options = [*node.options, *(o for step in node.step_options for o in step)]
        for option in options:
            if channel in option.channels:
                meaning = _option_meaning(option, ranks)
                found += [(w, meaning, node.id) for w in _normal(option.words)]
    control = script.next_control
    next_ = Meaning(NEXT, None, _CONTROLS + _CONTROL_RANKS[NEXT])
    found += [(w, next_, None) for w in _normal(control.words)]
    places: dict[str, set[Meaning]] = {}
    for word, meaning, _ in found:
        places.setdefault(word, set()).add(meaning)
    for word, meaning, where in found:
        yield word, meaning, (None if len(places[word]) == 1 else where)


def _option_meaning(option, ranks: dict[str, int]) -> Meaning:
    """GO leads anywhere; the other actions (a call, a transfer, a text) only where
    they are open, so their meaning names what the engine compares with its choices."""
    if option.action == GO:
        return Meaning(GO, option.target, ranks.get(option.target, _OTHER))
    target = {DIAL: option.dial, TRANSFER: option.transfer, REPEAT: None, SEND_TEXT: None}
    rank = _CONTROLS + _CONTROL_RANKS.get(option.action, 9)
    return Meaning(option.action, target.get(option.action, option.target), rank)


def _normal(words: Iterable[str]) -> list[str]:
    return [p for p in (phrase(w) for w in words) if p]
