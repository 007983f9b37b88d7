"""GSM-7: the SMS alphabet, and what a message costs in segments.

A message that keeps to GSM-7 fits 160 characters in one segment (153 per segment once
it is split). One character outside it, a curly quote pasted from a word processor, say,
turns the whole message into UCS-2 at 70 (67) characters per segment, so a reply costs
twice as much and may arrive in more pieces. `plain` swaps the usual offenders for
plain characters; `not_gsm7` names whatever is left so the linter can report it.

A language whose letters GSM-7 lacks (Welsh: ŵ, ŷ, â) may be texted in UCS-2 on purpose
(`sms_encoding: ucs2`). Twilio picks the encoding per message: one character outside
GSM-7 sends the whole message in UCS-2, 70 characters in one segment, 67 a part once
split (twilio.com/docs/glossary/what-is-ucs-2-character-encoding). So a reply with one
such letter holds 268 characters in four parts, and one without still holds 612:
`encoding(*texts)` says which, and `size(text, encoding)` and `PART[encoding]` count in
the unit each is billed in (septets, or UTF-16 code units).

Twilio's Smart Encoding (on by default for every new Messaging Service, Twilio's
announcement of 10 May 2017) swaps look-alike characters for GSM-7 ones before sending.
Its list (twilio.com/docs/messaging/services/smart-encoding-char-list) is punctuation,
spaces, fullwidth and small-capital forms and combining marks: no letter with a
circumflex (â ê î ô û ŵ ŷ), so Welsh letters arrive as written, in UCS-2, whether it is
on or off. It does list U+0302 COMBINING CIRCUMFLEX ACCENT, as '^': a ŵ written as w and
a combining mark would arrive as "w^". `plain` composes every text (NFC) for that reason.
"""

from __future__ import annotations

import math
import re
import unicodedata

# GSM 03.38 default alphabet (without the escape character) and its extension table.
BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENDED = set("^{}\\[~]|€\f")  # each costs two septets (escape + character)
_ANY = frozenset(BASIC | EXTENDED)

_PLAIN = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "‐": "-", "‑": "-",
    "…": "...", "•": "-", "·": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "",
    "\t": " ",
}  # fmt: skip
_PLAIN_TABLE = str.maketrans(_PLAIN)  # the same swaps, done by str.translate in C


def _one_of(chars) -> re.Pattern:
    """A pattern finding any one of `chars`: a regex character class scans a text in C
    about twice as fast as a set is built from it or checked against it, and a 10,000-node
    script asks of some 300,000 texts."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


_A_PLAIN_SWAP = _one_of(_PLAIN)
_AN_ESCAPE = _one_of(EXTENDED)
_NOT_GSM7 = re.compile("[^" + _one_of(_ANY).pattern[1:])  # any character outside both

SINGLE_SEGMENT = 160
PER_SEGMENT = 153
UCS2_SINGLE = 70
UCS2_PER_SEGMENT = 67

GSM7 = "gsm7"  # the same words as ivr.script.GSM7 and UCS2 (the format's own)
UCS2 = "ucs2"
PART = {GSM7: PER_SEGMENT, UCS2: UCS2_PER_SEGMENT}  # what one part of a long text holds


def plain(text: str) -> str:
    """Swap typographic characters (curly quotes, dashes, ellipses) for GSM-7 ones."""
    text = unicodedata.normalize("NFC", text)
    # Most text has nothing to swap: then it is returned as it is (the same string).
    return text if _A_PLAIN_SWAP.search(text) is None else text.translate(_PLAIN_TABLE)


def not_gsm7(text: str) -> list[str]:
    """The characters of `text` that GSM-7 cannot carry, each once, in order of appearance."""
    seen: list[str] = []
    if _NOT_GSM7.search(text) is None:  # the usual case, checked in C
        return seen
    for ch in text:
        if ch not in BASIC and ch not in EXTENDED and ch not in seen:
            seen.append(ch)
    return seen


def segments(text: str) -> int:
    """How many SMS segments `text` takes, as the network counts them."""
    if not text:
        return 1
    if _NOT_GSM7.search(text) is not None:
        counted = units(text)
        return 1 if counted <= UCS2_SINGLE else math.ceil(counted / UCS2_PER_SEGMENT)
    escaped = _escaped(text)
    if len(text) + escaped <= SINGLE_SEGMENT:
        return 1
    if not escaped:
        return math.ceil(len(text) / PER_SEGMENT)
    # An escaped character is never split across two segments.
    count, used = 1, 0
    for size in (2 if ch in EXTENDED else 1 for ch in text):
        if used + size > PER_SEGMENT:
            count, used = count + 1, 0
        used += size
    return count


def encoding(*texts: str) -> str:
    """How a message made of `texts` is sent: UCS2 if any has a character GSM-7 lacks,
    else GSM7 (Twilio picks the same, per message: see the module docstring)."""
    return UCS2 if any(_NOT_GSM7.search(text) is not None for text in texts) else GSM7


def fits(text: str, parts: int) -> bool:
    """Whether `text` goes in at most `parts` segments, counted in the encoding it needs."""
    return segments(text) <= parts


def units(text: str) -> int:
    """The length of `text` in UTF-16 code units, what UCS-2 segments are counted in."""
    if text.isascii() or all(ord(ch) < 0x10000 for ch in text):
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def size(text: str, encoding: str = GSM7) -> int:
    """The length of `text` in the unit its encoding is billed in."""
    return septets(text) if encoding == GSM7 else units(text)


def sizer(encoding: str):
    """The function that measures a text in `encoding`'s unit."""
    return septets if encoding == GSM7 else units


def septets(text: str) -> int:
    """The length of GSM-7 `text` in septets (extension characters count twice)."""
    return len(text) + _escaped(text)


def _escaped(text: str) -> int:
    """How many characters of `text` come from the extension table."""
    return 0 if _AN_ESCAPE.search(text) is None else len(_AN_ESCAPE.findall(text))


def describe(chars: list[str]) -> str:
    """Name characters so a person can find them: '’' (RIGHT SINGLE QUOTATION MARK)."""
    return ", ".join(f"'{ch}' ({unicodedata.name(ch, f'U+{ord(ch):04X}')})" for ch in chars)
