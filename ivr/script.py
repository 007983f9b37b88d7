"""The script model: what a YAML script says, as frozen dataclasses.

A script is a small graph of nodes. A *menu* node says its text and offers options; a
*steps* node reads its steps one at a time on the phone (a page at a time by SMS) and
then goes on to `next`. Global options (immediate danger, main menu, repeat) are open
at every node. All the words live in the script, not in code, so helpline staff can
change them; `ivr.loader` builds these objects from YAML and `ivr.lint` checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

VOICE = "voice"
SMS = "sms"
CHANNELS = (VOICE, SMS)

MENU = "menu"
STEPS = "steps"

# What an option does when chosen.
GO = "go"  # move to `target`
REPEAT = "repeat"  # say the current menu or step again
DIAL = "dial"  # connect the call to `dial` (voice only)

# Roles the linter checks. The first four must be present.
REQUIRED_ROLES = ("main", "danger", "clicked_link", "under_18")
OPTIONAL_ROLES = ("steps", "dont", "can_wait", "support")
ROLES = REQUIRED_ROLES + OPTIONAL_ROLES


@dataclass(frozen=True, slots=True)
class Text:
    """Words for both channels: the spoken version and the texted version.

    Paragraphs are separated by a blank line. An empty string means "nothing on this
    channel".
    """

    voice: str
    sms: str
    line: int = 0

    def on(self, channel: str) -> str:
        return self.voice if channel == VOICE else self.sms

    @staticmethod
    def paragraphs(words: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in words.split("\n\n") if p.strip())


@dataclass(frozen=True, slots=True)
class Option:
    """A choice: a key for the phone, a keyword (and synonyms) for SMS and speech."""

    label: Text
    keyword: str
    key: str | None = None
    synonyms: tuple[str, ...] = ()
    action: str = GO
    target: str | None = None  # node id, for GO
    dial: str | None = None  # phone number, for DIAL
    channels: tuple[str, ...] = CHANNELS
    line: int = 0

    @property
    def words(self) -> tuple[str, ...]:
        return (self.keyword, *self.synonyms)


@dataclass(frozen=True, slots=True)
class NextControl:
    """How a caller moves through steps ("press 1 for the next step", "NEXT")."""

    key: str
    keyword: str
    synonyms: tuple[str, ...]
    label: Text  # while more steps follow
    last_label: Text  # on the last step, where it leads on to the node's `next`
    line: int = 0

    @property
    def words(self) -> tuple[str, ...]:
        return (self.keyword, *self.synonyms)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    kind: str  # MENU or STEPS
    text: Text | None = None  # a menu's text, or a steps node's introduction
    options: tuple[Option, ...] = ()
    steps: tuple[Text, ...] = ()
    next: str | None = None  # where a steps node leads after its last step
    counter: Text | None = None  # overrides phrases.step_counter for this node
    line: int = 0


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact in the script comes from, so an operator can check it again."""

    fact: str
    source: str  # a web address, or the document it came from
    line: int = 0


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    name: str  # a Twilio <Say> voice, e.g. Polly.Amy-Neural
    language: str  # BCP-47, used for <Say> and for speech recognition in <Gather>
    wait_seconds: int  # how long a menu waits for a key before it counts as silence
    key_names: Mapping[str, str]  # how "*" and "#" are spoken
    line: int = 0


# Each phrase: the channels on which it must say something, and the placeholders it may use.
PHRASES: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = MappingProxyType(
    {
        "danger_line": ((VOICE, SMS), ()),
        "welcome": ((VOICE, SMS), ()),
        "first_line": ((SMS,), ()),
        "menu_intro": ((SMS,), ()),
        "choice": ((VOICE, SMS), ("label", "key", "keyword")),
        "word_choice": ((SMS,), ("label", "keyword")),
        "step_counter": ((VOICE, SMS), ("number", "total")),
        "wrong_input": ((VOICE,), ()),
        "no_input": ((), ()),
        "goodbye": ((VOICE,), ()),
        "media": ((SMS,), ()),
    }
)


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity, so the
class Script:  # engine can memoise what it works out from a loaded script
    id: str
    title: str
    path: str
    language: str
    voice: VoiceSettings
    max_retries: int
    roles: Mapping[str, str]
    phrases: Mapping[str, Text]
    globals: tuple[Option, ...]
    next_control: NextControl
    nodes: Mapping[str, Node]
    links: tuple[str, ...] = ()
    pronounce: Mapping[str, str] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    line_of: Mapping[str, int] = field(default_factory=dict)  # top-level section -> line

    @property
    def main(self) -> Node:
        return self.nodes[self.roles["main"]]

    def phrase(self, name: str, channel: str) -> str:
        return self.phrases[name].on(channel)
