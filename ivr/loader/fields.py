"""Readers of the script format's own kinds of value: words for each channel (and their
translations, under a language tag), templates, keys, keywords, synonyms, channels and ids.

Every template (a phrase or counter the engine fills in with str.format) is checked here,
when it is loaded, so a stray brace or an unknown placeholder is a Problem with a line
and a fix, and never a traceback while someone is on the line.
"""

from __future__ import annotations

import re
from string import Formatter
from typing import Any

from ivr.script import CHANNELS, MESSAGING, SMS, VOICE, WHATSAPP, Text, Translation
from ivr.yaml_records import At, Problems, described, items, known_fields, words
from ivr.yaml_text import Map

KEYS = tuple("0123456789*#")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
KEYWORD_PATTERN = re.compile(r"^[A-Za-z0-9]+$")
# A BCP 47 language tag with its region as a key (cy-GB, en-GB): told apart from the
# format's own field names (key, sms) by its shape (docs/decisions/one-script-format.md).
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})+$")
VERSION_KEYS = ("text", VOICE, SMS, WHATSAPP)
TRANSLATION_KEYS = (*VERSION_KEYS, "from", "play")
FINGERPRINT = re.compile(r"^[0-9a-f]{8}$")


def is_language(key: object) -> bool:
    return isinstance(key, str) and key not in VERSION_KEYS and bool(LANGUAGE_TAG.match(key))


def text(r: Problems, value: Any, at: At) -> Text | None:
    """Words shared by every channel, or {text:, voice:, sms:, whatsapp:} with per-channel
    versions (WhatsApp falls back to sms:, then text:), and beside them any language's
    version under its tag ({cy-GB: {text:, from:}})."""
    if isinstance(value, Map):
        return _versions(r, value, at.to(at.what, value.line))
    said = words(r, value, at)
    return Text(said, said, at.line) if said else None


def optional_text(r: Problems, value: Any, at: At) -> Text | None:
    """Like `text`, but '' is allowed: a phrase may say nothing on a channel."""
    if value == "":
        return Text("", "", at.line)
    return text(r, value, at)


def _versions(r: Problems, value: Map, at: At) -> Text | None:
    tags = [key for key in value if is_language(key)]
    own = without(value, tags) if tags else value
    if not known_fields(r, own, VERSION_KEYS, at):
        return None
    versions = _channels(r, own, at)
    if versions is None:
        return None
    source = Text(versions[VOICE], versions[SMS], at.line, whatsapp=versions[WHATSAPP])
    if not tags:
        return source
    found = []
    for tag in tags:
        where = at.to(f"{at.what}, in {tag},", value.key_lines[tag])
        translation = _translation(r, value[tag], where, source)
        if translation is None:
            return None
        found.append((tag, translation))
    return Text(source.voice, source.sms, source.line, tuple(found), whatsapp=source.whatsapp)


def _channels(r: Problems, value: Map, at: At, source: Text | None = None) -> dict | None:
    """Each channel's words: its own, else `text:`. A translation (`source` given) says
    nothing on a channel where the source says nothing, unless it says so itself. WhatsApp's
    are None without a `whatsapp:` of their own: it then gets the sms words."""
    own = value.get(WHATSAPP)
    if own is not None and not isinstance(own, str):
        r.problem(
            "F003",
            at,
            f"{at.what} ({WHATSAPP}) should be text, but {described(own)}.",
            "Write it as words; put them in quotes if they start with a symbol.",
        )
        return None
    versions = {WHATSAPP: own.strip() if own is not None else None}
    for channel in (VOICE, SMS):  # every text has these; WhatsApp falls back to sms
        chosen = value.get(channel, value.get("text"))
        if chosen is None and source is not None and not source.on(channel):
            chosen = ""
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
    return versions


