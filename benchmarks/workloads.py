"""The requests the benchmark measures, built for both apps and signed as Twilio signs.

    voice first turn               POST /voice for a new call
    voice mid-call turn            a key pressed in the middle of the steps
    voice spoken sentence          a sentence said at the first menu, as SpeechResult
    sms first text                 a first text ("Hello"), no cookie yet
    sms keyword mid-conversation   a keyword texted with the cookie of a conversation
    sms text of 20 characters      ordinary words, at the main menu
    sms text of 160 characters     a crisis sentence (one segment), at the main menu
    sms text of 1,600 characters   a long rambling message with its meaning in the middle
                                   (Twilio's limit), at the main menu

Keys and keywords are what the menus offer; the rest is what people send instead:
free text of every length, and speech. Mid-conversation requests are found by having
the conversation for real (through WSGI, in this process): the Gather action URL after
a turn or two, the cookie after a first text. Replaying one of them is the same turn
each time, as a caller pressing the same key or a texter sending the same words.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlencode, urlsplit

from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder

TOKEN = "bench-auth-token-0123456789abcdef"
SECRET = "bench-secret-key-0123456789abcdef"
ACCOUNT = "AC" + "0" * 32
HELPLINE = "+447700900999"  # Ofcom's drama range: numbers that never belong to anyone
CALLER = "+447700900123"
IN_PROCESS = "http://localhost"

WORKLOADS = (
    "voice first turn",
    "voice mid-call turn",
    "voice spoken sentence",
    "sms first text",
    "sms keyword mid-conversation",
    "sms text of 20 characters",
    "sms text of 160 characters",
    "sms text of 1,600 characters",
)

# What people send. Twilio's SpeechResult carries punctuation and capitals.
SPOKEN = "I think I clicked the link. What should I do now?"
ORDINARY = "what should i do now"  # 20
CRISIS = (  # 160: one segment
    "He says he'll send the photo to everyone I know tonight unless I pay. I can't "
    "breathe. I don't want to be here anymore, I can't face anyone after this. Help me."
)
RAMBLING = (  # 1,600: the most Twilio delivers as one message; the meaning is in the middle
    "Sorry this is going to be long, I don't really know how to start and my hands are "
    "shaking a bit so bear with me. So last night I was on my phone in bed scrolling like "
    "normal, nothing unusual, and I had a few messages from people I follow and a couple "
    "of group chats going about the weekend and a friend's birthday and who was bringing "
    "what. Then around midnight I got a message from an account I didn't recognise, it had "
    "a profile picture of a girl and a name that sounded normal enough, and it said "
    "something like hey is this you, with a link underneath. It said the link was a photo "
    "of me, an intimate one, and that loads of people had already seen it. I panicked and "
    "without thinking I clicked the link and it opened a page that asked me to log in, and "
    "I think I typed my password before I realised what was happening. Then the page went "
    "blank and the account stopped replying. I haven't slept much since. My mum keeps "
    "asking if I'm alright because I've been quiet at breakfast and I just said I was "
    "tired from work. I don't want anyone at work to find out, I've only been there a few "
    "months and I really like it. I've been going over and over it in my head, whether "
    "the photo is even real, whether I ever sent anything to anyone, and I honestly can't "
    "remember anything like that. My friend said it happened to her cousin last year and "
    "it turned out to be nothing, but I keep thinking about it every few minutes anyway. "
    "I'm so sorry for writing so much, I just didn't know who else to tell and I saw this "
    "number on a website. Thank you for reading all of it, even if nobody replies at all "
    "tonight."
)
TEXTS = {  # workload: what is texted mid-conversation, at the main menu
    "sms text of 20 characters": ORDINARY,
    "sms text of 160 characters": CRISIS,
    "sms text of 1,600 characters": RAMBLING,
}

WsgiApp = Callable


@dataclass(frozen=True)
class Request:
    """One Twilio webhook request: where it goes, its form, and the cookie it carries."""

    path: str  # with its query string
    params: dict[str, str]
    cookie: str = ""
    signatures: dict = field(default_factory=dict, compare=False, repr=False)

    def signature(self, base: str) -> str:
        if base not in self.signatures:
            validator = RequestValidator(TOKEN)
            self.signatures[base] = validator.compute_signature(base + self.path, self.params)
        return self.signatures[base]

    def headers(self, base: str) -> dict[str, str]:
        headers = {"X-Twilio-Signature": self.signature(base)}
        if self.cookie:
            headers["Cookie"] = self.cookie
        return headers

    def environ(self) -> tuple[dict, bytes]:
        """A WSGI environ as a server would make it (without its body) and the body."""
        url = urlsplit(self.path)
        builder = EnvironBuilder(
            path=url.path,
            query_string=url.query,
            base_url=IN_PROCESS,
            method="POST",
            data=self.params,
            headers=self.headers(IN_PROCESS),
        )
        try:
            environ = builder.get_environ()
        finally:
            builder.close()
        return environ, environ["wsgi.input"].read()

    def http(self, host: str, port: int) -> bytes:
        """The request as raw HTTP/1.1 bytes, keeping the connection open."""
        body = urlencode(self.params).encode()
        lines = [
            f"POST {self.path} HTTP/1.1",
            f"Host: {host}:{port}",
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(body)}",
            "User-Agent: TwilioProxy/1.1",
            *(f"{k}: {v}" for k, v in self.headers(f"http://{host}:{port}").items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def call_params(**extra: str) -> dict[str, str]:
    return {
        "CallSid": "CA" + uuid.uuid4().hex,
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": HELPLINE,
        "Caller": CALLER,
        "Called": HELPLINE,
        "CallStatus": "in-progress",
        "Direction": "inbound",
        "ApiVersion": "2010-04-01",
        **extra,
    }


def sms_params(body: str) -> dict[str, str]:
    sid = "SM" + uuid.uuid4().hex
    segments = 1 if len(body) <= 160 else -(-len(body) // 153)  # GSM-7, joined parts
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": ACCOUNT,
        "From": CALLER,
        "To": HELPLINE,
        "Body": body,
        "NumMedia": "0",
        "NumSegments": str(segments),
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }


def serve(app: WsgiApp, request: Request) -> tuple[str, dict[str, str], bytes]:
    """Call a WSGI app once, as a server would: status, headers and body."""
    environ, body = request.environ()
    environ["wsgi.input"] = io.BytesIO(body)
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    result = app(environ, start_response)
    try:
        data = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    if not answer["status"].startswith("200"):
        raise RuntimeError(f"{request.path} answered {answer['status']}, not 200.")
    return answer["status"], answer["headers"], data


def readers(app) -> dict[str, Callable[[], object]]:
    """For each workload that sends words, reading them alone as the helpline's turn does:
    at the main menu, on the workload's channel."""
    from ivr import understanding

    script = app.extensions["ivr"].library.default
    main = script.roles["main"]
    sms, voice = understanding.for_script(script, "sms"), understanding.for_script(script, "voice")
    found: dict[str, Callable[[], object]] = {
        "voice spoken sentence": partial(voice.read, SPOKEN, main)
    }
    for workload, text in TEXTS.items():
        found[workload] = partial(sms.read, text, main)
    return found


