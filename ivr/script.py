"""The script model: what a YAML script says, as frozen dataclasses.

A script is a small graph of nodes. A *menu* node says its text and offers options; a
*steps* node reads its steps one at a time on the phone (a page at a time by SMS) and
then goes on to `next`. Global options (immediate danger, main menu, repeat) are open
at every node. All the words live in the script, not in code, so helpline staff can
change them; `ivr.loader` builds these objects from YAML and `ivr.lint` checks them.
Which phrases a script says, on which channels, and which it may leave out:
ivr.phrasebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ivr.hours import Hours

VOICE = "voice"
SMS = "sms"
WHATSAPP = "whatsapp"
CHANNELS = (VOICE, SMS, WHATSAPP)
# The channels a text goes out on. In a script's `channels:` list, `sms` means all of
# them (docs/decisions/one-script-format.md).
MESSAGING = (SMS, WHATSAPP)

# How texts are encoded (ivr.gsm7): GSM-7 by default; a language whose letters GSM-7
# lacks (Welsh's circumflexes: ŵ, ŷ, â) may say UCS-2, at 70 characters a segment.
GSM7 = "gsm7"
UCS2 = "ucs2"
SMS_ENCODINGS = (GSM7, UCS2)

# A language's status: a draft is offered in development and /try, and in production
# only where the operator's settings name it (ivr.settings: IVR_DRAFT_LANGUAGES).
DRAFT = "draft"
REVIEWED = "reviewed"
STATUSES = (DRAFT, REVIEWED)

MENU = "menu"
STEPS = "steps"

# What an option does when chosen.
GO = "go"  # move to `target`
REPEAT = "repeat"  # say the current menu or step again
DIAL = "dial"  # connect the call to `dial` (voice only)
TRANSFER = "transfer"  # put the call through to one of the script's `transfers`, when open
TEXT_ME = "text_me"  # go to `target` (the warning), offered only where texts can be sent
SEND_TEXT = "send_text"  # text the caller the script's `text_me` message
VOICE_ONLY_ACTIONS = (DIAL, TRANSFER, TEXT_ME, SEND_TEXT)

# The opening's own points (ivr.opening): the language choice and the guide choice. No
# script can name a node so, as a script's ids start with a letter or a digit.
LANGUAGE_CHOICE = "_languages"
GUIDE_CHOICE = "_guides"
OPENING_NODES = (LANGUAGE_CHOICE, GUIDE_CHOICE)

# Roles the linter checks. The first four must be present.
REQUIRED_ROLES = ("main", "danger", "clicked_link", "under_18")
OPTIONAL_ROLES = ("steps", "dont", "can_wait", "support")
ROLES = REQUIRED_ROLES + OPTIONAL_ROLES


@dataclass(frozen=True, slots=True)
class Text:
    """Words for each channel: the spoken version, the texted version, and a WhatsApp
    version where the script gives one (None: WhatsApp gets the texted words).

    Paragraphs are separated by a blank line. An empty string means "nothing on this
    channel".
    """

    voice: str
    sms: str
    line: int = 0
    # Its versions in the script's other languages, as (tag, Translation) pairs: written
    # beside the source words, so an editor sees both (ivr.languages reads them).
    translations: tuple[tuple[str, Translation], ...] = ()
    whatsapp: str | None = field(default=None, kw_only=True)

    def on(self, channel: str) -> str:
        if channel == VOICE:
            return self.voice
        if channel == WHATSAPP and self.whatsapp is not None:
            return self.whatsapp
        return self.sms

    def version(self, language: str) -> Translation | None:
        """This text's translation into `language`, if it has one."""
        for tag, translation in self.translations:
            if tag == language:
                return translation
        return None

    @staticmethod
    def paragraphs(words: str) -> tuple[str, ...]:
        if "\n\n" not in words:  # one paragraph, the usual case
            words = words.strip()
            return (words,) if words else ()
        return tuple(p.strip() for p in words.split("\n\n") if p.strip())


@dataclass(frozen=True, slots=True)
class Translation:
    """One language's version of a Text: its words, the fingerprint of the source words
    it was made from (`from:`, ivr.languages.fingerprint), and any recorded prompts."""

    text: Text  # the words in that language, for both channels
    source: str  # `from:` as written; "" when the translator has not stamped it
    line: int = 0
    play: tuple[str, ...] = ()  # recordings (https), one per spoken paragraph, for <Play>


