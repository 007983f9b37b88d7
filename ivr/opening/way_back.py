"""The way back to the guide choice, where one number offers several guides.

    goes_back(script, state, given)        -> bool    GUIDES anywhere; the main-menu key
                                                      at a guide's main menu
    with_way_back(library, script, reply)  -> Reply   a main-menu reply saying so last

The words are the language's (its lexicon's `guides:` list; the first, in capitals, is
the keyword texted menus show); the key is the guide's own main-menu key, which at its
main menu has nowhere else to go, so there it goes up one more level, to the choice.
"""

from __future__ import annotations

from dataclasses import replace

from ivr import gsm7
from ivr.engine import SMS_GAP, Choice, Input, InputKind, Reply, State, too_long
from ivr.engine.choices import global_choices, listing
from ivr.engine.memo import kept
from ivr.engine.screens import count_parts
from ivr.engine.state import media_note
from ivr.keywords import as_key, normalise
from ivr.opening.steps import guide_choice, read, steps
from ivr.script import GO, GUIDE_CHOICE, MESSAGING, Script
from ivr.understanding.lexicon import GUIDES
from ivr.understanding.lexicon_file import load as load_lexicon


def goes_back(script: Script, state: State, given: Input) -> bool:
    """GUIDES (and the lexicon's other words for it) anywhere; the main-menu key at the
    main menu's last part. A crisis in the same message goes to the guide instead."""
    if given.kind not in (InputKind.PRESSED, InputKind.TYPED, InputKind.SAID) or not given.value:
        return False
    key = given.value if given.kind == InputKind.PRESSED else as_key(given.value)
    if key is None:
        text = given.value
        return means_back(script, text) and not read(script, state.channel, text).danger
    return (
        key == _back_key(script, state.channel)
        and state.node == script.main.id
        and state.step >= count_parts(script, state.channel, script.main) - 1
    )


def means_back(script: Script, text: str) -> bool:
    said = f" {normalise(text)} "
    return any(f" {w} " in said for w in back_words(script))


def back_words(script: Script) -> tuple[str, ...]:
    return kept(script, ("back words",), lambda: load_lexicon(script.language).words(GUIDES))


def _back_key(script: Script, channel: str) -> str | None:
    """The key that goes back: the script's main-menu key (a global to its main node)."""
    main = script.roles["main"]
    found = (c.key for c in global_choices(script, channel) if c.action == GO and c.target == main)
    return next(found, None)


def way_back(script: Script, channel: str) -> Choice | None:
    """The choice, at a guide's main menu, that goes back to the guide choice."""

    def build():
        key = _back_key(script, channel)
        words = back_words(script)
        if not words:
            return None
        label = script.phrases["other_guide"].on(channel)
        return Choice(GO, GUIDE_CHOICE, key, words[0].upper(), label, words)

    return kept(script, ("way back", channel), build)


def with_way_back(library, script: Script, reply: Reply) -> Reply:
    """A reply at a guide's main menu (its last part), with the way back to the guide
    choice said last, where the library offers one. By text it is one more line of the
    list, where it fits one message (the picture note gives way first, as in the
    engine); where it does not, the list stays as it was, and GUIDES still works."""
    state = reply.state
    if (
        guide_choice(steps(library)) is None
        or reply.ends
        or state.node != script.main.id
        or not reply.choices
    ):
        return reply
    channel = state.channel
    if state.step < count_parts(script, channel, script.main) - 1:
        return reply
    back = way_back(script, channel)
    if back is None or back.key is None:
        return reply
    said = listing(script, channel, (back,), ())
    if channel in MESSAGING:
        paragraphs = _texted(script, channel, reply.paragraphs, said[0].split("\n")[-1])
        if paragraphs is None:
            return reply
    else:
        paragraphs = (*reply.paragraphs, *said)
    choices = (*(c for c in reply.choices if c.key != back.key), back)
    return replace(reply, paragraphs=paragraphs, choices=choices)


def _texted(
    script: Script, channel: str, paragraphs: tuple[str, ...], line: str
) -> tuple[str, ...] | None:
    """The texted reply with the way back as the last line of its list, within one
    message: without the picture note if need be; None if it does not fit at all."""
    found = (*paragraphs[:-1], f"{paragraphs[-1]}\n{line}")
    if not too_long(channel, SMS_GAP.join(found)):
        return found
    notes = {script.phrase(media_note(channel, None, v), channel) for v in (False, True)}
    notes = {gsm7.plain(n) for n in notes} | notes
    if not notes & set(found):
        return None
    found = tuple(p for p in found if p not in notes)
    return found if not too_long(channel, SMS_GAP.join(found)) else None
