"""Voice: turning a key press, speech or silence into TwiML for Twilio to play.

Every menu is a <Gather input="dtmf speech" numDigits="1"> with the <Say> verbs inside
it, so a key press interrupts the speech. When nothing is pressed, Twilio falls through
the Gather to the <Redirect> after it, which comes back to us as silence. Where the
caller is travels in those two URLs; the server keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from twilio.twiml.voice_response import VoiceResponse

from ivr import engine
from ivr.engine import Reply, State
from ivr.matching import normalise
from ivr.script import VOICE, Script

# Said when something breaks, without relying on any script: 999 and Samaritans first.
FAULT_WORDS = (
    "Sorry, something went wrong on this line. If you are in immediate danger, hang up "
    "and call nine nine nine. For someone to talk to, day or night, call Samaritans free "
    "on one one six, one two three."
)
FAULT_VOICE = "Polly.Amy-Neural"
FAULT_LANGUAGE = "en-GB"
PAUSE_SECONDS = 1  # between paragraphs, and between steps


def answer(
    script: Script,
    state: State | None,
    now: datetime,
    *,
    digits: str = "",
    speech: str = "",
    returned_from_dial: bool = False,
) -> Reply:
    """The caller's next reply: the opening for a new call, else the engine's answer."""
    if state is None:
        return engine.start(script, VOICE, now)
    if returned_from_dial:
        given = engine.RESUMED
    elif digits:
        given = engine.pressed(digits.strip())
    elif speech.strip():
        given = engine.said(speech)
    else:
        given = engine.SILENT
    return engine.advance(script, state, given, now)


def twiml(script: Script, reply: Reply, url_for_state: Callable[[State], str]) -> str:
    """Render a reply. `url_for_state` gives the URL that carries a state back to us."""
    response = VoiceResponse()
    voice = {"voice": script.voice.name, "language": script.voice.language}
    if reply.ends:
        _say_all(response, reply.paragraphs, voice)
        response.hangup()
        return str(response)
    url = url_for_state(reply.state)
    if reply.dial:
        response.dial(reply.dial, action=url, method="POST")
        return str(response)
    gather = response.gather(
        input="dtmf speech",
        num_digits=1,
        finish_on_key="",  # "#" is a key like any other, not "done"
        action=url,
        method="POST",
        timeout=script.voice.wait_seconds,
        speech_timeout="auto",
        language=script.voice.language,
        hints=hints(script, reply),
    )
    _say_all(gather, reply.paragraphs, voice)
    response.redirect(url, method="POST")  # reached only when nothing was pressed or said
    return str(response)


def hints(script: Script, reply: Reply) -> str:
    """Speech recognition hints: the words that work at this point, most likely first."""
    words: list[str] = []
    for choice in reply.choices:
        words += [choice.keyword.lower(), *choice.words]
    words += [w for o in script.main.options for w in (o.keyword.lower(), *o.synonyms)]
    unique = dict.fromkeys(w for w in words if w and normalise(w))
    return ", ".join(list(unique)[:100])


def fault_twiml(retry_url: str | None) -> str:
    """What a caller hears if answering them failed: 999 and Samaritans, then one fresh
    start (if `retry_url` is given) so a passing fault does not end the call."""
    response = VoiceResponse()
    response.say(FAULT_WORDS, voice=FAULT_VOICE, language=FAULT_LANGUAGE)
    if retry_url:
        response.pause(length=PAUSE_SECONDS)
        response.redirect(retry_url, method="POST")
    else:
        response.hangup()
    return str(response)


def _say_all(target, paragraphs, voice) -> None:
    for i, paragraph in enumerate(paragraphs):
        if i:
            target.pause(length=PAUSE_SECONDS)
        target.say(paragraph, **voice)
