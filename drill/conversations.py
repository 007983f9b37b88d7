"""Callers and texters that check every reply against what the engine itself answers.

Each conversation keeps its own model of where it is (an engine State) and, before each
turn, asks the domain (ivr.turns, the path the web views and `ivr simulate` take) what
the reply must be; the server's reply is then compared with that. Nothing is hard-coded
about the script, so the drill keeps working as the script and the engine change.
Inputs are drawn from the script's own keys, keywords and synonyms, plus noise.

    Caller(script, rng).turn(port)  -> Turn      one webhook of a phone call
    Texter(script, rng).turn(port)  -> Turn      one text
"""

from __future__ import annotations

import random
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from drill.client import Outcome, post
from drill.server import SECRET
from ivr.channels import voice
from ivr.engine import Offers, State
from ivr.library import Library
from ivr.script import Script
from ivr.turns import call_turn, text_turn
from ivr.web.sealed import Carried, Sealer

ACCOUNT = "AC" + "d" * 32
HELPLINE = "+447700900999"  # Ofcom's drama range: numbers that belong to no one
IDLE = timedelta(minutes=30)  # the app's default IVR_SMS_IDLE_MINUTES
NOISE = ["", "hello", "what?", "I don't know", "ok", "asdf", "12", "#", "  ", "é ñ ü", "STOP"]
KEYS = list("0123456789*#")
DIAL_STATUSES = ["completed", "no-answer", "busy", "failed", "canceled"]
MAX_TURNS = 12


@dataclass(frozen=True, slots=True)
class Turn:
    outcome: Outcome
    mismatch: bool = False


def words_of(script: Script) -> list[str]:
    """What a person might say or type: every option's keyword and synonyms, and noise."""
    found = [w for node in script.nodes.values() for o in node.options for w in o.words]
    found += [w for o in script.globals for w in o.words]
    return sorted(set(found)) + NOISE


def _number(rng: random.Random) -> str:
    return "+4477009" + "".join(rng.choice("0123456789") for _ in range(5))


class Caller:
    def __init__(self, script: Script, rng: random.Random):
        self.script, self.rng = script, rng
        self.words = words_of(script)
        self.sid = "CA" + uuid.UUID(int=rng.getrandbits(128)).hex
        self.caller = _number(rng)
        self.state: State | None = None
        self.next: tuple[str, dict] | None = ("/voice", {"CallStatus": "ringing"})
        self.turns = 0

    @property
    def over(self) -> bool:
        return self.next is None or self.turns >= MAX_TURNS

    def params(self, extra: dict) -> dict:
        return {"CallSid": self.sid, "AccountSid": ACCOUNT, "From": self.caller,
                "To": HELPLINE, "Caller": self.caller, "Called": HELPLINE,
                "CallStatus": "in-progress", "Direction": "inbound",
                "ApiVersion": "2010-04-01", **extra}  # fmt: skip

    def turn(self, port: int) -> Turn:
        assert self.next is not None
        path, extra = self.next
        now = datetime.now(UTC)
        carried = _opened(path)
        reply = call_turn(
            Library([self.script]),
            self.state,
            now,
            digits=extra.get("Digits", ""),
            speech=extra.get("SpeechResult", ""),
            dial_status=extra.get("DialCallStatus"),
            via=carried.via if carried else "",
            offers=Offers(now, texting=False, dialling=True),
        )
        expected = voice.twiml(self.script, reply, _url_for_state, caller_id=HELPLINE)
        outcome = post(port, path, self.params(extra))
        self.turns += 1
        if outcome.status != 200:
            self.next = None
            return Turn(outcome)
        same = _shape(outcome.body) == _shape(expected.encode())
        self.state = reply.state
        self.next = None if (reply.ends or not same) else self._choose(outcome.body)
        return Turn(outcome, mismatch=not same)

    def _choose(self, body: bytes) -> tuple[str, dict] | None:
        """What the caller does next, at the URL Twilio would call."""
        root = ET.fromstring(body)
        dial, gather, redirect = root.find("Dial"), root.find("Gather"), root.find("Redirect")
        if dial is not None and dial.get("action"):
            return dial.get("action"), {"DialCallStatus": self.rng.choice(DIAL_STATUSES)}
        if gather is None:
            return (redirect.text, {}) if redirect is not None else None
        pick = self.rng.random()
        if pick < 0.55:
            return gather.get("action"), {"Digits": self.rng.choice(KEYS)}
        if pick < 0.85:
            said = self.rng.choice(self.words)
            return gather.get("action"), {"SpeechResult": said, "Confidence": "0.9"}
        return (redirect.text, {}) if redirect is not None else None  # silence


class Texter:
    def __init__(self, script: Script, rng: random.Random):
        self.script, self.rng = script, rng
        self.words = words_of(script) + [k for k in KEYS if k.isdigit()] * 4
        self.sender = _number(rng)
        self.state: State | None = None
        self.cookie: str | None = None
        self.turns = 0
        self.broken = False

    @property
    def over(self) -> bool:
        return self.broken or self.turns >= MAX_TURNS

    def turn(self, port: int) -> Turn:
        body = "hi" if self.turns == 0 else self.rng.choice(self.words)
        library = Library([self.script])
        expected = text_turn(library, self.state, body, datetime.now(UTC), idle_limit=IDLE)
        sid = "SM" + uuid.UUID(int=self.rng.getrandbits(128)).hex
        params = {"MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid,
                  "AccountSid": ACCOUNT, "From": self.sender, "To": HELPLINE, "Body": body,
                  "NumMedia": "0", "NumSegments": "1", "SmsStatus": "received",
                  "ApiVersion": "2010-04-01"}  # fmt: skip
        outcome = post(port, "/sms", params, self.cookie)
        self.turns += 1
        if outcome.status != 200:
            self.broken = True
            return Turn(outcome)
        message = ET.fromstring(outcome.body).find("Message")
        got = None if message is None else message.text
        want = None if expected.reply is None else expected.reply.text
        self.state, self.cookie = expected.state, outcome.cookie
        self.broken = got != want
        return Turn(outcome, mismatch=got != want)


# The server's key (drill.server starts it with SECRET), to open the URLs it seals.
_SEALER = Sealer([SECRET])


def _url_for_state(state: State, **query: str) -> str:
    return "/voice/next?" + urlencode({"s": _SEALER.seal(Carried(state, **query), "voice")})


def _opened(url: str) -> Carried | None:
    token = dict(parse_qsl(urlsplit(url.strip()).query)).get("s", "")
    return _SEALER.open(token, "voice")


def _url(url: str) -> tuple:
    """A URL as its path and what it carries, opened (each sealing is random), with the
    state's timestamp left out: it is the clock's."""
    carried = _opened(url)
    if carried is not None and carried.state is not None:
        carried = replace(carried, state=replace(carried.state, at=0))
    return urlsplit(url.strip()).path, carried


def _shape(xml: bytes) -> tuple:
    """TwiML as nested (tag, attributes, text), with every URL compared as _url does."""

    def walk(element: ET.Element) -> tuple:
        attributes = tuple(
            sorted((k, _url(v) if k == "action" else v) for k, v in element.attrib.items())
        )
        text = (element.text or "").strip()
        if element.tag == "Redirect":
            text = _url(text)
        return element.tag, attributes, text, tuple(walk(child) for child in element)

    return walk(ET.fromstring(xml))
