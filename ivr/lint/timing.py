"""Timing and the voice (T): no part of a call runs past what a caller can hold in mind,
the danger key comes within seconds, the opening and every spoken menu stay short, and
it is read in a voice Twilio knows, in British English.

Times come from ivr.timing (words at the script's rate, plus the pauses the phone plays),
against the script's `limits:` (which the loader holds to the defaults or tighter).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivr import engine, timing
from ivr.engine import Reply
from ivr.errors import INFO, WARNING, Problem
from ivr.lint.walk import per_script, problem, reply_place
from ivr.script import VOICE, Script

MAX_SPOKEN_SECONDS = 30
VOICE_NAME = re.compile(r"^(Polly|Google)\.[A-Za-z0-9-]+$")


def voice_settings(s: Script) -> Iterator[Problem]:
    if not VOICE_NAME.match(s.voice.name):
        yield problem(
            s,
            "T002",
            s.voice.line,
            None,
            f"The voice '{s.voice.name}' is not a Polly or Google voice name.",
            "Use for example Polly.Amy-Neural or Google.en-GB-Neural2-A.",
            WARNING,
        )
    yield from speech_settings(s)
    if s.translated_from:  # a translation speaks its own language, in its own voice
        if s.voice.language != s.language:
            yield problem(
                s,
                "T003",
                s.voice.line,
                None,
                f"The voice language is {s.voice.language}, not the language {s.language}.",
                f"Give the language under languages: a voice in {s.language}.",
                WARNING,
            )
    elif not s.voice.language.startswith("en-GB"):
        yield problem(
            s,
            "T003",
            s.voice.line,
            None,
            f"The voice language is {s.voice.language}, not British English.",
            "Use en-GB unless the script is in another language.",
            WARNING,
        )


# From Twilio's <Gather> reference (twilio.com/docs/voice/twiml/gather): the generic
# speech models and the languages each lists, and the rules Twilio will not bend.
_UTTERANCE_LANGUAGES = (
    "ar-", "da-DK", "de-DE", "en-AU", "en-GB", "en-IN", "en-US", "es-ES", "es-US", "fi-FI",
    "fr-CA", "fr-FR", "hi-IN", "ja-JP", "ko-KR", "mk-MK", "nl-NL", "no-NO", "pl-PL", "pt-BR",
    "pt-PT", "ro-RO", "ru-RU", "th-TH", "tr-TR", "uk-UA", "vi-VN",
)  # fmt: skip
SPEECH_MODEL_LANGUAGES = {
    "phone_call": ("en-US", "en-GB", "en-AU", "fr-FR", "fr-CA", "ja-JP", "ru-RU", "es-US",
                   "es-ES", "pt-BR"),
    "experimental_utterances": _UTTERANCE_LANGUAGES,
    "experimental_conversations": _UTTERANCE_LANGUAGES,
    "default": None,  # any language Google STT V2 supports
    "numbers_and_commands": None,  # any language Deepgram's nova-2 supports
}  # fmt: skip
SPECIFIC_MODELS = ("googlev2_", "deepgram_")  # a provider's own model: no failover


def speech_settings(s: Script) -> Iterator[Problem]:
    """T106: speech settings Twilio's docs say it will not honour."""
    voice = s.voice
    if not voice.speech:  # keys only: nothing is recognised
        return
    model = voice.speech_model
    said = []
    if voice.speech_timeout == "auto":
        said.append(
            ("speech_timeout is 'auto' with a speech_model, which Twilio does not support "
             "(warning 13335): it needs whole seconds",
             "Write 'speech_timeout: 3' (whole seconds).")
        )  # fmt: skip
    if voice.enhanced and model != "phone_call":
        said.append(
            (f"enhanced is set with the model '{model}', but Twilio limits enhanced to the "
             "phone_call model", "Remove 'enhanced: true', or use 'speech_model: phone_call'.")
        )  # fmt: skip
    languages = SPEECH_MODEL_LANGUAGES.get(model, ())
    if model not in SPEECH_MODEL_LANGUAGES and not model.startswith(SPECIFIC_MODELS):
        said.append(
            (f"the speech_model '{model}' is not one Twilio lists",
             f"Use one of {', '.join(SPEECH_MODEL_LANGUAGES)}, or a googlev2_ or deepgram_ model.")
        )  # fmt: skip
    elif languages and not voice.language.startswith(languages):
        said.append(
            (f"the speech_model '{model}' does not list the language {voice.language}",
             "Use experimental_utterances, which lists the most languages, or another model.")
        )  # fmt: skip
    for message, fix in said:
        yield problem(s, "T106", voice.line, None, f"In voice:, {message}.", fix, WARNING)


def spoken_length(s: Script) -> Iterator[Problem]:
    yield from _heard(s).long_parts


HEARD = "T105"  # the information line: when each key of a spoken menu is heard


def danger_key_early(s: Script) -> Iterator[Problem]:
    times = [timing.danger_heard_at(s, opening) for opening in _heard(s).openings]
    at = None if None in times else max(times)
    limit = s.limits.danger_heard_within
    if at is None or at > limit:
        when = "never" if at is None else f"about {at:.0f} s into the call"
        yield problem(
            s,
            "T101",
            s.main.line,
            s.main.id,
            f"In the opening, a caller hears the danger key {when}; it must be within {limit} s.",
            'Give phrases a danger_first sentence (for example "{label}, press {key}, at '
            'any time."), said straight after the danger line, and keep the danger line short.',
        )


