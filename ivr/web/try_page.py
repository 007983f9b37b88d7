"""GET /try: try the helpline in a browser, with this page playing the part of Twilio.

Registered only when IVR_DEVELOPMENT is on (see create_app), so production has no /try.

The page drives the app's real webhooks in-process, exactly as Twilio would: form-encoded
POSTs to /voice and /sms with Twilio's parameter names, signed with the auth token when
one is set, and the SMS cookie kept and sent back. It then acts out the TwiML that comes
back: the <Say> verbs a caller would hear, where a key press or silence goes next, the
<Message> a texter would read.

Nothing is kept on the server: both transcripts, the call's next URLs and the SMS cookie
round-trip in one hidden form field. The Flask session is not used because /sms keeps its
own position in that same cookie. Nothing typed here is logged by this module; the
webhooks log what they always log, privately.
"""

from __future__ import annotations

import json
import secrets
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie
from urllib.parse import quote_plus, urljoin

from flask import Blueprint, current_app, render_template, request
from twilio.request_validator import RequestValidator
from werkzeug.http import parse_date
from werkzeug.test import Client, TestResponse

from ivr.web.security import SIGNATURE_HEADER, public_root

bp = Blueprint("try", __name__, url_prefix="/try")

# The webhook paths a Twilio number is configured with (DESIGN.md, "Public interface").
VOICE_PATH = "/voice"
SMS_PATH = "/sms"
# Ofcom's drama numbers: reserved for fiction, so they can never reach a real phone.
CALLER = "+447700900123"
HELPLINE = "+447700900999"
API_VERSION = "2010-04-01"
CONFIDENCE = "0.92"  # Twilio sends one with every SpeechResult
KEYS = "123456789*0#"
KEY_NAMES = {"*": "star", "#": "hash"}
MAX_ENTRIES = 40
# The hidden state is sent back url-encoded with every POST; the app refuses bodies over
# 64 KiB, so keep it well under that with room for a long message beside it.
STATE_BUDGET = 40_000
MAX_BODY = 1600  # Twilio's limit for one incoming message
MAX_SPEECH = 500
MAX_REDIRECTS = 10  # Twilio would follow a <Redirect> loop forever; the page gives up
PICTURE_TYPE = "image/jpeg"
NO_REPLY = "(no reply: Twilio answers this word itself)"
APP_ERROR = "Twilio would play its own application-error message and hang up."
WHY = {
    403: " (it refused the request's Twilio signature)",
    404: " (nothing is served at that address)",
    413: " (the request was too large)",
}
WHO = ("you", "app", "note")  # who an entry is from: the person, the helpline, the stand-in
KINDS = ("text", "pause", "note")  # words said or texted, a <Pause>, a stand-in remark


@dataclass
class Call:
    """The call panel. `sid` is empty when no call is in progress."""

    sid: str = ""
    gather: str = ""  # the <Gather action> URL: where a key press or speech goes
    listen: str = ""  # the Gather's input: "dtmf", "speech" or both
    wait: str = ""  # the Gather's timeout in seconds, to show on the page
    silence: list = field(default_factory=list)  # what Twilio plays after a silent Gather...
    after_silence: str = ""  # ...then the <Redirect> it follows ("": the call ends)
    dial: str = ""  # the <Dial action> URL while a connected call is pretended
    log: list = field(default_factory=list)
    trimmed: bool = False


@dataclass
class Texts:
    """The SMS panel, with the cookies Twilio would keep for this From/To pair."""

    cookies: dict = field(default_factory=dict)
    log: list = field(default_factory=list)
    trimmed: bool = False


@dataclass
class Page:
    account: str
    texts: Texts
    call: Call


@dataclass
class Heard:
    """What Twilio would do with one voice TwiML document."""

    lines: list = field(default_factory=list)
    gather: str = ""
    listen: str = ""
    wait: str = ""
    silence: list = field(default_factory=list)
    after_silence: str = ""
    redirect: str = ""  # followed at once
    dial: str = ""
    ends: bool = False
    problem: str = ""  # the app's answer was not TwiML Twilio could play


@bp.get("")
def page():
    return _render(_fresh())


@bp.post("/text")
def text():
    page = _load(request.form.get("state", ""))
    body = request.form.get("body", "").replace("\r\n", "\n")  # browsers send CRLF
    picture = bool(request.form.get("picture"))
    problem = ""
    if not body.strip() and not picture:
        problem = "Type a message, or attach a picture."
    elif len(body) > MAX_BODY:
        problem = f"A text can be at most {MAX_BODY} characters; this one is {len(body)}."
    else:
        _send_text(page, body, picture)
    return _render(page, text_problem=problem, anchor="text-now")


