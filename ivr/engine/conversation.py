"""The engine proper: each turn of a conversation, and what a caller hears after a text.

    start(script, channel, now)                      -> Reply   (first_reply.py)
    advance(script, state, given, now, idle_limit)   -> Reply
    after_text(script, state, outcome, now)          -> Reply

`advance` never raises for anything a person sends. It checks a turn against the table
in rules.py, in its order: a state this script no longer has, or idle too long, starts
afresh; silence, then a call back from a <Dial>; a key answers only what the reply just
given offers; words are read by `ivr.understanding` (danger first, then under 18, then
the rest); next, repeat, a call or a text work only where this point offers them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ivr.engine.first_reply import start, words_of
from ivr.engine.replies import show
from ivr.engine.routing import Turn, route
from ivr.engine.rules import TURN
from ivr.engine.state import Input, Offers, Reply, State
from ivr.outcomes import Outcome
from ivr.script import VOICE, Script

__all__ = ["advance", "after_text", "start"]


def advance(
    script: Script,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
    offers: Offers | None = None,
) -> Reply:
    """Move a conversation on by one input. Never raises for anything a person sends."""
    return route(TURN, Turn(script, state, given, now, idle_limit, offers or Offers(now)))


def after_text(
    script: Script, state: State, outcome: str, now: datetime, offers: Offers | None = None
) -> Reply:
    """What a caller hears after asking for the text: how it went (one of TEXT_OUTCOMES),
    then the script's `text_me.then` menu, so the call always goes on."""
    offers = offers or Offers(now)
    text_me = script.text_me
    if text_me is None or state.script != script.id:
        return start(script, VOICE, now, event=Outcome.RESTART, offers=offers)
    said = words_of(text_me.outcomes.get(outcome), VOICE)
    then = script.nodes[text_me.then]
    stamp = int(now.timestamp())
    return show(script, VOICE, then, 0, stamp, Outcome.after_text(outcome), (said,), offers)
