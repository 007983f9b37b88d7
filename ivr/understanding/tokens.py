"""A message as plain words: the one normal form both lexicon phrases and messages take.

    tokenise(text) -> Tokens

Lower case, accents and apostrophes gone ("Can't" is "cant"), number words as digits
("nine nine nine" is "9 9 9"), every other punctuation mark a space. An emoji becomes a
word of its own, "u" and its code point in hex ("💊" is "u1f48a"), so the lexicon can list
emoji as phrases; skin tones and variation selectors are dropped. Each token also carries
the clause it came from (clauses end at . , ; : ! ? and line breaks), because a negation
does not reach across a clause: "no, I clicked it" is still clicked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ivr.matching import NUMBER_WORDS

_APOSTROPHES = re.compile(r"['’‘`´]")
_CLAUSE_ENDS = re.compile(r"[.,;:!?\n]+")
_WORD = re.compile(r"[a-z0-9]+|[^\x00-\x7f]")


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a message, each with the number of the clause it is in."""

    words: tuple[str, ...]
    clauses: tuple[int, ...]

    @property
    def text(self) -> str:
        """The words joined by single spaces: what phrase patterns are matched against."""
        return " ".join(self.words)


def tokenise(text: str) -> Tokens:
    if not text.isascii():  # most messages are plain ASCII: skip the Unicode work for them
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))  # "café" is "cafe"
    text = _APOSTROPHES.sub("", text).lower()
    words: list[str] = []
    clauses: list[int] = []
    for clause, part in enumerate(_CLAUSE_ENDS.split(text)):
        for raw in _WORD.findall(part):
            word = NUMBER_WORDS.get(raw, raw) if raw.isascii() else _symbol(raw)
            if word:
                words.append(word)
                clauses.append(clause)
    return Tokens(tuple(words), tuple(clauses))


def phrase(text: str) -> str:
    """A lexicon or script phrase in the same normal form as messages."""
    return tokenise(text).text


def _symbol(raw: str) -> str:
    if unicodedata.category(raw) == "So":  # a pictograph: the emoji we may list
        return f"u{ord(raw):x}"
    return ""  # skin tones, joiners, selectors and letters outside a-z carry no meaning here
