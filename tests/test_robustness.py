"""Mangled scripts and strange input: always a sentence or a reply, never a traceback.

Seeded, so every run tries the same cases and a failure can be replayed.
"""

from __future__ import annotations

import copy
import random
from datetime import timedelta

import pytest
import yaml

from ivr import engine, gsm7
from ivr.engine import State
from ivr.errors import ScriptError
from ivr.lint import lint
from ivr.lint.rules import RULES
from ivr.loader import SCRIPT_FIELDS, flow, handoffs, parse_script, records

from support import FIXTURES, GUIDE, NOW

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

ODD_VALUES = [None, 0, 7, -1, True, "", "x", "*", [], {}, [1, None], {"a": 1}, "  ", "main",
              "🙂", 3.5, ["x"], {"voice": "a"}, {"text": None}]  # fmt: skip
# Templates are filled in with str.format: every way a brace can go wrong, and right.
BRACES = ["{", "}", "{n}", "Step {n}.", "{label", "label}", "{{", "}}", "{}", "{0}", "{key!r}",
          "{number:>3}", "{label.__class__}", "{total[0]}", "Step {number} of {total}.",
          "{label}, press {key}.", {"voice": "{number}.", "sms": "{"}]  # fmt: skip
# Every field name of the format, read from the loader's own schemas, so a new field is
# fuzzed the day it is declared.
FIELDS = sorted({f.name for schema in (SCRIPT_FIELDS, records.VOICE_FIELDS,
                 records.SOURCE_FIELDS, flow.OPTION_FIELDS, flow.NEXT_FIELDS,
                 flow.NODE_FIELDS, records.PHRASE_FIELDS, handoffs.TRANSFER_FIELDS,
                 handoffs.HOURS_FIELDS, handoffs.CLOSED_FIELDS, handoffs.TEXT_ME_FIELDS,
                 records.LIMIT_FIELDS)
                 for f in schema})  # fmt: skip


def _places(value, path=()):
    yield path
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()  # fmt: skip
    for key, child in children:
        yield from _places(child, (*path, key))


def _mangle(document, rng):
    document = copy.deepcopy(document)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice([p for p in _places(document) if p])
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        odd = rng.choice([ODD_VALUES, BRACES])
        if rng.random() < 0.2:
            del parent[path[-1]]
        elif rng.random() < 0.3 and isinstance(parent, dict):
            parent[rng.choice(FIELDS)] = copy.deepcopy(rng.choice(odd))  # any field, anywhere
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(odd))
    return document


@pytest.mark.parametrize("seed", range(4))
def test_a_mangled_script_gets_sentences_never_a_traceback(seed):
    rng = random.Random(seed)
    shapes = (FIXTURES / "valid.yaml", FIXTURES / "handoffs.yaml", GUIDE)
    originals = [yaml.safe_load(path.read_text()) for path in shapes]
    for _ in range(40):
        text = yaml.safe_dump(_mangle(rng.choice(originals), rng), allow_unicode=True)
        try:
            problems = lint(parse_script(text, "mangled.yaml"))
        except ScriptError as error:
            problems = error.problems
        for problem in problems:
            assert str(problem).startswith(f"mangled.yaml, line {problem.line}")
            assert problem.code in RULES and problem.fix, str(problem)


def test_a_counter_for_every_steps_node_fills_in_or_is_refused(tiny):
    # Each brace case as the counter of every steps node: either a Problem at load, or
    # every reply of the script can be made (the engine fills the counter in).
    source = (FIXTURES / "valid.yaml").read_text()
    document = yaml.safe_load(source)
    for counter in BRACES:
        for node in document["nodes"].values():
            if "steps" in node:
                node["counter"] = counter
        text = yaml.safe_dump(document, allow_unicode=True)
        try:
            script = parse_script(text, "counter.yaml")
        except ScriptError as error:
            assert [p.code for p in error.problems] == ["F011"] * len(error.problems)
            continue
        for channel in ("voice", "sms"):
            assert list(engine.every_reply(script, channel))


KEYS = "0123456789*#"
WORDS = ["clicked", "danger", "next", "more", "menu", "repeat", "under 18", "press 2", "stop"]
NOISE = "abc xyz 123 !?.,'\"🙂’“”é漢字\u200b\x00\t\n"


def _something(rng) -> str:
    noise = "".join(rng.choices(NOISE, k=rng.randint(0, 30)))
    return rng.choice([rng.choice(KEYS), rng.choice(WORDS), noise])


@pytest.mark.parametrize("channel", ["voice", "sms"])
def test_any_input_at_any_point_gets_a_reply(guide, channel):
    rng = random.Random(channel)
    for node in guide.nodes:
        for step in range(4):
            for menu in ("", "main", node):
                state = State(channel, guide.id, node, step, rng.randint(0, 3), menu, 0)
                for kind in ("pressed", "typed", "said", "silence"):
                    given = engine.Input(kind, _something(rng), media=rng.random() < 0.2)
                    reply = engine.advance(guide, state, given, NOW, timedelta(minutes=30))
                    assert reply.paragraphs
                    assert State.from_fields(reply.state.as_fields()) == reply.state
                    if channel == "sms":
                        assert gsm7.segments(reply.text) <= 4 and not gsm7.not_gsm7(reply.text)
                    else:
                        assert reply.ends or reply.choices