def reply_sizes(app, requests: dict[str, Request]) -> dict[str, int]:
    """The bytes of each workload's reply body, as the app answers it."""
    return {workload: len(serve(app, request)[2]) for workload, request in requests.items()}


def _gather_action(body: bytes) -> str:
    gather = ET.fromstring(body).find("Gather")
    if gather is None:
        raise RuntimeError("The voice reply has no <Gather> to continue the call from.")
    return gather.attrib["action"]


def _cookie(headers: dict[str, str]) -> str:
    return headers["Set-Cookie"].split(";", 1)[0]


def helpline_requests(app) -> dict[str, Request]:
    """The workloads for the helpline app (a Flask app from ivr.web.create_app)."""
    script = app.extensions["ivr"].library.default
    steps = script.roles.get("steps")
    keyed = [o for o in script.main.options if o.key and "voice" in o.channels]
    worded = [o for o in script.main.options if "sms" in o.channels]
    # The option to the steps where the main menu has one, else its first option.
    to_steps = next((o for o in keyed if o.target == steps), keyed[0])
    keyword = next((o for o in worded if o.target == steps), worded[0]).keyword

    first_call = Request("/voice", call_params(CallStatus="ringing"))
    _, _, body = serve(app, first_call)
    at_main = _gather_action(body)
    _, _, body = serve(app, Request(at_main, call_params(Digits=to_steps.key)))
    mid_call = Request(_gather_action(body), call_params(Digits=script.next_control.key))
    return _with_texts(app, first_call, mid_call, at_main, keyword)


def minimal_requests(app) -> dict[str, Request]:
    """The same workloads for the minimal webhook."""
    first_call = Request("/voice", call_params(CallStatus="ringing"))
    mid_call = Request("/voice/next?s=2", call_params(Digits="1"))
    return _with_texts(app, first_call, mid_call, "/voice/next?s=1", "STEPS")


def _with_texts(app, first_call: Request, mid_call: Request, at_main: str, keyword: str):
    """Every workload, from the two calls' requests: the rest is said or texted."""
    spoken = Request(at_main, call_params(SpeechResult=SPOKEN, Confidence="0.91"))
    first_text = Request("/sms", sms_params("Hello"))
    _, headers, _ = serve(app, first_text)
    cookie = _cookie(headers)
    requests = {
        "voice first turn": first_call,
        "voice mid-call turn": mid_call,
        "voice spoken sentence": spoken,
        "sms first text": first_text,
        "sms keyword mid-conversation": Request("/sms", sms_params(keyword), cookie),
        **{name: Request("/sms", sms_params(text), cookie) for name, text in TEXTS.items()},
    }
    return {workload: requests[workload] for workload in WORKLOADS}
