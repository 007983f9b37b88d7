"""SMS: turning an incoming text into a <Message> reply (or, for STOP, no reply at all).

Twilio answers the opt-out words (STOP and friends) and opt-in words (START, UNSTOP,
YES) itself and blocks replies to opted-out numbers, so those get an empty response.
HELP and INFO get the welcome: a person in crisis texting "help" must get help.
Pictures are never fetched: only the count of attachments is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from twilio.twiml.messaging_response import MessagingResponse

from ivr import engine
from ivr.engine import Reply, State
from ivr.matching import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, reserved_word
from ivr.script import SMS, Script

FAULT_TEXT = (
    "Sorry, something went wrong here. If you are in immediate danger, call 999. "
    "For someone to talk to, day or night, call Samaritans free on 116 123."
)


@dataclass(frozen=True, slots=True)
class Turn:
    reply: Reply | None  # None: send nothing, Twilio has answered
    state: State | None  # what to keep for the next text (None: forget)
    event: str


def answer(
    script: Script,
    state: State | None,
    body: str,
    now: datetime,
    *,
    has_media: bool = False,
    idle_limit: timedelta | None = None,
    opt_out_type: str = "",
) -> Turn:
    """The reply to one text. `opt_out_type` is Twilio's own reading of it, when given."""
    word = reserved_word(body)
    kind = opt_out_type.strip().upper()
    if kind == "STOP" or word in OPT_OUT_WORDS:
        return Turn(None, None, "opted-out")
    if kind == "START" or word in OPT_IN_WORDS:
        return Turn(None, None, "opted-in")
    if state is None or kind == "HELP" or word in HELP_WORDS:
        reply = engine.start(script, SMS, now, media=has_media)
    else:
        reply = engine.advance(script, state, engine.typed(body, has_media), now, idle_limit)
    return Turn(reply, reply.state, reply.event)


def twiml(turn: Turn) -> str:
    response = MessagingResponse()
    if turn.reply is not None:
        response.message(turn.reply.text)
    return str(response)


def fault_twiml() -> str:
    response = MessagingResponse()
    response.message(FAULT_TEXT)
    return str(response)
