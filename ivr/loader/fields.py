"""Readers of the script format's own kinds of value: words for both channels, templates,
keys, keywords, synonyms, channels and ids.

Every template (a phrase or counter the engine fills in with str.format) is checked here,
when it is loaded, so a stray brace or an unknown placeholder is a Problem with a line
and a fix, and never a traceback while someone is on the line.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import Any

from ivr.loader.reading import At, Reading, described, items, known_fields, words
from ivr.loader.yaml_text import Map
from ivr.script import CHANNELS, SMS, VOICE, Text

KEYS = tuple("0123456789*#")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEYWORD_PATTERN = re.compile(r"^[A-Za-z0-9]+$")


def text(r: Reading, value: Any, at: At) -> Text | None:
    """Words shared by both channels, or {text:, voice:, sms:} with per-channel versions."""
    if isinstance(value, Map):
        return _versions(r, value, at.to(at.what, value.line))
    said = words(r, value, at)
    return Text(said, said, at.line) if said else None


def optional_text(r: Reading, value: Any, at: At) -> Text | None:
    """Like `text`, but '' is allowed: a phrase may say nothing on a channel."""
    if value == "":
        return Text("", "", at.line)
    return text(r, value, at)


def _versions(r: Reading, value: Map, at: At) -> Text | None:
    if not known_fields(r, value, ("text", *CHANNELS), at):
        return None
    versions = {}
    for channel in CHANNELS:
        chosen = value.get(channel, value.get("text"))
        if chosen is None:
            r.problem(
                "F005",
                at,
                f"{at.what} has no {channel} version.",
                f"Add 'text:' for both channels, or '{channel}:' ('' for nothing).",
            )
            return None
        if not isinstance(chosen, str):
            r.problem(
                "F003",
                at,
                f"{at.what} ({channel}) should be text, but {described(chosen)}.",
                "Write it as words; put them in quotes if they start with a symbol.",
            )
            return None
        versions[channel] = chosen.strip()
    return Text(versions[VOICE], versions[SMS], at.line)


def template(r: Reading, given: Text, allowed: tuple[str, ...], at: At) -> Text | None:
    """`given` if each channel's words fill in with exactly these placeholders, else None."""
    shown = {given.voice: VOICE, given.sms: SMS}  # the same words on both: one report
    ok = True
    for said, channel in shown.items():
        channel_at = at if len(shown) == 1 else at.to(f"{at.what} ({channel})", at.line)
        ok &= _fills_in(r, said, allowed, channel_at)
    return given if ok else None


def _fills_in(r: Reading, said: str, allowed: tuple[str, ...], at: At) -> bool:
    listed = ", ".join("{" + p + "}" for p in allowed) or "none"
    if not allowed and ("{" in said or "}" in said):
        placeholder = re.search(r"\{[^{}]*\}", said)
        what = f"uses {placeholder.group(0)}" if placeholder else "has a brace, { or }"
        r.problem(
            "F011",
            at,
            f"{at.what} {what}, but it takes no placeholders.",
            "Remove the braces: they would be read out or sent as they are.",
        )
        return False
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in Formatter().parse(said)]
    except ValueError:
        r.problem(
            "F011",
            at,
            f"{at.what} has a brace, {{ or }}, that opens or closes no placeholder.",
            f"Write placeholders whole, like {{{allowed[0]}}}, and a brace on its own as "
            f"{{{{ or }}}}. Placeholders allowed here: {listed}.",
        )
        return False
    for name, spec, conversion in fields:
        if name is not None and (name not in allowed or spec or conversion):
            written = "{" + name + (f"!{conversion}" if conversion else "")
            written += (f":{spec}" if spec else "") + "}"
            r.problem(
                "F011",
                at,
                f"{at.what} uses {written}, which it cannot fill in.",
                f"Use only the placeholders allowed here: {listed}.",
            )
            return False
    return True


def key(r: Reading, value: Any, at: At) -> str | None:
    found = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(found, str) and found in KEYS:
        return found
    r.problem(
        "F013",
        at,
        f"{at.what} is {value!r}, but a key is one of 0-9, * or #.",
        'Write one key in quotes, for example key: "1".',
    )
    return None


def keyword(r: Reading, value: Any, at: At) -> str | None:
    word = words(r, value, at)
    if word and not KEYWORD_PATTERN.match(word):
        r.problem(
            "F013",
            at,
            f"{at.what} '{word}' is not a single word of letters and digits.",
            "People type keywords: keep each one short word, like CLICKED.",
        )
        return None
    return word


def synonyms(r: Reading, value: Any, at: At) -> tuple[str, ...] | None:
    found = []
    for item, line in items(r, value, at):
        item = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        word = words(r, item, at.to(f"A synonym in {at.what}", line))
        if word is None:
            return None
        found.append(word)
    return tuple(found)


def channels(r: Reading, value: Any, at: At) -> tuple[str, ...] | None:
    found = []
    for item, line in items(r, value, at):
        if item not in CHANNELS:
            r.problem(
                "F013",
                at.to(at.what, line),
                f"{at.what} names a channel {item!r}, which there is not.",
                "The channels are voice and sms.",
            )
            return None
        found.append(item)
    if not found and isinstance(value, list):
        r.problem("F013", at, f"{at.what} names no channel.", "List voice, sms or both.")
        return None
    return tuple(found) if found else None


def an_id(r: Reading, value: Any, at: At) -> str | None:
    """A script or node id: it travels in web addresses and conversation states."""
    found = words(r, value, at)
    if found and not ID_PATTERN.match(found):
        r.problem(
            "F009",
            at,
            f"{at.what} '{found}' has characters that cannot go in a web address.",
            "Use lower-case letters, digits, '-' and '_', starting with a letter or digit.",
        )
        return None
    return found
