"""The choices open at a point of a node, and how they are said or listed.

    node_choices(script, channel, node, offers, step)   a node's own choices open now
    global_choices(script, channel)                     the script's global options
    next_choice(script, channel, last)                  "more" / "next" of a steps node
    text_endings(script, channel, node)                 listed under a page, then the last
    top_options(script, channel, offers)                the main menu's and two levels down
    closed_notes(script, options, offers)               said for a transfer closed now
    listing_of(script, channel, node, choices, notes)   the choices as finished words
    listing(script, channel, own, always)               choices of no node, listed alike
    listed_groups(script, channel, node, choices)       how a listing groups its choices
    listing_words(script, channel, shown, notes)        a listing's words, not finished
    say_choice(script, choice, phrase)                  one choice as a spoken sentence
    every_option(node)                                  a node's options, every step's too

A choice is offered only where it can be taken now (a transfer while its line is open,
"text me" where texts can be sent). On the phone a point's own choices are said, then
(after a pause) the ones always open; by text they are one block of lines. A global
choice that leads to the node shown is not listed but stays open. Remembered per script
(ivr.engine.memo); imports the words module only, so screens and pages can share it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr.engine.memo import kept, offer_key
from ivr.engine.state import CLOSED, NEXT, Choice, Offers
from ivr.engine.words import finish
from ivr.keywords import normalise
from ivr.script import (
    ANNOUNCE_MAIN,
    DIAL,
    GO,
    MENU,
    SEND_TEXT,
    TEXT_ME,
    TRANSFER,
    VOICE,
    Node,
    Option,
    Script,
)


def _choice(option: Option, channel: str, always: bool = False) -> Choice:
    target = {DIAL: option.dial, TRANSFER: option.transfer}.get(option.action, option.target)
    words = tuple(normalise(w) for w in option.words)
    label = option.label.on(channel)
    main_only = always and option.announce == ANNOUNCE_MAIN
    return Choice(
        option.action, target, option.key, option.keyword, label, words, always, main_only
    )


def node_choices(
    script: Script, channel: str, node: Node, offers: Offers = CLOSED, step: int | None = None
) -> list[Choice]:
    """The node's own choices that can be offered now (a steps node's, at `step`). Not
    remembered: only a screen being built asks, and the screen is remembered."""
    options = node.options if step is None else node.options_at(step)
    return [
        _choice(o, channel)
        for o in options
        if channel in o.channels and _offered(script, o, offers)
    ]


def _offered(script: Script, option: Option, offers: Offers) -> bool:
    if option.action == DIAL:
        return offers.dialling
    if option.action == TRANSFER:
        return offers.is_open(script.transfers[option.transfer])
    if option.action in (TEXT_ME, SEND_TEXT):
        return offers.texting and script.text_me is not None
    return True


def closed_notes(script: Script, options: tuple[Option, ...], offers: Offers) -> tuple[str, ...]:
    """What is said in place of a transfer that is closed now: when it opens, and the
    number to call then (where the script gives those words)."""
    notes = []
    for option in options:
        if option.action == TRANSFER:
            transfer = script.transfers[option.transfer]
            if not offers.is_open(transfer) and transfer.closed is not None:
                notes.append(transfer.closed.on(VOICE))
    return tuple(dict.fromkeys(n for n in notes if n))


def top_options(script: Script, channel: str, offers: Offers = CLOSED) -> list[Choice]:
    """The options of the main menu and of the menus up to two levels below it, nearest
    first: where a topic's words lead from anywhere, once the main menu is short."""
    key = ("top", channel, offer_key(script, offers))
    return list(kept(script, key, lambda: _top_choices(script, channel, offers)))


def _top_choices(script: Script, channel: str, offers: Offers) -> tuple[Choice, ...]:
    return tuple(
        c for node in _top_menus(script) for c in node_choices(script, channel, node, offers)
    )


def _top_menus(script: Script) -> tuple[Node, ...]:
    found = [script.main]
    level = [script.main]
    for _ in range(2):
        children = []
        for node in level:
            for option in node.options:
                child = script.nodes.get(option.target) if option.action == GO else None
                if child is not None and child.kind == MENU and child not in found:
                    found.append(child)
                    children.append(child)
        level = children
    return tuple(found)


def global_choices(script: Script, channel: str) -> tuple[Choice, ...]:
    """The script's global options on a channel, as choices (remembered)."""
    return kept(
        script,
        ("globals", channel),
        lambda: tuple(_choice(o, channel, True) for o in script.globals if channel in o.channels),
    )


def next_choice(script: Script, channel: str, last: bool) -> Choice:
    return kept(script, ("next", channel, last), lambda: _make_next(script, channel, last))


