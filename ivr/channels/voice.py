"""Voice: engine replies as TwiML for Twilio to play, gathering a key press or speech.

Every menu is a <Gather input="dtmf speech" numDigits="1"> with the <Say> verbs inside
it, so a key press interrupts the speech. When nothing is pressed, Twilio falls through
the Gather to the <Redirect> after it, which comes back to us as silence. Where the
caller is travels in those two URLs; the server keeps nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from twilio.twiml.voice_response import VoiceResponse

from ivr.engine import Reply, State
from ivr.fault import FAULT_LANGUAGE, FAULT_VOICE, FAULT_WORDS
from ivr.matching import normalise
from ivr.script import Script
from ivr.turns import call_turn

PAUSE_SECONDS = 1  # between paragraphs, and between steps

# The views' name for a turn; the logic is domain (ivr.turns), shared with `ivr simulate`.
answer = call_turn


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
