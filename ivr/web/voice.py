"""POST /voice (Twilio's "A call comes in") and the app's own /voice/next.

Thin views: read the form, ask the voice channel, render TwiML. Where the caller is
travels in the ?s= query of the Gather action, Redirect and Dial action URLs, so no
call state is kept on the server. Twilio's request logs keep those URLs, so `s` is
sealed (ivr.web.sealed): the only query the app ever writes, it carries the state, the
transfer a Dial was for, and the flag of the one fresh start after a fault, and none
of it can be read.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, g, request

from ivr import engine, opening
from ivr.channels import voice
from ivr.engine import Offers, State
from ivr.script import LANGUAGE_CHOICE
from ivr.web import faults, texting
from ivr.web.sealed import Carried
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import add_fallback, asked_guide, post, restore, webhook

bp = Blueprint("voice", __name__, url_prefix="/voice")
bp.before_request(require_twilio_signature)

USE = "voice"
STATE = "s"  # the one query field of the app's own URLs


def _fault() -> str:
    # One fresh start after a fault; a second fault in a row ends the call politely.
    return faults.fault_twiml("voice", request.script_root, request.args, _sealer())


def _sealer():
    return current_app.extensions["ivr"].sealer


def _token() -> str | None:
    """The token this request's URL carries, if any."""
    query = request.query_string
    if query.startswith(b"s=") and b"&" not in query and b"%" not in query:
        # The app's own URLs are exactly ?s=<token>: read as it is, without parsing the
        # query into a MultiDict; any other query is parsed as usual.
        return query[2:].decode("latin-1")
    return request.args.get(STATE)


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
    guide = g.ivr_guide = asked_guide()
    reply = voice.answer(library, None, now, guide=guide, offers=_offers(now))
    return _render(library, reply)


@post(bp, "/next")
@webhook("voice", _fault)
def next_turn():
    # A URL this version cannot read (or a guide no longer served) starts afresh.
    library = current_app.extensions["ivr"].library
    token = _token()
    carried = None if token is None else _sealer().open(token, USE)
    state = restore(carried, token, USE)
    form = request.form
    now = datetime.now(UTC)
    offers = _offers(now)
    # The number's own guide (?script=), carried while the caller chooses a language.
    guide = g.ivr_guide = asked_guide() or (library.get(carried.guide) if carried else None)
    reply = voice.answer(
        library,
        state,
        now,
        guide=guide,
        digits=form.get("Digits", ""),
        speech=form.get("SpeechResult", ""),
        dial_status=form.get("DialCallStatus"),
        via=carried.via if carried else "",
        offers=offers,
    )
    if reply.send_text:  # the steps are texted in the call's language
        script = library.speaking(library.get(reply.state.script), reply.state.language)
        outcome = texting.send_steps(script, form)
        reply = engine.after_text(script, reply.state, outcome, now, offers)
        reply = opening.with_way_back(library, script, reply)
    return _render(library, reply)


def _render(library, reply):
    script = library.get(reply.state.script) or library.default
    script = library.speaking(script, reply.state.language)  # its voice, words, recordings
    called = request.form.get("To") or request.form.get("Called", "")
    body = voice.twiml(
        script,
        reply,
        state_url,
        caller_id=voice.helpline_number(called),
    )
    fields = {"script": script.id, "node": reply.state.node, "outcome": reply.event}
    if len(library.languages) > 1 and reply.state.node != LANGUAGE_CHOICE:
        fields["language"] = script.language  # ivr report counts conversations by it
    return body, fields


def state_url(state: State, via: str = "") -> str:
    """Where Twilio brings the call back: /voice/next?s=<sealed state>. Exactly what
    url_for builds (a token's characters need no quoting; tests/test_precomputed.py
    compares), without going through the URL map on every turn. `via`: the transfer a
    Dial puts the call through to (the voice channel passes it as voice.VIA). At the
    language choice the guide this number asked for (?script=) goes along, sealed."""
    guide = g.get("ivr_guide")
    kept = guide.id if guide is not None and state.node == LANGUAGE_CHOICE else ""
    token = _sealer().seal(Carried(state, via=via, guide=kept), USE)
    return f"{request.script_root}{NEXT_PATH}?{STATE}={token}"


NEXT_PATH = "/voice/next"


add_fallback(bp, "voice", _fault)
