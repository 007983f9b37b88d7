"""Twilio's part, played in-process: requests to the app's real webhooks, TwiML acted out.

Form-encoded POSTs to /voice and /sms with Twilio's parameter names (NumSegments worked
out from the text with ivr.gsm7, as the network would), signed with the auth token when
one is set, and the SMS cookie kept and sent back as Twilio keeps it per From/To pair.
The TwiML that comes back is read by `ivr.channels.twiml_reader`, the same reader the
tests use. Each entry the app answers with records, for the operator, the node the
conversation reached, the request sent and the TwiML received.
"""

from __future__ import annotations

from datetime import UTC, datetime
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlencode, urlsplit

from flask import current_app, request
from twilio.request_validator import RequestValidator
from werkzeug.http import parse_date
from werkzeug.test import Client, TestResponse

from ivr import gsm7
from ivr import whatsapp as menus
from ivr.channels import twiml_reader
from ivr.engine import State
from ivr.web import cookie, voice
from ivr.web import whatsapp as wa
from ivr.web.security import SIGNATURE_HEADER, public_root
from ivr.web.try_page.state import Call, Chat, Page, sid

# The webhook paths a Twilio number is configured with (`ivr configure-number` sets them).
VOICE_PATH = "/voice"
SMS_PATH = "/sms"
# Ofcom's drama numbers: reserved for fiction, so they can never reach a real phone.
CALLER = "+447700900123"
HELPLINE = "+447700900999"
API_VERSION = "2010-04-01"
CONFIDENCE = "0.92"  # Twilio sends one with every SpeechResult
PICTURE_TYPE = "image/jpeg"
MAX_REDIRECTS = 10  # Twilio would follow a <Redirect> loop forever; the page gives up
NO_REPLY = "(no reply: Twilio answers this word itself)"
API_SENT = "(the reply went through Twilio's Messages API as a menu to tap: the TwiML is empty)"
APP_ERROR = "Twilio would play its own application-error message and hang up."
WHY = {
    403: " (it refused the request's Twilio signature)",
    404: " (nothing is served at that address)",
    413: " (the request was too large)",
}


def base() -> str:
    """Where Twilio would reach this app; signatures are checked against this address."""
    return public_root(request, current_app.extensions["ivr"].settings.public_base_url)


def app_path(url: str) -> str | None:
    """The path and query of `url` on this app, or None if it points anywhere else."""
    root = base()
    return url[len(root) :] if url.startswith(root + "/") else None


def webhook_path(path: str, page: Page) -> str:
    """A webhook's path, asking for the page's script as a number configured for it would."""
    return f"{path}?{urlencode({'script': page.script})}" if page.script else path


def post(path: str, params: dict[str, str], cookies: dict | None = None):
    """POST to one of the app's own webhooks, in-process, signed as Twilio signs it.
    Returns the response and the request written out for the operator."""
    headers = {"User-Agent": "TwilioProxy/1.1"}
    token = current_app.extensions["ivr"].settings.auth_token
    if token:
        url = base() + path
        headers[SIGNATURE_HEADER] = RequestValidator(token).compute_signature(url, params)
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    # Cookies are handled by hand, as Twilio's per-From/To store, so the client keeps none.
    client = Client(current_app.wsgi_app, use_cookies=False)
    response = client.post(path, base_url=request.host_url, data=params, headers=headers)
    response.get_data()  # read it all before the response is closed
    response.close()
    written = [f"POST {base()}{path}"]
    written += [f"{name}: {value}" for name, value in headers.items()]
    written += ["", *(f"{name}={value}" for name, value in params.items())]
    return response, "\n".join(written)


def failed(response: TestResponse) -> str:
    return f"The app answered HTTP {response.status_code}{WHY.get(response.status_code, '')}."


def text_facts(text: str) -> str:
    """What a text costs: characters, encoding and segments, as the network counts them."""
    odd = gsm7.not_gsm7(text)
    encoding = "GSM-7" if not odd else f"UCS-2, because of {gsm7.describe(odd[:3])}"
    count = gsm7.segments(text)
    return (
        f"{len(text)} character{'' if len(text) == 1 else 's'}, {encoding}, "
        f"{count} segment{'' if count == 1 else 's'}"
    )


# --- SMS --------------------------------------------------------------------------------


