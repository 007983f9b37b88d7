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
from ivr.engine.choices import global_choices
from ivr.engine.replies import answer, show
from ivr.engine.screens import danger_first_words
from ivr.engine.state import media_note
from ivr.engine.words import finish
from ivr.keywords import as_key
from ivr.opening.languages import (
    first_language,
    switched_to,
    with_other_languages,
    written_in,
)
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
    steps_on,
)
from ivr.opening.way_back import goes_back, means_back, way_back, with_way_back
from ivr.outcomes import Outcome
from ivr.script import (
    GO,
    GUIDE_CHOICE,
    LANGUAGE_CHOICE,
    MESSAGING,
    OPENING_NODES,
    REPEAT,
    SMS,
    VOICE,
    Script,
)

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
    voice: bool = False,
    offers: Offers | None = None,
    given: Input | None = None,
) -> Reply:
    """A new call or first text. `guide`: a webhook asked for this guide (?script=), so it
    starts there (after the language choice: a number per guide is still the helpline's),
    as when the library offers no choice at all. A first text is answered in the language
    it is written in (ivr.opening.languages). `voice`: a WhatsApp voice note came too."""
    media = media or voice
    text = (
        given.value if given is not None and given.kind in (InputKind.TYPED, InputKind.SAID) else ""
    )
    language = written_in(library, text) if channel in MESSAGING else first_language(library)
    asked = steps_on(library, channel)
    if _choosing_language(library, asked):  # in each language; `advance` gets the guide too
        chosen = (guide or library.default).id
        state = State(channel, chosen, LANGUAGE_CHOICE, at=stamp(now), language=language)
        return ask(library, asked[0], state, event, danger_lines=True)
    if guide is not None or not asked:
        script = library.speaking(guide or library.default, language)
        reply = engine.start(
            script, channel, now, event=event, media=media, voice=voice, offers=offers,
            given=given,
        )  # fmt: skip
        reply = with_other_languages(library, script, _keys_only(script, reply, opening=True))
        return with_way_back(library, script, reply) if asked else reply
    offers = offers or Offers(now)
    default = library.speaking(library.default, language)
    reading = understanding.NOTHING
    if text:
        reading = read(default, channel, text)
        if reading.danger:  # crisis words win over every guide's words
            again = {"event": event, "media": media, "voice": voice, "offers": offers}
            return engine.start(default, channel, now, reading=reading, **again)
        routed = _routed(library, text)
        if routed is not None:
            routed = library.speaking(routed, language)
            reply = engine.start(
                routed, channel, now, event=event, media=media, voice=voice, offers=offers,
                given=given,
            )  # fmt: skip
            return with_way_back(library, routed, reply)
    state = State(channel, default.id, asked[0].node, at=stamp(now), language=language)
    prefix = []
    if channel in MESSAGING and media:
        prefix.append(default.phrase(media_note(channel, given, voice), channel))
    # Danger clearly denied beside a need: 999 and Samaritans in place of the 999 line.
    prefix.append(default.phrase("danger_denied" if reading.denied else "danger_line", channel))
    if channel == VOICE:
        prefix.append(danger_first_words(default))
    reply = ask(library, asked[0], state, event, tuple(prefix))
    return with_other_languages(library, default, reply)


def _choosing_language(library, asked: tuple[Step, ...]) -> bool:
    """Whether the opening asks the language first (on the phone, several offered)."""
    return bool(asked) and asked[0].node == LANGUAGE_CHOICE and len(library.languages) > 1


def advance(
    library,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
    offers: Offers | None = None,
    guide: Script | None = None,
) -> Reply:
    """Move a conversation on by one input, in the opening or in a guide. `guide`: the
    guide this number's webhook asked for (?script=), where the call is still at the
    language choice: choosing a language then starts it, with no guide choice."""
    script = library.get(state.script)
    asked = steps_on(library, state.channel)
    switch = switched_to(library, given.value) if given.kind == InputKind.TYPED else None
    if not asked and script is not None and switch is None:
        spoken = library.speaking(script, state.language)
        return engine.advance(spoken, state, given, now, idle_limit, offers)
    offers = offers or Offers(now)
    again = {"media": given.media, "offers": offers, "given": given, "guide": guide}
    moment = stamp(now)
    if script is None or (state.node not in OPENING_NODES and state.node not in script.nodes):
        return start(library, state.channel, now, event=Outcome.RESTART, **again)
    if idle_limit is not None and state.at and moment - state.at > idle_limit.total_seconds():
        return start(library, state.channel, now, event=Outcome.EXPIRED, **again)
    if switch is not None:
        return _switched(library, asked, script, replace(state, language=switch), now, offers)
    step = next((s for s in asked if s.node == state.node), None)
    if step is not None:
        if guide is not None:  # the number's own guide: no guide choice after this step
            asked = tuple(s for s in asked if s.node != GUIDE_CHOICE)
        return _answer_step(library, asked, step, state, given, now, offers)
    if state.node in OPENING_NODES:  # a step no longer offered: the opening afresh
        return start(library, state.channel, now, event=Outcome.RESTART, **again)
    script = library.speaking(script, state.language)
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
    # The default guide's words, in the state's language (at the choice: the first offered).
    language = library.languages[0] if step.node == LANGUAGE_CHOICE else state.language
    default = library.speaking(library.default, language)
    channel = state.channel
    moment = stamp(now)
    state = replace(state, at=moment) if state.at != moment else state
    if given.kind == InputKind.SILENCE and channel == VOICE:
        return _silence(library, step, state, default)
    prefix = _media(default, channel, given)
    state = replace(state, retries=0) if state.retries else state
    if given.kind == InputKind.RESUME:
        return ask(library, step, state, Outcome.RESUME, prefix)
    if given.kind == InputKind.TAPPED:
        return _tapped(library, asked, step, state, given, now, offers, prefix)
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


