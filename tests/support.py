"""Paths, constants and Twilio-shaped requests shared by the tests (fixtures: conftest.py)."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urljoin, urlsplit

from twilio.request_validator import RequestValidator

from ivr.channels import twiml_reader
from ivr.engine import State
from ivr.web import cookie
from ivr.web.sealed import Carried

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SCRIPTS = sorted((ROOT / "scripts").glob("*.yaml"))
GUIDE = ROOT / "scripts" / "link-claiming-intimate-photo.yaml"
SEED = ROOT / "guides" / "link-claiming-intimate-photo.txt"  # the guide GUIDE says
NOW = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)

# -- Talking to the app the way Twilio does ----------------------------------------------


TOKEN = "test-auth-token-0123456789abcdef"
SECRET = "test-secret-key-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
HELPLINE = "+447700900999"  # Ofcom's drama range: numbers that never belong to anyone
CALLER = "+447700900123"
# Characters str.isdigit accepts that are not ASCII digits (superscript, circled,
# Arabic-Indic, fullwidth, NKo, mathematical): a state holding one must not be read.
ODD_DIGITS = ["²", "③", "٣", "１", "߁", "𝟗"]
BASE = "http://localhost"  # where the Flask test client sends requests


def log_line(time: str, conversation: str, node: str | None, outcome: str, **extra) -> str:
    """A webhook's log line exactly as the app writes it (a call on the guide's script,
    unless `extra` says otherwise), for the report's tests."""
    fields = {
        "time": time,
        "level": "INFO",
        "logger": "ivr",
        "event": "webhook",
        "channel": "voice",
        "script": GUIDE.stem,
        "node": node,
        "outcome": outcome,
        "conversation": conversation,
        "ms": 0.8,
        **extra,
    }
    return json.dumps(fields)


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


def logged_events(err: str) -> list[dict]:
    """Every JSON line in a log (a server's log may hold lines of other shapes)."""
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def logged_outcomes(err: str) -> list[str]:
    """The outcome of each webhook the app logged, from its stderr (one JSON object a line)."""
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line["outcome"] for line in lines if line.get("event") == "webhook"]


def read_voice(response) -> Heard:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/xml"
    read = twiml_reader.read_voice(response.data)
    return Heard(**{f.name: getattr(read, f.name) for f in fields(twiml_reader.Voice)})


# -- What the app hands to Twilio, opened with the app's own key -------------------------


def opened_url(app, url: str) -> Carried | None:
    """What the sealed `s` of one of the app's voice URLs carries."""
    token = parse_qs(urlsplit(url).query).get("s", [""])[0]
    return app.extensions["ivr"].sealer.open(token, "voice")


def url_state(app, url: str) -> State:
    carried = opened_url(app, url)
    assert carried is not None and carried.state is not None, url
    return carried.state


def sealed_url(app, state: State | None, via: str = "", retry: bool = False) -> str:
    """/voice/next with the state sealed as the app seals it."""
    token = app.extensions["ivr"].sealer.seal(Carried(state, via=via, retry=retry), "voice")
    return f"/voice/next?s={token}"


def opened_cookie(app, texter: Texter) -> Carried | None:
    """What the texter's SMS cookie carries, or None when there is no cookie."""
    kept = texter.client.get_cookie(cookie.NAME)
    return None if kept is None else app.extensions["ivr"].sealer.open(kept.value, "sms")


def cookie_state(app, texter: Texter) -> State:
    carried = opened_cookie(app, texter)
    assert carried is not None and carried.state is not None
    return carried.state


def plant_cookie(app, texter: Texter, carried: Carried | str) -> None:
    """Give the texter's phone a cookie sealed with the app's key, as if the app had set
    it (a string: a cookie value planted as it is)."""
    value = carried
    if isinstance(carried, Carried):
        value = app.extensions["ivr"].sealer.seal(carried, "sms")
    texter.client.set_cookie(cookie.NAME, value)


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


# -- A stand-in for Twilio's Messages API ----------------------------------------------


@dataclass
class Sent:
    """One request to send a text, as the stand-in received it."""

    path: str
    form: dict[str, str]
    auth: str  # "username:password" from the Basic Authorization header


@dataclass
class MessagesApi:
    """What the stand-in has been asked, and how it answers: 201 sends, any other status
    refuses with Twilio's error 21610; `delay` holds the answer back, to test timeouts."""

    url: str = ""
    seen: list[Sent] = field(default_factory=list)
    status: int = 201  # how to answer a send
    delay: float = 0.0  # seconds to wait before answering


class _MessagesHandler(BaseHTTPRequestHandler):
    server: _MessagesServer

    def do_POST(self) -> None:
        twilio = self.server.stand_in
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        auth = self.headers.get("Authorization", "").removeprefix("Basic ")
        form = dict(parse_qsl(body, keep_blank_values=True))
        twilio.seen.append(Sent(self.path, form, base64.b64decode(auth).decode()))
        time.sleep(twilio.delay)
        if twilio.status == 201:
            payload = {
                "sid": "SM" + "5" * 32,
                "account_sid": ACCOUNT,
                "to": form.get("To"),
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json".replace(
                    ".json", "/SM" + "5" * 32 + ".json"
                ),
            }
        else:
            payload = {
                "code": 21610,
                "message": "Attempt to send to unsubscribed recipient",
                "more_info": "https://www.twilio.com/docs/errors/21610",
                "status": twilio.status,
            }
        data = json.dumps(payload).encode()
        try:
            self.send_response(twilio.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up waiting: that is what a timeout test wants

    def log_message(self, format, *args) -> None:
        pass


class _MessagesServer(ThreadingHTTPServer):
    daemon_threads = True
    stand_in: MessagesApi


@contextmanager
def messages_api():
    """A real HTTP server on a free loopback port, answering Messages.json like Twilio."""
    stand_in = MessagesApi()
    server = _MessagesServer(("127.0.0.1", 0), _MessagesHandler)
    server.stand_in = stand_in
    stand_in.url = f"http://127.0.0.1:{server.server_port}"
    with serving(server):
        yield stand_in


@contextmanager
def serving(server: ThreadingHTTPServer):
    """`server` answering on a thread of its own until the block ends: the loopback
    stand-ins for Twilio's APIs all start and stop this way."""
    # shutdown() waits for the next poll; the default 0.5 s would slow every test
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
