"""The script format as declared records (ivr.yaml_records: a record is a tuple of
Fields, read by `record` or `listed`). Declared here: the voice, sources, links,
pronunciations, roles, phrases, limits and discretion, and `by_id` (a mapping of ids to
records); the flow records (nodes, options, next) are in flow.py, the hand-offs in
handoffs.py.

`read_record` reads every field of a record and reports every problem, so one pass
finds them all; a record with any problem is left out (None), and the caller does not
report it again: one mistake, one problem.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from ivr.loader import fields as kind
from ivr.phrasebook import LEXICON_PHRASES, OPTIONAL_PHRASES, PHRASES
from ivr.script import (
    DEFAULT_DISCRETION,
    DEFAULT_LIMITS,
    ROLES,
    SPEECH_MODEL,
    SPEECH_TIMEOUT,
    Discretion,
    Limits,
    Source,
    Text,
    VoiceSettings,
)
from ivr.yaml_records import (
    At,
    Field,
    Problems,
    Reader,
    described,
    items,
    listed,
    mapping,
    record,
    whole_number,
    words,
    yes_or_no,
)


def by_id(
    r: Problems,
    value: Any,
    at: At,
    what: str,
    read: Callable[[Problems, Any, int, str], Any],
    ids_are_nodes: bool = False,
) -> MappingProxyType | None:
    """A mapping of ids to records (the nodes, the transfers): each id checked, each body
    read by `read(r, body, line, id)`; None when any of them could not be read. A bad
    node id names its node in the problem (`ids_are_nodes`)."""
    data = mapping(r, value, at)
    if data is None:
        return None
    found = {}
    for key, body in data.items():
        line = data.key_lines[key]
        named = kind.an_id(r, key, At(line, f"The {what} id", str(key) if ids_are_nodes else None))
        if named:
            found[named] = read(r, body, line, named)
    return None if None in found.values() else MappingProxyType(found)


# -- the voice ----------------------------------------------------------------------------


def _key_names(r: Problems, value: Any, at: At) -> MappingProxyType | None:
    data = mapping(r, value, at)
    if data is None:
        return None
    spoken = {}
    for k in ("*", "#"):
        if k not in data:
            r.problem(
                "F005",
                at,
                f"{at.what} does not say how to speak the '{k}' key.",
                'Add it, for example key_names: {"*": star, "#": hash}.',
            )
            return None
        spoken[k] = words(r, data[k], at.to(f"How to say the '{k}' key", data.key_lines[k]))
    return None if None in spoken.values() else MappingProxyType(spoken)


def _speech_timeout(r: Problems, value: Any, at: At) -> str | None:
    """'auto', or a whole number of seconds from 1 to 10 (Twilio's speechTimeout)."""
    if value == "auto" or (
        isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10
    ):
        return str(value)
    r.problem(
        "F010",
        at,
        f"{at.what} should be 'auto' or a whole number of seconds from 1 to 10, but "
        f"{described(value)}.",
        "Three seconds lets a frightened caller pause mid-sentence: 'speech_timeout: 3'.",
    )
    return None


VOICE_FIELDS = (
    Field("name", words, required=True, add="Add 'name: Polly.Amy-Neural' (or another voice)."),
    Field("language", words, required=True, add="Add 'language: en-GB'."),
    Field("wait_seconds", whole_number(2, 20, "Six seconds gives a frightened caller time to "
          "find the key: 'wait_seconds: 6'."), default=6),
    Field("key_names", _key_names, required=True,
          add='Add key_names: {"*": star, "#": hash}, saying how each key is spoken.'),
    # false where Twilio recognises no speech in the script's language: keys only
    Field("speech", yes_or_no, default=True),
    Field("speech_model", words, default=SPEECH_MODEL),
    Field("speech_timeout", _speech_timeout, default=SPEECH_TIMEOUT),
    Field("enhanced", yes_or_no, default=False),
)  # fmt: skip


def _voice(r: Problems, v: dict, at: At) -> VoiceSettings:
    return VoiceSettings(
        v["name"], v["language"], v["wait_seconds"], v["key_names"], at.line, v["speech"],
        speech_model=v["speech_model"], speech_timeout=v["speech_timeout"],
        enhanced=v["enhanced"],
    )  # fmt: skip


voice = record(VOICE_FIELDS, _voice)

# -- sources, links, pronunciations ---------------------------------------------------------

SOURCE_FIELDS = (
    Field("fact", words, required=True, add="Add 'fact:', the number, hour or fact it backs."),
    Field("source", words, required=True, add="Add 'source:', where the fact was checked."),
)
sources = listed(
    record(SOURCE_FIELDS, lambda r, v, at: Source(v["fact"], v["source"], at.line)),
    lambda i: f"Source {i}",
)
links = listed(words, lambda i: f"Link {i} of the allow-list")


def pronounce(r: Problems, value: Any, at: At) -> MappingProxyType | None:
    data = mapping(r, value, at)
    if data is None:
        return None
    found = {}
    for written, said in data.items():
        said = words(r, said, at.to(f"How to say '{written}'", data.key_lines[written]))
        found[str(written)] = said
    return None if None in found.values() else MappingProxyType(found)


# -- roles and phrases ----------------------------------------------------------------------

roles_ = record(
    tuple(Field(role, words) for role in ROLES),
    lambda r, v, at: MappingProxyType({k: n for k, n in v.items() if n is not None}),
    lambda whole, role: f"The role '{role}'",
)


def _phrase(needed_on: tuple[str, ...], placeholders: tuple[str, ...]) -> Reader:
    def read(r: Problems, value: Any, at: At) -> Text | None:
        said = kind.optional_text(r, value, at)
        if said is None:
            return None
        versions = [("", said, at), *((f" in {tag}", t.text, at.to(at.what, t.line))
                                      for tag, t in said.translations)]  # fmt: skip
        for where, version, version_at in versions:
            silent = [c for c in needed_on if not version.on(c)]
            if silent:
                r.problem(
                    "F012",
                    version_at,
                    f"{at.what}{where} says nothing on {silent[0]}, where it is used.",
                    f"Give it words for {silent[0]}.",
                )
                return None
        return kind.template(r, said, placeholders, at)

    return read


PHRASE_FIELDS = tuple(
    # The language's lexicon gives LEXICON_PHRASES a script leaves out (see __init__).
    Field(name, _phrase(needed_on, placeholders),
          required=name not in OPTIONAL_PHRASES and name not in LEXICON_PHRASES,
          default=OPTIONAL_PHRASES.get(name),
          add=f"Add '{name}:' (see docs/script-format.md for what it is for).")
    for name, (needed_on, placeholders) in PHRASES.items()
)  # fmt: skip
phrases = record(
    PHRASE_FIELDS, lambda r, v, at: MappingProxyType(v), lambda whole, name: f"The phrase '{name}'"
)

# -- limits -------------------------------------------------------------------------------

LIMITS = {
    "words_per_minute": "words a minute the voice says",
    "danger_heard_within": "seconds into a call until the danger key has been said",
    "opening_within": "seconds the opening may last, menu included",
    "keys_per_menu": "keys a spoken menu may announce, 9, 0 and * included",
}


def _limit(name: str, meaning: str) -> Reader:
    """A script may tighten one of the helpline's limits, never loosen it."""
    most = getattr(DEFAULT_LIMITS, name)

    def read(r: Problems, value: Any, at: At) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            r.problem(
                "F010",
                at,
                f"limits {name} should be a whole number ({meaning}).",
                f"Write a whole number no higher than {most}, or leave it out for {most}.",
            )
            return None
        if value > most:
            r.problem(
                "T104",
                at,
                f"limits {name} is {value}, looser than the helpline's limit of {most} "
                f"({meaning}). A script may tighten a limit, never loosen it.",
                f"Write {most} or less, or leave it out; if the script breaks the limit, "
                "shorten what is said instead.",
            )
            return None
        return value

    return read


LIMIT_FIELDS = tuple(Field(name, _limit(name, meaning)) for name, meaning in LIMITS.items())
limits = record(
    LIMIT_FIELDS,
    lambda r, v, at: Limits(**{k: n for k, n in v.items() if n is not None}, line=at.line),
)


# -- discretion ---------------------------------------------------------------------------


def _telltale_words(r: Problems, value: Any, at: At) -> tuple[str, ...] | None:
    """The script's own telltale words, added to the built-in ones (which always apply)."""
    found = list(DEFAULT_DISCRETION.words)
    before = len(r.problems)
    for i, (item, line) in enumerate(items(r, value, at), 1):
        word = words(r, item, at.to(f"discretion word {i}", line))
        if word and word.lower() not in found:
            found.append(word.lower())
    return tuple(found) if len(r.problems) == before else None


def _preview(r: Problems, value: Any, at: At) -> int | None:
    least = DEFAULT_DISCRETION.preview_characters
    if isinstance(value, int) and not isinstance(value, bool) and value >= least:
        return value
    r.problem(
        "D102",
        at,
        f"discretion preview_characters is {value!r}; a lock screen shows at least the first "
        f"{least} characters of a text, so fewer would hide a telltale word from the check.",
        f"Write a whole number of {least} or more, or leave it out.",
    )
    return None


DISCRETION_FIELDS = (
    Field("words", _telltale_words, default=DEFAULT_DISCRETION.words),
    Field("preview_characters", _preview, default=DEFAULT_DISCRETION.preview_characters),
)
discretion = record(DISCRETION_FIELDS, lambda r, v, at: Discretion(**v, line=at.line))
