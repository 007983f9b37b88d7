"""What a node shows: its content and the choices open at each step (phone) or page
(by text), said or listed in the script's own words.

    screen_at(script, channel, node, step, offers) -> Screen
    count_parts(script, channel, node)              -> how many steps or pages

A Screen depends only on the script, the channel, the point in the node and which
hand-offs can be offered now, so each is built once and remembered (ivr.engine.memo).
It is put together from the choices open there (ivr.engine.choices), the node's words
(ivr.engine.words) and, by text, the node's pages (ivr.engine.text_pages).
Also here, for timing and the voice channel: `danger_first`, `danger_first_words`,
`announcement`, `announcements`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.engine.choices import (
    closed_notes,
    global_choices,
    listed_groups,
    listing_of,
    next_choice,
    node_choices,
    say_choice,
    text_endings,
)
from ivr.engine.memo import kept, offer_key
from ivr.engine.state import Choice, Offers
from ivr.engine.text_pages import text_pages
from ivr.engine.words import finish_now, paragraphs_of, step_paragraphs
from ivr.script import GO, MENU, MESSAGING, STEPS, VOICE, Node, Script
from ivr.spoken import speak


@dataclass(frozen=True, slots=True)
class Screen:
    """What a node shows at one step (voice) or page (by text)."""

    paragraphs: tuple[str, ...]  # the content, finished for the channel (see `finish`)
    listing: tuple[str, ...]  # the listed choices, as words, finished for the channel
    open: tuple[Choice, ...]  # choices that work here
    count: int  # how many steps or pages the node has
    listed: tuple[Choice, ...] = ()  # by text: the choices the listing names, in its order


def count_parts(script: Script, channel: str, node: Node) -> int:
    if channel in MESSAGING:
        key = ("count", channel, node.id)
        return kept(script, key, lambda: len(text_pages(script, channel, node)))
    return len(node.steps) if node.kind == STEPS else 1


def screen_at(script: Script, channel: str, node: Node, step: int, offers: Offers) -> Screen:
    key = ("screen", channel, node.id, step, offer_key(script, offers))
    if channel == VOICE:
        return kept(script, key, lambda: _voice_screen(script, node, step, offers))
    return kept(script, key, lambda: _text_screen(script, channel, node, step))


def _voice_screen(script: Script, node: Node, step: int, offers: Offers) -> Screen:
    intro = paragraphs_of(node.text, VOICE)
    if node.kind == MENU:
        open_ = (*node_choices(script, VOICE, node, offers), *global_choices(script, VOICE))
        notes = closed_notes(script, node.options, offers)
        listing = listing_of(script, VOICE, node, open_, notes)
        return Screen(finish_now(script, VOICE, intro), listing, open_, 1)
    total = len(node.steps)
    last = step == total - 1
    paragraphs = (*(intro if step == 0 else ()), *step_paragraphs(script, node, VOICE, step))
    own = node_choices(script, VOICE, node, offers, step)
    open_ = (next_choice(script, VOICE, last), *own, *global_choices(script, VOICE))
    notes = closed_notes(script, node.options_at(step), offers)
    listing = listing_of(script, VOICE, node, open_, notes)
    return Screen(finish_now(script, VOICE, paragraphs), listing, open_, total)


def _text_screen(script: Script, channel: str, node: Node, page: int) -> Screen:
    pages = text_pages(script, channel, node)
    more, final = text_endings(script, channel, node)
    if page < len(pages) - 1:
        listed = more
        open_ = more
    elif node.kind == MENU:
        listed = open_ = final
    else:
        listed = final
        open_ = (next_choice(script, channel, True), *final)  # NEXT still leads on, unlisted
    listing = listing_of(script, channel, node, listed)
    named = listed_groups(script, channel, node, listed)[0]
    return Screen(finish_now(script, channel, pages[page]), listing, open_, len(pages), named)


def danger_first_words(script: Script) -> str:
    """The danger key, said straight after the danger line when the script asks for it."""
    found = danger_first(script)
    return found[1] if found else ""


def danger_first(script: Script) -> tuple[Choice, str] | None:
    """The danger choice and the spoken sentence that announces it first on the phone
    (the `danger_first` phrase), or None when the script has no such sentence."""
    return kept(script, ("danger_first",), lambda: _find_danger_first(script))


def _find_danger_first(script: Script) -> tuple[Choice, str] | None:
    if not script.phrase("danger_first", VOICE):
        return None
    danger = script.roles.get("danger")
    for choice in (*global_choices(script, VOICE), *node_choices(script, VOICE, script.main)):
        if choice.key and choice.action == GO and choice.target == danger:
            said = say_choice(script, choice, "danger_first")
            return choice, speak(said, script.pronounce, script.voice.spoken)
    return None


def announcement(script: Script, choice: Choice) -> str:
    """The spoken sentence that announces a choice in a menu, as a caller hears it."""
    return kept(
        script,
        ("announcement", choice),
        lambda: speak(say_choice(script, choice), script.pronounce, script.voice.spoken),
    )


def announcements(script: Script, choices: tuple[Choice, ...]) -> tuple[tuple[Choice, str], ...]:
    """Each keyed choice with the sentence that announces it, then the danger choice with
    its `danger_first` sentence; empty sentences left out (they announce nothing).
    Remembered by the choices: the screens of thousands of nodes offer the same ones."""
    return kept(script, ("announcements", choices), lambda: _announced(script, choices))


def _announced(script: Script, choices: tuple[Choice, ...]) -> tuple[tuple[Choice, str], ...]:
    found = [(c, announcement(script, c)) for c in choices if c.key]
    first = danger_first(script)
    if first:
        found.append(first)
    return tuple((choice, sentence) for choice, sentence in found if sentence)
