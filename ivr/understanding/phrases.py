"""A table of whole-word phrases, found in a message by one automaton.

    Phrases(phrases).find(words, text)  -> (start, phrase)...   leftmost, then longest; no overlaps
    Phrases(phrases).within(words, text) -> bool

`text` is `spaced(words)`, made once per message and shared by every table: each word
with a space either side, so a phrase matches whole words only and two phrases side by
side never share a character. Built once per script: the phrases go into an
Aho-Corasick automaton (ahocorasick_rs, compiled code) that finds them all in one pass
over the message, whatever the size of the lexicon; Python sees only the phrases found.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ahocorasick_rs import AhoCorasick, MatchKind


def spaced(words: tuple[str, ...]) -> str:
    """The words as every table searches them: " i  clicked  it " for (i, clicked, it)."""
    return " " + "  ".join(words) + " " if words else ""


class Phrases:
    def __init__(self, phrases: Iterable[str]):
        self._phrases = sorted({" ".join(p.split()) for p in phrases if p.split()})
        keys = [spaced(tuple(p.split())) for p in self._phrases]
        # Leftmost-longest: of the phrases found, the one that starts first, then the
        # longest of those (for whole words: the one with the most words), and the next
        # search starts after it.
        self._automaton = AhoCorasick(keys, matchkind=MatchKind.LeftmostLongest) if keys else None

    def find(self, words: tuple[str, ...], text: str | None = None) -> Iterator[tuple[int, str]]:
        if self._automaton is None:
            return
        if text is None:
            text = spaced(words)
        for index, start, _ in self._automaton.find_matches_as_indexes(text):
            # The word's number: how many two-space gaps come before its leading space.
            yield text.count("  ", 0, start + 1), self._phrases[index]

    def within(self, words: tuple[str, ...], text: str | None = None) -> bool:
        if self._automaton is None:
            return False
        return bool(self._automaton.find_matches_as_indexes(text or spaced(words)))
