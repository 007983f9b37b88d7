"""The opening's steps: short menus asked before any guide, in their fixed order.

    steps(library)            -> (Step, ...)   the language choice, then the guide choice
    ask(library, step, state, event, said, again)  -> Reply   a step's question and items

A Step is a question and its Items (a key, a keyword, a label, the words that choose
it, and what choosing sets in the state). Asked in the default guide's words: its
`choice` phrase for each item, then its global choices (the danger key among them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ivr import understanding
from ivr.engine import Choice, Reply, State
from ivr.engine.memo import kept
from ivr.engine.screens import finish, global_choices, listing, said_then
from ivr.keywords import normalise
from ivr.outcomes import Outcome
from ivr.script import GO, GUIDE_CHOICE, SMS, Script, Text


@dataclass(frozen=True, slots=True)
class Item:
    """One thing to choose at a step: a guide (its script id) or a language (its tag)."""

    key: str  # "1", "2", ...: the order offered
    keyword: str
    label: Text
    words: tuple[str, ...]  # normal forms (ivr.keywords.normalise) that choose it
    value: str


@dataclass(frozen=True, slots=True)
class Step:
    """A menu of the opening: a question, then its items; choosing one sets `field` of
    the state ("script" for a guide, "language" for a language) to the item's value."""

    node: str  # one of OPENING_NODES: the state's node while this step is asked
    question: Text
    items: tuple[Item, ...]
    field: str


def guide_step(library) -> Step | None:
    """The guide choice: the guides the library offers, in its order, keyed 1, 2, ..."""
    if not library.choosing:
        return None
    items = []
    for number, script in enumerate(library.offered, 1):
        guide = script.guide
        said = (guide.keyword, *guide.words)
        words = tuple(dict.fromkeys(w for w in map(normalise, said) if w))
        items.append(Item(str(number), guide.keyword, guide.label, words, script.id))
    question = library.default.phrases["choose_guide"]
    return Step(GUIDE_CHOICE, question, tuple(items), "script")


def language_step(library) -> Step | None:
    """The language choice, offered only when more than one language is offered. The
    languages issue (25) fills this in; until then a library offers its source language
    alone, and a test may offer a step here through `library.language_step`."""
    return getattr(library, "language_step", None)


@lru_cache(maxsize=16)  # one per library served
def steps(library) -> tuple[Step, ...]:
    """The steps this library's opening asks, in their fixed order."""
    return tuple(s for s in (language_step(library), guide_step(library)) if s is not None)


def ask(
    library, step: Step, state: State, event: Outcome, said: tuple[str, ...] = (), again=False
) -> Reply:
    """A step's question and items after `said`; `again`: a re-prompt, the items only.
    By SMS a step asked afresh opens with the discreet first line, as every new start
    does: a lock screen shows its start."""
    default = library.default
    channel = state.channel
    own, always, open_ = choices(library, step, channel)
    listed = listing(default, channel, own, always)
    if not again:
        listed = (*finish(default, channel, (step.question.on(channel),)), *listed)
        if channel == SMS:
            said = (default.phrase("first_line", SMS), *said)
    paragraphs = said_then(default, channel, tuple(said), listed) if said else listed
    return Reply(state, paragraphs, open_, event=event)


def choices(library, step: Step, channel: str):
    """(the step's items, the default guide's global choices listed beside them, every
    choice open): worked out once per step and channel."""
    default = library.default

    def build():
        own = tuple(
            Choice(GO, i.value, i.key, i.keyword, i.label.on(channel), i.words) for i in step.items
        )
        globals_ = global_choices(default, channel)
        main = default.roles["main"]
        always = tuple(c for c in globals_ if not (c.action == GO and c.target == main))
        return own, always, own + globals_

    return kept(default, ("opening", step, channel), build)


def item_for(step: Step, text: str) -> Item | None:
    """The item whose words a message has (the longest match, if several)."""
    said = f" {normalise(text)} "
    found = [(len(w), i) for i in step.items for w in i.words if f" {w} " in said]
    if not found:
        return None
    found.sort(key=lambda pair: -pair[0])
    best = [i for n, i in found if n == found[0][0]]
    return best[0] if len(set(best)) == 1 else None


def guide_choice(asked: tuple[Step, ...]) -> Step | None:
    return next((s for s in asked if s.node == GUIDE_CHOICE), None)


def read(script: Script, channel: str, text: str) -> understanding.Reading:
    return understanding.for_script(script, channel).read(text, script.main.id)


def stamp(now: datetime) -> int:
    return int(now.timestamp())
