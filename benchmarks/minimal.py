"""The smallest correct Twilio webhook in Flask: what the helpline is measured against.

It does what any Twilio webhook must, and what the helpline does besides, so that the
bar is not lowered by work the helpline pays and it skips:

- parses the form and checks X-Twilio-Signature once, with the twilio package's
  RequestValidator, against the URL it was asked for (the helpline checks one URL;
  `validate()` would sign it twice, with and without a port);
- builds TwiML with the twilio package: a speech-and-keys Gather with its hints, and a
  few sentences, about the size of the helpline's replies (`reply_sizes` in the bench
  prints both), so both send alike over the wire;
- by SMS, reads and writes a Flask session (Flask's own signed cookie), as the helpline
  keeps its place;
- writes one JSON line per request to stderr through the logging module, as the
  helpline writes one per webhook.

Run under gunicorn as `gunicorn 'benchmarks.minimal:create_app_from_env()'`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, abort, g, request, session
from twilio.request_validator import RequestValidator, compare
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

SAY = {"voice": "Polly.Amy-Neural", "language": "en-GB"}
SPOKEN = (
    "If you are in immediate danger, hang up now and call nine nine nine.",
    "If you are in danger or can't cope, press 9, at any time.",
    "This line gives first steps after a link claiming to be an intimate photo of you.",
    "Here is what to do first. Don't reply to the sender, don't pay anything they ask "
    "for, and keep a record of the message without opening the link.",
    "For the next step, press 1. For what not to do, press 2. For support and reporting, press 3.",
    "If you are in danger or can't cope, press 9. To hear this again, press star.",
)
# What a Gather offers speech recognition: the words that work at this point.
HINTS = ", ".join(
    (
        "next, more, next step, continue, go on, carry on, danger, emergency, 999, in danger",
        "unsafe, not safe, cant cope, cannot cope, unable to cope, menu, main menu, options",
        "go back, back, start again, repeat, say that again, say again, repeat that, pardon",
        "steps, what do i do, what should i do, what to do, what now, dont, what not to do",
        "do not, what to avoid, should i pay, pay, wait, what can wait, can wait, later",
        "support, report, reporting, police, helpline, numbers, takedown, removal, about",
        "clicked, i clicked, clicked the link, clicked it, opened the link, opened it",
        "under 18, underage, under age, im a child, teenager, reassurance, about this",
        "is this normal, panicking, scared, ashamed, what is this, is this a scam, is it real",
    )
)
TEXT = (
    "Some first steps:\n\nIf you are in immediate danger, call 999.\n\n"
    "Don't reply to the sender and don't pay. Keep a record of the message (a "
    "screenshot of it and of the sender's profile) without opening the link, then "
    "block them and report the account on the platform where they contacted you. "
    "Nothing else needs doing tonight.\n\n"
    "Reply with a number or word:\n1 - what to do now (STEPS)\n2 - what not to do (DONT)\n"
    "3 - what can wait (WAIT)\n4 - support and reporting (SUPPORT)\n"
    "9 - if you are in danger or can't cope (DANGER)\n0 - the main menu (MENU)"
)

log = logging.getLogger("minimal")


class _Stderr(logging.StreamHandler):
    """A stream handler writing to whatever sys.stderr is when a line is logged."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


class _JsonLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        line = {"time": stamp, "level": record.levelname, "logger": record.name}
        line["event"] = record.getMessage()
        line.update(getattr(record, "fields", {}))
        return json.dumps(line)


def create_minimal_app(auth_token: str, secret_key: str) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key)
    validator = RequestValidator(auth_token)
    handler = _Stderr()
    handler.setFormatter(_JsonLine())
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False

    @app.before_request
    def signed_by_twilio():
        g.started = time.perf_counter()
        if request.method != "POST":
            return  # only the webhooks are Twilio's
        signature = request.headers.get("X-Twilio-Signature", "")
        # One check, of the URL as requested: what the helpline does (ivr/web/security.py).
        if not compare(validator.compute_signature(request.url, request.form), signature):
            abort(403)

    @app.after_request
    def one_log_line(response: Response) -> Response:
        if request.method == "POST":
            sid = request.form.get("CallSid") or request.form.get("MessageSid", "")
            fields = {
                "channel": request.path.split("/")[1],
                "conversation": sid[-16:],
                "status": response.status_code,
                "ms": round((time.perf_counter() - g.started) * 1000, 1),
            }
            log.info("webhook", extra={"fields": fields})
        return response

    @app.post("/voice")
    @app.post("/voice/next")
    def voice():
        step = request.args.get("s", "")
        turn = int(step) + 1 if step.isdigit() and len(step) < 6 else 1
        next_url = f"/voice/next?s={turn}"
        response = VoiceResponse()
        gather = response.gather(
            input="dtmf speech",
            num_digits=1,
            action=next_url,
            method="POST",
            timeout=6,
            speech_timeout="auto",
            language="en-GB",
            hints=HINTS,
        )
        for i, words in enumerate(SPOKEN):
            if i:
                gather.pause(length=1)
            gather.say(words, **SAY)
        response.redirect(next_url, method="POST")
        return Response(str(response), mimetype="text/xml")

    @app.post("/sms")
    def sms():
        session["turns"] = session.get("turns", 0) + 1
        response = MessagingResponse()
        response.message(TEXT)
        return Response(str(response), mimetype="text/xml")

    @app.get("/healthz")
    def healthz():
        return "ok"

    return app


def create_app_from_env() -> Flask:
    return create_minimal_app(os.environ["TWILIO_AUTH_TOKEN"], os.environ["SECRET_KEY"])
