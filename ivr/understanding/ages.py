"""Ages: whether a message says someone under 18 is involved.

    Ages(relations).child(text) -> bool      text in the normal form of `tokens`

Under 18 counts when the message says so of the person writing or of someone they speak
about, now or in the image:

- an age from 5 to 17 in digits or words: "I'm 14", "i am fifteen", "age 16",
  "aged 13", "14 years old", "15yo", "I was 15 in the photo", "from when I was 16",
  "my son is 15", "she's 14", "my 15 year old"; a message that is only an age ("fourteen");
- about to turn 18 or younger: "I'm turning 18 next month", "I'll be 17";
- a school year: England and Wales Years 7 to 13, Northern Ireland Years 8 to 14
  (and the primary years before them: "year 9", "yr 10", "Y11"), Scotland S1 to S6.

18 and over is not a child ("I'm 18", "my son is 19"); an age followed by a unit is not
an age ("I was 15 minutes late"). Words such as "teenager" or "I'm a kid" are lexicon
phrases (topics.under_18), not patterns here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ivr.understanding.tokens import digits_at, has_digits

ADULT = 18
YOUNGEST = 5  # smaller numbers in these patterns are almost never an age
_N = r"(\d{1,2})"
_UNITS = (
    r"(?:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|pounds?|quid|p|"
    r"pence|percent|pm|am|times?|k|mg|mgs|ml|miles?|km|m|of|x|or|to|messages?|texts?|"
    r"pictures?|photos?|people|links?)"
)
_NOT_UNIT = rf"(?! {_UNITS}\b)"
_MAYBE = r"(?: (?:only|just|nearly|almost|like|about|currently|now|still|actually|literally))?"


class Ages:
    def __init__(self, relations: Iterable[str]):
        nouns = "|".join(sorted((re.escape(r) for r in relations if r), key=len, reverse=True))
        pronoun_is = r"(?:hes|shes|theyre|(?:he|she|they) (?:is|was|are|were))"
        noun_is = rf"(?:{nouns})s?(?: (?:is|was|who is|whos|thats|aged))?" if nouns else "(?!)"
        self._age = re.compile(
            "|".join(
                (
                    rf"\b(?:im|i am|iam|i m){_MAYBE} {_N}\b{_NOT_UNIT}",
                    rf"\b(?:age|aged|ages|my age is)(?: of)? {_N}\b",
                    rf"\b{_N} ?(?:years? old|yrs? old|yr old|yo|yos|y o|years of age)\b",
                    rf"\b(?:i was|when i was|since i was|i was only|i was just){_MAYBE} "
                    rf"{_N}\b{_NOT_UNIT}",
                    rf"\b(?:{pronoun_is}|{noun_is}){_MAYBE} {_N}\b{_NOT_UNIT}",
                )
            )
        )
        self._turning = re.compile(rf"\b(?:turning|turn|ill be|i will be|be) {_N}\b{_NOT_UNIT}")
        self._school = re.compile(r"\b(?:year|yr|y) ?(\d{1,2})\b|\bs ?([1-6])\b")
        self._alone = re.compile(r"^(\d{1,2})(?: (?:years?|yrs?|yo))?$")

        # Every rule reads a number, and spans at most `reach` characters around it.
        self._reach = max(map(_reach, (self._age, self._turning, self._school)), default=None)

    def child(self, text: str) -> bool:
        # Number words are digits by now (`tokens`): a message without a digit is no age.
        if not has_digits(text):
            return False
        return self.child_near(text, self._reach)

    def child_near(self, text: str, reach: int | None) -> bool:
        """`child`, reading the rules only within `reach` characters of a number (None:
        the whole text; the same answer, more slowly)."""
        for start, end in _near_numbers(text, reach):
            if _any_under(self._age, text, start, end, ADULT):
                return True
            if _any_under(self._turning, text, start, end, ADULT + 1):
                return True
            for match in self._school.finditer(text, start, end):
                year, s_year = match.groups()
                if (year and 1 <= int(year) <= 14) or s_year:
                    return True
        alone = self._alone.match(text)
        return bool(alone) and 10 <= int(alone.group(1)) < ADULT


def _any_under(pattern: re.Pattern, text: str, start: int, end: int, limit: int) -> bool:
    for match in pattern.finditer(text, start, end):
        number = next(g for g in match.groups() if g is not None)
        if YOUNGEST <= int(number) < limit:
            return True
    return False


def _near_numbers(text: str, reach: int | None) -> list[tuple[int, int]]:
    """The stretches of `text` the rules need reading: within `reach` characters of a
    number (stretches that touch are one). A rule's every match holds a number and, with
    what it looks at around it, spans at most `reach` characters, so a match found in a
    stretch is one found in the whole text, and none is missed: nothing between two
    stretches can match, or end a match that hides the next. `reach` None: the whole
    text."""
    if reach is None:
        return [(0, len(text))]
    stretches: list[tuple[int, int]] = []
    for at in digits_at(text):
        start, end = max(0, at - reach), min(len(text), at + 1 + reach)
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], end)
        else:
            stretches.append((start, end))
    return stretches


def _reach(pattern: re.Pattern) -> int | None:
    """The most characters a match of `pattern` spans with what its assertions look at
    (and a character each side for \\b), from the regular expression parser's widest
    reading of it; None if unbounded or unknown (then whole texts are read)."""
    try:
        from re import _parser  # Python's own; should it move, texts are read whole
    except ImportError:
        return None
    # Lookarounds read characters without taking them: counted as if they took them.
    opened = re.sub(r"\(\?<?[=!]", "(?:", pattern.pattern)
    try:
        widest = _parser.parse(opened, pattern.flags).getwidth()[1]
    except Exception:  # any surprise means: read the whole text
        return None
    return None if widest >= _parser.MAXREPEAT else widest + 2