@bp.post("/call")
def call():
    page = _load(request.form.get("state", ""))
    live = page.call
    do, key = request.form.get("do", ""), request.form.get("key", "")
    speech = " ".join(request.form.get("speech", "").split())
    problem = ""
    if do == "call":
        if live.sid:  # a second Call while one is live: the first is hung up
            _end_call(live, "You hang up.")
        _start_call(page)
    elif not live.sid:
        problem = "There is no call in progress: press Call first."
    elif do == "hangup":
        _end_call(live, "You hang up. The call has ended.")
    elif do == "dial-ends" and live.dial:
        _you(live, "The connected call ends, and the helpline takes the call back.")
        extra = {"DialCallStatus": "completed", "DialCallSid": _sid("CA")}
        _voice_turn(page, live.dial, {**extra, "DialCallDuration": "30"})
    elif not live.gather:
        problem = "The helpline is not listening for a key or speech right now."
    elif key:
        if key not in KEYS or "dtmf" not in live.listen:
            problem = "Press one of the keys on the keypad."
        else:
            _you(live, f"You press {KEY_NAMES.get(key, key)}.")
            _voice_turn(page, live.gather, {"Digits": key})
    elif do == "say":
        if not speech or "speech" not in live.listen:
            problem = "Type what you would say, then press Say."
        elif len(speech) > MAX_SPEECH:
            problem = f"Say at most {MAX_SPEECH} characters at a time."
        else:
            _you(live, f"You say: {speech}")
            _voice_turn(page, live.gather, {"SpeechResult": speech, "Confidence": CONFIDENCE})
    elif do == "silence":
        _you(live, "You stay silent.")
        _silence(page)
    else:
        problem = "That button is not one this page knows."
    return _render(page, call_problem=problem, anchor="call-now")


# --- the page's state, round-tripping in a hidden field ---------------------------------


def _fresh() -> Page:
    return Page(account=_sid("AC"), texts=Texts(), call=Call())


def _sid(prefix: str) -> str:
    """A Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


def _load(raw: str) -> Page:
    """The state from the hidden field; anything unreadable starts afresh, never a 500."""
    try:
        data = json.loads(raw)
        texts, call = data["texts"], data["call"]
        return Page(
            account=_string(data["account"]),
            texts=Texts(
                cookies={_cookie(k, "=;\r\n"): _cookie(v) for k, v in texts["cookies"].items()},
                log=_entries(texts["log"]),
                trimmed=texts["trimmed"] is True,
            ),
            call=Call(
                **{name: _string(call[name]) for name in ("sid", "gather", "listen", "wait")},
                silence=_lines(call["silence"]),
                after_silence=_string(call["after_silence"]),
                dial=_string(call["dial"]),
                log=_entries(call["log"]),
                trimmed=call["trimmed"] is True,
            ),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return _fresh()


def _string(value) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _cookie(value, forbidden: str = ";\r\n") -> str:
    # It goes back into a Cookie header, so nothing that could end or split one.
    if any(c in _string(value) for c in forbidden):
        raise ValueError("not a cookie name or value")
    return value


def _entries(value) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list of entries")
    entries = []
    for entry in value:
        if entry["who"] not in WHO:
            raise ValueError("unknown speaker")
        entries.append({"who": entry["who"], "lines": _lines(entry["lines"])})
    return entries


def _lines(value) -> list:
    if not isinstance(value, list):
        raise TypeError("expected a list of lines")
    lines = []
    for kind, words in value:
        if kind not in KINDS:
            raise ValueError("unknown kind of line")
        lines.append([kind, _string(words)])
    return lines


def _dump(page: Page) -> str:
    """The hidden field's value, trimming the oldest entries to keep POSTs small."""
    for panel in (page.call, page.texts):
        if len(panel.log) > MAX_ENTRIES:
            del panel.log[:-MAX_ENTRIES]
            panel.trimmed = True
    while True:
        raw = json.dumps(asdict(page), separators=(",", ":"))
        longer = max((page.call, page.texts), key=lambda panel: len(json.dumps(panel.log)))
        if len(quote_plus(raw)) <= STATE_BUDGET or not longer.log:
            return raw
        del longer.log[0]
        longer.trimmed = True


def _render(page: Page, *, text_problem: str = "", call_problem: str = "", anchor: str = ""):
    state = _dump(page)  # first, so what is shown is what was kept
    return render_template(
        "try.html",
        page=page,
        state=state,
        text_problem=text_problem,
        call_problem=call_problem,
        anchor=anchor,
        text_now=_latest(page.texts.log) if anchor == "text-now" else -1,
        call_now=_latest(page.call.log) if anchor == "call-now" else -1,
        caller=CALLER,
        helpline=HELPLINE,
        keys=KEYS,
        key_names=KEY_NAMES,
        max_body=MAX_BODY,
        max_speech=MAX_SPEECH,
    )


