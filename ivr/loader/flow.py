"""The flow records: nodes (menus, and steps read one at a time), their options, the
global options and the next control, declared like every other record (ivr.loader.records).

Also the few rules that join an option's fields (its action and what it needs, the
channels it can work on, where a global is announced) and a node's (options or steps,
never both); what joins nodes to each other (a target that is no node, say) is the
linter's.
"""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import Any

from ivr.loader import fields as kind
from ivr.loader.records import by_id
from ivr.phrasebook import PHRASES
from ivr.script import (
    ANNOUNCE_EVERYWHERE,
    ANNOUNCE_MAIN,
    CHANNELS,
    DIAL,
    GO,
    MENU,
    REPEAT,
    SEND_TEXT,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    VOICE_ONLY_ACTIONS,
    NextControl,
    Node,
    Option,
    Text,
    Words,
)
from ivr.yaml_records import At, Field, Problems, listed, record, words
from ivr.yaml_text import Map

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


def _option(r: Problems, v: dict, at: At) -> Option | None:
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


def _announced(r: Problems, announce: str, at: At) -> bool:
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


def _channels_for(r: Problems, action: str, channels: tuple, at: At) -> tuple | None:
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


def _in_languages(read):
    """A reader of an option (or next:) that also takes, under a language tag, that
    language's keyword and synonyms: {cy-GB: {keyword: CLICIO, synonyms: [wedi clicio]}}.
    The label is a text: its translation lives inside label:, like any other text's."""

    def read_all(r: Problems, value: Any, at: At):
        tags = [k for k in value if kind.is_language(k)] if isinstance(value, Map) else []
        if not tags:
            return read(r, value, at)
        before = len(r.problems)
        found = read(r, kind.without(value, tags), at)
        words_in = []
        for tag in tags:
            where = at.to(f"{at.what}, in {tag},", value.key_lines[tag])
            said = _words(r, value[tag], where)
            if said is not None:
                words_in.append((tag, said))
        if found is None or len(r.problems) > before:
            return None
        return replace(found, words_in=tuple(words_in))

    return read_all


WORDS_FIELDS = (
    Field("keyword", kind.keyword, required=True, add="Add 'keyword:', one word in that "
          "language (or leave the language out: the source's keyword is used)."),
    Field("synonyms", kind.synonyms, default=()),
)  # fmt: skip
_words = record(WORDS_FIELDS, lambda r, v, at: Words(v["keyword"], v["synonyms"], at.line))

option = _in_languages(record(OPTION_FIELDS, _option))
globals_ = listed(option, lambda i: f"Global option {i}")

NEXT_FIELDS = (
    Field("key", kind.key, required=True, add='Add key: "1", the key for the next step.'),
    Field("keyword", kind.keyword, required=True, add="Add 'keyword: NEXT'."),
    Field("synonyms", kind.synonyms, default=()),
    Field("label", kind.text, required=True, add="Add 'label:', offered while steps remain."),
    Field("last_label", kind.text, required=True, add="Add 'last_label:', offered last."),
)
next_control = _in_languages(
    record(
        NEXT_FIELDS,
        lambda r, v, at: NextControl(
            v["key"], v["keyword"], v["synonyms"], v["label"], v["last_label"], at.line
        ),
    )
)

# -- nodes ----------------------------------------------------------------------------------


def _counter(r: Problems, value: Any, at: At) -> Text | None:
    said = kind.text(r, value, at)
    return said and kind.template(r, said, PHRASES["step_counter"][1], at)


def _step(r: Problems, value: Any, at: At) -> tuple[Text, tuple[Option, ...]] | None:
    """A step's words and the choices offered while it is read (a transfer, say)."""
    if not (isinstance(value, Map) and "options" in value):
        said = kind.text(r, value, at)
        return None if said is None else (said, ())
    where = at.to(f"{at.what}'s options", value.key_lines["options"])
    offered = listed(option, lambda j: f"{at.what}, option {j}")(r, value["options"], where)
    said = kind.text(r, kind.without(value, ("options",)), at)
    return None if said is None or offered is None else (said, offered)


NODE_FIELDS = (
    Field("text", kind.text),
    Field("options", listed(option, lambda i: f"Option {i}")),
    Field("steps", listed(_step, lambda i: f"Step {i}")),
    Field("next", words),
    Field("counter", _counter),
    # global keys this menu does not announce on the phone (they still work)
    Field("quiet", listed(kind.key, lambda i: f"Quiet key {i}"), default=()),
)


def _node(r: Problems, v: dict, at: At) -> Node | None:
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


def nodes(r: Problems, value: Any, at: At) -> MappingProxyType | None:
    return by_id(r, value, at, "node", _node_at, ids_are_nodes=True)


def _node_at(r: Problems, body: Any, line: int, node_id: str) -> Node | None:
    return node(r, body, At(line, "This node", node_id))
