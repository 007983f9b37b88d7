"""Negation: whether a phrase in a message is denied ("I didn't click it").

    Negation(words, breaks, reach).before(tokens, start) -> bool
    Denial(words, hedges).denies(tokens, start, end)     -> str | None

A negation reaches forward at most `reach` words, within its clause, and stops at a
break word ("I don't know what to do" still asks what to do; "no, I clicked it" is
still clicked, because the comma ends the clause). It only ever cancels topic words:
the danger words are never cancelled ("I'm not suicidal" still gets 999 and Samaritans),
and a few danger phrases need it ("I don't feel safe").

A Denial is stricter: it says whether danger is clearly denied ("I'm not in danger",
"I don't want to die, I just want it deleted"), so the line can give the crisis numbers
first and then answer what was asked. Only a denial word right before the danger phrase
counts, with at most a few small words between ("I'm not at all suicidal", "I'm not
going to hurt myself"), never a clause away, and never with a hedge anywhere after it
("...yet", "...tonight", "...but sometimes I think about it"). Anything less clear is
not a denial, and stays danger.
"""

from __future__ import annotations

from collections.abc import Iterable

from ivr.understanding.phrases import Phrases
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

    def among(self, words: Iterable[str]) -> bool:
        """Whether any of the words is a negation of one word ("not", "never", "dont")."""
        return not self._single.isdisjoint(words)

    def is_negation(self, text: str) -> bool:
        """Whether a whole phrase is made only of negations ("dont", "do not")."""
        words = text.split()
        return bool(words) and all(w in self._single or w == "do" for w in words)

    def _multi_ends_at(self, words: tuple[str, ...], i: int) -> bool:
        return any(i + 1 >= len(p) and words[i + 1 - len(p) : i + 1] == p for p in self._multi)


# Small words that may stand between a denial and what it denies ("not at all suicidal",
# "not really going to hurt myself"). English grammar, not the lexicon's vocabulary.
_BETWEEN = {"really", "at", "all", "even", "ever", "feeling", "feel", "going", "to", "gonna",
            "want", "wanna", "definitely", "certainly", "absolutely", "honestly", "seriously",
            "having", "thoughts", "intending", "trying", "like", "that",
            "planning", "thinking", "of", "about", "in", "any", "a", "an", "actually",
            "currently", "remotely", "the", "slightest"}  # fmt: skip
DENIAL_REACH = 3  # small words allowed between the denial and the danger phrase


class Denial:
    def __init__(self, words: Iterable[str], hedges: Iterable[str]):
        # Denials by their last word, in the order given: a word is asked only about
        # the denials that can end at it.
        self._ending: dict[str, list[tuple[str, ...]]] = {}
        for denial in (tuple(w.split()) for w in words if w):
            self._ending.setdefault(denial[-1], []).append(denial)
        self._hedges = Phrases(hedges)

    def denies(self, tokens: Tokens, start: int, end: int) -> str | None:
        """The denial of the danger phrase at words[start:end], or None when it is not
        clearly denied."""
        words, clauses = tokens.words, tokens.clauses
        i, between = start - 1, 0
        while i >= 0 and clauses[i] == clauses[start]:
            for denial in self._ending.get(words[i], ()):
                first = i - len(denial) + 1
                if first >= 0 and words[first : i + 1] == denial:
                    return None if self._hedges.within(words[end:]) else " ".join(denial)
            if words[i] not in _BETWEEN or between == DENIAL_REACH:
                return None
            i, between = i - 1, between + 1
        return None
