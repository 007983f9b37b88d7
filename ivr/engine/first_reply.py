"""A guide's first reply, and what every turn after it shares.

    start(script, channel, now)            -> Reply
    read(script, channel, given, here)     -> understanding.Reading   what words mean
    person(script, channel)                -> the automated line's sentence

The first reply comes first on every path: a new call or first text, and a conversation
that starts afresh (a state from before a script change, or a texter idle too long).
Not to be confused with ivr.opening, the line's opening before any guide (the language
and guide choices), which hands over to this `start` once a guide is chosen.
"""

from __future__ import annotations

from datetime import datetime

from ivr import understanding
from ivr.engine.replies import answer, show
from ivr.engine.screens import danger_first_words
from ivr.engine.state import Input, InputKind, Offers, Reply, media_note
from ivr.outcomes import Outcome
from ivr.script import GO, MESSAGING, VOICE, WHATSAPP, Script, Text


def start(
    script: Script,
    channel: str,
    now: datetime,
    *,
    event: Outcome = Outcome.START,
    media: bool = False,
    voice: bool = False,
    offers: Offers | None = None,
    given: Input | None = None,
    reading: understanding.Reading | None = None,
    opened: bool = False,
) -> Reply:
    """The opening: the immediate-danger line first, then on the phone the danger key
    ("press 9, at any time"), the welcome, then the main menu.

    A first text (`given`) is read: one that means something gets that answer straight
    away, after the discreet first line and the 999 line; one that means nothing gets
    the welcome. `opened`: the library's opening (ivr.opening, where one number offers
    several guides) has said the danger line and key already: not a second time. On
    WhatsApp, where the chat stays on the phone, the first reply also says how to delete
    it (after the answer, so 999 is never pushed down)."""
    offers = offers or Offers(now)
    stamp = int(now.timestamp())
    prefix = []
    if channel in MESSAGING:
        prefix.append(script.phrase("first_line", channel))  # discreet on a lock screen
        if media or voice:
            prefix.append(script.phrase(media_note(channel, given, voice), channel))
    after = (script.phrase("delete_chat", WHATSAPP),) if channel == WHATSAPP else ()
    if reading is None:
        reading = read(script, channel, given, script.main.id)
    top = reading.top
    # Danger clearly denied beside a need: 999 and Samaritans in place of the 999 line.
    crisis_line = script.phrase("danger_denied" if reading.denied else "danger_line", channel)
    if top is not None and top.kind == GO and top.target in script.nodes:
        if top.target != script.roles["danger"] and (reading.denied or not opened):
            prefix.append(crisis_line)  # the danger answer leads with 999 itself
        target = script.nodes[top.target]
        # `answer` drops the picture note if the reply would not fit in one message
        return answer(script, channel, target, reading, stamp, event, prefix, offers, after)
    if not opened:
        prefix.append(crisis_line)
        if channel == VOICE:
            prefix.append(danger_first_words(script))
    if top is not None and top.kind == understanding.PERSON:
        prefix.append(person(script, channel))
    prefix.append(script.phrase("welcome", channel))
    return show(script, channel, script.main, 0, stamp, event, tuple(prefix), offers, after)


def words_of(text: Text | None, channel: str) -> str:
    return text.on(channel) if text is not None else ""


def read(script: Script, channel: str, given: Input | None, here: str) -> understanding.Reading:
    """What typed or spoken words mean at `here` (nothing, for keys and silence). A tap on
    a choice that leads to a node means that node, as a first message too."""
    if given is not None and given.kind == InputKind.TAPPED:
        if given.via == GO and given.value in script.nodes:
            return understanding.Reading((understanding.Meaning(GO, given.value),))
        return understanding.NOTHING
    if given is None or given.kind not in (InputKind.TYPED, InputKind.SAID) or not given.value:
        return understanding.NOTHING
    return understanding.for_script(script, channel).read(given.value, here)


def person(script: Script, channel: str) -> str:
    """Asked for a person ("are you a real person?"): this is an automated line, and where
    to find someone to talk to."""
    return script.phrase("automated", channel)
