"""POST /sms: Twilio's "A message comes in" webhook.

Twilio keeps HTTP cookies per From/To pair (for up to four hours) and sends them back,
so where a texter is lives in Flask's signed session cookie: a short state string of
ids, counters and a timestamp, and a random conversation id for the logs. Never a
phone number, never what anyone wrote. A cookie that cannot be used is cleared and the
conversation starts afresh; the id is new with every fresh start (a first text, the
idle restart, after STOP), so it links one conversation's turns and nothing more.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, request, session

from ivr.channels import sms
from ivr.outcomes import Outcome
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import (
    CONVERSATION_KEY,
    add_fallback,
    asked_guide,
    new_conversation,
    post,
    restore,
    webhook,
)

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(require_twilio_signature)

STATE_KEY = "s"
FRESH_EVENTS = (Outcome.EXPIRED, Outcome.RESTART)  # the engine started the conversation again


@post(bp, "")
@webhook("sms", sms.fault_twiml)
def incoming():
    ivr = current_app.extensions["ivr"]
    state = restore(session.get(STATE_KEY), "sms")
    conversation = session.get(CONVERSATION_KEY)
    if state is None or not isinstance(conversation, str):
        session.clear()  # whatever the cookie held, it cannot be used
        conversation = new_conversation()
    form = request.form
    guide = asked_guide()
    turn = sms.answer(
        ivr.library,
        state,
        form.get("Body", ""),
        datetime.now(UTC),
        guide=guide,
        has_media=form.get("NumMedia", "0").strip() not in ("", "0"),
        idle_limit=ivr.settings.sms_idle,
        opt_out_type=form.get("OptOutType", ""),
    )
    if turn.state is None:
        session.clear()  # STOP and START: the next text is a new conversation
    else:
        if turn.event in FRESH_EVENTS:
            conversation = new_conversation()
        session[STATE_KEY] = turn.state.dumps()
        session[CONVERSATION_KEY] = conversation
    now_in = turn.state or state
    script = now_in.script if now_in else (guide or ivr.library.default).id
    fields = {
        "script": script,
        "node": turn.state.node if turn.state else None,
        "outcome": turn.event,
        "conversation": conversation,
    }
    return sms.twiml(turn), fields


add_fallback(bp, "sms", sms.fault_twiml)
