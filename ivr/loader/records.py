"""The script format as declared records: each record's fields, which are required, and
the reader of each; and the few rules that join fields (an option's action and target,
a node's options or steps).

`read_record` reads every field of a record and reports every problem, so one pass
finds them all; a record with any problem is left out (None), and the caller does not
report it again: one mistake, one problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ivr.loader import fields as kind
from ivr.loader.reading import At, Reading, items, known_fields, mapping, whole_number, words
from ivr.loader.yaml_text import Map
from ivr.script import (
    ANNOUNCE_EVERYWHERE,
    ANNOUNCE_MAIN,
    CHANNELS,
    DEFAULT_DISCRETION,
    DEFAULT_LIMITS,
    DIAL,
    GO,
    LEXICON_PHRASES,
    MENU,
    OPTIONAL_PHRASES,
    PHRASES,
    REPEAT,
    ROLES,
    SEND_TEXT,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    VOICE_ONLY_ACTIONS,
    Discretion,
    Limits,
    NextControl,
    Node,
    Option,
    Source,
    Text,
    VoiceSettings,
)

Reader = Callable[[Reading, Any, At], Any]
Naming = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    read: Reader
    required: bool = False
    default: Any = None
    add: str = ""  # the fix when a required field is missing: how to add it


def read_record(
    r: Reading, data: Map, at: At, schema: tuple[Field, ...], part: Naming | None = None
) -> dict | None:
    """Each field's value (its default when absent), or None if anything was wrong.
    `part(whole, field)` names a field in messages ("Option 2's keyword" by default)."""
    before = len(r.problems)
    known_fields(r, data, tuple(f.name for f in schema), at)
    values = {}
    for field in schema:
        if field.name not in data:
            if field.required:
                add = field.add or f"Add '{field.name}:'."
                r.problem("F005", at, f"{at.what} is missing the field '{field.name}'.", add)
            values[field.name] = field.default
            continue
        named = (part or _part)(at.what, field.name)
        where = at.to(named, data.key_lines[field.name], field.required)
        values[field.name] = field.read(r, data[field.name], where)
    return values if len(r.problems) == before else None


def _part(whole: str, name: str) -> str:
    if whole == "The script":
        return name
    return f"{whole}, {name}" if "'s " in whole else f"{whole}'s {name}"


def record(
    schema: tuple[Field, ...], build: Callable[[Reading, dict, At], Any], part: Naming | None = None
) -> Reader:
    """A reader of one record: a mapping with these fields, made into an object by `build`."""

    def read(r: Reading, value: Any, at: At) -> Any:
        data = mapping(r, value, at)
        if data is None:
            return None
        here = at.to(at.what, data.line, at.required)
        values = read_record(r, data, here, schema, part)
        return None if values is None else build(r, values, here)

    return read


def listed(reader: Reader, name: Callable[[int], str]) -> Reader:
    """A reader of a list whose items are read by `reader`, named by `name(i)`."""

    def read(r: Reading, value: Any, at: At) -> tuple | None:
        before = len(r.problems)
        found = [reader(r, item, at.to(name(i), line)) for i, (item, line) in
                 enumerate(items(r, value, at), 1)]  # fmt: skip
        return tuple(found) if len(r.problems) == before else None

    return read


# -- the voice ----------------------------------------------------------------------------


def _key_names(r: Reading, value: Any, at: At) -> MappingProxyType | None:
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


VOICE_FIELDS = (
    Field("name", words, required=True, add="Add 'name: Polly.Amy-Neural' (or another voice)."),
    Field("language", words, required=True, add="Add 'language: en-GB'."),
    Field("wait_seconds", whole_number(2, 20, "Six seconds gives a frightened caller time to "
          "find the key: 'wait_seconds: 6'."), default=6),
    Field("key_names", _key_names, required=True,
          add='Add key_names: {"*": star, "#": hash}, saying how each key is spoken.'),
)  # fmt: skip


def _voice(r: Reading, v: dict, at: At) -> VoiceSettings:
    return VoiceSettings(v["name"], v["language"], v["wait_seconds"], v["key_names"], at.line)


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


def pronounce(r: Reading, value: Any, at: At) -> MappingProxyType | None:
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
    def read(r: Reading, value: Any, at: At) -> Text | None:
        said = kind.optional_text(r, value, at)
        if said is None:
            return None
        silent = [c for c in needed_on if not said.on(c)]
        if silent:
            r.problem(
                "F012",
                at,
                f"{at.what} says nothing on {silent[0]}, where it is used.",
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

# -- options and next -----------------------------------------------------------------------

OPTION_FIELDS = (
    Field("key", kind.key),
    Field("keyword", kind.keyword, required=True, add="Add 'keyword:', one word, like CLICKED."),
    Field("synonyms", kind.synonyms, default=()),
    Field("label", kind.text, required=True, add="Add 'label:', what the choice is."),
    Field("target", words),  # a node id; the linter says if there is no such node
    Field("action", words),
    Field("dial", words),
    Field("transfer", words),  # a transfers: id; the linter says if there is none
    Field("channels", kind.channels, default=CHANNELS),
    Field("announce", words, default=ANNOUNCE_EVERYWHERE),
)
# What each action needs besides itself, and what it means when action: is left out.
NEEDS = {GO: "target", TEXT_ME: "target", DIAL: "dial", TRANSFER: "transfer", REPEAT: None,
         SEND_TEXT: None}  # fmt: skip


def _option(r: Reading, v: dict, at: At) -> Option | None:
    action = v["action"] or next((a for a in (DIAL, TRANSFER) if v[a]), GO)
    if action not in NEEDS:
        r.problem(
            "F013",
            at,
            f"{at.what} has action '{action}', which the format does not know.",
            f"Write one of {', '.join(a for a in NEEDS if a != GO)}, or leave action out "
            "and give a target: (or dial:, or transfer:).",
        )
        return None
    needs = NEEDS[action]
    if needs and v[needs] is None:
        r.problem("F005", at, f"{at.what} is missing the field '{needs}'.", _ADD_NEED[needs])
        return None
    channels = _channels_for(r, action, v["channels"], at)
    if channels is None or not _announced(r, v["announce"], at):
        return None
    if v["key"] is None and VOICE in channels:
        r.problem(
            "V005",
            at,
            f"{at.what} has no key, so a caller cannot press for it.",
            'Add key: "1" (or another key), or channels: [sms] if it is for texts only.',
        )
        return None
    kept = {name: v[name] if needs == name else None for name in ("target", "dial", "transfer")}
    return Option(v["label"], v["keyword"], v["key"], v["synonyms"], action,
                  channels=channels, line=at.line, announce=v["announce"], **kept)  # fmt: skip


def _announced(r: Reading, announce: str, at: At) -> bool:
    """Where a global option is announced on the phone; a menu's own always are."""
    if at.node is not None and announce != ANNOUNCE_EVERYWHERE:
        r.problem(
            "F013",
            at,
            f"{at.what} has announce:, which only a global option can have.",
            "Remove announce: here; a menu's own options are always announced.",
        )
        return False
    if announce not in (ANNOUNCE_EVERYWHERE, ANNOUNCE_MAIN):
        r.problem(
            "F013",
            at,
            f"{at.what} has announce: {announce!r}, which the format does not know.",
            f"Write announce: {ANNOUNCE_MAIN} (said only on the main menu) or leave it "
            "out (said on every spoken menu).",
        )
        return False
    return True