def _translation(r: Problems, value: Any, at: At, source: Text) -> Translation | None:
    """One language's version: words for both channels, or a mapping of the same channel
    keys with `from:` (the source's fingerprint) and `play:` (recordings)."""
    if not isinstance(value, Map):
        said = words(r, value, at)
        if said is None:
            return None
        both = Text(said if source.voice else "", said if source.sms else "", at.line)
        return Translation(both, "", at.line)
    if not known_fields(r, value, TRANSLATION_KEYS, at):
        return None
    versions = _channels(r, value, at, source)
    if versions is None:
        return None
    stamp = value.get("from", "")
    if not isinstance(stamp, str) or (stamp and not FINGERPRINT.match(stamp)):
        r.problem(
            "F003",
            at.to(f"{at.what}'s from:", value.key_lines.get("from", at.line)),
            f"{at.what}'s from: is {stamp!r}, which is not a fingerprint of eight hex digits "
            "in quotes.",
            "Run 'ivr stamp' after checking the translation: it writes the fingerprint, "
            'in quotes (from: "0b7e44d1").',
        )
        return None
    play = _recordings(r, value.get("play"), at.to(f"{at.what}'s play:", at.line))
    if play is None:
        return None
    said = Text(versions[VOICE], versions[SMS], at.line, whatsapp=versions[WHATSAPP])
    return Translation(said, stamp, at.line, play)


def _recordings(r: Problems, value: Any, at: At) -> tuple[str, ...] | None:
    """`play:`: one https address, or a list of them, one per spoken paragraph."""
    if value is None:
        return ()
    listed = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if listed is None or not all(isinstance(v, str) and v.startswith("https://") for v in listed):
        r.problem(
            "F003",
            at,
            f"{at.what} should be an https:// address of a recording, or a list of them, "
            "one per paragraph of the spoken words.",
            "Write play: https://... (a recording the phone can fetch), or leave it out to "
            "have the words spoken.",
        )
        return None
    return tuple(v.strip() for v in listed)


def without(data: Map, keys) -> Map:
    """`data` without `keys`, still remembering its lines."""
    rest = Map({k: v for k, v in data.items() if k not in keys})
    rest.line = data.line
    rest.key_lines = {k: v for k, v in data.key_lines.items() if k not in keys}
    return rest


def template(r: Problems, given: Text, allowed: tuple[str, ...], at: At) -> Text | None:
    """`given` if each channel's words, in every language, fill in with exactly these
    placeholders, else None."""
    ok = _template(r, given, allowed, at)
    for tag, translation in given.translations:
        where = at.to(f"{at.what}, in {tag},", translation.line)
        ok &= _template(r, translation.text, allowed, where)
    return given if ok else None


def _template(r: Problems, given: Text, allowed: tuple[str, ...], at: At) -> bool:
    shown = {given.voice: VOICE, given.sms: SMS}  # the same words on both: one report
    if given.whatsapp is not None:
        shown.setdefault(given.whatsapp, WHATSAPP)
    ok = True
    for said, channel in shown.items():
        channel_at = at if len(shown) == 1 else at.to(f"{at.what} ({channel})", at.line)
        ok &= _fills_in(r, said, allowed, channel_at)
    return ok


def _fills_in(r: Problems, said: str, allowed: tuple[str, ...], at: At) -> bool:
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


def key(r: Problems, value: Any, at: At) -> str | None:
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


def keyword(r: Problems, value: Any, at: At) -> str | None:
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


def synonyms(r: Problems, value: Any, at: At) -> tuple[str, ...] | None:
    found = []
    for item, line in items(r, value, at):
        item = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
        word = words(r, item, at.to(f"A synonym in {at.what}", line))
        if word is None:
            return None
        found.append(word)
    return tuple(found)


def channels(r: Problems, value: Any, at: At) -> tuple[str, ...] | None:
    """The channels an option is offered on. `sms` means every messaging channel (SMS and
    WhatsApp), so a script written before WhatsApp offers its texted options there too."""
    found: list[str] = []
    for item, line in items(r, value, at):
        if item not in CHANNELS:
            r.problem(
                "F013",
                at.to(at.what, line),
                f"{at.what} names a channel {item!r}, which there is not.",
                "The channels are voice, sms (every texted channel) and whatsapp.",
            )
            return None
        found.extend(MESSAGING if item == SMS else (item,))
    if not found and isinstance(value, list):
        r.problem(
            "F013", at, f"{at.what} names no channel.", "List voice, sms or whatsapp, or more."
        )
        return None
    return tuple(dict.fromkeys(found)) if found else None


def an_id(r: Problems, value: Any, at: At) -> str | None:
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