def _silence(library, step: Step, state: State, default: Script) -> Reply:
    """Nothing heard at a step of a call's opening: the step again, or goodbye."""
    retries = state.retries + 1
    if retries > default.max_retries:
        goodbye = finish(default, VOICE, (default.phrase("goodbye", VOICE),))
        return Reply(replace(state, retries=retries), goodbye, (), ends=True, event=Outcome.GOODBYE)
    silent = (default.phrase("no_input", VOICE),)
    return ask(library, step, replace(state, retries=retries), Outcome.SILENCE, silent, again=True)


def _tapped(library, asked, step: Step, state: State, given: Input, now, offers, prefix):
    """A WhatsApp tap on an older message's choice, by what it does: an item of this step,
    danger, or else this step asked again."""
    item = next((i for i in step.items if i.value == given.value), None)
    if item is not None:
        return _chosen(library, asked, step, item, state, now, offers, prefix)
    default = library.default
    if given.via == GO and given.value == default.roles["danger"]:
        danger = default.nodes[given.value]
        return show(default, state.channel, danger, 0, stamp(now), Outcome.CHOSE, prefix, offers)
    return ask(library, step, state, Outcome.REPEAT, prefix)


def _chosen(library, asked, step: Step, item: Item, state: State, now, offers, prefix) -> Reply:
    """An item chosen: the next step, or the chosen guide's welcome and main menu
    (without the danger line, said already)."""
    chosen = replace(state, **{step.field: item.value})
    event = Outcome.LANGUAGE if step.node == LANGUAGE_CHOICE else Outcome.CHOSE
    later = asked[asked.index(step) + 1 :]
    if later:
        return ask(library, later[0], replace(chosen, node=later[0].node), event, prefix)
    script = library.speaking(library.get(chosen.script) or library.default, chosen.language)
    media = bool(prefix)  # a picture came with the choice: the guide says so first
    event = Outcome.LANGUAGE if step.node == LANGUAGE_CHOICE else Outcome.GUIDE
    reply = engine.start(
        script, state.channel, now, event=event, media=media, offers=offers, opened=True
    )
    return with_way_back(library, script, _keys_only(script, reply))


def _keys_only(script: Script, reply: Reply, opening: bool = False) -> Reply:
    """A call in a language Twilio hears no speech in says once, at its start, that it
    takes keys only (the language's `keys_only` phrase): after the danger line and key
    where the call opens here (`opening`), which always come first."""
    if reply.state.channel != VOICE or script.voice.speech:
        return reply
    said = finish(script, VOICE, (script.phrase("keys_only", VOICE),))
    at = 0
    if opening:
        danger = (script.phrase("danger_line", VOICE), danger_first_words(script))
        at = len(finish(script, VOICE, danger))
    return replace(reply, paragraphs=(*reply.paragraphs[:at], *said, *reply.paragraphs[at:]))


def _switched(library, asked, script: Script | None, state: State, now, offers) -> Reply:
    """A language's name typed (CYMRAEG, ENGLISH): where the texter is, in that language,
    from its start; at the opening, its question again."""
    step = next((s for s in asked if s.node == state.node), None)
    moment = stamp(now)
    if step is not None or script is None or state.node not in script.nodes:
        step = step or (asked[0] if asked else None)
        if step is None:
            return start(library, state.channel, now, event=Outcome.RESTART)
        at = replace(state, node=step.node, step=0, retries=0, also="", at=moment)
        return ask(library, step, at, Outcome.LANGUAGE)
    spoken = library.speaking(script, state.language)
    first = (spoken.phrase("first_line", SMS),)
    reply = show(spoken, SMS, spoken.nodes[state.node], 0, moment, Outcome.LANGUAGE, first, offers)
    return with_way_back(library, spoken, reply)


def _routed(library, text: str) -> Script | None:
    """The guide a first text's words name, if exactly one does."""
    step = guide_choice(steps(library))
    item = item_for(step, text) if step is not None else None
    return library.get(item.value) if item is not None else None


def _media(script: Script, channel: str, given: Input) -> tuple[str, ...]:
    if given.media and channel in MESSAGING:
        return (script.phrase(media_note(channel, given), channel),)
    return ()