def send_text(page: Page, body: str, picture: bool) -> None:
    texts = page.texts
    message = sid("MM" if picture else "SM")  # Twilio's SIDs for a message with media: MM
    params = {
        "MessageSid": message,
        "SmsSid": message,
        "SmsMessageSid": message,
        "AccountSid": page.account,
        "From": CALLER,
        "To": HELPLINE,
        "Body": body,
        "NumMedia": "1" if picture else "0",
        "NumSegments": str(gsm7.segments(body)),
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
            f"/Messages/{message}/Media/{sid('ME')}"
        )
        lines.append(["note", "A picture is attached (a pretend one: no picture is sent)."])
    texts.log.append({"who": "you", "lines": lines, "meta": text_facts(body)})
    response, sent = post(webhook_path(SMS_PATH, page), params, texts.cookies)
    texts.cookies = kept_cookies(texts.cookies, response.headers.getlist("Set-Cookie"))
    entry = reply(response)
    texts.node = _sms_node(texts.cookies) or ""
    if texts.node:
        entry["node"] = texts.node
        entry["language"] = _sms_language(texts.cookies)
    entry["request"], entry["twiml"] = sent, response.get_data(as_text=True)
    texts.log.append(entry)


def reply(response: TestResponse) -> dict:
    """The transcript entry for the app's answer to a text."""
    if response.status_code != 200:
        return {"who": "note", "lines": [["note", failed(response) + " No reply is sent."]]}
    try:
        messages = twiml_reader.read_messages(response.get_data())
    except twiml_reader.NotTwiml:
        return {"who": "note", "lines": [["note", "The app's answer is not TwiML: no reply."]]}
    lines, facts = [], []
    for message in messages:
        if isinstance(message, str):
            lines.append(["note", message])
            continue
        lines.append(["text", message.text])
        facts.append(text_facts(message.text))
        if message.media:
            lines.append(["note", "(with a picture attached)"])
    if not lines:
        return {"who": "note", "lines": [["note", NO_REPLY]]}
    entry = {"who": "app", "lines": lines}
    if facts:
        entry["meta"] = "; ".join(facts)
    return entry


def _sms_node(cookies: dict) -> str | None:
    """Where the texter is, opened from the app's own sealed SMS cookie (the page runs
    inside the app, so it holds the key; Twilio never does)."""
    saved = current_app.extensions["ivr"].sealer.open(cookies.get(cookie.NAME), cookie.USE)
    return saved.state.node if saved and saved.state else None


def _sms_language(cookies: dict) -> str:
    """The conversation's language, as its cookie carries it ("" for the source)."""
    saved = current_app.extensions["ivr"].sealer.open(cookies.get(cookie.NAME), cookie.USE)
    return saved.state.language if saved and saved.state else ""


def kept_cookies(jar: dict, headers: list[str]) -> dict:
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


# --- WhatsApp ---------------------------------------------------------------------------


def send_whatsapp(page: Page, body: str, tap: list | None = None, voice_note: bool = False):
    """A WhatsApp message, or a tap on the last reply's menu (`tap`: [label, id, line]),
    with the parameters Twilio sends for one: a tap names the id its template gave the
    choice, as ButtonPayload (buttons) or ListId (a list), with its label as the Body."""
    chat = page.whatsapp
    message = sid("MM" if voice_note else "SM")
    params = {
        "MessageSid": message,
        "SmsMessageSid": message,
        "AccountSid": page.account,
        "From": wa.PREFIX + CALLER,
        "To": wa.PREFIX + HELPLINE,
        "Body": tap[0] if tap else body,
        "NumMedia": "1" if voice_note else "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": API_VERSION,
        "ProfileName": "Try page",  # the person's WhatsApp name: the app never reads it
        "WaId": CALLER.removeprefix("+"),
    }
    if tap:
        named = ("ListId", "ListTitle") if chat.kind == "list" else ("ButtonPayload", "ButtonText")
        params.update({named[0]: tap[1], named[1]: tap[0]})
        lines = [["note", f"You tap '{tap[0]}'."]]
    else:
        lines = [["text", body]] if body else []
    if voice_note:
        params["MediaContentType0"] = "audio/ogg"
        params["MediaUrl0"] = f"https://example.invalid/{API_VERSION}/Media/{sid('ME')}"
        lines.append(["note", "A voice note is attached (a pretend one: nothing is sent)."])
    chat.log.append({"who": "you", "lines": lines})
    response, sent = post(webhook_path(SMS_PATH, page), params)
    entry = reply(response)
    if entry["lines"] == [["note", NO_REPLY]]:
        entry["lines"] = [["note", API_SENT]]
    _menu(chat)
    if chat.node:
        entry["node"] = chat.node
    entry["request"], entry["twiml"] = sent, response.get_data(as_text=True)
    chat.log.append(entry)


