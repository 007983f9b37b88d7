"""POST /voice (Twilio's "A call comes in") and the app's own /voice/next.

Thin views: read the form, ask the voice channel, render TwiML. Where the caller is
travels in the ?s= query of the Gather action and Redirect URLs, signed by Twilio
along with the rest of the URL, so no call state is kept on the server.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, request, url_for

from ivr.channels import voice
from ivr.engine import State
from ivr.errors import StateError
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import webhook

bp = Blueprint("voice", __name__, url_prefix="/voice")
bp.before_request(require_twilio_signature)

AFTER_FAULT = "after_fault"


def _fault() -> str:
    # One fresh start after a fault; a second fault in a row ends the call politely.
    retry = None if request.args.get(AFTER_FAULT) else url_for("voice.incoming", **{AFTER_FAULT: 1})
    return voice.fault_twiml(retry)


@bp.post("")
@webhook("voice", _fault)
def incoming():
    library = current_app.extensions["ivr"].library
    script = library.pick(request.args.get("script"))
    reply = voice.answer(script, None, datetime.now(UTC))
    return _render(script, reply)


@bp.post("/next")
@webhook("voice", _fault)
def next_turn():
    library = current_app.extensions["ivr"].library
    try:
        state = State.loads(request.args.get("s", ""))
        script = library.get(state.script)
    except StateError:
        state = script = None
    if script is None or state.channel != "voice":
        # A URL this version cannot read (or a script no longer served): start afresh.
        script, state = library.pick(request.args.get("script")), None
    form = request.form
    reply = voice.answer(
        script,
        state,
        datetime.now(UTC),
        digits=form.get("Digits", ""),
        speech=form.get("SpeechResult", ""),
        returned_from_dial="DialCallStatus" in form,
    )
    return _render(script, reply)


def _render(script, reply):
    body = voice.twiml(script, reply, lambda state: url_for("voice.next_turn", s=state.dumps()))
    fields = {"script": script.id, "node": reply.state.node, "outcome": reply.event}
    return body, fields


@bp.post("/fallback")
@webhook("voice", _fault)
def fallback():
    """For the number's voice fallback URL: Twilio calls it when /voice failed or timed out."""
    return _fault(), {"outcome": "fallback"}
