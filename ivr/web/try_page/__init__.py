"""GET /try: try any served script in a browser, with this page playing the part of Twilio.

Registered only when IVR_DEVELOPMENT is on (see create_app), so production has no /try.

    GET  /                  leads to /try: the address dev.py run prints first
    GET  /try[?script=ID]   a fresh page (the chooser lists every script served)
    POST /try/text          send a text            POST /try/call   call, press, say...
    POST /try/whatsapp      a WhatsApp message, or a tap on the last reply's menu
    POST /try/restart       start again (asking first), or play another script

The page drives the app's real webhooks in-process, exactly as Twilio would (see
`stand_in`), and shows what a caller would hear and a texter would read. For the
operator, each turn shows the node it reached, what a text costs (characters, encoding,
segments), and on request the request sent and the TwiML received; below the
conversations is the script's flow on each channel with where the call and the texts
are now, laid out on the server by Graphviz as SVG (no script from the internet), and
the same flow as a plain list, which narrow screens show instead (and every screen,
where Graphviz is not installed). Nothing is kept on the server (see
`state`). Nothing typed here is logged by this module; the webhooks log what they always
log, privately.

    state.py      the page's state, round-tripping in one hidden field
    stand_in.py   Twilio's part: signed webhook requests, TwiML acted out, SMS cookies
"""

from __future__ import annotations

import contextlib

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from ivr import graph
from ivr.script import SMS, VOICE, WHATSAPP
from ivr.web.try_page import stand_in
from ivr.web.try_page.state import Page, dump, fresh, load

bp = Blueprint("try", __name__, url_prefix="/try")
home = Blueprint("home", __name__)  # only in development, like /try itself

KEYS = "123456789*0#"
KEY_NAMES = {"*": "star", "#": "hash"}
MAX_BODY = 1600  # Twilio's limit for one incoming message
MAX_SPEECH = 500


@home.get("/")
def to_try():
    return redirect(url_for("try.page"))


@bp.get("")
def page():
    return _render(fresh(_served(request.args.get("script", ""))))


def _typed() -> str:
    return request.form.get("body", "").replace("\r\n", "\n")  # browsers send CRLF


def _body_problem(body: str, attached: bool, what: str, attachment: str) -> str:
    """Why a typed message cannot be sent, or "" when it can: the text and WhatsApp
    boxes refuse the same things, in their own words."""
    if not body.strip() and not attached:
        return f"Type a message, or attach {attachment}."
    if len(body) > MAX_BODY:
        return f"{what} can be at most {MAX_BODY} characters; this one is {len(body)}."
    return ""


@bp.post("/text")
def text():
    page = load(request.form.get("state", ""))
    body, picture = _typed(), bool(request.form.get("picture"))
    problem = _body_problem(body, picture, "A text", "a picture")
    if not problem:
        stand_in.send_text(page, body, picture)
    return _render(page, text_problem=problem, anchor="text-now", focus="body")


@bp.post("/whatsapp")
def whatsapp():
    page = load(request.form.get("state", ""))
    body = _typed()
    tap, voice_note = request.form.get("tap", ""), bool(request.form.get("voice_note"))
    taps = page.whatsapp.taps
    problem, focus = "", "wa-body"
    if tap:
        if not (tap.isdigit() and int(tap) < len(taps)):
            problem = "That choice is not on the last message: tap one that is shown."
        else:
            stand_in.send_whatsapp(page, "", taps[int(tap)])
            focus = "wa-tap-0"
    else:
        problem = _body_problem(body, voice_note, "A message", "a voice note")
        if not problem:
            stand_in.send_whatsapp(page, body, voice_note=voice_note)
    if focus == "wa-tap-0" and not page.whatsapp.taps:
        focus = "wa-body"
    return _render(page, whatsapp_problem=problem, anchor="whatsapp-now", focus=focus)


@bp.post("/call")
def call():
    page = load(request.form.get("state", ""))
    live = page.call
    do, key = request.form.get("do", ""), request.form.get("key", "")
    speech = " ".join(request.form.get("speech", "").split())
    problem, focus = "", ""
    if do == "call":
        if live.sid:  # a second Call while one is live: the first is hung up
            stand_in.end_call(live, "You hang up.")
        stand_in.start_call(page)
    elif not live.sid:
        problem = "There is no call in progress: press Call first."
    elif do == "hangup":
        stand_in.end_call(live, "You hang up. The call has ended.")
    elif do == "dial-ends" and live.dial:
        stand_in.you(live, "The connected call ends, and the helpline takes the call back.")
        extra = {"DialCallStatus": "completed", "DialCallSid": stand_in.sid("CA")}
        stand_in.voice_turn(page, live.dial, {**extra, "DialCallDuration": "30"})
    elif not live.gather:
        problem = "The helpline is not listening for a key or speech right now."
    elif key:
        if key not in KEYS or "dtmf" not in live.listen:
            problem = "Press one of the keys on the keypad."
        else:
            stand_in.you(live, f"You press {KEY_NAMES.get(key, key)}.")
            stand_in.voice_turn(page, live.gather, {"Digits": key})
            focus = _key_id(key)
    elif do == "say":
        if not speech or "speech" not in live.listen:
            problem = "Type what you would say, then press Say."
        elif len(speech) > MAX_SPEECH:
            problem = f"Say at most {MAX_SPEECH} characters at a time."
        else:
            stand_in.you(live, f"You say: {speech}")
            stand_in.voice_turn(
                page, live.gather, {"SpeechResult": speech, "Confidence": stand_in.CONFIDENCE}
            )
            focus = "speech"
    elif do == "silence":
        stand_in.you(live, "You stay silent.")
        stand_in.silence(page)
    else:
        problem = "That button is not one this page knows."
    return _render(page, call_problem=problem, anchor="call-now", focus=focus)


