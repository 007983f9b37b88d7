"""Which language a texted conversation is in, and the ways to change it.

    written_in(library, text)            -> tag    the language a first text is written in
    first_language(library)              -> tag    a call's, where none is chosen
    switched_to(library, text)           -> tag | None   CYMRAEG, ENGLISH: a language's name
    with_other_languages(library, script, reply) -> Reply   the welcome, plus one line per
                                                   other language saying the line speaks it

By phone the caller chooses at the language choice (ivr.opening.steps). By text nothing
is asked: a first text is answered in the language it is written in, told by each
lexicon's `markers:` (common words of that language and not of the others); a text that
shows none is answered in the first language offered (the operator's order). A
language's own name (its lexicon's `name:`, or its tag) switches to it at any point.
Tags are those of `library.languages`; the source language's is "" in the state.
"""

from __future__ import annotations

from dataclasses import replace

from ivr import gsm7
from ivr.engine import SMS_GAP, Reply
from ivr.engine.memo import kept
from ivr.engine.state import REPLY_PARTS
from ivr.keywords import normalise
from ivr.script import SMS, Script
from ivr.understanding.lexicon_file import load as load_lexicon


def state_tag(library, tag: str) -> str:
    """A tag as the state holds it: "" for the default guide's source language."""
    return "" if tag == library.default.language else tag


def written_in(library, text: str) -> str:
    """The offered language whose markers a text has most of (the first offered on a
    tie, or where it has none), as the state holds it."""
    offered = library.languages
    if len(offered) < 2:  # one language offered: that one (a Welsh-only line is Welsh)
        return state_tag(library, offered[0]) if offered else ""
    words = normalise(text).split()
    best, most = offered[0], 0
    for tag in offered:
        markers = set(load_lexicon(tag).words("markers"))
        found = sum(1 for w in words if w in markers)
        if found > most:
            best, most = tag, found
    return state_tag(library, best)


def first_language(library) -> str:
    """A call's language where there is no language choice: the one language offered
    (a Welsh-only line is Welsh), as the state holds it; "" while one is to be chosen."""
    offered = library.languages
    return state_tag(library, offered[0]) if len(offered) == 1 else ""


def switched_to(library, text: str) -> str | None:
    """The language a text names on its own ("cymraeg", "English", "cy-GB"), if any."""
    if len(library.languages) < 2:
        return None
    said = normalise(text)
    for tag in library.languages:
        if said in (normalise(load_lexicon(tag).name), normalise(tag)):
            return state_tag(library, tag)
    return None


def with_other_languages(library, script: Script, reply: Reply) -> Reply:
    """A texted welcome with, after the welcome's words, each other language's
    `other_language` line in that language ("Yn Gymraeg? Atebwch CYMRAEG."), where
    the reply stays within four parts; else as it was."""
    if reply.state.channel != SMS or len(library.languages) < 2 or reply.ends:
        return reply
    welcome = gsm7.plain(script.phrase("welcome", SMS))
    if welcome not in reply.paragraphs:
        return reply
    lines = _other_lines(library, script)
    at = reply.paragraphs.index(welcome) + 1
    paragraphs = (*reply.paragraphs[:at], *lines, *reply.paragraphs[at:])
    if not gsm7.fits(SMS_GAP.join(paragraphs), REPLY_PARTS):  # counted as it is sent
        return reply
    return replace(reply, paragraphs=paragraphs)


def _other_lines(library, script: Script) -> tuple[str, ...]:
    def build():
        here = script.language
        lines = []
        for tag in library.languages:
            if tag == here:
                continue
            other = library.speaking(library.default, tag)
            keyword = (load_lexicon(tag).name or tag).upper()
            line = other.phrase("other_language", SMS).format(keyword=keyword)
            lines.append(gsm7.plain(line))
        return tuple(lines)

    return kept(script, ("other languages", library.languages), build)
