"""What every webhook view shares: TwiML out, never a 500, one private log line.

A 500 makes Twilio play its own "application error" message to a frightened caller
(or send nothing to a texter). So any exception while answering is logged with its
traceback and answered with the channel's fault TwiML, which gives 999 and Samaritans.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

from flask import Response, current_app, request

from ivr.web.logs import conversation_id, log, webhook_line

TWIML = "text/xml"


def webhook(channel: str, fault: Callable[[], str]):
    """Wrap a view returning (twiml, log fields) so it always answers with TwiML."""

    def wrap(view):
        @functools.wraps(view)
        def handle(*args, **kwargs):
            started = time.perf_counter()
            try:
                body, fields = view(*args, **kwargs)
            except Exception:
                log.exception("answering a %s webhook failed; sent the fault reply", channel)
                body, fields = fault(), {"outcome": "fault"}
            webhook_line(
                channel=channel,
                conversation=_conversation(channel),
                ms=round((time.perf_counter() - started) * 1000, 1),
                **fields,
            )
            return Response(body, status=200, mimetype=TWIML)

        return handle

    return wrap


def _conversation(channel: str) -> str:
    secret = current_app.extensions["ivr"].settings.secret_key
    if channel == "voice":
        return conversation_id(secret, request.form.get("CallSid", ""))
    return conversation_id(secret, request.form.get("From", ""), request.form.get("To", ""))
