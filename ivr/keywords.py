"""Keywords: what a person typed or said in the plain form a script's keywords are compared
in, the key a message is, and the keywords Twilio answers itself.

    normalise(text)      -> "im under 18"   lower case, no punctuation, numbers as digits
    as_key(text)         -> "2" for "press two", "*", or None
    reserved_word(text)  -> "stop" for a whole message that is STOP, START, HELP ...; None

People in a hurry type "clicked!!", "Under 18", "i clicked the link" or "one", and
speech recognition returns "I'm under eighteen." `normalise` reduces all of these to
the same plain form (lower case, no punctuation, number words as digits) so that a
script's keywords and synonyms can be compared with what came in.
"""

from __future__ import annotations

import re
import unicodedata

_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: str(n) for n, word in enumerate(_NUMBERS.split())}
NUMBER_WORDS["nought"] = "0"

# Lead-ins people put before a number: "press 1", "option one", "number 2".
_LEAD_INS = {"press", "option", "number", "choice", "pressed", "its", "it", "is"}

# Twilio answers these itself (when the number uses its default opt-out handling, or a
# Messaging Service with Advanced Opt-Out). Only a whole message that is exactly one of
# them counts, as with Twilio: "please stop" is not an opt-out.
OPT_OUT_WORDS = frozenset(
    {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout"}
)
OPT_IN_WORDS = frozenset({"start", "unstop", "yes"})
HELP_WORDS = frozenset({"help", "info"})
RESERVED_WORDS = OPT_OUT_WORDS | OPT_IN_WORDS | HELP_WORDS


_APOSTROPHES = re.compile(r"['’‘`]")
_NOT_A_WORD = re.compile(r"[^a-z0-9]+")


def _ascii_words() -> bytes:
    """A byte table for ASCII text: letters in lower case, digits kept, all else a space."""
    return bytes(
        ord(chr(c).lower()) if chr(c).isascii() and chr(c).isalnum() else ord(" ")
        for c in range(256)
    )


_ASCII_WORDS = _ascii_words()


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces, number words as digits."""
    words = _words(text)
    return " ".join(map(NUMBER_WORDS.get, words, words))


def _words(text: str) -> list[str]:
    """The words of `normalise`, number words still as words."""
    if text.isascii():  # most input: one C pass to words, apostrophes dropped
        return text.encode().translate(_ASCII_WORDS, b"'`").decode().split()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _APOSTROPHES.sub("", text)  # "can't" -> "cant", "I'm" -> "im"
    return _NOT_A_WORD.sub(" ", text).split()


def as_key(text: str) -> str | None:
    """The key a message or phrase means, if it is just a key: "1", "one", "press 2", "*"."""
    stripped = text.strip().rstrip(".!)")
    if stripped in {"*", "#"}:
        return stripped
    words = _words(text)
    if len(words) > 1 and words[0] not in _LEAD_INS:
        # Most messages: a first word that is neither the key nor a lead-in (lead-ins are
        # never number words, so the words as written tell), and no need to go on.
        return None
    words = [NUMBER_WORDS.get(w, w) for w in words]
    while len(words) > 1 and words[0] in _LEAD_INS:
        words = words[1:]
    if len(words) == 1 and len(words[0]) == 1 and words[0].isdigit():
        return words[0]
    return None


def reserved_word(text: str) -> str | None:
    """The Twilio keyword a whole message is, if it is exactly one ("Stop", " STOP ").

    Deliberately strict: a near miss such as "stop." gets a normal reply. If Twilio did
    treat it as an opt-out, it blocks that reply itself; if not, the person is not left
    without an answer.
    """
    word = text.strip().lower()
    return word if word in RESERVED_WORDS else None
