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


# Every text the helpline sends is words of a script, so each distinct one is turned
# into TwiML once and remembered (up to a bound far above any script's count).
_RENDERED: dict[str | None, str] = {}
RENDERED_LIMIT = 100_000


def twiml(turn: Turn) -> str:
    text = turn.reply.text if turn.reply is not None else None
    found = _RENDERED.get(text)
    if found is None:
        found = render(text)
        if len(_RENDERED) < RENDERED_LIMIT:
            _RENDERED[text] = found
    return found


def render(text: str | None) -> str:
    """A <Message> of `text`, or an empty <Response/> for None, built from scratch."""
    response = MessagingResponse()
    if text is not None:
        response.message(text)
    return str(response)


def fault_twiml() -> str:
    response = MessagingResponse()
    response.message(FAULT_TEXT)
    return str(response)
