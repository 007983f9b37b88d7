"""The opening's steps: short menus asked before any guide, in their fixed order.

    steps(library)            -> (Step, ...)   the language choice, then the guide choice
    steps_on(library, channel) -> (Step, ...)  those asked on a channel (by text, the
                                               language is the one a person writes in)
    ask(library, step, state, event, said, again)  -> Reply   a step's question and items

A Step is a question and its Items (a key, a keyword, a label, the words that choose
it, and what choosing sets in the state). Asked in the default guide's words, in the
state's language: its `choice` phrase for each item, then its global choices (the danger
key among them). The language choice is asked in every language offered, each line in
its own language (Reply.languages): the danger key first, then "Am Gymraeg, pwyswch 1."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ivr import understanding
from ivr.engine import Choice, Reply, State
from ivr.engine.choices import global_choices, listing
from ivr.engine.memo import kept
from ivr.engine.screens import danger_first_words
from ivr.engine.words import finish, said_then
from ivr.keywords import normalise
from ivr.outcomes import Outcome
from ivr.script import (
    GO,
    GUIDE_CHOICE,
    LANGUAGE_CHOICE,
    MESSAGING,
    VOICE,
    WHATSAPP,
    Script,
    Text,
)
from ivr.understanding.lexicon_file import load as load_lexicon


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
    """The language choice, offered only when more than one language is offered: the
    languages in the operator's order (IVR_LANGUAGES), keyed 1, 2, ...; each item's
    keyword is the language's own name (CYMRAEG, ENGLISH), its label its own
    `choose_language` phrase, and its value its tag ("" for the source language)."""
    offered = getattr(library, "languages", ())
    if len(offered) < 2:
        return getattr(library, "language_step", None)  # a test's own step, if any
    default = library.default
    items = []
    for number, tag in enumerate(offered, 1):
        spoken = library.speaking(default, tag)
        name = load_lexicon(tag).name or tag
        words = tuple(dict.fromkeys(w for w in map(normalise, (name, tag)) if w))
        value = "" if tag == default.language else tag
        label = spoken.phrases["choose_language"]
        items.append(Item(str(number), name.upper(), label, words, value))
    return Step(LANGUAGE_CHOICE, Text("", ""), tuple(items), "language")


@lru_cache(maxsize=16)  # one per library served
def steps(library) -> tuple[Step, ...]:
    """The steps this library's opening asks, in their fixed order."""
    return tuple(s for s in (language_step(library), guide_step(library)) if s is not None)


def steps_on(library, channel: str) -> tuple[Step, ...]:
    """The steps asked on `channel`: by text no language choice is asked, as a first text
    is answered in the language it is written in (ivr.opening.languages)."""
    asked = steps(library)
    if channel == VOICE:
        return asked
    return tuple(s for s in asked if s.node != LANGUAGE_CHOICE)


def ask(
    library,
    step: Step,
    state: State,
    event: Outcome,
    said: tuple[str, ...] = (),
    again=False,
    danger_lines=False,
) -> Reply:
    """A step's question and items after `said`; `again`: a re-prompt, the items only.
    By text a step asked afresh opens with the discreet first line, as every new start
    does: a lock screen shows its start; on WhatsApp how to delete the chat follows.
    `danger_lines`: the call's start, at the language choice: the danger line in each
    language, first."""
    if step.node == LANGUAGE_CHOICE and len(getattr(library, "languages", ())) > 1:
        return _ask_language(library, step, state, event, said, danger_lines)
    default = library.speaking(library.default, state.language)
    channel = state.channel
    own, always, open_ = choices(library, step, channel, default)
    listed = listing(default, channel, own, always)
    if not again:
        question = default.phrases["choose_guide"] if step.node == GUIDE_CHOICE else step.question
        listed = (*finish(default, channel, (question.on(channel),)), *listed)
        if channel in MESSAGING:
            said = (default.phrase("first_line", channel), *said)
        if channel == WHATSAPP:
            said = (*said, default.phrase("delete_chat", WHATSAPP))
    paragraphs = said_then(default, channel, tuple(said), listed) if said else listed
    return Reply(state, paragraphs, open_, event=event)


def _ask_language(
    library, step: Step, state: State, event: Outcome, said, danger_lines: bool
) -> Reply:
    """The language choice, each line in its own language: `said`; the danger line (at
    the start) and the danger key in each language; then each language's own line
    ("Am Gymraeg, pwyswch 1.")."""
    default = library.default
    first = library.languages[0]  # `said` is in the first offered: none is chosen yet
    paragraphs = list(finish(library.speaking(default, first), VOICE, tuple(said)))
    languages = [first] * len(paragraphs)
    for tag in library.languages:
        spoken = library.speaking(default, tag)
        if danger_lines:
            paragraphs += finish(spoken, VOICE, (spoken.phrase("danger_line", VOICE),))
        paragraphs += _danger_key(spoken)
        languages += [tag] * (len(paragraphs) - len(languages))
    for item, tag in zip(step.items, library.languages, strict=True):
        spoken = library.speaking(default, tag)
        line = item.label.on(VOICE).format(key=item.key, keyword=item.keyword)
        paragraphs += finish(spoken, VOICE, (line,))
        languages += [tag] * (len(paragraphs) - len(languages))
    _, _, open_ = choices(library, step, VOICE, default)
    return Reply(state, tuple(paragraphs), open_, event=event, languages=tuple(languages))


def _danger_key(spoken: Script) -> tuple[str, ...]:
    """The danger key in one language: its `danger_first` sentence, else its danger
    choice as any menu lists it."""
    if danger_first_words(spoken):
        return finish(spoken, VOICE, (danger_first_words(spoken),))
    danger = spoken.roles["danger"]
    found = [c for c in global_choices(spoken, VOICE) if c.action == GO and c.target == danger]
    return listing(spoken, VOICE, (), tuple(found[:1]))


def choices(library, step: Step, channel: str, default: Script):
    """(the step's items, the default guide's global choices listed beside them, every
    choice open): worked out once per step, channel and language."""

    def build():
        own = tuple(
            Choice(GO, i.value, i.key, i.keyword, _in(i.label, default).on(channel), i.words)
            for i in step.items
        )
        globals_ = global_choices(default, channel)
        main = default.roles["main"]
        always = tuple(c for c in globals_ if not (c.action == GO and c.target == main))
        return own, always, own + globals_

    return kept(default, ("opening", step, channel), build)


def _in(text: Text, script: Script) -> Text:
    """A label in the language `script` speaks (a guide's label lives with its guide)."""
    found = text.version(script.language) if script.translated_from else None
    return found.text if found is not None else text


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
