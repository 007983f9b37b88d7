"""POST /voice (Twilio's "A call comes in") and the app's own /voice/next.

Thin views: read the form, ask the voice channel, render TwiML. Where the caller is
travels in the ?s= query of the Gather action and Redirect URLs, signed by Twilio
along with the rest of the URL, so no call state is kept on the server.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, request, url_for

from ivr import engine, opening
from ivr.channels import voice
from ivr.engine import Offers, State
from ivr.web import faults, texting
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import add_fallback, asked_guide, post, restore, webhook

bp = Blueprint("voice", __name__, url_prefix="/voice")
bp.before_request(require_twilio_signature)


def _fault() -> str:
    # One fresh start after a fault; a second fault in a row ends the call politely.
    return faults.fault_twiml("voice", request.script_root, request.args)


def _offers(now: datetime) -> Offers:
    """What this call can be offered now: transfers need the helpline's own number to
    show the person answering; texts need the credentials and a sender."""
    texting = current_app.extensions["ivr"].texts is not None
    called = request.form.get("To") or request.form.get("Called", "")
    return Offers(now, texting=texting, dialling=voice.helpline_number(called) is not None)


@post(bp, "")
@webhook("voice", _fault)
def incoming():
    library = current_app.extensions["ivr"].library
    now = datetime.now(UTC)
    reply = voice.answer(library, None, now, guide=asked_guide(), offers=_offers(now))
    return _render(library, reply)


@post(bp, "/next")
@webhook("voice", _fault)
def next_turn():
    # A URL this version cannot read (or a guide no longer served) starts afresh.
    library = current_app.extensions["ivr"].library
    state = restore(request.args.get("s", ""), "voice")
    form = request.form
    now = datetime.now(UTC)
    offers = _offers(now)
    reply = voice.answer(
        library,
        state,
        now,
        guide=asked_guide(),
        digits=form.get("Digits", ""),
        speech=form.get("SpeechResult", ""),
        dial_status=form.get("DialCallStatus"),
        via=request.args.get(voice.VIA, ""),
        offers=offers,
    )
    if reply.send_text:
        script = library.get(reply.state.script)
        outcome = texting.send_steps(script, form)
        reply = engine.after_text(script, reply.state, outcome, now, offers)
        reply = opening.with_way_back(library, script, reply)
    return _render(library, reply)


def _render(library, reply):
    script = library.get(reply.state.script) or library.default
    called = request.form.get("To") or request.form.get("Called", "")
    body = voice.twiml(
        script,
        reply,
        state_url,
        caller_id=voice.helpline_number(called),
    )
    fields = {"script": script.id, "node": reply.state.node, "outcome": reply.event}
    return body, fields


def state_url(state: State, **query: str) -> str:
    """Where Twilio brings the call back: /voice/next?s=<state>. Exactly what url_for
    builds (a state's characters need no quoting; tests/test_precomputed.py compares),
    without going through the URL map on every turn."""
    if query:
        return url_for("voice.next_turn", s=state.dumps(), **query)
    return f"{request.script_root}{NEXT_PATH}?s={state.dumps()}"


NEXT_PATH = "/voice/next"


add_fallback(bp, "voice", _fault)
