"""The `languages:` section: the script's other languages, each given beside the source.

    languages:
      cy-GB:
        name: Cymraeg          # how the language names itself, in the language choice
        status: draft          # draft | reviewed
        voice: {name: Polly.Gwyneth, language: cy-GB}
        speech: false          # Twilio recognises no speech in it: keys only
        sms_encoding: ucs2     # gsm7 (the default) | ucs2
        pronounce: {}          # this language's pronunciations

`complete(values)` fills in, once the whole script is read, what a language leaves to
the source or to its lexicon: the voice's wait and key names, and how numbers are said.
Whether every text has each language's words is the translation lint's (ivr.lint.translations).
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from ivr.loader import fields as kind
from ivr.loader.records import VOICE_FIELDS, pronounce
from ivr.script import GSM7, SMS_ENCODINGS, STATUSES, Language, VoiceSettings
from ivr.understanding.lexicon_file import load as load_lexicon
from ivr.yaml_records import At, Field, Problems, mapping, record, words, yes_or_no


def one_of(choices: tuple[str, ...], meaning: str):
    def read(r: Problems, value: Any, at: At) -> str | None:
        if value in choices:
            return value
        r.problem(
            "F013",
            at,
            f"{at.what} is {value!r}, but it is one of {', '.join(choices)} ({meaning}).",
            f"Write one of {', '.join(choices)}.",
        )
        return None

    return read


sms_encoding = one_of(SMS_ENCODINGS, "how its texts are encoded")

# A language's voice: its own name and language; the wait and key names may be left to
# the source's and to the language's lexicon (`spoken: key_names`).
LANGUAGE_VOICE_FIELDS = tuple(
    Field(f.name, f.read, required=f.name in ("name", "language"), add=f.add)
    for f in VOICE_FIELDS
    if f.name in ("name", "language", "wait_seconds", "key_names")
)
_voice = record(
    LANGUAGE_VOICE_FIELDS,
    lambda r, v, at: VoiceSettings(
        v["name"], v["language"], v["wait_seconds"] or 0, v["key_names"] or {}, at.line
    ),
)

LANGUAGE_FIELDS = (
    Field("name", words, required=True, add="Add 'name:', how the language names itself "
          "(Cymraeg)."),
    Field("status", one_of(STATUSES, "draft until a fluent speaker has checked every text"),
          required=True, add="Add 'status: draft' (or reviewed, once a fluent speaker has "
          "checked every text)."),
    Field("voice", _voice, required=True, add="Add 'voice:' with its Twilio voice name and "
          "language, e.g. {name: Polly.Gwyneth, language: cy-GB}."),
    Field("speech", yes_or_no, default=True),
    Field("sms_encoding", sms_encoding, default=GSM7),
    Field("pronounce", pronounce, default=MappingProxyType({})),
)  # fmt: skip


def _language(tag: str):
    def build(r: Problems, v: dict, at: At) -> Language:
        voice = replace(v["voice"], speech=v["speech"])
        return Language(
            tag, v["name"], v["status"], voice, v["sms_encoding"], v["pronounce"], at.line
        )

    return record(LANGUAGE_FIELDS, build)


def languages(r: Problems, value: Any, at: At) -> MappingProxyType | None:
    data = mapping(r, value, at)
    if data is None:
        return None
    found = {}
    for tag, body in data.items():
        line = data.key_lines[tag]
        if not kind.is_language(tag):
            r.problem(
                "F013",
                at.to(f"The language '{tag}'", line),
                f"The language '{tag}' under languages: is not a BCP 47 language tag.",
                "Write a tag like cy-GB (language, then region), as texts name it.",
            )
            found[tag] = None
            continue
        found[tag] = _language(tag)(r, body, At(line, f"The language '{tag}'"))
    return None if None in found.values() else MappingProxyType(found)


def complete(r: Problems, values: dict, line: int) -> MappingProxyType:
    """Each language with what it leaves out filled in: the source voice's wait, and its
    lexicon's key names and spoken words (or the source's)."""
    source: VoiceSettings = values["voice"]
    done = {}
    for tag, language in (values.get("languages") or {}).items():
        if tag == values["language"]:
            r.problem(
                "F013",
                At(language.line, f"The language '{tag}'"),
                f"languages: names '{tag}', the script's own (source) language.",
                "List only the other languages; the source is the script's language:.",
            )
            continue
        spoken = load_lexicon(tag).spoken
        voice = language.voice
        voice = replace(
            voice,
            wait_seconds=voice.wait_seconds or source.wait_seconds,
            key_names=voice.key_names or spoken.get("key_names") or source.key_names,
            spoken=spoken or None,
        )
        done[tag] = replace(language, voice=voice)
    return MappingProxyType(done)
