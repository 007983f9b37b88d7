"""SMS: turning the reply to an incoming text into a <Message> (or, for STOP, no reply).

What a text means (STOP, HELP, a keyword, a picture) is the domain's: ivr.turns.
"""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse

from ivr.fault import FAULT_TEXT
from ivr.turns import Turn, text_turn

# The views' name for a turn; the logic is domain (ivr.turns), shared with `ivr simulate`.
answer = text_turn
__all__ = ["FAULT_TEXT", "Turn", "answer", "fault_twiml", "twiml"]


def twiml(turn: Turn) -> str:
    response = MessagingResponse()
    if turn.reply is not None:
        response.message(turn.reply.text)
    return str(response)


def fault_twiml() -> str:
    response = MessagingResponse()
    response.message(FAULT_TEXT)
    return str(response)
