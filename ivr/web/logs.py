"""Private logs: one JSON line per webhook, and nothing that identifies a person.

A line carries the channel, script, node, what happened, the time taken, and a keyed
hash of the conversation (the CallSid, or the From/To pair) so one conversation can be
followed without knowing whose it is. As a second guard, every line written during a
request has that request's phone numbers, message text and speech blanked out, even in
a traceback, should any of them ever reach a log message by mistake.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import sys

from flask import has_request_context, request

LOGGER = "ivr"
# Form fields Twilio sends that could identify a person or say what they wrote or said.
PRIVATE_FIELDS = (
    "From", "To", "Caller", "Called", "Body", "SpeechResult", "UnstableSpeechResult",
    "ForwardedFrom", "CallerName", "FromCity", "FromZip", "CallerCity", "CallerZip",
    "ToCity", "ToZip", "CalledCity", "CalledZip",
)  # fmt: skip
REDACTED = "[private]"

log = logging.getLogger(LOGGER)


class PrivateFormatter(logging.Formatter):
    """Formats a record, then blanks any private value of the current request."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for value in _private_values():
            text = text.replace(value, REDACTED)
        return text


def _private_values() -> list[str]:
    if not has_request_context():
        return []
    values = []
    for field in PRIVATE_FIELDS:
        value = request.form.get(field, "").strip()
        if len(value) >= 3:  # shorter values ("1", "ok") would blank ordinary words
            values.append(value)
            values += [v for v in (value.lstrip("+"), " ".join(value.split())) if len(v) >= 3]
    return sorted(set(values), key=len, reverse=True)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is logged, not when the app was built
    (process managers and test runners swap it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup(level: str) -> None:
    """Send the app's logs to stderr, one line each, through the private formatter."""
    handler = _Stderr()
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


def conversation_id(secret: str, *parts: str) -> str:
    """A keyed hash of who is talking: stable within a conversation, useless outside it."""
    key = hmac.new(secret.encode(), b"ivr conversation log key", hashlib.sha256).digest()
    return hmac.new(key, "|".join(parts).encode(), hashlib.sha256).hexdigest()[:16]


def webhook_line(**fields) -> None:
    log.info(json.dumps({"event": "webhook", **fields}, sort_keys=True))
