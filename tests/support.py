"""Paths, constants and Twilio-shaped requests shared by the tests (fixtures: conftest.py)."""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

from twilio.request_validator import RequestValidator

from ivr.channels import twiml_reader

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SCRIPTS = sorted((ROOT / "scripts").glob("*.yaml"))
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
NOW = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)

# -- Talking to the app the way Twilio does ----------------------------------------------


TOKEN = "test-auth-token-0123456789abcdef"
SECRET = "test-secret-key-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
HELPLINE = "+447700900999"  # Ofcom's drama range: numbers that never belong to anyone
CALLER = "+447700900123"
BASE = "http://localhost"  # where the Flask test client sends requests


def production_env(**extra: str) -> dict[str, str]:
    return {"TWILIO_AUTH_TOKEN": TOKEN, "SECRET_KEY": SECRET, **extra}


def signed_post(client, url: str, params: dict, token: str = TOKEN, base: str = BASE):
    """POST form parameters with the X-Twilio-Signature Twilio would send for them."""
    signature = RequestValidator(token).compute_signature(base + url, params)
    return client.post(url, data=params, headers={"X-Twilio-Signature": signature})


class Heard(twiml_reader.Voice):
    """One voice TwiML response, read by the same reader /try uses: `says` (every <Say>,
    in order), `gather` (the <Gather>'s attributes, or None), `redirect` (the <Redirect>
    as written, or None), `hangup`, `text`, and the document as `xml`."""

    @property
    def xml(self) -> ET.Element:
        return self.root


def logged_outcomes(err: str) -> list[str]:
    """The outcome of each webhook the app logged, from its stderr (one JSON object a line)."""
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line["outcome"] for line in lines if line.get("event") == "webhook"]


def read_voice(response) -> Heard:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/xml"
    read = twiml_reader.read_voice(response.data)
    return Heard(**{f.name: getattr(read, f.name) for f in fields(twiml_reader.Voice)})


class Call:
    """One phone call: Twilio's parameters, following the Gather and Redirect URLs."""

    def __init__(self, client, caller: str = CALLER, token: str = TOKEN):
        self.client = client
        self.caller = caller
        self.token = token
        self.sid = "CA" + uuid.uuid4().hex
        self.heard: Heard | None = None
        self.url = "/voice"

    def params(self, status: str = "in-progress", **extra: str) -> dict:
        return {
            "CallSid": self.sid,
            "AccountSid": ACCOUNT,
            "From": self.caller,
            "To": HELPLINE,
            "Caller": self.caller,
            "Called": HELPLINE,
            "CallStatus": status,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def _post(self, url: str, params: dict) -> Heard:
        self.heard = read_voice(signed_post(self.client, url, params, self.token))
        return self.heard

    def start(self, url: str = "/voice") -> Heard:
        return self._post(url, self.params("ringing"))

    def _action(self) -> str:
        assert self.heard and self.heard.gather, "the call is not waiting for input"
        return urljoin(self.url, self.heard.gather["action"])

    def press(self, key: str) -> Heard:
        return self._post(self._action(), self.params(Digits=key))

    def say(self, words: str, confidence: str = "0.91") -> Heard:
        return self._post(self._action(), self.params(SpeechResult=words, Confidence=confidence))

    def silence(self) -> Heard:
        assert self.heard and self.heard.redirect, "no Redirect to follow"
        return self._post(urljoin(self.url, self.heard.redirect), self.params())


class Texter:
    """One person texting the helpline. Twilio keeps cookies per From/To pair, so each
    texter has a test client (and cookie jar) of their own."""

    def __init__(self, app, sender: str = CALLER, token: str = TOKEN):
        self.client = app.test_client()
        self.sender = sender
        self.token = token

    def params(self, body: str, **extra: str) -> dict:
        return {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "SmsSid": "SM" + uuid.uuid4().hex,
            "SmsMessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": ACCOUNT,
            "From": self.sender,
            "To": HELPLINE,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def send(self, body: str, url: str = "/sms", **extra: str) -> str | None:
        """Text the helpline; return the reply's text, or None for an empty <Response/>."""
        response = signed_post(self.client, url, self.params(body, **extra), self.token)
        assert response.status_code == 200, response.status_code
        assert response.mimetype == "text/xml"
        messages = twiml_reader.read_messages(response.data)
        assert len(messages) <= 1 and all(isinstance(m, twiml_reader.Message) for m in messages)
        return messages[0].text if messages else None
