"""The engine proper: the opening of a conversation and each turn after it.

    start(script, channel, now)                      -> Reply
    advance(script, state, given, now, idle_limit)   -> Reply
    after_text(script, state, outcome, now)          -> Reply

`advance` never raises for anything a person sends. A key answers only what the reply
just given offers; words are read by `ivr.understanding` (danger first, then under 18,
then the rest); next, repeat, a call or a text work only where this point offers them.
An unknown or stale state starts afresh; by SMS so does one idle past `idle_limit`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ivr import gsm7, understanding
from ivr.engine.replies import answer, carry, keyed, retry, show, stay
from ivr.engine.screens import Screen, count_parts, danger_first_words, finish, screen_at
from ivr.engine.state import (
    ANSWERED,
    NEXT,
    PRESSED,
    REPLY_SEPTETS,
    RESUME,
    SAID,
    SILENCE,
    TYPED,
    Choice,
    Input,
    Offers,
    Reply,
    State,
)
from ivr.matching import as_key
from ivr.script import (
    DIAL,
    GO,
    REPEAT,
    SEND_TEXT,
    SMS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    Node,
    Script,
    Text,
)
from ivr.understanding import PERSON


def start(
    script: Script,
    channel: str,
    now: datetime,
    *,
    event: str = "start",
    media: bool = False,
    offers: Offers | None = None,
    given: Input | None = None,
    reading: understanding.Reading | None = None,
) -> Reply:
    """The opening: the immediate-danger line first, then on the phone the danger key
    ("press 9, at any time"), the welcome, then the main menu.

    A first text (`given`) is read: one that means something gets that answer straight
    away, after the discreet first line and the 999 line; one that means nothing gets
    the welcome."""
    offers = offers or Offers(now)
    stamp = _stamp(now)
    prefix = []
    if channel == SMS:
        prefix.append(script.phrase("first_line", SMS))  # discreet on a lock screen
        if media:
            prefix.append(script.phrase("media", SMS))
    if reading is None:
        reading = _read(script, channel, given, script.main.id)
    top = reading.top
    if top is not None and top.kind == GO and top.target in script.nodes:
        if top.target != script.roles["danger"]:  # the danger answer leads with 999 itself
            prefix.append(script.phrase("danger_line", channel))
        target = script.nodes[top.target]
        reply = answer(script, channel, target, reading, stamp, event, prefix, offers)
        if media and channel == SMS and gsm7.septets(reply.text) > REPLY_SEPTETS:
            # The picture note is the one thing a first answer can do without.
            prefix.remove(script.phrase("media", SMS))
            reply = answer(script, channel, target, reading, stamp, event, prefix, offers)
        return reply
    prefix.append(script.phrase("danger_line", channel))
    if channel == VOICE:
        prefix.append(danger_first_words(script))
    if top is not None and top.kind == PERSON:
        prefix.append(_person(script, channel))
    prefix.append(script.phrase("welcome", channel))
    return show(script, channel, script.main, 0, stamp, event, tuple(prefix), offers)


def advance(
    script: Script,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
    offers: Offers | None = None,
) -> Reply:
    """Move a conversation on by one input. Never raises for anything a person sends."""
    offers = offers or Offers(now)
    channel = state.channel
    node = script.nodes.get(state.node)
    again = {"media": given.media, "offers": offers, "given": given}
    if state.script != script.id or node is None or (state.also and state.also not in script.nodes):
        return start(script, channel, now, event="restart", **again)
    stamp = _stamp(now)
    if idle_limit is not None and state.at and stamp - state.at > idle_limit.total_seconds():
        return start(script, channel, now, event="expired", **again)
    step = min(state.step, count_parts(script, channel, node) - 1)
    if step != state.step:
        state = replace(state, step=step)
    screen = screen_at(script, channel, node, step, offers)
    if given.kind == SILENCE and channel == VOICE:
        return retry(script, state, screen, stamp, offers)
    if given.kind == RESUME:
        return resume(script, state, node, given, stamp, offers)
    prefix = (script.phrase("media", SMS),) if given.media and channel == SMS else ()
    key = given.value if given.kind == PRESSED else as_key(given.value)
    if key:
        # A key answers only what the reply just given offers: never an older menu.
        choice = next((c for c in keyed(script, state, screen, offers) if c.key == key), None)
        if choice is None:
            sorry = script.phrase("wrong_input" if channel == VOICE else "not_understood", channel)
            return stay(script, state, screen, stamp, (*prefix, sorry), offers)
        return _act(script, state, screen, choice, stamp, prefix, offers)
    reading = _read(script, channel, given, node.id)
    top = reading.top
    if top is not None and top.kind == GO and top.target in script.nodes:
        target = script.nodes[top.target]
        return answer(script, channel, target, reading, stamp, "chose", prefix, offers)
    if top is not None and top.kind == PERSON:
        said = (*prefix, _person(script, channel))
        menu = _person_menu(script, state, offers)
        if menu is not None:  # a line is open: offer to put them through
            return show(script, channel, menu, 0, stamp, "person", said, offers)
        return stay(script, state, screen, stamp, said, offers, "person")
    # Next, repeat, a call or a text: only as this point offers them.
    choice = next((c for c in screen.open if top is not None and _means(c, top)), None)
    if choice is not None:
        return _act(script, state, screen, choice, stamp, prefix, offers)
    if top is not None and top.kind == understanding.NEXT:
        said = (*prefix, script.phrase("no_more", channel))
        return stay(script, state, screen, stamp, said, offers, "no-more")
    if top is not None and top.kind == REPEAT:
        return show(script, channel, node, step, stamp, "repeat", prefix, offers)
    said = (*prefix, script.phrase("not_understood", channel))
    return stay(script, state, screen, stamp, said, offers)


def _act(
    script: Script,
    state: State,
    screen: Screen,
    choice: Choice,
    stamp: int,
    prefix: tuple[str, ...],
    offers: Offers,
) -> Reply:
    """Do what a chosen key, keyword or control says."""
    channel = state.channel
    node = script.nodes[state.node]
    step = state.step
    if choice.action == REPEAT:
        return show(script, channel, node, step, stamp, "repeat", prefix, offers)
    if choice.action == NEXT:
        if step + 1 < screen.count:
            return carry(script, state, node, step + 1, stamp, prefix, offers)
        then = script.nodes[node.next]
        return carry(script, state, then, 0, stamp, prefix, offers)
    if choice.action in (DIAL, TRANSFER, SEND_TEXT):
        held = replace(state, retries=0, at=stamp)
    if choice.action == DIAL:
        return Reply(held, (), screen.open, dial=choice.target, event="dial")
    if choice.action == TRANSFER:
        transfer = script.transfers[choice.target]
        words = finish(script, VOICE, (_words(transfer.connecting, VOICE),))
        return Reply(held, words, (), dial=transfer.number, event="transfer", transfer=transfer)
    if choice.action == SEND_TEXT:
        return Reply(held, (), screen.open, event="send_text", send_text=True)
    target = script.nodes[choice.target]
    return show(script, channel, target, 0, stamp, "chose", prefix, offers)


def _means(choice: Choice, meaning: understanding.Meaning) -> bool:
    """Whether an open choice is what a message meant (for choices other than GO)."""
    if choice.action in (DIAL, TRANSFER, TEXT_ME):
        return meaning.kind == choice.action and meaning.target == choice.target
    return choice.action == meaning.kind


def after_text(
    script: Script, state: State, outcome: str, now: datetime, offers: Offers | None = None
) -> Reply:
    """What a caller hears after asking for the text: how it went (one of TEXT_OUTCOMES),
    then the script's `text_me.then` menu, so the call always goes on."""
    offers = offers or Offers(now)
    text_me = script.text_me
    if text_me is None or state.script != script.id:
        return start(script, VOICE, now, event="restart", offers=offers)
    said = _words(text_me.outcomes.get(outcome), VOICE)
    then = script.nodes[text_me.then]
    return show(script, VOICE, then, 0, _stamp(now), f"text-{outcome}", (said,), offers)


