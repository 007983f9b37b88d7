"""A table of whole-word phrases, found in a message by their first word.

    Phrases(phrases).find(words)  -> (start, phrase)...   leftmost, then longest; no overlaps
    Phrases(phrases).within(words) -> bool

Built once per script. Finding costs one dict lookup per word of the message, plus a
comparison for each listed phrase that starts with that word: the size of the lexicon
does not matter, unlike one regular expression with hundreds of alternatives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class Phrases:
    def __init__(self, phrases: Iterable[str]):
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for text in set(phrases):
            words = tuple(text.split())
            if words:
                by_first.setdefault(words[0], []).append(words)
        self._by_first = {w: tuple(sorted(c, key=len, reverse=True)) for w, c in by_first.items()}

    def find(self, words: tuple[str, ...]) -> Iterator[tuple[int, str]]:
        i = 0
        while i < len(words):
            for candidate in self._by_first.get(words[i], ()):
                if words[i : i + len(candidate)] == candidate:
                    yield i, " ".join(candidate)
                    i += len(candidate)
                    break
            else:
                i += 1

    def within(self, words: tuple[str, ...]) -> bool:
        return next(self.find(words), None) is not None
