"""WhatsApp (C, chat): every message fits one WhatsApp message, menus fit what can be tapped,
and WhatsApp's formatting shows as meant.

    C001  a reply longer than one WhatsApp message (1,600 characters through Twilio)
    C002  a menu that cannot be tapped: labels or lines over the Content API's limits
    C003  formatting WhatsApp does not show (Markdown) or a marker left open
    C101  information: each point's menu on WhatsApp, tapped or numbered
    C102  information: a menu of the SMS words, too long to tap, goes as numbered text

What a lock screen shows of a WhatsApp message is discretion's (D001, D101), which reads
WhatsApp's replies as well as SMS's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import engine, whatsapp
from ivr.errors import INFO, WARNING, Problem
from ivr.lint.walk import all_options, problem, replies, reply_place, texts
from ivr.script import GO, TEXT_ME, WHATSAPP, Script

# Markdown that WhatsApp shows as it is: **double asterisks**, # headings, [links](...).
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6} |\[[^\]]+\]\(https?://", re.MULTILINE)
# WhatsApp formats *bold*, _italic_ and ~strikethrough~ between a pair of markers on one
# line; a single one is shown as it is, and may pair with another later in the line.
_MARKERS = "*_~"
_ADDRESS = re.compile(r"https?://\S+")


def fits_one_message(s: Script) -> Iterator[Problem]:
    for what, reply in replies(s, WHATSAPP):
        size = engine.whatsapp_chars(reply.text)
        if size > engine.WHATSAPP_CHARS:
            line, node = reply_place(s, what, reply.state.node)
            yield problem(
                s,
                "C001",
                line,
                node,
                f"The WhatsApp reply for {what} has {size} characters; one message carries "
                f"{engine.WHATSAPP_CHARS}.",
                "Shorten its text, or split a long step or paragraph with a blank line.",
            )
            return  # the cause is usually one long text: one problem, then fix and look again


def tappable_menus(s: Script) -> Iterator[Problem]:
    """C002 warns where the script gives WhatsApp labels and one still does not fit; a
    script (or a language) that gives none is told once, for information, that its menus
    go as numbered text (C102): they work, and it has not been written for WhatsApp."""
    told: set[str] = set()
    tuned = any(o.label.whatsapp is not None for _, o in all_options(s))
    for node, step in _points(s):
        menu = whatsapp.plan(s, node, step)
        where = f"node '{node}'" + (f", part {step + 1}" if step else "")
        if isinstance(menu, whatsapp.Menu):
            kind = "a list" if menu.kind == whatsapp.LIST else "buttons"
            yield problem(
                s,
                "C101",
                s.nodes[node].line,
                node,
                f"WhatsApp: {where} shows {kind} to tap ({len(menu.items)} choices).",
                "Nothing to do: this is information.",
                INFO,
            )
        elif "characters" in menu and menu not in told and (tuned or not told):
            told.add(menu)  # the same label in many menus: one warning
            yield problem(
                s,
                "C002" if tuned else "C102",
                s.nodes[node].line,
                node,
                f"On WhatsApp the menu of {where} cannot be tapped: {menu}.",
                "Give the label (or phrase) a whatsapp: version that fits; it is used in the "
                "numbered list too.",
                WARNING if tuned else INFO,
            )


def _points(s: Script) -> Iterator[tuple[str, int]]:
    for node in _reached(s):
        for step in range(engine.count_parts(s, WHATSAPP, s.nodes[node])):
            yield node, step


def _reached(s: Script) -> list[str]:
    """The nodes a WhatsApp conversation can reach: a node no WhatsApp option leads to
    (a voice-only menu) shows no menu there."""
    seen = [s.main.id]
    for node_id in seen:
        node = s.nodes[node_id]
        options = [*node.options, *(o for step in node.step_options for o in step), *s.globals]
        nexts = [o.target for o in options if WHATSAPP in o.channels and o.action in (GO, TEXT_ME)]
        for target in [*nexts, node.next]:
            if target in s.nodes and target not in seen:
                seen.append(target)
    return seen


def formatting(s: Script) -> Iterator[Problem]:
    for node_id, what, text in texts(s):
        words = text.whatsapp
        if not words:
            continue  # the sms words: plain text, shown as written
        trouble = _trouble(words)
        if trouble:
            yield problem(
                s,
                "C003",
                text.line,
                node_id,
                f"{what} (whatsapp) {trouble}.",
                "WhatsApp shows *bold*, _italic_ and lists starting '1.' or '- '; write "
                "those, or the words alone.",
                WARNING,
            )


def _trouble(words: str) -> str | None:
    found = _MARKDOWN.search(words)
    if found:
        return f"has Markdown WhatsApp shows as it is: '{found.group(0).strip()}'"
    for line in _ADDRESS.sub("", words).splitlines():
        for marker in _MARKERS:
            if line.count(marker) % 2:
                return f"has a {marker} that opens or closes nothing in '{line.strip()[:40]}'"
    return None


CHECKS = (fits_one_message, tappable_menus, formatting)
