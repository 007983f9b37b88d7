"""Timing and the voice (T): no part of a call runs past what a caller can hold in mind,
the danger key comes within seconds, the opening and every spoken menu stay short, and
it is read in a voice Twilio knows, in British English.

Times come from ivr.timing (words at the script's rate, plus the pauses the phone plays),
against the script's `limits:` (which the loader holds to the defaults or tighter).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import timing
from ivr.errors import INFO, WARNING, Problem
from ivr.lint.walk import problem, replies, reply_place
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
    timed: set[str] = set()  # a paragraph heard in many replies is one mistake: timed once
    for what, reply in replies(s, VOICE):
        for paragraph in reply.paragraphs:
            if paragraph in timed:
                continue
            timed.add(paragraph)
            seconds = timing.seconds([paragraph], s.limits.words_per_minute)
            if seconds > MAX_SPOKEN_SECONDS:
                line, node = reply_place(s, what, reply.state.node)
                yield problem(
                    s,
                    "T001",
                    line,
                    node,
                    f"In {what}, one part takes about {seconds:.0f} seconds to say "
                    f'(more than {MAX_SPOKEN_SECONDS}): "{paragraph[:60]}..."',
                    "Split it with a blank line into shorter paragraphs, or shorten it.",
                )


HEARD = "T105"  # the information line: when each key of a spoken menu is heard


def _openings(s: Script):
    """The opening as a caller may hear it: with every line open, and with them closed."""
    return [r for what, r in replies(s, VOICE) if what.startswith("the opening")]


def danger_key_early(s: Script) -> Iterator[Problem]:
    times = [timing.danger_heard_at(s, opening) for opening in _openings(s)]
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
    total = max(timing.length(s, opening) for opening in _openings(s))
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
    told: set[str] = set()
    # Many replies say the same words with the same choices: each is timed once. The
    # choices are told apart by identity (cheaper than hashing each one), which is sound
    # while every reply, and so every choice in these keys, is alive: replies() holds them.
    heard_in: dict[tuple, tuple[list[str], str]] = {}
    for what, reply in replies(s, VOICE):
        if not reply.choices:
            continue
        said = (reply.paragraphs, *map(id, reply.choices))
        found = heard_in.get(said)
        if found is None:
            heard = timing.heard(s, reply)
            keys = list(dict.fromkeys(h.key for h in heard))
            at = "; ".join(f"{h.key} ({h.target or h.label}) at {h.seconds:.0f} s" for h in heard)
            found = heard_in[said] = (keys, f"({timing.length(s, reply):.0f} s): {at}")
        keys, times = found
        node = reply.state.node
        line = s.nodes[node].line
        if len(keys) > s.limits.keys_per_menu and node not in told:
            told.add(node)  # the opening and the main menu list the same keys: tell once
            yield problem(
                s,
                "T103",
                line,
                node,
                f"On the phone, {what} announces {len(keys)} keys ({', '.join(keys)}); a "
                f"spoken menu may announce at most {s.limits.keys_per_menu}, 9, 0 and * "
                "included.",
                "Move some options to a menu one level down, or give a global option "
                "'announce: main' so it is said only on the main menu.",
            )
        if _REPROMPT in what:
            continue  # the information is for each spoken menu, not for its re-prompts
        yield problem(
            s,
            HEARD,
            line,
            node,
            f"Voice: {what} {times}.",
            "Nothing to do: this is information.",
            INFO,
        )


# How every_reply names a re-prompt ("node 'x', saying wrong_input"): the same menu again.
_REPROMPT = ", saying "


CHECKS = (voice_settings, spoken_length, danger_key_early, short_opening, keys_per_menu)