def forget_whatsapp() -> None:
    wa.forget(wa.PREFIX + CALLER)


def _menu(chat: Chat) -> None:
    """Where the conversation is now (the app's own place for this sender, opened: the
    page runs in the app), and the menu a template would show there."""
    carried = wa.place(wa.PREFIX + CALLER)
    state = carried.state if carried else None
    chat.node, chat.kind, chat.button, chat.taps = (state.node if state else ""), "", "", []
    script = current_app.extensions["ivr"].library.get(state.script) if state else None
    if script is None or state.node not in script.nodes:
        return
    menu = menus.plan(script, state.node, state.step)
    if isinstance(menu, menus.Menu):
        ids = current_app.extensions["ivr"].whatsapp.tappable.ids
        chat.kind = "list" if menu.kind == menus.LIST else "buttons"
        chat.button = menu.button
        chat.taps = [[i.label, ids.id_for(script.id, i.ref), i.description] for i in menu.items]


# --- voice ------------------------------------------------------------------------------


def call_params(page: Page, status: str) -> dict[str, str]:
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


def you(call: Call, words: str) -> None:
    call.log.append({"who": "you", "lines": [["text", words]]})


def start_call(page: Page) -> None:
    page.call.sid = sid("CA")
    you(page.call, f"You call the helpline from {CALLER}.")
    voice_turn(page, base() + webhook_path(VOICE_PATH, page), {}, status="ringing")


def silence(page: Page) -> None:
    """Nothing pressed or said: Twilio falls through the Gather to what follows it."""
    call = page.call
    if call.silence:
        call.log.append({"who": "app", "lines": call.silence})
    if call.after_silence:
        voice_turn(page, call.after_silence, {})
    else:
        end_call(call, "Twilio reaches the end of the instructions and hangs up.")


def voice_turn(page: Page, url: str, extra: dict, status: str = "in-progress") -> None:
    """Ask the app for the TwiML at `url` and act it out, following any <Redirect>."""
    call = page.call
    for _ in range(MAX_REDIRECTS):
        path = app_path(url)
        if path is None:
            end_call(call, f"The app sent the call to {url}, outside this app; the page stops.")
            return
        response, sent = post(path, {**call_params(page, status), **extra})
        heard, problem = _hear(response, url)
        entry = {"who": "app", "lines": heard.lines if heard else []}
        if heard:
            state = _voice_state(heard.gather_url or heard.redirect_url or heard.dial)
            call.node = state.node if state else call.node
            if state:
                entry["node"], entry["language"] = state.node, state.language
        if not entry["lines"]:
            entry = {**entry, "who": "note", "lines": [["note", "(nothing is said)"]]}
        entry["request"], entry["twiml"] = sent, response.get_data(as_text=True)
        call.log.append(entry)
        if problem:
            end_call(call, problem)
            return
        if heard.redirect_url and heard.gather is None:
            url, extra, status = heard.redirect_url, {}, "in-progress"
            continue
        call.gather, call.listen, call.wait = heard.gather_url, heard.listen, heard.wait
        call.silence, call.after_silence = heard.silence, heard.after_silence
        call.dial = heard.dial
        if heard.ends:
            end_call(call, "The helpline hangs up. The call has ended.")
        return
    end_call(call, f"The app redirected the call {MAX_REDIRECTS} times in a row; the page stops.")


def end_call(call: Call, words: str) -> None:
    call.log.append({"who": "note", "lines": [["note", words]]})
    call.sid = call.gather = call.listen = call.wait = call.after_silence = call.dial = ""
    call.silence = []


def _hear(response: TestResponse, url: str):
    """The acted-out TwiML, or None and why Twilio could not play it."""
    if response.status_code != 200:
        return None, f"{failed(response)} {APP_ERROR}"
    try:
        return twiml_reader.read_voice(response.get_data(), url), ""
    except twiml_reader.NotTwiml:
        return None, f"The app's answer is not TwiML. {APP_ERROR}"


def _voice_state(url: str) -> State | None:
    """Where the call is (its node and language), opened from the sealed state in the
    app's own next URL."""
    token = parse_qs(urlsplit(url).query).get(voice.STATE, [""])[0]
    saved = current_app.extensions["ivr"].sealer.open(token, voice.USE)
    return saved.state if saved and saved.state else None
