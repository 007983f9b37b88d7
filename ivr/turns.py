"""One turn of a conversation: what a caller pressed or said, or what a texter sent,
turned into the next reply of the library's line (`ivr.opening`, then the engine).

Pure domain: the channels render these replies as TwiML, and `ivr simulate` prints
them, so both take the same path from input to reply without loading twilio.
By SMS, Twilio answers the opt-out words (STOP and friends) and opt-in words (START,
UNSTOP, YES) itself and blocks replies to opted-out numbers, so those get no reply at
all; an opt-out forgets the conversation, an opt-in keeps it. On WhatsApp Twilio's
keyword handling ("Twilio support for opt-out keywords (SMS STOP filtering)",
help.twilio.com/articles/223134027) is for long codes and toll-free numbers; only
Advanced Opt-Out in a Messaging Service applies to WhatsApp senders ("Getting Started
with Advanced Opt-Out for Messaging Services", help.twilio.com/articles/360034798533),
and then Twilio says so in `OptOutType` and answers itself. So on WhatsApp a stop that
Twilio classified gets no reply from the line, and any other is confirmed by the line,
which forgets the conversation and sends nothing until the person writes again (it only
ever replies); START and YES are words like any other there unless Twilio classified
them. HELP and INFO get the welcome:
a person in crisis texting "help" must get help. A first text is read, so "I want to kill
myself" as a first text gets the danger answer, not the welcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ivr import engine, opening
from ivr.engine import Input, Offers, Reply, State
from ivr.keywords import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, reserved_word
from ivr.library import Library
from ivr.outcomes import Outcome
from ivr.script import SMS, VOICE, WHATSAPP, Script


def call_turn(
    library: Library,
    state: State | None,
    now: datetime,
    *,
    guide: Script | None = None,
    digits: str = "",
    speech: str = "",
    dial_status: str | None = None,
    via: str = "",
    offers: Offers | None = None,
) -> Reply:
    """The caller's next reply: the opening for a new call, else the answer to this turn.

    `guide`: the guide this number's webhook asked for (?script=), to start in (after the
    language choice, where one is asked). `dial_status` is Twilio's DialCallStatus when
    the call comes back from a <Dial>, and `via` the transfer it was; `offers` what can
    be offered now (engine.Offers)."""
    if state is None:
        return opening.start(library, VOICE, now, guide=guide, offers=offers)
    if dial_status is not None:
        given = engine.dialled(dial_status, via)
    elif digits:
        given = engine.pressed(digits.strip())
    elif speech.strip():
        given = engine.said(speech)
    else:
        given = engine.SILENT
    return opening.advance(library, state, given, now, offers=offers, guide=guide)


@dataclass(frozen=True, slots=True)
class Turn:
    reply: Reply | None  # None: send nothing, Twilio has answered
    state: State | None  # what to keep for the next text (None: forget)
    event: Outcome


def text_turn(
    library: Library,
    state: State | None,
    body: str,
    now: datetime,
    *,
    guide: Script | None = None,
    has_media: bool = False,
    idle_limit: timedelta | None = None,
    opt_out_type: str = "",
    channel: str = SMS,
    tapped: Input | None = None,
    has_voice: bool = False,
) -> Turn:
    """The reply to one text (SMS or WhatsApp). `opt_out_type` is Twilio's own reading of
    it, when given; `guide` the guide this number's webhook asked for (?script=), to start
    in; `tapped` a WhatsApp button or list item (engine.tapped), which is what counts
    then, not the label Twilio sends as its body; `has_voice` a WhatsApp voice note among
    the media (answered in words of its own)."""
    word = reserved_word(body) if tapped is None else None
    kind = opt_out_type.strip().upper()
    if kind == "STOP" or word in OPT_OUT_WORDS:
        if channel == WHATSAPP and kind != "STOP":  # Twilio did not answer it: the line does
            script = (state and library.get(state.script)) or guide or library.default
            return Turn(stopped(script, now), None, Outcome.OPTED_OUT)
        return Turn(None, None, Outcome.OPTED_OUT)
    if kind == "START" or (channel == SMS and word in OPT_IN_WORDS):
        return Turn(None, state, Outcome.OPTED_IN)  # Twilio answers; the conversation stays
    given = tapped or engine.typed(body, has_media, has_voice)
    if kind == "HELP" or word in HELP_WORDS:
        reply = opening.start(library, channel, now, guide=guide, media=has_media, voice=has_voice)
    elif state is None:  # a first text is read: what it means is answered at once
        reply = opening.start(
            library, channel, now, guide=guide, media=has_media, voice=has_voice, given=given
        )
    else:
        reply = opening.advance(library, state, given, now, idle_limit)
    return Turn(reply, reply.state, reply.event)


def stopped(script: Script, now: datetime) -> Reply:
    """WhatsApp's answer to STOP: nothing more will come unless they write again, with
    999 and Samaritans. No choices: the conversation is forgotten."""
    said = engine.finish(script, WHATSAPP, (script.phrase("stopped", WHATSAPP),))
    state = State(WHATSAPP, script.id, script.main.id, at=int(now.timestamp()))
    return Reply(state, said, event=Outcome.OPTED_OUT)
