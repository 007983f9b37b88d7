"""What a script's words mean, worked out once when its understanding is compiled.

    ranks(script)                              -> {node: rank}
    script_words(script, ranks, channel)       -> (word, Meaning, where)...
    corrector(lexicon, danger, entries, ...)   -> Corrector

The script's options give words (keywords, synonyms) that lead to nodes; the lexicon
gives the language's words. Ranks say which meaning wins: danger, then under 18, then
the script's roles in the order it lists them, then other nodes, then the controls.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ivr.script import DIAL, GO, REPEAT, SEND_TEXT, TRANSFER, Script
from ivr.understanding import lexicon as lexicons
from ivr.understanding.inflection import forms
from ivr.understanding.tokens import phrase
from ivr.understanding.typos import Corrector

NEXT = "next"
PERSON = "person"
DANGER = "danger"  # the meaning class of every danger word, for typos

# Ranks: lower is more urgent.
DANGER_RANK, CHILD_RANK, ROLES_RANK, OTHER_RANK, PERSON_RANK, CONTROLS_RANK = (
    0, 1, 10, 100, 900, 1000,
)  # fmt: skip
CONTROL_RANKS = {"main": 0, NEXT: 1, REPEAT: 2, DIAL: 3}


@dataclass(frozen=True, slots=True)
class Meaning:
    """Where a message leads: GO to a node, NEXT, REPEAT, DIAL, or PERSON."""

    kind: str
    target: str | None = None  # a node id for GO, a number for DIAL
    rank: int = 0

    @property
    def is_control(self) -> bool:
        return self.rank >= PERSON_RANK


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message means (see `meaning`)."""

    meanings: tuple[Meaning, ...]  # each once, most urgent first
    danger: bool = False
    child: bool = False  # someone under 18 is involved
    denied: bool = False  # danger clearly denied beside a need: crisis numbers, then it

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


@dataclass(frozen=True, slots=True)
class Entry:
    meaning: Meaning
    where: str | None  # None: anywhere; else only at this node


def ranks(script: Script) -> dict[str, int]:
    """Each node's rank as a meaning: the roles in the script's order, then the rest."""
    found = {script.roles["danger"]: DANGER_RANK}
    if "under_18" in script.roles:
        found[script.roles["under_18"]] = CHILD_RANK
    for i, (role, node) in enumerate(script.roles.items()):
        if role != "main":
            found.setdefault(node, ROLES_RANK + i)
    for i, node in enumerate(script.nodes):
        found.setdefault(node, OTHER_RANK + i)
    found[script.roles["main"]] = CONTROLS_RANK + CONTROL_RANKS["main"]
    return found


def script_words(
    script: Script, node_ranks: dict[str, int], channel: str
) -> Iterable[tuple[str, Meaning, str | None]]:
    """Every option's keyword and synonyms, with its meaning and where it counts.

    A word counts anywhere unless it leads to different places at different nodes; then
    it counts only at its own nodes (and the globals' words anywhere)."""
    found: list[tuple[str, Meaning, str | None]] = []
    for option in script.globals:
        if channel in option.channels:
            found += [(w, _option_meaning(option, node_ranks), None) for w in _normal(option.words)]
    for node in script.nodes.values():
        options = [*node.options, *(o for step in node.step_options for o in step)]
        for option in options:
            if channel in option.channels:
                meaning = _option_meaning(option, node_ranks)
                found += [(w, meaning, node.id) for w in _normal(option.words)]
    control = script.next_control
    next_ = Meaning(NEXT, None, CONTROLS_RANK + CONTROL_RANKS[NEXT])
    found += [(w, next_, None) for w in _normal(control.words)]
    places: dict[str, set[Meaning]] = {}
    for word, meaning, _ in found:
        places.setdefault(word, set()).add(meaning)
    for word, meaning, where in found:
        yield word, meaning, (None if len(places[word]) == 1 else where)


def _option_meaning(option, node_ranks: dict[str, int]) -> Meaning:
    """GO leads anywhere; the other actions (a call, a transfer, a text) only where
    they are open, so their meaning names what the engine compares with its choices."""
    if option.action == GO:
        return Meaning(GO, option.target, node_ranks.get(option.target, OTHER_RANK))
    target = {DIAL: option.dial, TRANSFER: option.transfer, REPEAT: None, SEND_TEXT: None}
    rank = CONTROLS_RANK + CONTROL_RANKS.get(option.action, 9)
    return Meaning(option.action, target.get(option.action, option.target), rank)


def _normal(words: Iterable[str]) -> list[str]:
    return [p for p in (phrase(w) for w in words) if p]


def corrector(
    lexicon: lexicons.Lexicon,
    danger_words: set[str],
    entries: dict[str, tuple[Entry, ...]],
    inflected: set[str],
    slots: dict,
) -> Corrector:
    """Typos of the words that carry a meaning, corrected to them; known words stay.

    A word's meanings are DANGER or the Meanings it leads to: the corrector only asks
    whether two words share one, and how many a word has."""
    vocabulary: dict[str, set[str | Meaning]] = {}
    for word in danger_words:
        for token in word.split():
            vocabulary.setdefault(token, set()).add(DANGER)
    for word, found in entries.items():
        for token in word.split():
            vocabulary.setdefault(token, set()).update(e.meaning for e in found)
    targets = frozenset((w, frozenset(m)) for w, m in vocabulary.items())
    slot_items = tuple(sorted(slots.items()))
    return _corrector(targets, _never_typos(_known(lexicon), frozenset(inflected), slot_items))


@lru_cache(maxsize=16)  # a Lexicon is hashed by identity: one per language, mostly
def _known(lexicon: lexicons.Lexicon) -> frozenset[str]:
    """The words of the lexicon's lists that carry no meaning of their own."""
    return frozenset(
        t
        for name in lexicons.LISTS
        if name not in lexicons.MEANING_LISTS
        for p in lexicon.words(name)
        for t in p.split()
    )


@lru_cache(maxsize=16)  # one language's: the same for all its scripts, mostly
def _never_typos(
    known: frozenset[str],
    inflected: frozenset[str],
    slots: tuple[tuple[str, tuple[str, ...]], ...],
) -> frozenset[str]:
    """The lexicon's known words, and every word of an inflected danger phrase or a slot.

    An inflected form or a slot's word is itself, never a typo of another word ("ending"
    stays, "drown" is not "down"); slot words are not typo targets either, as they are
    everyday words ("thought" is not "the thoughts")."""
    never = known | {t for p in inflected for t in p.split()}
    return never | {t for _, slot in slots for p in slot for f in forms(p) for t in f.split()}


# Built once for the same words: scripts of one language differ only in their options'
# words, and a script checked again, or on another channel offering the same words, has
# the very same (the tests check hundreds; building one takes about 35 ms, 2026-12-07).
# A correction depends only on the word, the targets and the known words (`typos`), so
# the Corrector's own memo of corrections is right for every script that shares it.
@lru_cache(maxsize=32)
def _corrector(
    targets: frozenset[tuple[str, frozenset[str | Meaning]]], never: frozenset[str]
) -> Corrector:
    return Corrector(dict(targets), never, careful=frozenset({DANGER}))
