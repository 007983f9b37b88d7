"""Every reply the opening can give on a channel, for the library's lint and the tests.

    every_reply(library, channel) -> (description, script, Reply), ...

Built by the opening itself (never a copy of its rules), so what the lint checks is
what people get: the opening as a call or a first text starts, each step asked again
and re-prompted, each guide as it starts once chosen, and each guide's main menu with
the way back to the guide choice. `script` is the guide whose words and limits the
reply is held to (the default guide for the steps themselves).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

from ivr import engine
from ivr.engine import SILENT, Reply, State, pressed, typed
from ivr.engine.replies import show, stay
from ivr.engine.screens import screen_at
from ivr.engine.state import CLOSED, media_note
from ivr.opening import advance, start
from ivr.opening.steps import ask, steps_on
from ivr.opening.way_back import with_way_back
from ivr.outcomes import Outcome
from ivr.script import LANGUAGE_CHOICE, MESSAGING, VOICE, Script

MOMENT = datetime.fromtimestamp(0, UTC)


def every_reply(library, channel: str) -> Iterator[tuple[str, Script, Reply]]:
    asked = steps_on(library, channel)
    if not asked:
        return
    default = library.default
    yield "the opening", default, start(library, channel, MOMENT)
    if channel in MESSAGING:
        yield "the opening after a picture", default, start(library, channel, MOMENT, media=True)
    for step in asked:
        state = State(channel, default.id, step.node)
        what = f"the question '{step.question.on(channel)[:40]}'"
        yield f"{what}, asked again", default, ask(library, step, state, Outcome.GUIDES)
        for phrase, said in _reprompts(default, channel):
            yield (
                f"{what}, saying {phrase}",
                default,
                ask(library, step, state, Outcome.WRONG, said, True),
            )
        if channel == VOICE:
            yield f"{what}, after silence", default, advance(library, state, SILENT, MOMENT)
    if asked[-1].node == LANGUAGE_CHOICE:  # no guide choice: each language's guide
        yield from _languages_chosen(library, asked[-1], channel)
        return
    guides = asked[-1]
    for item in guides.items:
        script = library.get(item.value)
        state = State(channel, default.id, guides.node)
        key = pressed(item.key) if channel == VOICE else typed(item.key)
        yield f"guide '{script.id}', once chosen", script, advance(library, state, key, MOMENT)
        yield from _main_menu(library, script, channel)


def _languages_chosen(library, step, channel: str) -> Iterator[tuple[str, Script, Reply]]:
    """The default guide as it starts in each language once chosen, and its main menu."""
    default = library.default
    for item in step.items:
        spoken = library.speaking(default, item.value)
        state = State(channel, default.id, step.node)
        chosen = advance(library, state, pressed(item.key), MOMENT)
        yield f"the guide in {spoken.language}, once chosen", spoken, chosen
        yield from _main_menu(library, spoken, channel)


def _main_menu(library, script: Script, channel: str) -> Iterator[tuple[str, Script, Reply]]:
    """A guide's main menu as the library shows it (the way back said last), and its
    re-prompts; by text also as a first text that means nothing starts the guide."""
    main = script.main
    where = f"guide '{script.id}', main menu"
    shown = with_way_back(library, script, show(script, channel, main, 0, 0, Outcome.CHOSE))
    yield where, script, shown
    screen = screen_at(script, channel, main, 0, CLOSED)
    state = replace(shown.state, step=0)
    for phrase, said in _reprompts(script, channel):
        reply = with_way_back(library, script, stay(script, state, screen, 0, said))
        yield f"{where}, saying {phrase}", script, reply
    if channel in MESSAGING:
        first = engine.start(script, channel, MOMENT, media=True)
        yield f"guide '{script.id}', a first text", script, with_way_back(library, script, first)


def _reprompts(script: Script, channel: str) -> list[tuple[str, tuple[str, ...]]]:
    phrases = ["not_understood", "automated"]
    if channel == VOICE:
        phrases.insert(0, "wrong_input")
    media = (script.phrase(media_note(channel), channel),) if channel in MESSAGING else ()
    return [(p, (*media, script.phrase(p, channel))) for p in phrases]
