"""POST /sms: Twilio's "A message comes in" webhook.

Twilio keeps HTTP cookies per From/To pair (for up to four hours) and sends them back,
so where a texter is lives in a sealed cookie (ivr.web.cookie): a state of ids,
counters and a timestamp, and a random conversation id for the logs, encrypted so
Twilio's logs cannot tell what was asked. Never a phone number, never what anyone
wrote. A cookie that cannot be used is replaced (or deleted) and the conversation
starts afresh; the id is new with every fresh start (a first text, the idle restart,
after STOP), so it links one conversation's turns and nothing more.

A message whose `From` starts `whatsapp:` is WhatsApp's, on the same webhook: it is
answered by ivr.web.whatsapp, under WhatsApp's rules, and no cookie is read or set.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, request

from ivr.channels import sms
from ivr.outcomes import Outcome
from ivr.web import cookie, whatsapp
from ivr.web.sealed import Carried
from ivr.web.security import require_twilio_signature
from ivr.web.webhook import add_fallback, asked_guide, new_conversation, post, restore, webhook

bp = Blueprint("sms", __name__, url_prefix="/sms")
bp.before_request(require_twilio_signature)

FRESH_EVENTS = (Outcome.EXPIRED, Outcome.RESTART)  # the engine started the conversation again


@post(bp, "")
def incoming():
    if whatsapp.is_whatsapp(request.form):
        return whatsapp.incoming()
    return texted()


@webhook("sms", sms.fault_twiml)
def texted():
    ivr = current_app.extensions["ivr"]
    saved = cookie.read()
    state = restore(saved, cookie.raw(), "sms")
    # Whatever an unusable cookie held is dropped here, and replaced below.
    conversation = saved.conversation if state is not None else new_conversation()
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
        cookie.forget()  # STOP and START: the next text is a new conversation
    else:
        if turn.event in FRESH_EVENTS:
            conversation = new_conversation()
        cookie.keep(Carried(turn.state, conversation=conversation))
    now_in = turn.state or state
    script = now_in.script if now_in else (guide or ivr.library.default).id
    fields = {
        "script": script,
        "node": turn.state.node if turn.state else None,
        "outcome": turn.event,
        "conversation": conversation,
        # Where several are offered, ivr report counts conversations by language.
        "language": (turn.state.language or ivr.library.default.language)
        if turn.state and len(ivr.library.languages) > 1
        else "",
    }
    return sms.twiml(turn), fields


add_fallback(bp, "sms", sms.fault_twiml)
