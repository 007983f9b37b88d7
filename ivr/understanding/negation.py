"""Negation: whether a phrase in a message is denied ("I didn't click it").

    Negation(words, breaks, reach).before(tokens, start) -> bool

A negation reaches forward at most `reach` words, within its clause, and stops at a
break word ("I don't know what to do" still asks what to do; "no, I clicked it" is
still clicked, because the comma ends the clause). It only ever cancels topic words:
the danger words are never cancelled ("I'm not suicidal" still gets 999 and Samaritans),
and a few danger phrases need it ("I don't feel safe").
"""

from __future__ import annotations

from collections.abc import Iterable

from ivr.understanding.tokens import Tokens

REACH = 4  # "I don't really think I clicked": the negation is four words before


class Negation:
    def __init__(self, words: Iterable[str], breaks: Iterable[str], reach: int = REACH):
        phrases = [tuple(w.split()) for w in words if w]
        self._single = frozenset(p[0] for p in phrases if len(p) == 1)
        self._multi = tuple(p for p in phrases if len(p) > 1)
        self._multi_last = frozenset(p[-1] for p in self._multi)
        self._breaks = frozenset(breaks)
        self._reach = reach

    def before(self, tokens: Tokens, start: int) -> bool:
        """Whether a negation stands shortly before the word at index `start`."""
        if start <= 0 or start > len(tokens.words):
            return False
        words, clauses = tokens.words, tokens.clauses
        clause = clauses[start - 1] if start == len(words) else clauses[start]
        for i in range(start - 1, max(start - 1 - self._reach, -1), -1):
            if clauses[i] != clause:
                return False
            word = words[i]
            if word in self._single or (word in self._multi_last and self._multi_ends_at(words, i)):
                return True
            if word in self._breaks:
                return False
        return False

    def is_negation(self, text: str) -> bool:
        """Whether a whole phrase is made only of negations ("dont", "do not")."""
        words = text.split()
        return bool(words) and all(w in self._single or w == "do" for w in words)

    def _multi_ends_at(self, words: tuple[str, ...], i: int) -> bool:
        return any(i + 1 >= len(p) and words[i + 1 - len(p) : i + 1] == p for p in self._multi)