def _make_next(script: Script, channel: str, last: bool) -> Choice:
    control = script.next_control
    label = (control.last_label if last else control.label).on(channel)
    # By SMS a continuing part offers "1 - for more (NEXT)", as the phone does; the last
    # part leads on by the word alone, as its number belongs to no list shown.
    pressed = control.key if channel == VOICE or not last else None
    words = tuple(normalise(w) for w in control.words)
    return Choice(NEXT, None, pressed, control.keyword, label, words)


def text_endings(
    script: Script, channel: str, node: Node
) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The choices listed under a page with more to follow, and under the last page."""
    globals_ = tuple(global_choices(script, channel))
    more = (next_choice(script, channel, False), *globals_)
    if node.kind == MENU:
        return more, (*node_choices(script, channel, node), *globals_)
    return more, globals_


def every_option(node: Node) -> Iterator[Option]:
    yield from node.options
    for options in node.step_options:
        yield from options


def listing_of(
    script: Script, channel: str, node: Node, choices, notes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The choices as words, finished for the channel. On the phone: this point's own
    choices, then (after a pause) the ones that are always open, so each part stays
    short. By SMS: one block of lines. Remembered by the choices it names, so the many
    nodes that list the same choices share one.

    A global choice that leads to this very node ("main menu" on the main menu, "danger"
    at the danger node) is not listed, but it stays open: pressing 9 at the danger node
    must never be "not one of the choices". `notes` (voice) follow this point's own
    choices: what is said in place of a line that is closed now. A menu's `quiet` global
    keys are not said there, and still work."""
    shown = listed_groups(script, channel, node, choices)
    key = ("listing", channel, shown, notes)
    return kept(
        script, key, lambda: finish(script, channel, listing_words(script, channel, shown, notes))
    )


def listed_groups(
    script: Script, channel: str, node: Node, choices
) -> tuple[tuple[Choice, ...], ...]:
    """The choices a listing names, as it groups them: on the phone this point's own, then
    the ones always open; by SMS one group."""
    choices = [c for c in choices if not (c.always and c.action == GO and c.target == node.id)]
    if channel == VOICE:
        at_main = node.id == script.main.id
        own = tuple(c for c in choices if not c.always)
        always = tuple(
            c
            for c in choices
            if c.always and (at_main or not c.main_only) and c.key not in node.quiet
        )
        return own, always
    return (tuple(choices),)


def listing_words(
    script: Script, channel: str, shown: tuple[tuple[Choice, ...], ...], notes: tuple[str, ...]
) -> tuple[str, ...]:
    if channel == VOICE:
        if not script.voice.speech:  # keys only (a language Twilio cannot hear): danger first
            shown = _danger_key_first(script, shown)
        sentences = [[say_choice(script, c) for c in part] for part in shown]
        sentences[0] += [_sentence(n) for n in notes]
        return tuple(" ".join(part) for part in sentences if part)
    lines = [script.phrase("menu_intro", channel)]
    for c in shown[0]:
        if c.key:
            choice = script.phrase("choice", channel)
            lines.append(choice.format(label=c.label, key=c.key, keyword=c.keyword))
        else:
            choice = script.phrase("word_choice", channel)
            lines.append(choice.format(label=c.label, keyword=c.keyword))
    return ("\n".join(line for line in lines if line),)


def _danger_key_first(script: Script, shown: tuple[tuple[Choice, ...], ...]):
    """The parts of a spoken menu with the danger choice said first, before every other:
    in a language taken by keys alone, a caller in crisis cannot say so, so hears its
    key at once on every menu (docs/languages.md)."""
    danger = script.roles.get("danger")
    first = [c for part in shown for c in part if c.action == GO and c.target == danger]
    if not first:
        return shown
    rest = [tuple(c for c in part if c not in first) for part in shown]
    return ((*first[:1], *rest[0]), *rest[1:])


def listing(
    script: Script, channel: str, own: tuple[Choice, ...], always: tuple[Choice, ...]
) -> tuple[str, ...]:
    """Choices of no node (the opening's, ivr.opening) listed as a node lists its own and
    then the ones always open, finished for the channel, in the script's own words."""
    shown = (own, always) if channel == VOICE else (own + always,)
    key = ("listing", channel, shown, ())
    return kept(
        script, key, lambda: finish(script, channel, listing_words(script, channel, shown, ()))
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def say_choice(script: Script, choice: Choice, phrase: str = "choice") -> str:
    names = script.voice.key_names
    template = script.phrase(phrase, VOICE)
    key = names.get(choice.key, choice.key)
    return _sentence(template.format(label=choice.label, key=key, keyword=choice.keyword))
