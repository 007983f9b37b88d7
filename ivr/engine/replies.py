"""Replies built from a node's screen: a node shown after some words, the answer to what
a message meant (with "You also said..." beside it), staying at the same point after
input that was not understood, and the phone's silence and goodbye.

Every reply that stays in a conversation ends with the choices open at that point:
never a bare list, never silence. By text an offer ("You also said...") never pushes a
reply past one message (four segments by SMS): the answer itself (and Samaritans in it)
never moves behind NEXT; an offer that does not fit waits for the next part. A key
offered beside a reply ("press 3") works only while that reply stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ivr import understanding
from ivr.engine.choices import every_option
from ivr.engine.memo import kept, offer_key
from ivr.engine.screens import Screen, screen_at
from ivr.engine.state import CLOSED, Choice, Offers, Reply, State, too_long
from ivr.engine.words import finish, said_then
from ivr.outcomes import Outcome
from ivr.script import GO, MESSAGING, VOICE, WHATSAPP, Node, Option, Script


def show(
    script: Script,
    channel: str,
    node: Node,
    step: int,
    stamp: int,
    event: Outcome,
    prefix: tuple[str, ...] = (),
    offers: Offers = CLOSED,
    extra: tuple[str, ...] = (),
    also: str = "",
) -> Reply:
    """A node at a step or page, after `prefix`, with `extra` before its choices."""
    screen = screen_at(script, channel, node, step, offers)
    # A translation (ivr.languages.version) keeps its language in the state; the source is "".
    language = script.language if script.translated_from else ""
    state = State(channel, script.id, node.id, step, 0, also, stamp, language)
    # The screen's words are finished already; `finish` of the joined parts is the same.
    before = finish(script, channel, prefix) if prefix else ()
    between = finish(script, channel, extra) if extra else ()
    paragraphs = (*before, *screen.paragraphs, *between, *screen.listing)
    open_ = screen.open + tuple(_also_choice(script, state, screen)) if state.also else screen.open
    return Reply(state, paragraphs, open_, event=event)


def answer(
    script: Script,
    channel: str,
    target: Node,
    reading: understanding.Reading,
    stamp: int,
    event: Outcome,
    prefix,
    offers: Offers = CLOSED,
    after: tuple[str, ...] = (),
) -> Reply:
    """The answer to what a message meant, with Childline beside Samaritans for a child
    in danger, an offer of the second need it named, then `after` (how to delete a
    WhatsApp chat, in a first reply). The danger answer comes before the picture (or
    voice-note) note ("Pictures and files can't be viewed here"), never after it.

    By text the offer is left out when it would take the reply past one message: the
    answer itself, and Samaritans in it, must never move behind NEXT."""
    extra = []
    notes = _media_notes(script, channel)
    if target.id == script.roles["danger"]:
        if reading.child:
            extra.append(script.phrase("child_in_danger", channel))
        moved = [p for p in prefix if p in notes]
        if moved:  # danger first: the picture note after it
            prefix = [p for p in prefix if p not in notes]
            extra.extend(moved)
    also = reading.also
    offer = _offer(script, channel, target, also.target, offers) if also else None
    if offer:
        extra.append(offer)
    also_id = also.target if offer and channel == VOICE else ""
    shown = (script, channel, target, 0, stamp, event, tuple(prefix), offers)
    reply = show(*shown, (*extra, *after), also_id)
    if offer and too_long(channel, reply.text):  # with the next part
        extra = extra[:-1]
        reply = show(*shown, (*extra, *after), also.target)
    if too_long(channel, reply.text) and notes.intersection((*prefix, *extra)):
        # The picture note is the one thing an answer can do without.
        prefix = tuple(p for p in prefix if p not in notes)
        extra = [p for p in extra if p not in notes]
        shown = (script, channel, target, 0, stamp, event, prefix, offers)
        reply = show(*shown, (*extra, *after), reply.state.also)
    return reply


def carry(
    script: Script, state: State, node: Node, step: int, stamp: int, prefix, offers: Offers
) -> Reply:
    """The next part. By text an offer that did not fit beside an answer ("You also
    said...") comes with it, or with the part after if it still does not fit."""
    channel = state.channel
    offer = None
    if channel in MESSAGING and state.also:
        offer = _offer(script, channel, node, state.also, offers)
    shown = (script, channel, node, step, stamp, Outcome.NEXT, prefix, offers)
    if offer is None:
        return show(*shown)
    reply = show(*shown, (offer,))
    if too_long(channel, reply.text):
        reply = show(*shown, (), state.also)
    return reply


def _media_notes(script: Script, channel: str) -> set[str]:
    """The notes a texted reply may open with about media it cannot view: the picture
    note, and on WhatsApp the voice-note one (none on the phone)."""
    if channel == VOICE:
        return set()
    phrases = ("media", "voice_note") if channel == WHATSAPP else ("media",)
    return {script.phrase(p, channel) for p in phrases}


def _offer(script: Script, channel: str, here: Node, target: str, offers: Offers) -> str | None:
    """ "You also said...": the other need, with a key (phone) or keyword (SMS) for it.
    Remembered per point, need and open hand-offs, as the screens it reads are: a spoken
    or texted sentence that names two needs asks for it on every such turn."""
    key = ("also offer", channel, here.id, target, offer_key(script, offers))
    return kept(script, key, lambda: _made_offer(script, channel, here, target, offers))


def _made_offer(
    script: Script, channel: str, here: Node, target: str, offers: Offers
) -> str | None:
    option = _option_to(script, target)
    if option is None:
        return None
    template = script.phrase("also", channel)
    if channel in MESSAGING:
        return template.format(label=option.label.on(channel), key="", keyword=option.keyword)
    key = _key_for(screen_at(script, VOICE, here, 0, offers), target)
    if key is None:
        return None
    names = script.voice.key_names
    offer = template.format(label=option.label.voice, key=names.get(key, key), keyword="")
    return re.sub(r"(^|[.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), offer)


def _option_to(script: Script, target: str) -> Option | None:
    """The option that leads to `target`: on the main menu if there is one, else anywhere.
    Remembered (a turn must not look through every node: 1.5 ms at 10,000 nodes)."""
    return kept(script, ("option to", target), lambda: _find_option_to(script, target))


def _find_option_to(script: Script, target: str) -> Option | None:
    everywhere = [*script.main.options, *script.globals]
    everywhere += [o for n in script.nodes.values() for o in every_option(n)]
    return next((o for o in everywhere if o.action == GO and o.target == target), None)


def _key_for(screen: Screen, target: str) -> str | None:
    """The key for `target` at a screen: its own if it has one, else the first free digit."""
    for choice in screen.open:
        if choice.action == GO and choice.target == target and choice.key:
            return choice.key
    used = {c.key for c in screen.open}
    return next((k for k in "12345678" if k not in used), None)


def _also_choice(script: Script, state: State, screen: Screen) -> list[Choice]:
    """The key offered beside a reply ("You also said... press 3"), while it stands."""
    if not state.also or state.channel != VOICE or state.also not in script.nodes:
        return []
    key = _key_for(screen, state.also)
    if key is None or any(c.key == key for c in screen.open):
        return []
    option = _option_to(script, state.also)
    return [Choice(GO, state.also, key, option.keyword if option else "", "", ())]


def keyed(script: Script, state: State, screen: Screen, offers: Offers) -> list[Choice]:
    return [*screen.open, *_also_choice(script, state, screen)]


def retry(script: Script, state: State, screen: Screen, stamp: int, offers: Offers) -> Reply:
    """Voice silence: the choices again, or goodbye after too many silences in a row."""
    retries = state.retries + 1
    state = replace(state, retries=retries, at=stamp)
    if retries > script.max_retries:
        goodbye = finish(script, VOICE, (script.phrase("goodbye", VOICE),))
        return Reply(state, goodbye, (), ends=True, event=Outcome.GOODBYE)
    paragraphs = said_then(script, VOICE, (script.phrase("no_input", VOICE),), screen.listing)
    open_ = screen.open + tuple(_also_choice(script, state, screen)) if state.also else screen.open
    return Reply(state, paragraphs, open_, event=Outcome.SILENCE)


def stay(
    script: Script,
    state: State,
    screen: Screen,
    stamp: int,
    said: tuple[str, ...],
    offers: Offers = CLOSED,
    event: Outcome | None = None,
) -> Reply:
    """Stay here: say `said` (a sentence, never nothing: "sorry, this is an automated
    line...") and then the choices open here, never a bare list. Speaking or pressing
    keys never counts towards ending a call: only silence does."""
    channel = state.channel
    if state.retries or state.at != stamp:  # else the state already says so: kept as it is
        state = replace(state, retries=0, at=stamp)
    paragraphs = said_then(script, channel, said, screen.listing)
    open_ = screen.open + tuple(_also_choice(script, state, screen)) if state.also else screen.open
    event = event or (Outcome.WRONG if channel == VOICE else Outcome.UNKNOWN)
    return Reply(state, paragraphs, open_, event=event)
