"""Timing and the voice (T): no part of a call runs past what a caller can hold in mind,
and it is read in a voice Twilio knows, in British English.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import engine
from ivr.errors import WARNING, Problem
from ivr.lint.walk import problem, reply_place
from ivr.script import VOICE, Script
from ivr.spoken import seconds_to_say

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
    if not s.voice.language.startswith("en-GB"):
        yield problem(
            s,
            "T003",
            s.voice.line,
            None,
            f"The voice language is {s.voice.language}, not British English.",
            "Use en-GB unless the script is in another language.",
            WARNING,
        )


def spoken_length(s: Script) -> Iterator[Problem]:
    reported: set[str] = set()  # a paragraph heard in many replies is one mistake
    for what, reply in engine.every_reply(s, VOICE):
        line, node = reply_place(s, what, reply.state.node)
        for paragraph in reply.paragraphs:
            seconds = seconds_to_say(paragraph)
            if seconds > MAX_SPOKEN_SECONDS and paragraph not in reported:
                reported.add(paragraph)
                yield problem(
                    s,
                    "T001",
                    line,
                    node,
                    f"In {what}, one part takes about {seconds:.0f} seconds to say "
                    f'(more than {MAX_SPOKEN_SECONDS}): "{paragraph[:60]}..."',
                    "Split it with a blank line into shorter paragraphs, or shorten it.",
                )


CHECKS = (voice_settings, spoken_length)