@dataclass(frozen=True, slots=True)
class Words:
    """What a person types or says for a choice in one language: its keyword and synonyms."""

    keyword: str
    synonyms: tuple[str, ...] = ()
    line: int = 0


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
    transfer: str | None = None  # a `transfers` id, for TRANSFER
    announce: str = "everywhere"  # globals only: ANNOUNCE_EVERYWHERE or ANNOUNCE_MAIN (phone)
    words_in: tuple[tuple[str, Words], ...] = ()  # (tag, its keyword and synonyms) pairs

    @property
    def words(self) -> tuple[str, ...]:
        return (self.keyword, *self.synonyms)


# Where a global option is announced on the phone. It works everywhere either way; a key
# that is only announced on the main menu leaves room in the shorter menus below it.
ANNOUNCE_EVERYWHERE = "everywhere"
ANNOUNCE_MAIN = "main"


@dataclass(frozen=True, slots=True)
class Limits:
    """How long a call may take to reach what matters, and how much a menu may say.

    The defaults are the helpline's safety limits; a script may tighten them (a lower
    number) but never loosen them. Times are estimated at `words_per_minute`."""

    words_per_minute: int = 160  # Polly British English; a script may say its voice is slower
    danger_heard_within: int = 15  # seconds into a call until the danger key has been said
    opening_within: int = 45  # seconds for the whole opening, menu included
    keys_per_menu: int = 6  # distinct keys a spoken menu announces, 9, 0 and * included
    line: int = 0


DEFAULT_LIMITS = Limits()

