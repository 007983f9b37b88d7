"""Phrase tables, and every table's phrases found in a message in one pass.

    Phrases(phrases)                           a table of whole-word phrases
    Search(tables)(text)        -> Found       every table searched at once
    Found.find(table)           -> [(start, phrase), ...]  leftmost, then longest; no overlaps
    Found.within(table)         -> bool
    Found.hits(table)           -> [(key number, word, end), ...]  every place, overlaps too
    Found.hiding(words)         -> Found   without the places that touch these words
    Phrases.find(words) / .within(words)       one table alone, the same answers

`text` is `spaced(words)`, made once per message: each word with a space either side,
two between neighbours, so a table's key matches whole words only and two phrases side
by side never share a character. A table is anything with `keys` (spaced word
sequences) and their `sizes` in words: `Phrases`, and the patterns' starts (see
`patterns`). `Search` puts
the keys of every table into one Aho-Corasick automaton (ahocorasick_rs, compiled
code), built once per script from the lexicon's phrases as data; a message is read in
one pass whatever the size of the lexicon, and Python sees only the phrases found. An
automaton is built once for one list of keys (`_automaton`), whichever Search asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Protocol

from ahocorasick_rs import AhoCorasick

MAX_TABLES = 256  # a key's table is kept in one byte


class Table(Protocol):
    keys: Sequence[str]
    sizes: Sequence[int]  # each key's words


def spaced(words: tuple[str, ...]) -> str:
    """The words as every table searches them: " i  clicked  it " for (i, clicked, it)."""
    return " " + "  ".join(words) + " " if words else ""


class Phrases:
    def __init__(self, phrases: Iterable[str]):
        self.phrases = tuple(sorted({" ".join(p.split()) for p in phrases if p.split()}))
        self.keys = tuple(spaced(tuple(p.split())) for p in self.phrases)
        self.sizes = tuple(len(p.split()) for p in self.phrases)  # in words
        self._alone: Search | None = None

    def find(self, words: tuple[str, ...]) -> list[tuple[int, str]]:
        return self._search()(spaced(words)).find(self)

    def within(self, words: tuple[str, ...]) -> bool:
        return self._search()(spaced(words)).within(self)

    def _search(self) -> Search:
        if self._alone is None:
            self._alone = Search([self])
        return self._alone


class Search:
    """Several tables' keys in one automaton; calling it on a spaced text finds them all."""

    def __init__(self, tables: Iterable[Table]):
        # Held, so that their ids stay theirs; a table given twice (two empty pattern
        # lists are one shared object) is searched once.
        self._kept = list({id(table): table for table in tables}.values())
        if len(self._kept) > MAX_TABLES:
            raise ValueError(f"A Search holds at most {MAX_TABLES} tables, not {len(self._kept)}.")
        self._tables = {id(table): n for n, table in enumerate(self._kept)}
        # Every table's keys one after the other, a key two tables share given twice (the
        # automaton reports each copy): so a key's number says its table and its place
        # in it, with one byte per key kept, not a list of owners per key.
        self._firsts = [0]  # the number of each table's first key
        for table in self._kept:
            self._firsts.append(self._firsts[-1] + len(table.keys))
        self._table_of = bytes(
            chain.from_iterable(repeat(n, len(table.keys)) for n, table in enumerate(self._kept))
        )
        self._sizes = [table.sizes for table in self._kept]
        # Every match, overlaps included ("i clicked" and "clicked" both), so that each
        # table can take its own leftmost-longest reading from them.
        keys = tuple(chain.from_iterable(table.keys for table in self._kept))
        self._automaton = _automaton(keys) if keys else None

    def __call__(self, text: str) -> Found:
        hits: list[list[tuple[int, int, int]]] = [[] for _ in self._tables]
        if self._automaton is not None and text:
            found = self._automaton.find_matches_as_indexes(text, overlapping=True)
            # By where each starts, then the longest first: the order `Found.find` reads
            # them in, kept in every table's list. An overlapping search reports each match
            # as it passes its end (aho-corasick's OverlappingState keeps the offset it has
            # reached), so at one start the shorter first: one stable sort by start, latest
            # first, keeps that, and the list reversed is the order wanted (both in C;
            # tests/test_reading_matchers.py holds the order for every table).
            found.sort(key=_START, reverse=True)
            found.reverse()
            table_of, firsts = self._table_of, self._firsts
            word = counted = 0  # the word a key starts at: two-space gaps before it
            for number, start, end in found:
                word += text.count("  ", counted, start + 1)  # no gap straddles start + 1
                counted = start + 1
                table = table_of[number]
                hits[table].append((number - firsts[table], word, end))
        return Found(hits, self._tables, self._sizes)


_START = itemgetter(1)  # of a match (key number, start, end)


@lru_cache(maxsize=32)
def _automaton(keys: tuple[str, ...]) -> AhoCorasick:
    """The automaton of these keys, built once for every Search of the same keys. Most of
    a script's keys are its language's (the patterns', idioms' and disguises' tables: 85,000
    of 88,673 for the shipped script), so a script checked again, or a fixture differing
    from another only in its prompts, or another channel offering the same words, has the
    very same list; building it takes about 90 ms (2026-12-07), and the tests build one
    for each script they check: 856 in the fast loop, 74 of them different."""
    return AhoCorasick(keys)


class Found:
    """What a `Search` found in one message, by table: (key number, word, end) for every
    place one of the table's keys stands, by where it starts and at one start the longest
    first; `end` is where it ends in the spaced text."""

    def __init__(self, hits: list, tables: dict[int, int], sizes: list):
        self._hits = hits
        self._tables = tables
        self._sizes = sizes

    def hiding(self, words: set[int]) -> Found:
        """The same finds without any that stands on one of these words (by index): what
        a search of the message with those words left out would find."""
        kept = [
            [hit for hit in hits if not words.intersection(range(hit[1], hit[1] + sizes[hit[0]]))]
            for hits, sizes in zip(self._hits, self._sizes, strict=True)
        ]
        return Found(kept, self._tables, self._sizes)

    def hits(self, table: Table) -> list[tuple[int, int, int]]:
        return self._hits[self._tables[id(table)]]

    def within(self, table: Table) -> bool:
        return bool(self._hits[self._tables[id(table)]])

    def find(self, table: Phrases) -> list[tuple[int, str]]:
        """Leftmost, then longest, no overlaps: the phrase that starts first, then the
        longest of those (for whole words, the one with the most words), and on from
        its end."""
        found, after = [], 0
        for k, word, _ in self.hits(table):  # by where they start, the longest first
            if word >= after:
                found.append((word, table.phrases[k]))
                after = word + table.sizes[k]
        return found