_ADD_NEED = {
    "target": "Add 'target:', the node it goes to.",
    "dial": "Add 'dial:', the number to call.",
    "transfer": "Add 'transfer:', the id of one of the script's transfers.",
}


def _channels_for(r: Reading, action: str, channels: tuple, at: At) -> tuple | None:
    """A call can only be placed or a text sent from a call: those actions are voice only."""
    if action not in VOICE_ONLY_ACTIONS:
        return channels
    if VOICE not in channels:
        r.problem(
            "F013",
            at,
            f"{at.what} ({action}) works only on the phone, but is offered only by SMS.",
            "Remove channels:, or make it channels: [voice].",
        )
        return None
    return (VOICE,)


option = record(OPTION_FIELDS, _option)
globals_ = listed(option, lambda i: f"Global option {i}")

NEXT_FIELDS = (
    Field("key", kind.key, required=True, add='Add key: "1", the key for the next step.'),
    Field("keyword", kind.keyword, required=True, add="Add 'keyword: NEXT'."),
    Field("synonyms", kind.synonyms, default=()),
    Field("label", kind.text, required=True, add="Add 'label:', offered while steps remain."),
    Field("last_label", kind.text, required=True, add="Add 'last_label:', offered last."),
)
next_control = record(
    NEXT_FIELDS,
    lambda r, v, at: NextControl(
        v["key"], v["keyword"], v["synonyms"], v["label"], v["last_label"], at.line
    ),
)