def _latest(log: list) -> int:
    """Where the newest turn starts (the person's last entry), for the page to scroll to."""
    for i in range(len(log) - 1, -1, -1):
        if log[i]["who"] == "you":
            return i
    return len(log) - 1


def _you(call: Call, words: str) -> None:
    call.log.append({"who": "you", "lines": [["text", words]]})


# --- talking to the app as Twilio does ---------------------------------------------------


def _base() -> str:
    """Where Twilio would reach this app; signatures are checked against this address."""
    return public_root(request, current_app.extensions["ivr"].settings.public_base_url)


def _app_path(url: str) -> str | None:
    """The path and query of `url` on this app, or None if it points anywhere else."""
    base = _base()
    return url[len(base) :] if url.startswith(base + "/") else None


def _post(path: str, params: dict[str, str], cookies: dict | None = None) -> TestResponse:
    """POST to one of the app's own webhooks, in-process, signed as Twilio signs it."""
    headers = {"User-Agent": "TwilioProxy/1.1"}
    token = current_app.extensions["ivr"].settings.auth_token
    if token:
        url = _base() + path
        headers[SIGNATURE_HEADER] = RequestValidator(token).compute_signature(url, params)
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    # Cookies are handled by hand, as Twilio's per-From/To store, so the client keeps none.
    client = Client(current_app.wsgi_app, use_cookies=False)
    response = client.post(path, base_url=request.host_url, data=params, headers=headers)
    response.get_data()  # read it all before the response is closed
    response.close()
    return response


def _failed(response: TestResponse) -> str:
    return f"The app answered HTTP {response.status_code}{WHY.get(response.status_code, '')}."


def _twiml(response: TestResponse) -> ET.Element | None:
    """The TwiML document in a response, or None when it is not one."""
    try:
        root = ET.fromstring(response.get_data())
    except ET.ParseError:
        return None
    return root if root.tag == "Response" else None


# --- SMS --------------------------------------------------------------------------------


def _send_text(page: Page, body: str, picture: bool) -> None:
    texts = page.texts
    sid = _sid("MM" if picture else "SM")  # Twilio's SIDs for a message with media start MM
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": page.account,
        "From": CALLER,
        "To": HELPLINE,
        "Body": body,
        "NumMedia": "1" if picture else "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
    }
    lines = [["text", body]] if body else []
    if picture:
        # Only the shape of an attachment: .invalid addresses never resolve, so nothing
        # could be fetched even if something tried.
        params["MediaContentType0"] = PICTURE_TYPE
        params["MediaUrl0"] = (
            f"https://example.invalid/{API_VERSION}/Accounts/{page.account}"
            f"/Messages/{sid}/Media/{_sid('ME')}"
        )
        lines.append(["note", "A picture is attached (a pretend one: no picture is sent)."])
    texts.log.append({"who": "you", "lines": lines})
    response = _post(SMS_PATH, params, texts.cookies)
    texts.cookies = _kept_cookies(texts.cookies, response.headers.getlist("Set-Cookie"))
    texts.log.append(_reply(response))


def _reply(response: TestResponse) -> dict:
    """The transcript entry for the app's answer to a text."""
    if response.status_code != 200:
        return {"who": "note", "lines": [["note", _failed(response) + " No reply is sent."]]}
    root = _twiml(response)
    if root is None:
        return {"who": "note", "lines": [["note", "The app's answer is not TwiML: no reply."]]}
    lines = []
    for verb in root:
        if verb.tag != "Message":
            lines.append(["note", f"(a <{verb.tag}> verb, which this page does not act out)"])
            continue
        body = verb.find("Body")
        lines.append(["text", "".join((verb if body is None else body).itertext())])
        if verb.find("Media") is not None:
            lines.append(["note", "(with a picture attached)"])
    if not lines:
        return {"who": "note", "lines": [["note", NO_REPLY]]}
    return {"who": "app", "lines": lines}


def _kept_cookies(jar: dict, headers: list[str]) -> dict:
    """The cookie store after a response's Set-Cookie headers, as Twilio keeps it."""
    jar = dict(jar)
    now = datetime.now(UTC)
    for header in headers:
        parsed = SimpleCookie()
        try:
            parsed.load(header)
        except CookieError:
            continue  # a browser would ignore a cookie it cannot read; so does Twilio
        for name, morsel in parsed.items():
            max_age, expires = morsel["max-age"], parse_date(morsel["expires"] or None)
            gone = (str(max_age).lstrip("-").isdigit() and int(max_age) <= 0) or (
                expires is not None and expires <= now
            )
            if gone:
                jar.pop(name, None)
            else:
                jar[name] = morsel.coded_value  # sent back exactly as it came
    return jar