def short_opening(s: Script) -> Iterator[Problem]:
    total = max(timing.length(s, opening) for opening in _heard(s).openings)
    if total > s.limits.opening_within:
        yield problem(
            s,
            "T102",
            s.main.line,
            s.main.id,
            f"The opening lasts about {total:.0f} s, menu included; it must be at most "
            f"{s.limits.opening_within} s.",
            "Shorten the welcome, or move topics from the main menu to a menu one level "
            'down ("for everything else, press 3").',
        )


def keys_per_menu(s: Script) -> Iterator[Problem]:
    """At most `keys_per_menu` distinct keys a spoken menu announces, 9, 0 and * included;
    and, as information, when each one has been heard."""
    yield from _heard(s).menus


@dataclass(frozen=True, slots=True)
class _Heard:
    """What the rules above found in one walk over every spoken reply."""

    long_parts: list[Problem]  # T001, from spoken_length
    openings: list[Reply]  # the opening, with lines open and closed
    menus: list[Problem]  # T103 and T105, from keys_per_menu


@per_script
def _heard(s: Script) -> _Heard:
    """Every spoken reply, looked at once as the engine gives it, for all the rules above:
    a 10,000-node script has 150,000 of them, too many to keep while they are read."""
    found = _Heard([], [], [])
    timed: set[str] = set()  # a paragraph heard in many replies is one mistake: timed once
    told: set[str] = set()
    # Many replies say the same words with the same choices (every re-prompt of every node
    # that lists the same choices): each such reply is timed once. Words and choices are
    # known by identity (hashing each choice costs more), and kept alive in the value, so
    # an identity is never reused meanwhile.
    heard_in: dict[tuple[int, ...], tuple] = {}
    for what, reply in engine.every_reply(s, VOICE):
        if what.startswith("the opening"):
            found.openings.append(reply)
        said = (id(reply.paragraphs), *map(id, reply.choices))
        known = heard_in.get(said)
        if known is None:  # words not seen in this form yet: time each new paragraph
            found.long_parts.extend(_time_new_parts(s, what, reply, timed))
            heard = _keys_heard(s, reply) if reply.choices else ([], "")
            known = heard_in[said] = (*heard, reply.paragraphs, reply.choices)
        if not reply.choices:
            continue
        keys, times = known[0], known[1]
        node = reply.state.node
        if len(keys) > s.limits.keys_per_menu and node not in told:
            told.add(node)  # the opening and the main menu list the same keys: tell once
            found.menus.append(
                problem(
                    s,
                    "T103",
                    s.nodes[node].line,
                    node,
                    f"On the phone, {what} announces {len(keys)} keys ({', '.join(keys)}); a "
                    f"spoken menu may announce at most {s.limits.keys_per_menu}, 9, 0 and * "
                    "included.",
                    "Move some options to a menu one level down, or give a global option "
                    "'announce: main' so it is said only on the main menu.",
                )
            )
        if _REPROMPT not in what:  # the information is for each menu, not its re-prompts
            message = f"Voice: {what} {times}."
            found.menus.append(
                problem(
                    s,
                    HEARD,
                    s.nodes[node].line,
                    node,
                    message,
                    "Nothing to do: this is information.",
                    INFO,
                )
            )
    return found


def _time_new_parts(s: Script, what: str, reply: Reply, timed: set[str]) -> list[Problem]:
    """T001 for each paragraph of a reply not timed before (then remembered in `timed`)."""
    found = []
    for paragraph in reply.paragraphs:
        if paragraph not in timed:
            timed.add(paragraph)
            too_long = _too_long(s, what, reply, paragraph)
            if too_long is not None:
                found.append(too_long)
    return found


def _too_long(s: Script, what: str, reply: Reply, paragraph: str) -> Problem | None:
    seconds = timing.seconds([paragraph], s.limits.words_per_minute)
    if seconds > MAX_SPOKEN_SECONDS:
        line, node = reply_place(s, what, reply.state.node)
        return problem(
            s,
            "T001",
            line,
            node,
            f"In {what}, one part takes about {seconds:.0f} seconds to say "
            f'(more than {MAX_SPOKEN_SECONDS}): "{paragraph[:60]}..."',
            "Split it with a blank line into shorter paragraphs, or shorten it.",
        )
    return None


def _keys_heard(s: Script, reply: Reply) -> tuple[list[str], str]:
    """The distinct keys a reply announces, and when each is heard, as words."""
    heard, length = timing.heard_and_length(s, reply)
    keys = list(dict.fromkeys(h.key for h in heard))
    at = "; ".join(f"{h.key} ({h.target or h.label}) at {h.seconds:.0f} s" for h in heard)
    return keys, f"({length:.0f} s): {at}"


# How every_reply names a re-prompt ("node 'x', saying wrong_input"): the same menu again.
_REPROMPT = ", saying "


CHECKS = (voice_settings, spoken_length, danger_key_early, short_opening, keys_per_menu)