def resume(
    script: Script, state: State, node: Node, given: Input, stamp: int, offers: Offers
) -> Reply:
    """Back from a <Dial>. Answered: a short goodbye. Anything else: words, then the
    menu again; never silence, never a hang-up."""
    transfer = script.transfers.get(given.via)
    step = state.step
    if transfer is None:  # a plain dial:, or a URL from before a script change
        return show(script, state.channel, node, step, stamp, "resume", (), offers)
    if given.value in ANSWERED:
        goodbye = finish(script, VOICE, (_words(transfer.completed, VOICE),))
        return Reply(state, goodbye, (), ends=True, event="transfer-completed")
    prefix = (_words(transfer.unanswered, VOICE),)
    return show(script, VOICE, node, step, stamp, "transfer-unanswered", prefix, offers)


def _words(text: Text | None, channel: str) -> str:
    return text.on(channel) if text is not None else ""


def _stamp(now: datetime) -> int:
    return int(now.timestamp())


def _read(script: Script, channel: str, given: Input | None, here: str) -> understanding.Reading:
    if given is None or given.kind not in (TYPED, SAID) or not given.value:
        return understanding.NOTHING
    return understanding.for_script(script, channel).read(given.value, here)


def _person_menu(script: Script, state: State, offers: Offers) -> Node | None:
    """Where a caller who asks for a person is offered a transfer: a transfer's
    `person_menu`, on the phone, while that line is open, and never an adults-only line
    to someone on the under-18 node."""
    if state.channel != VOICE:
        return None
    for transfer in script.transfers.values():
        if transfer.person_menu not in script.nodes or not offers.is_open(transfer):
            continue
        if transfer.adults_only and state.node == script.roles.get("under_18"):
            continue
        return script.nodes[transfer.person_menu]
    return None


def _person(script: Script, channel: str) -> str:
    """Asked for a person ("are you a real person?"): this is an automated line, and where
    to find someone to talk to. Where a script can put a caller through while a helpline
    is open, this is the place to offer that transfer too."""
    return script.phrase("automated", channel)
