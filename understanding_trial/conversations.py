"""Sending a phrase the way a new user would: through the real signed webhooks.

    Helpline(app, script).replies(phrase) -> {context: Seen}

Four contexts, as issue 19's tester used them:

    first text        a new texter whose first message is the phrase
    mid-steps text    a texter part-way through the steps (STEPS, then NEXT)
    spoken at menu    a caller who says the phrase at the main menu
    spoken in steps   a caller part-way through the steps (says "steps", presses next)

Where a reply left someone is read from what the reply says, as a tester reads it, not
from the state the app hands Twilio (that is opaque by design): the node whose opening
paragraph appears first in the reply, else "none" (the sorry sentence), "person" (the
automated-line sentence) or "main".
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from urllib.parse import urljoin

from twilio.request_validator import RequestValidator

from ivr.channels import twiml_reader
from ivr.engine import CLOSED
from ivr.engine.screens import screen_at
from ivr.engine.words import finish
from ivr.script import SMS, VOICE, Script

TOKEN = "trial-auth-token-0123456789abcdef"
SECRET = "trial-secret-key-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
HELPLINE = "+447700900999"  # Ofcom's drama range: numbers that never belong to anyone
CALLER = "+447700900123"
BASE = "http://localhost"  # where the Flask test client sends requests

FIRST_TEXT = "first text"
MID_STEPS_TEXT = "mid-steps text"
SPOKEN_AT_MENU = "spoken at menu"
SPOKEN_IN_STEPS = "spoken in steps"
CONTEXTS = (FIRST_TEXT, MID_STEPS_TEXT, SPOKEN_AT_MENU, SPOKEN_IN_STEPS)
CHANNEL = {FIRST_TEXT: SMS, MID_STEPS_TEXT: SMS, SPOKEN_AT_MENU: VOICE, SPOKEN_IN_STEPS: VOICE}


@dataclass(frozen=True, slots=True)
class Seen:
    """One reply: where it left the person, and its words (whitespace made single)."""

    place: str  # a node id, "none", "person" or "main"
    text: str
    at: int  # where in the text the place's own words start (its length: none found)


def quiet_app(env: dict[str, str] | None = None):
    """The app as production runs it (signature checks on), its log lines sent nowhere."""
    from ivr.web import create_app

    with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
        return create_app({"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, **(env or {})})


class Helpline:
    def __init__(self, app, script: Script):
        self.app = app
        self.script = script
        self._validator = RequestValidator(TOKEN)
        self._openings = {channel: _openings(script, channel) for channel in (SMS, VOICE)}
        self._sorry = {c: _said(script, c, "not_understood") for c in (SMS, VOICE)}
        self._person = {c: _said(script, c, "automated") for c in (SMS, VOICE)}

    def replies(self, phrase: str) -> dict[str, Seen]:
        with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):
            return {
                FIRST_TEXT: self._seen(SMS, self._text([phrase])[-1]),
                MID_STEPS_TEXT: self._in_steps(SMS, self._text(["hi", "STEPS", "NEXT", phrase])),
                SPOKEN_AT_MENU: self._seen(VOICE, self._call([phrase])[-1]),
                SPOKEN_IN_STEPS: self._in_steps(VOICE, self._call(["steps", _NEXT, phrase])),
            }

    def _in_steps(self, channel: str, heard: list[str]) -> Seen:
        """The last reply, once the ones before it are checked to have reached the steps."""
        steps = self.script.roles["steps"]
        if self._seen(channel, heard[-3]).place != steps:
            raise RuntimeError(f"Asking for the steps ({channel}) did not reach '{steps}'.")
        if self._sorry[channel] in _plain(heard[-2]):
            raise RuntimeError(f"Asking for the next step ({channel}) was not understood.")
        return self._seen(channel, heard[-1])

    def _seen(self, channel: str, text: str) -> Seen:
        """Where a reply left someone: what it shows first of a node's opening, the
        sorry sentence and the automated-line sentence ("main": none of them)."""
        text = _plain(text)
        shown = [
            *self._openings[channel],
            ("none", self._sorry[channel]),
            ("person", self._person[channel]),
        ]
        found = [(text.find(words), -len(words), place) for place, words in shown if words in text]
        if not found:
            return Seen("main", text, len(text))
        at, _, place = min(found)
        return Seen(place, text, at)

    # -- the webhooks, signed as Twilio signs them ------------------------------------

    def _post(self, client, url: str, params: dict):
        signature = self._validator.compute_signature(BASE + url, params)
        response = client.post(url, data=params, headers={"X-Twilio-Signature": signature})
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}, not 200.")
        return response.data

    def _text(self, messages: list[str]) -> list[str]:
        """Send the messages as one texter; the words of each reply."""
        client = self.app.test_client()  # a cookie jar of its own, as Twilio keeps one
        texts = []
        for body in messages:
            params = {
                "MessageSid": "SM" + uuid.uuid4().hex,
                "AccountSid": ACCOUNT,
                "From": CALLER,
                "To": HELPLINE,
                "Body": body,
                "NumMedia": "0",
                "NumSegments": "1",
                "SmsStatus": "received",
                "ApiVersion": "2010-04-01",
            }
            read = twiml_reader.read_messages(self._post(client, "/sms", params))
            texts.append(" ".join(m.text for m in read if isinstance(m, twiml_reader.Message)))
        return texts

    def _call(self, turns: list) -> list[str]:
        """One call: each turn is speech, or _NEXT (the next key pressed). What each turn
        heard."""
        client = self.app.test_client()
        sid = "CA" + uuid.uuid4().hex
        url = "/voice"
        heard = twiml_reader.read_voice(self._post(client, url, _call_params(sid, "ringing")))
        texts = []
        for turn in turns:
            if heard.gather is None:
                raise RuntimeError("The call stopped listening before the phrase was said.")
            url = urljoin(url, heard.gather["action"])
            given = (
                {"Digits": self.script.next_control.key}
                if turn is _NEXT
                else {"SpeechResult": turn, "Confidence": "0.91"}
            )
            heard = twiml_reader.read_voice(self._post(client, url, _call_params(sid, **given)))
            texts.append(heard.text)
        return texts


_NEXT = object()  # a turn of a call that presses the next key


def _call_params(sid: str, status: str = "in-progress", **extra: str) -> dict:
    return {
        "CallSid": sid,
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": HELPLINE,
        "Caller": CALLER,
        "Called": HELPLINE,
        "CallStatus": status,
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def _openings(script: Script, channel: str) -> list[tuple[str, str]]:
    """Each node's opening paragraph on a channel, as a reply shows it."""
    found = []
    for node in script.nodes.values():
        if node.id == script.main.id:
            continue
        paragraphs = screen_at(script, channel, node, 0, CLOSED).paragraphs
        if paragraphs and _plain(paragraphs[0]):
            found.append((node.id, _plain(paragraphs[0])))
    return found


def _said(script: Script, channel: str, name: str) -> str:
    """A phrase of the script as a reply gives it (spoken forms on the phone)."""
    return _plain(" ".join(finish(script, channel, (script.phrase(name, channel),))))


def _plain(text: str) -> str:
    return " ".join(text.split())
