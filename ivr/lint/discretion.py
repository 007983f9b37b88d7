"""Discretion (D): what a lock screen shows of any text gives nothing away.

Someone glancing at the phone of the person who texted sees the start of each reply, by
SMS and on WhatsApp alike (a WhatsApp notification shows the first words of a message).
The opening is held to its first 160 characters (D001); every other reply and every
part of a long answer to its first `discretion: preview_characters` (100 at least),
against the built-in telltale words and the script's own (D101). WhatsApp's parts start
in other places than SMS's, so its replies are read too; a start both channels share is
one problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import gsm7
from ivr.errors import Problem
from ivr.lint.walk import problem, replies, reply_place
from ivr.script import MESSAGING, SMS, Script

LOCK_SCREEN_CHARS = 160


def lock_screen(s: Script) -> Iterator[Problem]:
    for channel in MESSAGING:
        for what, reply in replies(s, channel):
            if not what.startswith("the opening") or "answering a first text" in what:
                # A first text answered at once starts as the opening does, then the node's
                # own start, which D101 holds to its first 100 characters: nothing new here.
                continue
            preview = reply.text[:LOCK_SCREEN_CHARS].lower()
            telltale = _telltale(s, preview)
            if telltale:
                yield problem(
                    s,
                    "D001",
                    s.phrases["first_line"].line,
                    None,
                    f"The start of {_on(what, channel)} (what a lock screen shows) says "
                    f"{', '.join(repr(w) for w in telltale)}.",
                    "Keep the first lines discreet: move those words further down.",
                )
                return  # the other openings start the same way: one mistake, one problem


def _on(what: str, channel: str) -> str:
    return what if channel == SMS else f"{what} on WhatsApp"


def every_text_starts_discreetly(s: Script) -> Iterator[Problem]:
    """D101: the start of every reply and every part, not only the first. One mistake,
    one problem: replies that start the same way (a shared phrase, a re-prompt at every
    node) are reported once, at the phrase when the words are in one."""
    shown = s.discretion.preview_characters
    told: set[str] = set()  # starts already reported, on either channel
    found: dict[str, list[str]] = {}  # many replies start the same: look at each start once
    for channel, what, reply in _texted_replies(s):
        if what.startswith("the opening") or "after a picture" in what:
            continue  # D001 holds the opening; a picture note only pushes words later
        preview = reply.text[:shown]
        if "denying danger" in what:
            # The crisis line before a denied danger's answer only pushes the node's own
            # start later, and D101 holds that start at the node: look at the line alone.
            preview = s.phrase("danger_denied", channel)[:shown]
        telltale = found.get(preview)
        if telltale is None:
            telltale = found[preview] = _telltale(s, preview.lower())
        start = gsm7.plain(preview).lower()  # WhatsApp keeps curly quotes: the same start
        if not telltale or start in told:
            continue
        told.add(start)
        what = _on(what, channel)
        words = ", ".join(repr(w) for w in telltale)
        start = " ".join(preview.split())[:60]
        shared = _shared_phrase(s, preview, telltale)
        if shared is None:
            line, node = reply_place(s, what, reply.state.node)
            where = what
        else:
            line, node = s.phrases[shared].line, None
            where = f"every reply that shows the phrase '{shared}' near its start"
        yield problem(
            s,
            "D101",
            line,
            node,
            f"The first {shown} characters of {where} (what a lock screen shows) say "
            f'{words}: "{start}..."',
            f"Reword the start of that text so it does not name the topic: move {words} "
            f"past the first {shown} characters, or say 'it' or 'this' instead.",
        )


def _texted_replies(s: Script) -> Iterator[tuple[str, str, object]]:
    for channel in MESSAGING:
        for what, reply in replies(s, channel):
            yield channel, what, reply


def _shared_phrase(s: Script, preview: str, telltale: list[str]) -> str | None:
    """The phrase, shown within this start, whose own words hold a telltale word."""
    start = preview.lower()
    for name, text in s.phrases.items():
        words = gsm7.plain(text.sms).lower()
        at = start.find(words[:40]) if words else -1
        if at >= 0 and _telltale(s, words[: len(start) - at]):  # the part a screen shows
            return name
    return None


def _telltale(s: Script, preview: str) -> list[str]:
    # One search for any of the words first: most previews have none, and any word found
    # alone is found by the alternation too (it tries every word at each position).
    if not _any_word(s.discretion.words).search(preview):
        return []
    return [w for w in s.discretion.words if re.search(rf"\b{re.escape(w)}", preview)]


def _any_word(words: tuple[str, ...]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")


CHECKS = (lock_screen, every_text_starts_discreetly)
