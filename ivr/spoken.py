"""Turning written words into the words a phone voice should say.

Text-to-speech reads "116 123" as "one hundred and sixteen thousand, one hundred and
twenty-three", which nobody can dial. A caller needs "one one six, one two three". A
web address needs its dots and slashes said. The script's own `pronounce:` entries go
first (for names such as CEOP or a domain that should be split into words); then any
phone-like number is read digit by digit and any remaining address is spelled out.
A language other than English names its digits and the words of an address (dot,
slash) in its lexicon's `spoken:` section, passed here as `words`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache, partial

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# Three or more digits, possibly in groups separated by single spaces: "999", "116 123",
# "0345 6000 459". Shorter numbers ("under 18", "step 2") are left as they are: the
# lookahead passes over them without a call to `_digits`, and starting with a digit lets
# the regex engine skip to the next digit at once (twice as fast over a script's texts).
_NUMBER = re.compile(r"\d(?<![\w.]\d)(?= ?\d ?\d)\d*(?: \d+)*(?!\w)")

TLDS = ("uk", "org", "com", "net", "gov", "info", "io", "co")
_ADDRESS = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)+(?:" + "|".join(TLDS) + r")\b(?:/[^\s]*)?",
    re.IGNORECASE,
)
# What every address above contains: a dot and a top-level domain ending a word. A text
# without one holds no address; this is found much faster than trying every word.
_DOMAIN_END = re.compile(r"\.(?:" + "|".join(TLDS) + r")\b", re.IGNORECASE)


ENGLISH = {"digits": tuple(DIGITS), "dot": "dot", "slash": "slash", "dash": "dash", "uk": "U K"}


def speak(text: str, pronounce: Mapping[str, str], words: Mapping | None = None) -> str:
    """The spoken form of `text`: pronunciations, digit-by-digit numbers, spelled addresses."""
    return speaker(pronounce, words)(text)


def speaker(pronounce: Mapping[str, str], words: Mapping | None = None) -> Callable[[str], str]:
    """`speak` with these pronunciations read once: for the many texts of one script
    (reading them again for each text was a third of the time of speaking it). `words`:
    a language's digits and address words (ivr.script.VoiceSettings.spoken)."""
    pronounced = _pronunciations(tuple(pronounce.items()))
    if not words:
        return partial(_spoken, pronounced=pronounced)
    said = {**ENGLISH, **{k: v for k, v in words.items() if k in ENGLISH}}
    return partial(_spoken, pronounced=pronounced, words=tuple(sorted(said.items())))


def _spoken(text: str, pronounced: tuple, words: tuple = ()) -> str:
    text = " ".join(text.split())  # line breaks are for the screen, not the voice
    text = _pronounce(text, *pronounced)
    if not words:
        if _DOMAIN_END.search(text):
            text = _ADDRESS.sub(lambda m: spell_address(m.group(0)), text)
        return _NUMBER.sub(_digits, text)
    said = dict(words)
    if _DOMAIN_END.search(text):
        text = _ADDRESS.sub(lambda m: spell_address(m.group(0), said), text)
    return _NUMBER.sub(lambda m: _said_digits(m.group(0), said["digits"]), text)


def _pronounce(
    text: str, pattern: re.Pattern | None, lookup: dict[str, str], ascii_words: re.Pattern | None
) -> str:
    if pattern is None:
        return text
    # Between ASCII texts and words, ignoring case is plain lower-casing, so a word the
    # pattern would find is a substring of the lower-cased text: most texts have none.
    if ascii_words is not None and text.isascii() and not ascii_words.search(text.lower()):
        return text
    return pattern.sub(lambda m: lookup[m.group(0).lower()], text)


@lru_cache(maxsize=64)  # one entry per loaded script; compiling the pattern is the costly part
def _pronunciations(
    pairs: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern | None, dict[str, str], re.Pattern | None]:
    if not pairs:
        return None, {}, None
    # Longest first, so "revengepornhelpline.org.uk" wins over "org.uk".
    written = sorted((w for w, _ in pairs), key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in written), re.IGNORECASE)
    ascii_words = None  # any of the words, lower-cased, anywhere
    if all(w.isascii() for w in written):
        ascii_words = re.compile("|".join(re.escape(w.lower()) for w in written))
    return pattern, {w.lower(): said for w, said in pairs}, ascii_words


def addresses(text: str) -> list[str]:
    """Web addresses in `text` (with or without https://)."""
    if not _DOMAIN_END.search(text):
        return []
    return [m.group(0).rstrip(".,;:)") for m in _ADDRESS.finditer(text)]


def spell_address(address: str, words: Mapping = ENGLISH) -> str:
    trail = ""
    while address and address[-1] in ".,;:)":
        address, trail = address[:-1], address[-1] + trail
    address = re.sub(r"^https?://", "", address, flags=re.IGNORECASE).rstrip("/")
    spoken = address.replace(".", f" {words['dot']} ").replace("/", f" {words['slash']} ")
    spoken = spoken.replace("-", f" {words['dash']} ")
    spoken = re.sub(r"\buk\b", words["uk"], spoken, flags=re.IGNORECASE)
    return " ".join(spoken.split()) + trail


def _digits(match: re.Match) -> str:
    return _said_digits(match.group(0))


def _said_digits(number: str, digits: tuple[str, ...] = tuple(DIGITS)) -> str:
    groups = number.split(" ")
    if sum(len(g) for g in groups) < 3:
        return number
    return ", ".join(" ".join(digits[int(d)] for d in group) for group in groups)
