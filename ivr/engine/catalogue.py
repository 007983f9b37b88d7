"""Every reply a script can give, for the linter and the tests.

    every_reply(script, channel) -> (description, Reply), ...

Each distinct reply the engine can produce on a channel, built by the engine itself
(never a copy of its rules), so what the linter checks is what people get. Walking it
once also fills the engine's memo, so a served turn finds its screens ready.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from ivr import understanding
from ivr.engine.choices import every_option
from ivr.engine.conversation import advance, after_text, start
from ivr.engine.replies import answer, show, stay
from ivr.engine.screens import count_parts, screen_at
from ivr.engine.state import CLOSED, Offers, Reply, State, dialled
from ivr.engine.words import finish
from ivr.outcomes import Outcome
from ivr.script import (
    GO,
    MENU,
    MESSAGING,
    SEND_TEXT,
    TEXT_ME,
    TRANSFER,
    VOICE,
    WHATSAPP,
    Node,
    Script,
)


def every_reply(script: Script, channel: str) -> Iterator[tuple[str, Reply]]:
    """Each distinct reply the engine can produce on a channel, with a description.

    On the phone, each point is heard twice where hand-offs change it: with every line
    open and texts on, and with every line closed (its `closed` words said instead)."""
    stamp = 0
    now = datetime.fromtimestamp(stamp, UTC)
    variants = [("", CLOSED)]
    if channel == VOICE and (script.transfers or script.text_me):
        variants = [("", Offers(texting=True, all_open=True)), (" (lines closed)", CLOSED)]
    for when, offers in variants:
        yield f"the opening{when}", start(script, channel, now, offers=offers)
    if channel in MESSAGING:
        yield "the opening after a picture", start(script, channel, now, media=True)
    if channel == WHATSAPP:
        yield "the opening after a voice note", start(script, channel, now, voice=True)
    reprompts = _reprompts(script, channel)
    for node in script.nodes.values():
        for step in range(count_parts(script, channel, node)):
            where = f"node '{node.id}'" + (
                f", {'step' if channel == VOICE else 'page'} {step + 1}" if step else ""
            )
            if channel in MESSAGING:
                shown = show(script, channel, node, step, stamp, Outcome.CHOSE)
                yield where, shown
                media = (script.phrase("media", channel),)
                yield (
                    f"{where} after a picture",
                    show(script, channel, node, step, stamp, Outcome.CHOSE, media),
                )
                state = shown.state  # the re-prompts stay at the point just shown
                screen = screen_at(script, channel, node, step, CLOSED)
                for phrase, said in reprompts:
                    yield f"{where}, saying {phrase}", stay(script, state, screen, stamp, said)
                continue
            for when, offers in variants:
                if when and not _changes_when_closed(script, node, step):
                    continue
                shown = show(script, VOICE, node, step, stamp, Outcome.CHOSE, (), offers)
                yield f"{where}{when}", shown
                state = shown.state  # the re-prompts stay at the point just shown
                screen = screen_at(script, VOICE, node, step, offers)
                for phrase, said in reprompts:
                    yield (
                        f"{where}{when}, saying {phrase}",
                        stay(script, state, screen, stamp, said, offers),
                    )
    yield from _understood_replies(script, channel, stamp, now)
    if channel == VOICE:
        yield (
            "the goodbye",
            Reply(
                State(VOICE, script.id, script.main.id),
                finish(script, VOICE, (script.phrase("goodbye", VOICE),)),
                ends=True,
            ),
        )
        yield from _handoff_replies(script, stamp, now)


def _reprompts(script: Script, channel: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each re-prompt's phrase, and what it says before the choices (by text, after the
    picture note)."""
    if channel in MESSAGING:
        media = (script.phrase("media", channel),)
        phrases = ("not_understood", "automated", "no_more")
        return [(p, (*media, script.phrase(p, channel))) for p in phrases]
    phrases = ("wrong_input", "not_understood", "automated", "no_more")
    return [(p, (script.phrase(p, VOICE),)) for p in phrases]


def _understood_replies(
    script: Script, channel: str, stamp: int, now: datetime
) -> Iterator[tuple[str, Reply]]:
    """A first text that means each node (by text), and a child in danger who also names
    the under-18 need: the longest answers understanding can give."""
    targets = dict.fromkeys(
        o.target
        for o in (*script.globals, *(o for n in script.nodes.values() for o in every_option(n)))
        if o.action == GO
    )
    danger, young = script.roles["danger"], script.roles.get("under_18")
    texted = channel in MESSAGING
    denied_line = (script.phrase("danger_denied", channel),)
    for target in targets:
        if target not in script.nodes or target == script.main.id:
            continue
        meaning = (understanding.Meaning(GO, target),)
        if texted:
            reading = understanding.Reading(meaning)
            reply = start(script, channel, now, media=True, offers=CLOSED, reading=reading)
            yield f"the opening, answering a first text meaning '{target}'", reply
        if target == danger:
            continue
        # Danger clearly denied beside this need: the crisis line first, then the answer.
        denied = understanding.Reading(meaning, denied=True)
        node = script.nodes[target]
        if texted:
            reply = start(script, channel, now, media=True, offers=CLOSED, reading=denied)
            yield (
                f"the opening, answering a first text denying danger and meaning '{target}'",
                reply,
            )
            media = (script.phrase("media", channel),)
            reply = answer(script, channel, node, denied, stamp, "chose", denied_line + media)
        else:
            reply = answer(script, VOICE, node, denied, stamp, "chose", denied_line)
        yield f"the answer to a message denying danger and meaning '{target}'", reply
    if young in script.nodes:
        meanings = (understanding.Meaning(GO, danger), understanding.Meaning(GO, young, 1))
        reading = understanding.Reading(meanings, danger=True, child=True)
        if texted:
            reply = start(script, channel, now, media=True, offers=CLOSED, reading=reading)
        else:
            reply = answer(script, channel, script.nodes[danger], reading, stamp, Outcome.CHOSE, ())
        what = "the opening, answering" if texted else "the answer to"
        yield f"{what} a first text from a child in danger", reply


def _changes_when_closed(script: Script, node: Node, step: int) -> bool:
    options = node.options if node.kind == MENU else node.options_at(step)
    return any(o.action in (TRANSFER, TEXT_ME, SEND_TEXT) for o in options)


def _handoff_replies(script: Script, stamp: int, now: datetime) -> Iterator[tuple[str, Reply]]:
    """What is said around a transfer and after asking for a text."""
    open_ = Offers(texting=True, all_open=True)
    for transfer in script.transfers.values():
        if transfer.connecting is not None:
            yield (
                f"transfer '{transfer.id}', connecting",
                Reply(
                    State(VOICE, script.id, script.main.id),
                    finish(script, VOICE, (transfer.connecting.voice,)),
                ),
            )
        for node in script.nodes.values():
            if any(o.transfer == transfer.id for o in every_option(node)):
                state = State(VOICE, script.id, node.id)
                for status in ("no-answer", "completed"):
                    back = dialled(status, transfer.id)
                    yield (
                        f"transfer '{transfer.id}' from node '{node.id}', {status}",
                        advance(script, state, back, now, offers=open_),
                    )
    if script.text_me is not None:
        state = State(VOICE, script.id, script.main.id)
        for outcome in script.text_me.outcomes:
            yield f"text_me {outcome}", after_text(script, state, outcome, now, open_)
