"""What passes through the engine: the State a conversation carries between turns,
the Input that comes in, the Offers of the moment, and the Choice and Reply that go out.

Frozen values, each a few fields. A State holds ids and counters only: never a phone
number or anything a person typed or said. `State.as_fields` gives its values by name
for the web edge to seal into a URL or a cookie (ivr.web.sealed), and
`State.from_fields` takes them back, raising StateError, and nothing else, for any
values it cannot use.
`Offers.is_open` is the one place that decides whether a transfer can be offered now.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ivr import gsm7
from ivr.errors import StateError
from ivr.outcomes import Outcome
from ivr.script import CHANNELS, OPENING_NODES, SMS, WHATSAPP, Transfer

NEXT = "next"  # the action of the NextControl


class InputKind(StrEnum):
    """What came in."""

    PRESSED = "pressed"  # a key on the phone
    TYPED = "typed"  # a text
    SAID = "said"  # speech, as Twilio recognised it
    SILENCE = "silence"  # nothing: a Gather timed out
    RESUME = "resume"  # the call came back from a <Dial>, so say where it was again
    TAPPED = "tapped"  # a WhatsApp button or list item: a choice by its action and target


# Twilio's DialCallStatus values meaning someone answered; any other (busy, no-answer,
# failed, canceled, or one added later) means the caller is still waiting for help.
ANSWERED = ("completed", "answered")

# SMS sizes, in GSM-7 septets: a page of content is at most three segments, and a whole
# reply (with its list of choices) at most four.
PAGE_SEPTETS = 3 * gsm7.PER_SEGMENT
REPLY_SEPTETS = 4 * gsm7.PER_SEGMENT
# The same in each encoding's own unit (ivr.gsm7.size), by the encoding a page needs
# (gsm7.encoding): a page with a letter GSM-7 lacks (a Welsh ŵ) is cut to 201 characters
# and its reply kept within 268; any other page as above, whatever the language.
PAGE_SIZE = {encoding: 3 * part for encoding, part in gsm7.PART.items()}
REPLY_PARTS = 4
REPLY_SIZE = {encoding: REPLY_PARTS * part for encoding, part in gsm7.PART.items()}
SMS_GAP = "\n\n"

# WhatsApp: one message carries at most 1,600 characters through Twilio (Twilio's error
# 21617, "The concatenated message body exceeds the 1600 character limit"; twilio/text's
# body limit in the Content API). Emoji count as more than one: `whatsapp_chars` counts
# UTF-16 units, as a character outside the basic plane takes two.
WHATSAPP_CHARS = 1600


def whatsapp_chars(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def too_long(channel: str, text: str) -> bool:
    """Whether one reply is more than its channel sends as one message (never on voice):
    four parts by SMS, counted as Twilio sends it (in UCS-2 where it has a letter GSM-7
    lacks, a Welsh ŵ; else in GSM-7)."""
    if channel == SMS:
        return not gsm7.fits(text, REPLY_PARTS)
    return channel == WHATSAPP and whatsapp_chars(text) > WHATSAPP_CHARS


_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
# A node: a script's own id, or one of the opening's points, which no script can use.
_NODE = re.compile("|".join([_ID.pattern, *map(re.escape, OPENING_NODES)]))
# A language as BCP 47 writes it (en, cy, en-GB, zh-Hant): a script's languages are named so.
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


@dataclass(frozen=True, slots=True)
class State:
    """Where a conversation is: a few ids and counters (see `as_fields`)."""

    channel: str
    script: str
    node: str
    step: int = 0  # the step being read (voice) or the page shown (SMS)
    retries: int = 0  # silences in a row at this point (voice)
    also: str = ""  # a node offered beside this reply ("You also said..."), by its own key
    at: int = 0  # unix time of the last turn, for the SMS idle limit
    language: str = ""  # a BCP 47 tag; "": the script's source language

    def as_fields(self) -> dict[str, str | int]:
        """The state's values by name, those at their defaults left out (they are the
        common case, and what is left out costs nothing to carry)."""
        values: dict[str, str | int] = {
            "channel": self.channel,
            "script": self.script,
            "node": self.node,
        }
        for name in _OPTIONAL:
            value = getattr(self, name)
            if value:
                values[name] = value
        return values

    @classmethod
    def from_fields(cls, values: object) -> State:
        """The state `as_fields` gave, checked field by field: a name this version does
        not know, a missing id, a value of the wrong type or out of range is a
        StateError."""
        if not isinstance(values, dict) or not _REQUIRED <= values.keys() <= _NAMES:
            raise StateError("This is not a conversation state this version can read.")
        for name, value in values.items():
            check = _CHECKS[name]
            if isinstance(check, int):
                if type(value) is not int or not 0 <= value <= check:
                    raise StateError(f"The state's {name} is out of range.")
            elif type(value) is not str or not check.fullmatch(value):
                raise StateError(f"The state's {name} is not a value it can hold.")
        return cls(**values)


# How each field is checked when a state comes back: an int's largest value, or a str's
# pattern. A field added to State needs its line here (tests/test_state_format.py checks).
_CHECKS: dict[str, int | re.Pattern] = {
    "channel": re.compile("|".join(map(re.escape, CHANNELS))),
    "script": _ID,
    "node": _NODE,
    "step": 10_000,
    "retries": 100,
    "also": _ID,
    "at": 10**11,
    "language": _LANGUAGE,
}
_NAMES = _CHECKS.keys()
_REQUIRED = {"channel", "script", "node"}
_OPTIONAL = tuple(name for name in _CHECKS if name not in _REQUIRED)


@dataclass(frozen=True, slots=True)
class Input:
    """What came in: a key press, a text, recognised speech, or nothing at all."""

    kind: InputKind
    value: str = ""  # for RESUME, Twilio's DialCallStatus
    media: bool = False  # a text carried a picture, file or voice note (never looked at)
    via: str = ""  # for RESUME, the id of the transfer dialled; for TAPPED, the action
    voice: bool = False  # the media was a voice note (WhatsApp says so in its own words)


def pressed(digits: str) -> Input:
    return Input(InputKind.PRESSED, digits)


def typed(text: str, media: bool = False, voice: bool = False) -> Input:
    return Input(InputKind.TYPED, text, media or voice, voice=voice)


def said(speech: str) -> Input:
    return Input(InputKind.SAID, speech)


SILENT = Input(InputKind.SILENCE)


def tapped(action: str, target: str | None) -> Input:
    """A tapped choice, named by what it does (never by its place in a list), so a tap on
    an older message still leads where its label said."""
    return Input(InputKind.TAPPED, target or "", via=action)


def media_note(channel: str, given: Input | None = None, voice: bool = False) -> str:
    """The phrase said before a reply to a message that carried media: WhatsApp says
    `voice_note` for a voice note, every texted channel `media` otherwise."""
    return "voice_note" if channel == WHATSAPP and (voice or (given and given.voice)) else "media"


def dialled(status: str, via: str = "") -> Input:
    """The call came back from a <Dial>: how it ended, and which transfer it was."""
    return Input(InputKind.RESUME, status.strip().lower(), via=via)


@dataclass(frozen=True, slots=True)
class Offers:
    """What can be offered at this moment beyond the script's fixed choices (voice only).

    `now` decides which transfers are open. `texting`: texts can be sent from here.
    `dialling`: a transfer can show the helpline's own number to the person answering
    (never the caller's), so it may be offered. `all_open` treats every line as open,
    for the linter to hear every variant."""

    now: datetime | None = None
    texting: bool = False
    dialling: bool = True
    all_open: bool = False

    def is_open(self, transfer: Transfer) -> bool:
        if not self.dialling:
            return False
        return self.all_open or (self.now is not None and transfer.hours.is_open(self.now))


CLOSED = Offers()  # nothing is open and no text can be sent


@dataclass(frozen=True, slots=True)
class Choice:
    """A choice open at this point, resolved for one channel."""

    action: str  # GO, REPEAT, NEXT or DIAL
    target: str | None  # a node id (GO) or a phone number (DIAL)
    key: str | None
    keyword: str
    label: str
    words: tuple[str, ...]  # normalised keyword and synonyms
    always: bool = False  # a global option, open everywhere
    main_only: bool = False  # a global announced on the phone only on the main menu
    # Worked out once: the engine's memo keys hold choices, and linting a 10,000-node
    # script looks them up 280,000 times. Not compared, shown or pickled (see __reduce__).
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash(self._values()))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # Made again from its fields, so the hash is this process's (string hashes differ
        # from one process to the next).
        return (Choice, self._values())

    def _values(self) -> tuple:
        """The fields in order: what a choice is made from, compared by and hashed on."""
        return (self.action, self.target, self.key, self.keyword, self.label, self.words,
                self.always, self.main_only)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say or text next, which choices are open, and whether the call ends."""

    state: State
    paragraphs: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    ends: bool = False
    dial: str | None = None
    event: Outcome | None = None  # what happened, as the turn's log line names it
    transfer: Transfer | None = None  # put the call through to this line now
    send_text: bool = False  # the caller confirmed: send them the script's text now
    # Where a reply speaks several languages (the language choice): each paragraph's
    # language tag, for the phone's voice; empty: every paragraph in the state's language.
    languages: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The reply as one message body."""
        return SMS_GAP.join(self.paragraphs)