# --- voice ------------------------------------------------------------------------------


def _call_params(page: Page, status: str) -> dict[str, str]:
    return {
        "CallSid": page.call.sid,
        "AccountSid": page.account,
        "From": CALLER,
        "To": HELPLINE,
        "Caller": CALLER,
        "Called": HELPLINE,
        "CallStatus": status,
        "Direction": "inbound",
        "ApiVersion": API_VERSION,
    }


def _start_call(page: Page) -> None:
    page.call.sid = _sid("CA")
    _you(page.call, f"You call the helpline from {CALLER}.")
    _voice_turn(page, _base() + VOICE_PATH, {}, status="ringing")


def _silence(page: Page) -> None:
    """Nothing pressed or said: Twilio falls through the Gather to what follows it."""
    call = page.call
    if call.silence:
        call.log.append({"who": "app", "lines": call.silence})
    if call.after_silence:
        _voice_turn(page, call.after_silence, {})
    else:
        _end_call(call, "Twilio reaches the end of the instructions and hangs up.")


def _voice_turn(page: Page, url: str, extra: dict, status: str = "in-progress") -> None:
    """Ask the app for the TwiML at `url` and act it out, following any <Redirect>."""
    call = page.call
    for _ in range(MAX_REDIRECTS):
        path = _app_path(url)
        if path is None:
            _end_call(call, f"The app sent the call to {url}, outside this app; the page stops.")
            return
        heard = _hear(_post(path, {**_call_params(page, status), **extra}), url)
        if heard.lines:
            call.log.append({"who": "app", "lines": heard.lines})
        if heard.problem:
            _end_call(call, heard.problem)
            return
        if heard.redirect:
            url, extra, status = heard.redirect, {}, "in-progress"
            continue
        call.gather, call.listen, call.wait = heard.gather, heard.listen, heard.wait
        call.silence, call.after_silence = heard.silence, heard.after_silence
        call.dial = heard.dial
        if heard.ends:
            _end_call(call, "The helpline hangs up. The call has ended.")
        return
    _end_call(call, f"The app redirected the call {MAX_REDIRECTS} times in a row; the page stops.")


def _end_call(call: Call, words: str) -> None:
    call.log.append({"who": "note", "lines": [["note", words]]})
    call.sid = call.gather = call.listen = call.wait = call.after_silence = call.dial = ""
    call.silence = []


def _hear(response: TestResponse, url: str) -> Heard:
    if response.status_code != 200:
        return Heard(problem=f"{_failed(response)} {APP_ERROR}")
    root = _twiml(response)
    if root is None:
        return Heard(problem=f"The app's answer is not TwiML. {APP_ERROR}")
    return _act_out(list(root), url)


def _act_out(verbs: list[ET.Element], url: str) -> Heard:
    """Play verbs in order as Twilio would, up to the first one that waits or moves on.

    Relative URLs resolve against `url`, the document's own address, as Twilio's do.
    """
    heard = Heard()
    for i, verb in enumerate(verbs):
        if verb.tag in ("Say", "Pause"):
            heard.lines.append(_said(verb))
        elif verb.tag == "Gather":
            heard.lines += [_said(v) for v in verb if v.tag in ("Say", "Pause")]
            heard.gather = urljoin(url, verb.get("action") or url)  # default: this document
            heard.listen = verb.get("input", "dtmf")
            heard.wait = verb.get("timeout", "5")
            if verb.get("actionOnEmptyResult") == "true":
                heard.after_silence = heard.gather
            else:
                # Silence falls through to the verbs after the Gather (here, a Redirect).
                rest = _act_out(verbs[i + 1 :], url)
                heard.silence, heard.after_silence = rest.lines, rest.redirect
            return heard
        elif verb.tag == "Redirect":
            heard.redirect = urljoin(url, (verb.text or "").strip() or url)
            return heard
        elif verb.tag in ("Hangup", "Reject"):
            heard.ends = True
            return heard
        elif verb.tag == "Dial":
            number = " ".join("".join(verb.itertext()).split())
            heard.lines.append(["note", f"The call would be connected to {number}."])
            if verb.get("action"):
                heard.dial = urljoin(url, verb.get("action"))
                return heard
            # With no action, Twilio carries on with the next verb once that call ends.
        else:
            heard.lines.append(["note", f"(a <{verb.tag}> verb, which this page does not act out)"])
    heard.ends = True  # out of instructions: Twilio hangs up
    return heard


def _said(verb: ET.Element) -> list[str]:
    if verb.tag == "Pause":
        return ["pause", verb.get("length", "1")]
    return ["text", " ".join("".join(verb.itertext()).split())]
