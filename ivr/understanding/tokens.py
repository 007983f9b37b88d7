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
from itertools import chain

from ivr.keywords import NUMBER_WORDS

_APOSTROPHES = re.compile(r"['’‘`´]")
_CLAUSE_ENDS = re.compile(r"[.,;:!?\n]+")
_WORD = re.compile(r"[a-z0-9]+|[^\x00-\x7f]")
_NUMBER_WORDS = frozenset(NUMBER_WORDS)
DIGITS = "0123456789"
_CLAUSE_END = "\n"
_RUN = _CLAUSE_END * 2


def _ascii_table() -> bytes:
    """For ASCII text in one C pass: letters in lower case and digits kept, clause ends
    all "\n", every other character a space (apostrophes are deleted beside it)."""
    table = bytearray(b" " * 256)
    for code in range(256):
        char = chr(code)
        if char.isascii() and char.isalnum():
            table[code] = ord(char.lower())
        elif char in ".,;:!?\n":
            table[code] = ord(_CLAUSE_END)
    return bytes(table)


_ASCII = _ascii_table()
_ASCII_APOSTROPHES = b"'`"


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
    if text.isascii():  # most messages: no accents, no emoji, so whole clauses at a time
        return _plain(text)
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


def _plain(text: str) -> Tokens:
    """`tokenise` for ASCII text, the same tokens and clause numbers, all in C: one
    translation, a split per clause, and number words looked up only if there is one."""
    text = text.encode().translate(_ASCII, _ASCII_APOSTROPHES).decode()
    while _RUN in text:  # a run of clause ends is one end
        text = text.replace(_RUN, _CLAUSE_END)
    per_clause = [part.split() for part in text.split(_CLAUSE_END)]
    words = list(chain.from_iterable(per_clause))
    for number in _NUMBER_WORDS.intersection(words):
        replace_all(words, number, NUMBER_WORDS[number])
    clauses: list[int] = []
    for clause, part in enumerate(per_clause):  # a list's repeat and extend, in C
        clauses += [clause] * len(part)
    return Tokens(tuple(words), tuple(clauses))


def replace_all(words: list[str], old: str, new: str) -> None:
    """Every `old` in the list made `new`, found by the list's own search (in C)."""
    at = words.index(old)
    while True:
        words[at] = new
        try:
            at = words.index(old, at + 1)
        except ValueError:
            return


def has_digits(text: str) -> bool:
    """Whether any digit is in the text: ten string searches in C, none of them a loop
    here (number words are digits in the normal form, so this finds them too)."""
    return any(map(text.__contains__, DIGITS))


def digits_at(text: str) -> list[int]:
    """Where each digit of the text is, in order."""
    found = []
    for digit in DIGITS:
        at = text.find(digit)
        while at >= 0:
            found.append(at)
            at = text.find(digit, at + 1)
    return sorted(found)


def phrase(text: str) -> str:
    """A lexicon or script phrase in the same normal form as messages."""
    return tokenise(text).text


def _symbol(raw: str) -> str:
    if unicodedata.category(raw) == "So":  # a pictograph: the emoji we may list
        return f"u{ord(raw):x}"
    return ""  # skin tones, joiners, selectors and letters outside a-z carry no meaning here