# Words that tell someone glancing at a lock screen what a text is about. A script may
# add its own under discretion: words; these always apply.
TELLTALE_WORDS = (
    "intimate", "nude", "naked", "sex", "porn", "explicit", "extortion", "blackmail",
    "revenge", "abuse", "photo", "image", "video", "sextortion", "indecent",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Discretion:
    """What the start of every text (what a lock screen shows) must not say."""

    words: tuple[str, ...] = TELLTALE_WORDS
    preview_characters: int = 100  # a script may widen it, never narrow it
    line: int = 0


DEFAULT_DISCRETION = Discretion()

# The telltale words of other languages, by primary language subtag: a translation is held
# to these as well as to the source's (people switch, and "photo" is "photo" in Welsh).
# Each is matched at the start of a word, so a word whose start is also an everyday word
# is left out ("rhyw", sex, starts "rhywun", someone; "llun", a picture, is also Monday,
# dydd Llun). Welsh words (with their soft mutations: delwedd, ei ddelwedd) from the
# Welsh Government's terminology (termau.cymru): intimate, naked, sexual, extortion,
# blackmail, abuse, revenge, pictures, image, video, indecent, pornography.
TELLTALE_WORDS_IN: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "cy": (
            "agos-atoch", "noeth", "rhywiol", "rywiol", "cribddeiliaeth", "blacmel",
            "flacmel", "camdriniaeth", "gamdriniaeth", "cam-drin", "gam-drin", "dial",
            "ddial", "lluniau", "luniau", "delwedd", "ddelwedd", "nelwedd", "fideo",
            "anweddus", "pornograffi", "bornograffi",
        ),
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class NextControl:
    """How a caller moves through steps ("press 1 for the next step", "NEXT")."""

    key: str
    keyword: str
    synonyms: tuple[str, ...]
    label: Text  # while more steps follow
    last_label: Text  # on the last step, where it leads on to the node's `next`
    line: int = 0
    words_in: tuple[tuple[str, Words], ...] = ()  # (tag, its keyword and synonyms) pairs

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
    # A steps node's extra choices while one step is read, one tuple per step (voice):
    # "to be put through now, press 2" while the step naming that helpline is read.
    step_options: tuple[tuple[Option, ...], ...] = ()
    # A menu's global keys it does not announce on the phone (they still work), to keep
    # a menu within the keys a caller can hold in mind. Never the danger key (linted).
    quiet: tuple[str, ...] = ()

    def options_at(self, step: int) -> tuple[Option, ...]:
        return self.step_options[step] if step < len(self.step_options) else ()


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact in the script comes from, so an operator can check it again."""

    fact: str
    source: str  # a web address, or the document it came from
    line: int = 0


@dataclass(frozen=True, slots=True)
class Transfer:
    """A line the caller can be put through to while it is open (`ivr.hours`)."""

    id: str
    name: str  # for messages: "the Revenge Porn Helpline"
    number: str  # E.164, e.g. +443456000459
    hours: Hours
    ring_seconds: int  # how long to ring before "they couldn't answer"
    adults_only: bool  # never offered on the under-18 path
    unanswered: Text  # busy, no answer, failed: said before the menu again
    completed: Text  # after the call: a short goodbye with 999 and Samaritans
    connecting: Text | None = None  # said just before the call is put through
    closed: Text | None = None  # said in place of the choice while closed: when to call
    # The menu to show (voice, while open) to a caller who asks for a person, so the
    # transfer is offered to them too; never from the under-18 node if adults_only.
    person_menu: str | None = None
    line: int = 0


class TextOutcome(StrEnum):
    """How asking for a text went: each is a `text_me:` field, what the caller hears then."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"  # this call has had its text
    NO_NUMBER = "no_number"  # withheld, unknown or malformed
    NOT_MOBILE = "not_mobile"  # a landline, or a number abroad
    LIMITED = "limited"  # this number had a text in the last 24 hours
    FAILED = "failed"  # Twilio refused, timed out or could not be reached


TEXT_OUTCOMES = tuple(TextOutcome)


@dataclass(frozen=True, slots=True)
class TextMe:
    """ "Text me these steps": the text to send, and what the caller hears after asking."""

    message: str  # the SMS body: GSM-7, at most 1,600 characters
    outcomes: Mapping[str, Text]  # one of TEXT_OUTCOMES -> what is said
    then: str  # the node shown after the outcome is said
    line: int = 0
    # The message in the script's other languages (an SMS-only Text: voice is "").
    message_text: Text | None = None


# The speech settings a script gets unless it says otherwise; why these, with Twilio's
# docs: docs/understanding.md, "Speech settings", and ivr/channels/voice.py.
SPEECH_MODEL = "experimental_utterances"
SPEECH_TIMEOUT = "3"


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    name: str  # a Twilio <Say> voice, e.g. Polly.Amy-Neural
    language: str  # BCP-47, used for <Say> and for speech recognition in <Gather>
    wait_seconds: int  # how long a menu waits for a key before it counts as silence
    key_names: Mapping[str, str]  # how "*" and "#" are spoken
    line: int = 0
    # False where Twilio recognises no speech in the language: the phone takes keys only,
    # says so, and says the danger key first on every menu (ivr.languages).
    speech: bool = True
    # How numbers and web addresses are said (ivr.spoken): the language's lexicon gives
    # them; None is English ("one one six", "dot", "slash").
    spoken: Mapping[str, object] | None = None
    # Speech recognition in <Gather> (docs/understanding.md, "Speech settings"): the model,
    # and how long a pause ends what a caller says ("auto", or whole seconds).
    speech_model: str = "experimental_utterances"  # SPEECH_MODEL
    speech_timeout: str = "3"  # SPEECH_TIMEOUT
    enhanced: bool = False


@dataclass(frozen=True, slots=True)
class Language:
    """One of a script's other languages (`languages:`): how it names itself, whether its
    words are reviewed, and how it is spoken and texted."""

    tag: str  # BCP 47, e.g. cy-GB
    name: str  # how the language names itself, in the language choice: Cymraeg
    status: str  # DRAFT or REVIEWED
    voice: VoiceSettings
    sms_encoding: str = GSM7
    pronounce: Mapping[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def speech(self) -> bool:
        return self.voice.speech


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Something the written guide says that the script deliberately does not, and why."""

    item: str
    reason: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Guide:
    """The written guide a script carries (`guide:`), and the words that choose it where
    one number offers several guides."""

    source: str  # the guide's text file, relative to the script file
    label: Text | None = None  # how the guide choice names it: "if you got a link..."
    keyword: str | None = None  # the texted guide choice's keyword
    words: tuple[str, ...] = ()  # a first text with any of these is routed to this guide
    left_out: tuple[LeftOut, ...] = ()
    line: int = 0


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
    limits: Limits = DEFAULT_LIMITS
    discretion: Discretion = DEFAULT_DISCRETION
    line_of: Mapping[str, int] = field(default_factory=dict)  # top-level section -> line
    transfers: Mapping[str, Transfer] = field(default_factory=dict)
    text_me: TextMe | None = None
    lexicon: Mapping | None = None  # the script's own words, read by ivr.understanding
    guide: Guide | None = None  # the written guide it carries
    # The script's other languages, each given beside the source (ivr.languages).
    languages: Mapping[str, Language] = field(default_factory=dict)
    sms_encoding: str = GSM7  # the source language's (a translation has its language's)
    # Phrases the script left to its language's lexicon: in a translation, that
    # language's lexicon says them, so they need no translation in the script.
    from_lexicon: tuple[str, ...] = ()
    translated_from: str = ""  # on a translation (ivr.languages.version): the source tag
    # On a translation: each recorded prompt (`play:`) by the spoken paragraph it stands
    # for, so the phone plays the recording where it would have said those words.
    recordings: Mapping[str, str] = field(default_factory=dict)

    @property
    def main(self) -> Node:
        return self.nodes[self.roles["main"]]

    def phrase(self, name: str, channel: str) -> str:
        return self.phrases[name].on(channel)
