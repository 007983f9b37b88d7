"""Voice: engine replies as TwiML for Twilio to play, gathering a key press or speech.

Every menu is a <Gather input="dtmf speech" numDigits="1"> with the <Say> verbs inside
it, so a key press interrupts the speech. When nothing is pressed, Twilio falls through
the Gather to the <Redirect> after it, which comes back to us as silence. Where the
caller is travels in those two URLs; the server keeps nothing.

A transfer is a <Dial> with a timeout, whose callerId is the helpline's own number
(so the person answering never sees the caller's), and whose action comes back here
with DialCallStatus and the transfer's id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from twilio.twiml.voice_response import VoiceResponse

from ivr import engine, languages, phone_numbers, understanding
from ivr.engine import Reply
from ivr.fault import FAULT_LANGUAGE, FAULT_VOICE, FAULT_WORDS
from ivr.keywords import normalise
from ivr.script import VOICE, Script
from ivr.timing import PAUSE_SECONDS  # the pause ivr.timing counts is the one played here
from ivr.turns import call_turn

DIAL_RING_SECONDS = 25  # a plain dial: without a transfer's own ring_seconds
VIA = "via"  # url_for_state's keyword for the transfer a Dial's action URL brings back


def helpline_number(called: str) -> str | None:
    """The number the caller rang (Twilio's To/Called), if it can be shown as callerId."""
    called = (called or "").strip()
    return called if phone_numbers.E164.fullmatch(called) else None


# The views' name for a turn; the logic is domain (ivr.turns), shared with `ivr simulate`.
answer = call_turn


# A reply's TwiML depends on the script and the reply's words and choices, and on the
# state only through its URL. So each distinct reply is rendered once, with URL_MARK
# where the URL goes, and later turns only put their URL in: byte for byte the same
# TwiML (tests/test_precomputed.py compares them), without rebuilding the XML each turn.
URL_MARK = "ivr-state-url-goes-here"
_PLAIN_URL = re.compile(r"^[A-Za-z0-9/?=._~:-]*$")  # needs no XML escaping anywhere
TEMPLATE_LIMIT = 100_000  # replies remembered per script: far more than a script has


def twiml(
    script: Script,
    reply: Reply,
    url_for_state: Callable[..., str],
    caller_id: str | None = None,
) -> str:
    """Render a reply. `url_for_state(state, **query)` gives the URL that carries a state
    back to us. `caller_id`: the helpline's own number, shown when a call is put through."""
    if reply.dial:
        return render(script, reply, url_for_state, caller_id)  # rare: rendered afresh
    url = "" if reply.ends else url_for_state(reply.state)
    if not _PLAIN_URL.match(url):
        return render(script, reply, url_for_state, caller_id)
    templates = _templates(script)
    key = (reply.ends, reply.paragraphs, reply.choices, reply.languages)
    parts = templates.get(key)
    if parts is None:
        marked = render(script, reply, lambda *_, **__: URL_MARK, caller_id)
        parts = marked.split(URL_MARK)
        if len(parts) != (1 if reply.ends else 3):  # the words themselves hold the mark
            return render(script, reply, url_for_state, caller_id)
        if len(templates) < TEMPLATE_LIMIT:
            templates[key] = parts
    return url.join(parts)


@lru_cache(maxsize=64)  # one per loaded script, like the engine's own memo
def _templates(script: Script) -> dict:
    return {}


def render(
    script: Script,
    reply: Reply,
    url_for_state: Callable[..., str],
    caller_id: str | None = None,
) -> str:
    """Build a reply's TwiML from scratch (what `twiml` remembers)."""
    response = VoiceResponse()
    voice = _voices(script, reply)
    if reply.ends:
        _say_all(response, reply.paragraphs, voice, script.recordings)
        response.hangup()
        return str(response)
    if reply.dial:
        _say_all(response, reply.paragraphs, voice, script.recordings)
        transfer = reply.transfer
        response.dial(
            reply.dial,
            action=url_for_state(reply.state, **({VIA: transfer.id} if transfer else {})),
            method="POST",
            timeout=transfer.ring_seconds if transfer else DIAL_RING_SECONDS,
            caller_id=caller_id,
        )
        return str(response)
    url = url_for_state(reply.state)
    # Speech settings (in _listening), from Twilio's <Gather> reference
    # (twilio.com/docs/voice/twiml/gather, "speechModel", "speechTimeout"): a generic
    # model, so Twilio fails over to another provider in an outage;
    # experimental_utterances is the generic model "for short utterances of a few
    # seconds", and lists en-GB. With any speechModel, speechTimeout must be whole
    # seconds, never "auto" (Twilio warning 13335); `ivr validate` warns on a
    # combination the docs say Twilio will not honour (T106).
    gather = response.gather(
        num_digits=1,
        finish_on_key="",  # "#" is a key like any other, not "done"
        action=url,
        method="POST",
        timeout=script.voice.wait_seconds,
        **_listening(script, reply),
    )
    _say_all(gather, reply.paragraphs, voice, script.recordings)
    response.redirect(url, method="POST")  # reached only when nothing was pressed or said
    return str(response)


def _listening(script: Script, reply: Reply) -> dict:
    """What the <Gather> listens for: keys and speech in the script's language; keys
    alone in a language Twilio recognises no speech in (`speech: false`, Welsh), and at
    the language choice, where no language is chosen yet. Twilio's <Gather> reference
    (twilio.com/docs/voice/twiml/gather, "language" and "speechModel") lists the
    languages its speech models recognise, and a language a model does not list makes
    the gather fail (twilio.com/docs/api/errors/13331): so none is asked for."""
    if not script.voice.speech or reply.languages:
        return {"input": "dtmf"}
    settings = script.voice
    return {
        "input": "dtmf speech",
        "speech_timeout": settings.speech_timeout,
        "speech_model": settings.speech_model,
        "enhanced": "true" if settings.enhanced else None,
        "language": settings.language,
        "hints": hints(script, reply),
    }


def _voices(script: Script, reply: Reply) -> tuple[dict, ...]:
    """The <Say> voice and language of each paragraph: the script's, or, where a reply
    speaks several languages (the language choice), each paragraph's language's own
    voice (a Polly voice speaks one language: twilio.com/docs/voice/twiml/say, "Using an
    invalid combination of voice and language may result in error")."""
    spoken = [script] * len(reply.paragraphs)
    if reply.languages:
        spoken = [languages.version(script, tag) for tag in reply.languages]
    return tuple({"voice": s.voice.name, "language": s.voice.language} for s in spoken)


MAX_HINTS = 100  # Twilio takes up to 500 entries of 100 characters; these stay well under
HINT_CHARACTERS = 100


def hints(script: Script, reply: Reply) -> str:
    """Speech recognition hints: the words that work at this point, then the words of a
    crisis (the lexicon's `hints`, so "suicide" is not heard as "sue a side"), then the
    topics' words."""
    words: list[str] = []
    for choice in reply.choices:
        words += [choice.keyword.lower(), *choice.words]
    words += understanding.lexicon_for(script).words("hints")
    words += [w for c in engine.top_options(script, VOICE) for w in (c.keyword.lower(), *c.words)]
    unique = dict.fromkeys(w for w in words if w and normalise(w) and len(w) <= HINT_CHARACTERS)
    return ", ".join(list(unique)[:MAX_HINTS])


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


def _say_all(target, paragraphs, voices, recordings) -> None:
    """Each paragraph said in its voice, or played where the language has a recording
    of it (a `play:` address: a native speaker sounds better than synthetic Welsh)."""
    for i, (paragraph, voice) in enumerate(zip(paragraphs, voices, strict=True)):
        if i:
            target.pause(length=PAUSE_SECONDS)
        recorded = recordings.get(paragraph)
        if recorded:
            target.play(recorded)
        else:
            target.say(paragraph, **voice)
