"""The smallest correct Twilio webhook in Flask: what the helpline is measured against.

It does only what any Twilio webhook must: parse the form, check X-Twilio-Signature with
the twilio package's RequestValidator, and build TwiML with the twilio package; by SMS it
also reads and writes a Flask session (a signed cookie), as the helpline keeps its place.
Its replies are about the size of the helpline's, so both send alike over the wire.

Run under gunicorn as `gunicorn 'benchmarks.minimal:create_app_from_env()'`.
"""

from __future__ import annotations

import os

from flask import Flask, Response, abort, request, session
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

SAY = {"voice": "Polly.Amy-Neural", "language": "en-GB"}
SPOKEN = (
    "If you are in immediate danger, hang up now and call nine nine nine.",
    "Here is what to do first. Don't reply, don't pay, and keep a record of the message.",
    "For the next step, press 1. To hear this again, press star.",
)
TEXT = (
    "Some first steps:\n\nIf you are in immediate danger, call 999.\n\n"
    "Don't reply, don't pay, and keep a record of the message.\n\n"
    "Reply with:\n1 - what to do now (STEPS)\n9 - if you are in danger (DANGER)"
)


def create_minimal_app(auth_token: str, secret_key: str) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=secret_key)
    validator = RequestValidator(auth_token)

    @app.before_request
    def signed_by_twilio():
        if request.method != "POST":
            return  # only the webhooks are Twilio's
        signature = request.headers.get("X-Twilio-Signature", "")
        if not validator.validate(request.url, request.form, signature):
            abort(403)

    @app.post("/voice")
    @app.post("/voice/next")
    def voice():
        step = request.args.get("s", "")
        turn = int(step) + 1 if step.isdigit() and len(step) < 6 else 1
        next_url = f"/voice/next?s={turn}"
        response = VoiceResponse()
        gather = response.gather(
            input="dtmf speech", num_digits=1, action=next_url, method="POST", timeout=6
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