@bp.post("/restart")
def restart():
    """Start again, or play another script: asks first when there is anything to lose."""
    page = load(request.form.get("state", ""))
    wanted = _served(request.form.get("script", page.script))
    answer = request.form.get("do", "")
    if answer == "no":
        return _render(page, focus="restart")
    if answer == "yes" or not (page.texts.log or page.call.log or page.whatsapp.log):
        stand_in.forget_whatsapp()  # the app's place for the page's WhatsApp number
        return _render(fresh(wanted), focus="script" if len(_library().scripts) > 1 else "")
    return _render(page, confirm=wanted)


def _choices(library) -> list[tuple[str, str]]:
    """What the Script chooser offers: every guide as one number offers them (the guide
    choice first; the empty id, as the number's own webhook asks for no guide), then
    each script alone, as a number whose webhook asks for it (?script=)."""
    alone = [(s.id, s.title) for s in library.scripts.values()]
    if not library.choosing:
        return alone
    return [("", f"Every guide, as one number offers them ({len(library.offered)})"), *alone]


def _library():
    return current_app.extensions["ivr"].library


def _served(script_id: str) -> str:
    """`script_id` if it is served; "" (the default script) otherwise."""
    return script_id if script_id in _library().scripts else ""


def _key_id(key: str) -> str:
    return f"key-{KEY_NAMES.get(key, key)}"


def _render(
    page: Page,
    *,
    text_problem: str = "",
    call_problem: str = "",
    whatsapp_problem: str = "",
    anchor: str = "",
    focus: str = "",
    confirm: str | None = None,
):
    state = dump(page)  # first, so what is shown is what was kept
    library = _library()
    script = library.pick(page.script)
    # Each panel's channel, who is there and where: a panel added later adds a row.
    panels = (
        (VOICE, "Call", page.call.node),
        (SMS, "Texts", page.texts.node),
        (WHATSAPP, "WhatsApp", page.whatsapp.node),
    )
    pictures = [_picture(script, *panel) for panel in panels]
    if anchor == "call-now" and not focus and page.call.gather and "dtmf" in page.call.listen:
        focus = "key-1"
    elif anchor == "call-now" and not focus:
        focus = "call-button" if not page.call.sid else "hangup"
    logs = {"text-now": page.texts.log, "call-now": page.call.log}
    log = logs.get(anchor, page.whatsapp.log if anchor else [])
    return render_template(
        "try.html",
        page=page,
        state=state,
        scripts=_choices(library),
        playing=page.script or ("" if library.choosing else script.id),
        script=script,
        confirm=library.scripts.get(confirm) if confirm is not None else None,
        confirm_id=confirm,
        pictures=pictures,
        text_problem=text_problem,
        call_problem=call_problem,
        whatsapp_problem=whatsapp_problem,
        anchor=anchor,
        focus=focus,
        announce=_announcement(log),
        text_now=_latest(page.texts.log) if anchor == "text-now" else -1,
        call_now=_latest(page.call.log) if anchor == "call-now" else -1,
        whatsapp_now=_latest(page.whatsapp.log) if anchor == "whatsapp-now" else -1,
        caller=stand_in.CALLER,
        helpline=stand_in.HELPLINE,
        keys=KEYS,
        key_names=KEY_NAMES,
        key_id=_key_id,
        max_body=MAX_BODY,
        max_speech=MAX_SPEECH,
    )


CHANNEL_HEADINGS = {VOICE: "On a call", SMS: "By text", WHATSAPP: "On WhatsApp"}


def _picture(script, channel: str, who: str, node: str) -> dict:
    """One channel's flow, as a drawing (None where Graphviz is absent) and as a list."""
    flow = graph.flow(script, channel, steps=False, fold=True)
    here = {who: node} if node else {}
    drawing = None
    with contextlib.suppress(graph.GraphvizMissing):  # the page then shows the list
        drawing = graph.svg(flow, here, name=f"flow_{channel}")
    return {
        "channel": channel,
        "heading": CHANNEL_HEADINGS.get(channel, channel),
        "who": who,
        "svg": drawing,
        "entries": graph.listing(flow, here),
    }


def _latest(log: list) -> int:
    """Where the newest turn starts (the person's last entry), for the page to scroll to."""
    for i in range(len(log) - 1, -1, -1):
        if log[i]["who"] == "you":
            return i
    return len(log) - 1


def _announcement(log: list) -> str:
    """What came back since the person's last turn, to read out in the live region."""
    start = _latest(log) + 1 if log else 0
    said = [words for entry in log[start:] for kind, words in entry["lines"] if kind != "pause"]
    return " ".join(said)
