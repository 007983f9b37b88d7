"""What every webhook view shares: TwiML out, never a 500, one log line, one way back in.

A 500 makes Twilio play its own "application error" message to a frightened caller
(or send nothing to a texter). So any exception while answering is logged (type, frames
and a scrubbed message: see ivr.web.logs) and answered with the channel's fault TwiML,
which gives 999 and Samaritans.

Webhooks answer POST only: any other method, OPTIONS included, gets 405. `restore`
turns the state a URL or a cookie carried (already opened: ivr.web.sealed) into a
State; none, one of another channel, or one naming a guide no longer served means a
fresh start, never a fault. A state that was carried but is dropped is logged as one
`state_unusable` line with its reason (never its content), so an operator can tell a
key rotated without its fallback, or a guide taken away, from people just starting.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable

from flask import Blueprint, Response, current_app, request

from ivr.engine import State
from ivr.outcomes import Outcome
from ivr.script import Script
from ivr.web import cookie
from ivr.web.logs import event, log, webhook_line
from ivr.web.sealed import Carried

TWIML = "text/xml"


def post(bp: Blueprint, rule: str):
    """Route POST only; Flask would otherwise answer OPTIONS itself with an empty 200."""
    return bp.route(rule, methods=["POST"], provide_automatic_options=False)


def webhook(channel: str, fault: Callable[[], str]):
    """Wrap a view returning (twiml, log fields) so it always answers with TwiML."""

    def wrap(view):
        @functools.wraps(view)
        def handle(*args, **kwargs):
            started = time.perf_counter()
            try:
                body, fields = view(*args, **kwargs)
            except Exception:
                log.exception("answering a webhook failed; sent the fault reply")
                body, fields = fault(), {"outcome": Outcome.FAULT}
                if channel == "sms":
                    cookie.after_fault()
            webhook_line(
                channel=channel,
                script=fields.get("script"),
                node=fields.get("node"),
                outcome=fields["outcome"],
                conversation=fields.get("conversation") or conversation(channel),
                ms=round((time.perf_counter() - started) * 1000, 1),
                # A conversation's language (none for the source), for ivr report: in lower
                # case, the report's id shape (BCP 47 tags are the same in any case).
                **({"language": fields["language"].lower()} if fields.get("language") else {}),
            )
            response = Response(body, status=200, mimetype=TWIML)
            return cookie.set_by(response) if channel == "sms" else response

        return handle

    return wrap


def add_fallback(bp: Blueprint, channel: str, fault: Callable[[], str]) -> None:
    """The number's fallback URL: Twilio calls it when the main webhook failed or timed out."""

    @post(bp, "/fallback")
    @webhook(channel, fault)
    def fallback():
        return fault(), {"outcome": Outcome.FALLBACK}


def restore(carried: Carried | None, token: str | None, channel: str) -> State | None:
    """The state a turn goes on from, or None for a fresh start: none carried, one this
    version cannot open (`token` is what came, `carried` what it opened as), one of
    another channel, or one naming a guide no longer served. A dropped state is logged
    with the reason: ivr.web.sealed.REASONS, or "guide"."""
    if token is None:
        return None  # a first turn: nothing was carried
    state = carried.state if carried is not None else None
    if state is None or state.channel != channel:
        sealer = current_app.extensions["ivr"].sealer
        _dropped(channel, sealer.why_not(token, channel) or "content")
        return None
    if current_app.extensions["ivr"].library.get(state.script) is None:
        _dropped(channel, "guide")
        return None
    return state


def _dropped(channel: str, reason: str) -> None:
    event("state_unusable", logging.WARNING, channel=channel, reason=reason)


def asked_guide() -> Script | None:
    """The guide this number's webhook URL asks for (?script=<id>): its conversations
    start there, not at the guide choice. None when it names none, or none served."""
    query = request.query_string
    if b"script" not in query and b"%" not in query:
        return None  # named nowhere: no need to parse the query (a voice turn's is ?s=...)
    return current_app.extensions["ivr"].library.get(request.args.get("script"))


def new_conversation() -> str:
    """A fresh random id for an SMS conversation. It is kept in the sealed cookie only,
    so it says nothing about the number, and a new conversation gets a new one."""
    return secrets.token_hex(8)


def conversation(channel: str) -> str:
    """This request's conversation id for the logs."""
    if channel == "voice":
        # Keyed on the CallSid: the same on every turn of one call, new for every call.
        secret = current_app.extensions["ivr"].settings.secret_key.encode()
        sid = request.form.get("CallSid", "").encode()
        return hmac.new(secret, b"call|" + sid, hashlib.sha256).hexdigest()[:16]
    saved = cookie.read()  # a view that failed may not have kept one
    return saved.conversation if saved is not None else new_conversation()
