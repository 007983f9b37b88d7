"""How long a prompt takes to say, and when a caller has heard each choice.

    seconds(paragraphs, words_per_minute)          -> float
    heard(script, reply)                           -> [Heard, ...] in the order said
    heard_and_length(script, reply)                -> both, from one reading
    keys_announced(script, reply)                  -> the distinct keys a caller hears

Pure: it reads the spoken paragraphs of an engine Reply and the script's limits, nothing
else. The voice channel says each paragraph in its own <Say> with a pause of
PAUSE_SECONDS between two of them; it imports that constant from here, so what this
module counts is what the renderer really plays. Words are timed at the script's rate
(`limits: words_per_minute`, 160 by default: Polly British English). A choice counts as
heard when the last word of the sentence that announces it has been said.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from ivr import engine
from ivr.script import Script

PAUSE_SECONDS = 1  # between two paragraphs (and two steps) on the phone


@dataclass(frozen=True, slots=True)
class Heard:
    """One announcement of a choice: its key, where it leads, and when it ends."""

    key: str
    label: str
    target: str | None
    seconds: float


def seconds(paragraphs, words_per_minute: float) -> float:
    """The time to say these spoken paragraphs, pauses between them included."""
    return _said_in(list(map(len, map(str.split, paragraphs))), words_per_minute)


def _said_in(counts: list[int], words_per_minute: float) -> float:
    """`seconds` from each paragraph's count of words."""
    said = len(counts) - counts.count(0)  # a blank paragraph has no words, and no pause
    return sum(counts) * 60 / words_per_minute + PAUSE_SECONDS * max(said - 1, 0)


def heard(script: Script, reply) -> list[Heard]:
    """Every announcement of a choice in a spoken reply, in the order a caller hears them."""
    return heard_and_length(script, reply)[0]


def heard_and_length(script: Script, reply) -> tuple[list[Heard], float]:
    """`heard` and `length` of one reply, from one reading of its words (the linter asks
    both of 30,000 replies in a 10,000-node script)."""
    rate = script.limits.words_per_minute
    found: list[Heard] = []
    counts: list[int] = []
    start = 0.0
    sentences = engine.announcements(script, reply.choices)
    for paragraph in reply.paragraphs:
        for choice, sentence in sentences:
            if sentence not in paragraph:  # most paragraphs announce nothing: found in C
                continue
            at = paragraph.find(sentence)
            while at >= 0:
                said = paragraph[: at + len(sentence)]
                ends = start + len(said.split()) * 60 / rate
                found.append(Heard(choice.key, choice.label, choice.target, ends))
                at = paragraph.find(sentence, at + len(sentence))
        counts.append(len(paragraph.split()))
        start += counts[-1] * 60 / rate + PAUSE_SECONDS
    return sorted(found, key=_when), _said_in(counts, rate)


_when = attrgetter("seconds")


def keys_announced(script: Script, reply) -> list[str]:
    """The distinct keys a caller is told to press in this reply (9, 0 and * included)."""
    return list(dict.fromkeys(h.key for h in heard(script, reply)))


def danger_heard_at(script: Script, reply) -> float | None:
    """When the caller has first heard the key for the danger node, or None if never."""
    danger = script.roles.get("danger")
    times = [h.seconds for h in heard(script, reply) if h.target == danger]
    return min(times) if times else None


def length(script: Script, reply) -> float:
    """How long a spoken reply lasts."""
    return seconds(reply.paragraphs, script.limits.words_per_minute)
