"""The opening of a call or a first text, before any guide, in its fixed order:

    danger line -> language choice -> guide choice -> the guide's main menu

    start(library, channel, now, *, guide=None, ...)            -> Reply
    advance(library, state, given, now, idle_limit, offers)      -> Reply
    steps(library)                                               -> the menus it offers

Pure domain. Each choice is a short menu (a `Step`), offered only when there is more
than one thing to choose: the language choice when more than one language is offered
(the languages issue fills `language_step` in), the guide choice when the library has
more than one guide. With neither, `start` is the guide's own start and `advance` the
engine's: the line behaves, byte for byte, as that script alone.

The danger line and key are said once, first, in the default guide's words; the danger
key (and a crisis said or typed) works at every step; then the chosen guide starts
without saying them again (`engine.start(..., opened=True)`). While a step is asked the
state's node is the step's own id (ivr.script.OPENING_NODES, which no script can use)
and its script is the default guide; choosing a guide makes it the state's script.

By text a first message is read before any menu: danger is answered at once; one with
a guide's own `words` starts that guide, which answers what it means; anything else
gets the choices in one message. Where several guides are offered, the words GUIDES (the
language's lexicon, `guides:`) go back to the guide choice from anywhere, and so does the
main-menu key at a guide's main menu, which says so ("something else happened, press 0").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ivr import engine, understanding
from ivr.engine import Input, InputKind, Offers, Reply, State
from ivr.engine.replies import answer, show
from ivr.engine.screens import danger_first_words, finish, global_choices
from ivr.keywords import as_key
from ivr.opening.steps import (
    Item,
    Step,
    ask,
    guide_choice,
    guide_step,
    item_for,
    language_step,
    read,
    stamp,
    steps,
)
from ivr.opening.way_back import goes_back, means_back, way_back, with_way_back
from ivr.outcomes import Outcome
from ivr.script import GO, OPENING_NODES, REPEAT, SMS, VOICE, Script

__all__ = [
    "Item",
    "Step",
    "advance",
    "guide_step",
    "language_step",
    "start",
    "steps",
    "way_back",
    "with_way_back",
]


def start(
    library,
    channel: str,
    now: datetime,
    *,
    guide: Script | None = None,
    event: Outcome = Outcome.START,
    media: bool = False,
    offers: Offers | None = None,
    given: Input | None = None,
) -> Reply:
    """A new call or first text. `guide`: a webhook asked for this guide (?script=), so
    it starts there, as it does when the library offers no choice at all."""
    asked = steps(library)
    if guide is not None or not asked:
        script = guide or library.default
        reply = engine.start(
            script, channel, now, event=event, media=media, offers=offers, given=given
        )
        return with_way_back(library, script, reply) if asked else reply
    offers = offers or Offers(now)
    default = library.default
    text = (
        given.value if given is not None and given.kind in (InputKind.TYPED, InputKind.SAID) else ""
    )
    if text:
        reading = read(default, channel, text)
        if reading.danger:  # crisis words win over every guide's words
            again = {"event": event, "media": media, "offers": offers}
            return engine.start(default, channel, now, reading=reading, **again)
        routed = _routed(library, text)
        if routed is not None:
            reply = engine.start(
                routed, channel, now, event=event, media=media, offers=offers, given=given
            )
            return with_way_back(library, routed, reply)
    prefix = []
    if channel == SMS and media:
        prefix.append(default.phrase("media", SMS))
    prefix.append(default.phrase("danger_line", channel))
    if channel == VOICE:
        prefix.append(danger_first_words(default))
    state = State(channel, default.id, asked[0].node, at=stamp(now))
    return ask(library, asked[0], state, event, tuple(prefix))


def advance(
    library,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
    offers: Offers | None = None,
) -> Reply:
    """Move a conversation on by one input, in the opening or in a guide."""
    script = library.get(state.script)
    asked = steps(library)
    if not asked and script is not None:
        return engine.advance(script, state, given, now, idle_limit, offers)
    offers = offers or Offers(now)
    again = {"media": given.media, "offers": offers, "given": given}
    moment = stamp(now)
    if script is None or (state.node not in OPENING_NODES and state.node not in script.nodes):
        return start(library, state.channel, now, event=Outcome.RESTART, **again)
    if idle_limit is not None and state.at and moment - state.at > idle_limit.total_seconds():
        return start(library, state.channel, now, event=Outcome.EXPIRED, **again)
    step = next((s for s in asked if s.node == state.node), None)
    if step is not None:
        return _answer_step(library, asked, step, state, given, now, offers)
    if state.node in OPENING_NODES:  # a step no longer offered: the opening afresh
        return start(library, state.channel, now, event=Outcome.RESTART, **again)
    back = guide_choice(asked)
    if back is not None and goes_back(script, state, given):
        prefix = _media(script, state.channel, given)
        at_choice = replace(state, script=library.default.id, node=back.node, step=0, retries=0)
        return ask(library, back, replace(at_choice, also="", at=moment), Outcome.GUIDES, prefix)
    reply = engine.advance(script, state, given, now, idle_limit, offers)
    return with_way_back(library, script, reply)


# -- a step ---------------------------------------------------------------------------


def _answer_step(
    library, asked: tuple[Step, ...], step: Step, state: State, given: Input, now, offers
) -> Reply:
    """What a key, words or silence at a step of the opening lead to."""
    default = library.default  # the opening speaks in the default guide's words
    channel = state.channel
    moment = stamp(now)
    state = replace(state, at=moment) if state.at != moment else state
    if given.kind == InputKind.SILENCE and channel == VOICE:
        retries = state.retries + 1
        if retries > default.max_retries:
            goodbye = finish(default, VOICE, (default.phrase("goodbye", VOICE),))
            return Reply(
                replace(state, retries=retries), goodbye, (), ends=True, event=Outcome.GOODBYE
            )
        silent = (default.phrase("no_input", VOICE),)
        return ask(
            library, step, replace(state, retries=retries), Outcome.SILENCE, silent, again=True
        )
    prefix = _media(default, channel, given)
    state = replace(state, retries=0) if state.retries else state
    if given.kind == InputKind.RESUME:
        return ask(library, step, state, Outcome.RESUME, prefix)
    key = given.value if given.kind == InputKind.PRESSED else as_key(given.value)
    if key:
        item = next((i for i in step.items if i.key == key), None)
        if item is not None:
            return _chosen(library, asked, step, item, state, now, offers, prefix)
        choice = next((c for c in global_choices(default, channel) if c.key == key), None)
        if choice is not None and choice.action == GO and choice.target == default.roles["danger"]:
            danger = default.nodes[choice.target]
            return show(default, channel, danger, 0, moment, Outcome.CHOSE, prefix, offers)
        if choice is not None:  # repeat, or the main menu: at the top, this step again
            return ask(library, step, state, Outcome.REPEAT, prefix)
        sorry = default.phrase("wrong_input" if channel == VOICE else "not_understood", channel)
        return ask(
            library,
            step,
            state,
            Outcome.WRONG if channel == VOICE else Outcome.UNKNOWN,
            (*prefix, sorry),
            again=True,
        )
    reading = read(default, channel, given.value)
    if reading.danger:
        danger = default.nodes[default.roles["danger"]]
        return answer(default, channel, danger, reading, moment, Outcome.CHOSE, prefix, offers)
    item = item_for(step, given.value)
    if item is not None:
        return _chosen(library, asked, step, item, state, now, offers, prefix)
    top = reading.top
    if top is not None and top.kind == understanding.PERSON:
        said = (*prefix, default.phrase("automated", channel))
        return ask(library, step, state, Outcome.PERSON, said, again=True)
    if means_back(default, given.value) or (top is not None and top.kind == REPEAT):
        return ask(library, step, state, Outcome.REPEAT, prefix)
    said = (*prefix, default.phrase("not_understood", channel))
    return ask(library, step, state, Outcome.UNKNOWN, said, again=True)


def _chosen(library, asked, step: Step, item: Item, state: State, now, offers, prefix) -> Reply:
    """An item chosen: the next step, or the chosen guide's welcome and main menu
    (without the danger line, said already)."""
    chosen = replace(state, **{step.field: item.value})
    later = asked[asked.index(step) + 1 :]
    if later:
        return ask(library, later[0], replace(chosen, node=later[0].node), Outcome.CHOSE, prefix)
    script = library.get(chosen.script) or library.default
    media = bool(prefix)  # a picture came with the choice: the guide says so first
    reply = engine.start(
        script, state.channel, now, event=Outcome.GUIDE, media=media, offers=offers, opened=True
    )
    return with_way_back(library, script, reply)


def _routed(library, text: str) -> Script | None:
    """The guide a first text's words name, if exactly one does."""
    step = guide_choice(steps(library))
    item = item_for(step, text) if step is not None else None
    return library.get(item.value) if item is not None else None


def _media(script: Script, channel: str, given: Input) -> tuple[str, ...]:
    return (script.phrase("media", SMS),) if given.media and channel == SMS else ()