# -- nodes ----------------------------------------------------------------------------------


def _counter(r: Reading, value: Any, at: At) -> Text | None:
    said = kind.text(r, value, at)
    return said and kind.template(r, said, PHRASES["step_counter"][1], at)


def _step(r: Reading, value: Any, at: At) -> tuple[Text, tuple[Option, ...]] | None:
    """A step's words and the choices offered while it is read (a transfer, say)."""
    if not (isinstance(value, Map) and "options" in value):
        said = kind.text(r, value, at)
        return None if said is None else (said, ())
    where = at.to(f"{at.what}'s options", value.key_lines["options"])
    offered = listed(option, lambda j: f"{at.what}, option {j}")(r, value["options"], where)
    said = kind.text(r, _without(value, "options"), at)
    return None if said is None or offered is None else (said, offered)


def _without(data: Map, key: str) -> Map:
    rest = Map({k: v for k, v in data.items() if k != key})
    rest.line, rest.key_lines = data.line, {k: v for k, v in data.key_lines.items() if k != key}
    return rest


NODE_FIELDS = (
    Field("text", kind.text),
    Field("options", listed(option, lambda i: f"Option {i}")),
    Field("steps", listed(_step, lambda i: f"Step {i}")),
    Field("next", words),
    Field("counter", _counter),
    # global keys this menu does not announce on the phone (they still work)
    Field("quiet", listed(kind.key, lambda i: f"Quiet key {i}"), default=()),
)


def _node(r: Reading, v: dict, at: At) -> Node | None:
    is_menu, is_steps = v["options"] is not None, v["steps"] is not None
    if is_menu == is_steps:
        r.problem(
            "G007",
            at,
            "A node needs either 'options' (a menu) or 'steps' (read one at a time); "
            + ("this one has both." if is_menu else "this one has neither."),
            "Give a menu its options, or a steps node its steps and a next:.",
        )
        return None
    if is_menu and (v["next"] or v["counter"]):
        r.problem(
            "G007",
            at,
            f"A menu has no '{'next' if v['next'] else 'counter'}'; only steps nodes do.",
            "Remove it, or make this a steps node.",
        )
        return None
    if is_steps and not v["steps"]:
        r.problem(
            "G005", at, "This steps node has no steps.", "Add at least one step, or make it a menu."
        )
        return None
    if is_menu:
        return Node(at.node, MENU, v["text"], v["options"], line=at.line, quiet=v["quiet"] or ())
    steps = tuple(said for said, _ in v["steps"])
    offered = tuple(options for _, options in v["steps"])
    return Node(at.node, STEPS, v["text"], (), steps, v["next"], v["counter"], at.line,
                offered if any(offered) else (), v["quiet"] or ())  # fmt: skip


node = record(NODE_FIELDS, _node)


def nodes(r: Reading, value: Any, at: At) -> MappingProxyType | None:
    data = mapping(r, value, at)
    if data is None:
        return None
    found = {}
    for node_id, body in data.items():
        line = data.key_lines[node_id]
        named = kind.an_id(r, node_id, At(line, "The node id", str(node_id)))
        if named:
            found[named] = node(r, body, At(line, "This node", named))
    return None if None in found.values() else MappingProxyType(found)


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

    def read(r: Reading, value: Any, at: At) -> int | None:
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


def _telltale_words(r: Reading, value: Any, at: At) -> tuple[str, ...] | None:
    """The script's own telltale words, added to the built-in ones (which always apply)."""
    found = list(DEFAULT_DISCRETION.words)
    before = len(r.problems)
    for i, (item, line) in enumerate(items(r, value, at), 1):
        word = words(r, item, at.to(f"discretion word {i}", line))
        if word and word.lower() not in found:
            found.append(word.lower())
    return tuple(found) if len(r.problems) == before else None


def _preview(r: Reading, value: Any, at: At) -> int | None:
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
