"""Writing a draft script as YAML a person edits: comments, block texts, one option a line.

    render(document, provisional=False) -> str

A document is nested dicts and lists of plain values, `Texts` (words per channel, in
paragraphs of lines), `Flow` (a mapping on one line, for options) and `Decide` (a
decision the guide does not make, written `DECIDE: <question>`; with `provisional`,
its stand-in instead, or nothing, so the rest of the draft can be linted).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

MARK = "DECIDE:"


@dataclass(frozen=True)
class Decide:
    question: str
    stand_in: str | None = None  # what stands in for it while the rest is linted


@dataclass
class Texts:
    """Words on each channel, as paragraphs of lines (a line may be a Decide)."""

    voice: list[list] = field(default_factory=list)
    sms: list[list] = field(default_factory=list)


@dataclass
class Flow:
    """A mapping written on one line: `- {key: "1", keyword: STEPS, ...}`."""

    values: dict


@dataclass
class Comment:
    """A comment line above the key that follows it."""

    text: str


_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.'’()?/+-]*$")
_FLOW_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'’?/+-]*$")  # in {...}: no commas, no brackets
_WORDS_YAML_READS_OTHERWISE = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}
# (a key such as "1" starts with a digit, so it is never plain: always quoted)


def scalar(value, provisional: bool = False, flow: bool = False) -> str | None:
    """A value on one line; None for a Decide left out while provisional. `flow`: inside
    a {...} mapping, where a comma would end the value."""
    if isinstance(value, Decide):
        if provisional:
            return None if value.stand_in is None else scalar(value.stand_in, flow=flow)
        return json.dumps(f"{MARK} {value.question}", ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v, provisional, flow=True) or "" for v in value) + "]"
    text = str(value)
    plain = (_FLOW_PLAIN if flow else _PLAIN).match(text)
    if plain and ": " not in text and text.lower() not in _WORDS_YAML_READS_OTHERWISE:
        return text
    return json.dumps(text, ensure_ascii=False)


def render(document: dict, provisional: bool = False) -> str:
    out: list[str] = []
    _mapping(out, document, 0, provisional)
    return "\n".join(out) + "\n"


def _mapping(out: list[str], mapping: dict, indent: int, provisional: bool) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, Comment):
            out.append(f"{pad}# {value.text}" if value.text else "")
            continue
        if isinstance(value, Texts):
            _texts(out, key, value, indent, provisional)
        elif isinstance(value, Flow):
            out.append(f"{pad}{key}: {_flow(value, provisional)}")
        elif isinstance(value, dict):
            out.append(f"{pad}{key}:")
            _mapping(out, value, indent + 2, provisional)
        elif isinstance(value, list):
            items = [_item(v, provisional) for v in value]
            items = [i for i in items if i is not None]
            if not items:
                continue
            out.append(f"{pad}{key}:")
            for item in items:
                if isinstance(item, Texts):
                    _texts_item(out, item, indent + 2, provisional)
                elif isinstance(item, dict):  # "- first: value", the rest below it
                    lines: list[str] = []
                    _mapping(lines, item, indent + 4, provisional)
                    out += [f"{pad}  - {lines[0].lstrip()}", *lines[1:]]
                else:
                    out.append(f"{pad}  - {item}")
        else:
            said = scalar(value, provisional)
            if said is not None:
                out.append(f"{pad}{key}: {said}")


def _flow(value: Flow, provisional: bool) -> str:
    parts = [(k, scalar(v, provisional, flow=True)) for k, v in value.values.items()]
    return "{" + ", ".join(f"{k}: {v}" for k, v in parts if v is not None) + "}"


def _texts_item(out: list[str], texts: Texts, indent: int, provisional: bool) -> None:
    """A text as an item of a list (a step): one line when both channels say it alike."""
    voice, sms = _block(texts.voice, provisional), _block(texts.sms, provisional)
    pad = " " * indent
    if voice == sms and len(voice) == 1:
        out.append(f"{pad}- {json.dumps(voice[0], ensure_ascii=False)}")
        return
    out.append(f"{pad}-")
    _one(out, f"{pad}  voice:", voice, indent + 2)
    _one(out, f"{pad}  sms:", sms, indent + 2)


def _item(value, provisional: bool):
    if isinstance(value, Texts):
        return value
    if isinstance(value, Flow):
        return _flow(value, provisional)
    if isinstance(value, dict):
        return value
    return scalar(value, provisional)


def _texts(out: list[str], key: str, texts: Texts, indent: int, provisional: bool) -> None:
    pad = " " * indent
    voice, sms = _block(texts.voice, provisional), _block(texts.sms, provisional)
    if voice == sms:
        _one(out, f"{pad}{key}:", voice, indent)
        return
    out.append(f"{pad}{key}:")
    _one(out, f"{pad}  voice:", voice, indent + 2)
    _one(out, f"{pad}  sms:", sms, indent + 2)


def _one(out: list[str], head: str, lines: list[str], indent: int) -> None:
    if not lines:
        out.append(f'{head} ""')
    elif len(lines) == 1 and not lines[0].startswith(" "):
        out.append(f"{head} {json.dumps(lines[0], ensure_ascii=False)}")
    else:
        out.append(f"{head} |")
        out += [f"{' ' * (indent + 2)}{line}" if line else "" for line in lines]


def _block(paragraphs: list[list], provisional: bool) -> list[str]:
    """The lines of a block text: paragraphs separated by a blank line."""
    lines: list[str] = []
    for paragraph in paragraphs:
        said = [t for t in (_line(line, provisional) for line in paragraph) if t]
        if said:
            lines += ([""] if lines else []) + said
    return lines


def _line(line, provisional: bool) -> str | None:
    """One line of a text; a Decide as its question, or (provisional) its stand-in."""
    if not isinstance(line, Decide):
        return line
    if provisional:
        return line.stand_in
    return f"{MARK} {line.question}"
