"""POST /sms: Twilio's "A message comes in" webhook.

Twilio keeps HTTP cookies per From/To pair (for up to four hours) and sends them back,
so where a texter is lives in Flask's signed session cookie: a short state string of
ids, counters and a timestamp. Never a phone number, never what anyone wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, request, session

from ivr.channels import sms
from ivr.engine import State
from ivr.errors import StateError
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import webhook

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(require_twilio_signature)

STATE_KEY = "s"


@bp.post("")
@webhook("sms", sms.fault_twiml)
def incoming():
    ivr = current_app.extensions["ivr"]
    state = _saved_state()
    script = ivr.library.get(state.script) if state else None
    if script is None:
        script, state = ivr.library.pick(request.args.get("script")), None
    form = request.form
    turn = sms.answer(
        script,
        state,
        form.get("Body", ""),
        datetime.now(UTC),
        has_media=form.get("NumMedia", "0").strip() not in ("", "0"),
        idle_limit=ivr.settings.sms_idle,
        opt_out_type=form.get("OptOutType", ""),
    )
    if turn.state is None:
        session.pop(STATE_KEY, None)
    else:
        session[STATE_KEY] = turn.state.dumps()
    node = turn.state.node if turn.state else None
    return sms.twiml(turn), {"script": script.id, "node": node, "outcome": turn.event}


def _saved_state() -> State | None:
    """The state from the cookie; a missing, unreadable or foreign one means a fresh start."""
    try:
        state = State.loads(session.get(STATE_KEY, ""))
    except StateError:
        return None
    return state if state.channel == "sms" else None


@bp.post("/fallback")
@webhook("sms", sms.fault_twiml)
def fallback():
    """For the number's SMS fallback URL: Twilio calls it when /sms failed or timed out."""
    return sms.fault_twiml(), {"outcome": "fallback"}
