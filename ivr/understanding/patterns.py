"""Danger patterns: phrases with slots, compiled once into word tables at load.

    normal(written)                  -> str         a pattern in normal form
    slots_named(pattern)             -> list[str]   the slot names it uses
    problem_in(pattern, slots)       -> str | None  why it cannot compile, in a sentence
    Patterns(patterns, slots).within(words) -> bool  whether any pattern is in the words
    Patterns(...).within(words, found)        -> bool  the same, from a shared Search
    Patterns(...).find(words, found)          -> [(start, end, pattern), ...]  each one

The pattern language is deliberately small, so staff can read and edit it:

- words match themselves, in the normal form of `tokens` ("Can't" is "cant");
- `{name}` matches any phrase of the slot list `name` (under `slots:` in the lexicon),
  each with its inflected forms (`inflection`): "{intent} {ending}" says "want to end it",
  "thinking about ending it" and "gonna kill myself" at once;
- `...` lets up to GAP other words stand between its neighbours ("{someone} said ...
  {harm} {victim}" hears "he said he will hurt my family");
- `{number}` matches any number written in digits ("{took} {number} of them" hears
  "I've taken 40 of them"); a pattern cannot start with it.

Nothing else is special, so a pattern cannot be written that reads slowly: each compiles
to tables of word sequences and bounded gaps, once per script, and a message is read a
word at a time (as `phrases` reads plain phrases).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Set

from ivr.understanding.inflection import forms
from ivr.understanding.phrases import Found, Search, spaced
from ivr.understanding.tokens import phrase

GAP = "..."
NUMBER = "number"  # the one slot no list fills: any number in digits
GAP_WORDS = 4
SLOT_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_PIECE = re.compile(r"\{[^{}]*\}|\.\.\.|[^{}.]+|[{}.]")


def normal(written: str) -> str:
    """Slots and gaps kept as written, every other part in the normal form of `tokens`."""
    out: list[str] = []
    for piece in _PIECE.findall(written.lower()):
        if _SLOT.fullmatch(piece) or piece == GAP:
            out.append(piece)
        elif piece.strip(" {}."):
            out.extend(phrase(piece).split())
    return " ".join(out)


def slots_named(pattern: str) -> list[str]:
    return _SLOT.findall(pattern)


def problem_in(pattern: str, slots: Mapping[str, Iterable[str]]) -> str | None:
    """Why a pattern cannot be used, or None."""
    parts = pattern.split()
    named = [name for name in slots_named(pattern) if name != NUMBER]
    missing = [name for name in named if not list(slots.get(name, ()))]
    if missing:
        close = difflib.get_close_matches(missing[0], list(slots), n=1)
        hint = f" (did you mean {{{close[0]}}}?)" if close else ""
        return f"uses the slot {{{missing[0]}}}, which the lexicon has no phrases for{hint}"
    if not parts or parts[0] == GAP or parts[-1] == GAP:
        return "starts or ends with '...', which needs words on both sides"
    if parts[0] == "{" + NUMBER + "}":
        return "starts with {number}, which must follow a word"
    if f"{GAP} {GAP}" in pattern:
        return "has two '...' side by side, which is one '...'"
    return None


class Patterns:
    """Patterns compiled for reading: `within` says whether any matches, `find` where.

    Each pattern becomes a sequence of steps, each a table of the word sequences that may
    stand there (a slot's phrases in every tense, or one literal word) or a gap. Patterns
    are indexed by the first two words they can start with (one where a gap follows a
    one-word start): those are the `keys` a `phrases.Search` finds in a message in its
    one pass, and a pattern is tried only where one of its starts stands, the word
    after the start is one it can go on with (`_after`; a number where {number} comes
    next), and the message holds a word of each of its smaller steps (`_needs`). So the
    number of patterns and the size of the slots do not matter."""

    def __init__(self, rules: Iterable[str], slots: Mapping[str, Iterable[str]]):
        self._rules: list[tuple] = []
        self._written: list[str] = []  # each rule as written (normal form), for `find`
        starts: dict[tuple[str, ...], set[int]] = {}  # a start's words -> its rules
        # One table per distinct part: a slot many rules use ({meds} in 28) is built and
        # held once, not once per rule (issue 19's lexicon made these tables most of a
        # worker's memory).
        tables: dict[str, dict | None] = {}
        # Per rule, the words of which every match holds one, for its smaller steps
        # (`_needs`): a rule none of whose words for one of them is in the message is not
        # tried. Shared like the tables, one frozenset per step table.
        self._needs: list[tuple[frozenset[str], ...]] = []
        needed: dict[int, frozenset[str]] = {}
        for rule in rules:
            if problem_in(rule, slots) is None:  # the linter reports the others (V140)
                for part in rule.split():
                    if part not in tables:
                        tables[part] = _step(part, slots)
                steps = tuple(tables[part] for part in rule.split())
                for start in _starts(steps):
                    starts.setdefault(start, set()).add(len(self._rules))
                self._rules.append(steps)
                self._written.append(rule)
                self._needs.append(_needs(steps, needed))
        # Per start: the rules worth trying by the word after the start (in the order
        # written), and those that can go on with any word (`_after`), for all others.
        # Thousands of starts (every pair of words a slot can begin with) share a few
        # hundred distinct answers: each distinct one is built and held once.
        shared: dict[tuple, tuple] = {}
        self._by_start = [
            _by_next(self._rules, start, numbers, shared) for start, numbers in starts.items()
        ]
        self.keys = tuple(spaced(start) for start in starts)
        self.sizes = tuple(len(start) for start in starts)  # in words
        self._alone: Search | None = None

    def within(
        self, words: tuple[str, ...], found: Found | None = None, present: Set[str] | None = None
    ) -> bool:
        """`found`: what a Search with these patterns among its tables found in the
        words; without it, the patterns are searched alone. `present`: the words as a
        set (or any set that holds them all), if the caller has made one."""
        if not words or not self._rules:
            return False
        if found is None:
            found = (self._alone or self._search())(spaced(words))
        if present is None:
            present = set(words)
        tried, rules, needs = self._tried, self._rules, self._needs
        for number, i, _ in found.hits(self):
            for rule in tried(number, words, i):
                needed = not any(map(present.isdisjoint, needs[rule]))
                if needed and _end(rules[rule], 0, words, i) >= 0:
                    return True
        return False

    def find(
        self, words: tuple[str, ...], found: Found | None = None, present: Set[str] | None = None
    ) -> list[tuple]:
        """(start, end, pattern) of every pattern found: leftmost first, and at each start
        in the order written, each once. `end`: the index after its last word. `found`
        and `present`: as for `within`."""
        if not words or not self._rules:
            return []
        if found is None:
            found = (self._alone or self._search())(spaced(words))
        if present is None:
            present = set(words)
        ends: dict[tuple[int, int], int] = {}  # (start, rule) -> end
        # `_tried`, written out: this loop runs for every start a message holds, and most
        # starts have no rule to try.
        count, sizes, by_start, rules = len(words), self.sizes, self._by_start, self._rules
        needs = self._needs
        for number, i, _ in found.hits(self):
            at = i + sizes[number]
            any_word, by_next, numbers = by_start[number]
            if at < count:
                tried = by_next.get(words[at])
                if tried is None:
                    tried = numbers if numbers and words[at].isdigit() else any_word
            else:
                tried = any_word
            for rule in tried:
                if (i, rule) not in ends:
                    if any(map(present.isdisjoint, needs[rule])):
                        ends[i, rule] = -1  # a word it needs is nowhere in the message
                    else:
                        ends[i, rule] = _end(rules[rule], 0, words, i)
        return [
            (i, end, self._written[rule]) for (i, rule), end in sorted(ends.items()) if end >= 0
        ]

    def _tried(self, number: int, words: tuple[str, ...], i: int) -> tuple[int, ...]:
        """The rules worth trying where start `number` stands at word i: those that can
        go on with the word after it (one lookup; `_by_next`)."""
        at = i + self.sizes[number]
        any_word, by_next, numbers = self._by_start[number]
        if at >= len(words):
            return any_word
        tried = by_next.get(words[at])
        if tried is None:
            return numbers if numbers and words[at].isdigit() else any_word
        return tried

    def _search(self) -> Search:
        self._alone = Search([self])
        return self._alone


def _by_next(
    rules: list[tuple], start: tuple[str, ...], numbers: set[int], shared: dict[tuple, tuple]
) -> tuple:
    """For one start: (the rules any word may follow, {word after the start: the rules
    it may follow}, the rules a number may follow), each in the order written. A rule a
    word may follow is one that can go on with that word (`_after`), or with any word; a
    number also follows the rules whose next step is {number} ("took {number} of them"
    is not tried at "took a"). `shared`: the answers built so far, by what they are built
    from (the same rules going on with the same words), so that equal answers are one
    object, and their tuples of rules too (under their own key)."""
    after = tuple((rule, _after(rules[rule], start)) for rule in sorted(numbers))
    known = shared.get(after)
    if known is not None:
        return known
    any_word = tuple(rule for rule, words in after if words is None)
    on_numbers = {rule for rule, words in after if words is not None and _ANY_NUMBER in words}
    by_next: dict[str, list[int]] = {}
    for rule, words in after:
        for word in words or ():
            if word != _ANY_NUMBER:
                by_next.setdefault(word, []).append(rule)
    tried_after: dict[str, tuple[int, ...]] = {}
    for word, found in by_next.items():
        tried = tuple(sorted({*found, *any_word, *(on_numbers if word.isdigit() else ())}))
        tried_after[word] = shared.setdefault(tried, tried)
    after_number = tuple(sorted({*any_word, *on_numbers})) if on_numbers else ()
    after_number = shared.setdefault(after_number, after_number)
    answer = shared[after] = any_word, tried_after, after_number
    return answer


NEEDS_CHECKED = 4  # steps per rule whose words are looked for in the message
NEEDS_AT_MOST = 8  # words in such a step: a set is checked in as many lookups as it has


def _needs(steps: tuple, needed: dict[int, frozenset[str]]) -> tuple[frozenset[str], ...]:
    """The first words of the rule's steps after its first (a match holds one of each),
    for up to NEEDS_CHECKED steps of NEEDS_AT_MOST words or fewer, fewest first: "sorry
    ... wanted to say goodbye" needs "wanted", "to", "say" and "goodbye". Gaps and
    {number} need no word. `needed`: each table's words, by id."""
    words = []
    for step in steps[1:]:
        if step is not None and step is not _DIGITS and len(step) <= NEEDS_AT_MOST:
            if id(step) not in needed:
                needed[id(step)] = frozenset(step)
            words.append(needed[id(step)])
    return tuple(sorted(words, key=len)[:NEEDS_CHECKED])


def _starts(steps: tuple) -> set[tuple[str, ...]]:
    """The words a match of these steps must start with: the first two, or the first
    alone where a gap follows it or nothing does."""
    found: set[tuple[str, ...]] = set()
    second = steps[1] if len(steps) > 1 else None  # None: a gap, or no second step
    if second is _DIGITS:  # any number: the first word alone starts it
        second = None
    for first, (alone, longer) in steps[0].items():
        if alone:
            found.update([(first, then) for then in second] if second else [(first,)])
        found.update(choice[:2] for choices in longer.values() for choice in choices)
    return found


def _after(steps: tuple, start: tuple[str, ...]) -> frozenset[str] | None:
    """The words that can stand right after `start` in a match of these steps, or None
    where any word can (a gap comes next, or the match can end there); `_ANY_NUMBER`
    among them where a {number} step comes next (any word of digits)."""
    found: set[str] = set()

    def walk(k: int, rest: tuple[str, ...], used: int) -> bool:  # False: anything can
        if rest:  # the rest of a longer word sequence chosen at step k - 1
            if used == len(start):
                found.add(rest[0])
                return True
            return rest[0] != start[used] or walk(k, rest[1:], used + 1)
        if used == len(start) and k < len(steps) and steps[k] is _DIGITS:
            found.add(_ANY_NUMBER)
            return True
        if k == len(steps) or steps[k] is None or steps[k] is _DIGITS:
            return used < len(start)  # past the start: any word; inside it: no match
        if used == len(start):
            found.update(steps[k])
            return True
        alone, longer = steps[k].get(start[used], (False, {}))
        if alone and not walk(k + 1, (), used + 1):
            return False
        if used + 1 == len(start):  # a longer sequence: its second word comes next
            found.update(longer)
            return True
        return all(walk(k + 1, c[1:], used + 1) for c in longer.get(start[used + 1], ()))

    return frozenset(found) if walk(0, (), 0) else None


def _step(part: str, slots: Mapping[str, Iterable[str]]) -> dict[str, tuple] | None:
    """One step: None for a gap, else its word sequences by their first word, each as
    (whether the word alone is one, the longer ones by their second word)."""
    if part == GAP:
        return None
    if part == "{" + NUMBER + "}":
        return _DIGITS
    slot = _SLOT.fullmatch(part)
    choices = {f for p in slots.get(slot.group(1), ()) for f in forms(p)} if slot else {part}
    table: dict[str, tuple[bool, dict[str, list[tuple[str, ...]]]]] = {}
    for choice in choices:
        words = tuple(choice.split())
        alone, longer = table.get(words[0], (False, {}))
        if len(words) == 1:
            alone = True
        else:
            longer.setdefault(words[1], []).append(words)
        table[words[0]] = (alone, longer)
    # Longer sequences longest first, so `find` reports the longest match at a step.
    return {
        w: (
            alone,
            {second: tuple(sorted(c, key=len, reverse=True)) for second, c in longer.items()},
        )
        for w, (alone, longer) in table.items()
    }


def _end(steps: tuple, k: int, words: tuple[str, ...], i: int) -> int:
    """Where steps[k:] matched from index i end (the index after their last word), or -1:
    every choice that fits is tried, longest first (loops, not generators: this is the
    one place a message is read pattern by pattern)."""
    end = len(words)
    while k < len(steps):
        step = steps[k]
        if step is None:  # a gap: up to GAP_WORDS words, then the next step
            return _after_gap(steps, k + 1, words, i)
        entry = step.get(words[i]) if i < end else None
        if entry is None:
            return -1
        alone, longer = entry
        if longer and i + 1 < end:  # sequences of two words or more that fit the next word
            for choice in longer.get(words[i + 1], ()):
                if words[i : i + len(choice)] != choice:
                    continue
                found = _end(steps, k + 1, words, i + len(choice))
                if found >= 0:
                    return found
        if not alone:
            return -1
        i, k = i + 1, k + 1  # the one word alone: go on from the next
    return i


def _after_gap(steps: tuple, k: int, words: tuple[str, ...], i: int) -> int:
    """Where steps[k:] end when they start up to GAP_WORDS words after i, or -1."""
    following = steps[k]
    for j in range(i, min(i + GAP_WORDS, len(words) - 1) + 1):
        if words[j] in following:
            found = _end(steps, k, words, j)
            if found >= 0:
                return found
    return -1


class _Digits(dict):
    """The {number} step: any word of digits, one word long (an empty dict, so nothing
    lists it as a start)."""

    def get(self, word, default=None):
        return (True, {}) if word.isdigit() else default

    def __contains__(self, word) -> bool:
        return isinstance(word, str) and word.isdigit()


_DIGITS = _Digits()
_ANY_NUMBER = "{number}"  # in what `_after` finds: any word of digits (no word has braces)
