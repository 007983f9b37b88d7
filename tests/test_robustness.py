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
from ivr.loader import parse_script

from support import FIXTURES, GUIDE, NOW

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

ODD_VALUES = [None, 0, 7, -1, True, "", "x", "*", [], {}, [1, None], {"a": 1}, "  ", "main",
              "🙂", 3.5, ["x"], {"voice": "a"}, {"text": None}]  # fmt: skip


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
        if rng.random() < 0.2:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
    return document


@pytest.mark.parametrize("seed", range(4))
def test_a_mangled_script_gets_sentences_never_a_traceback(seed):
    rng = random.Random(seed)
    originals = [yaml.safe_load(path.read_text()) for path in (FIXTURES / "valid.yaml", GUIDE)]
    for _ in range(40):
        text = yaml.safe_dump(_mangle(rng.choice(originals), rng), allow_unicode=True)
        try:
            lint(parse_script(text, "mangled.yaml"))
        except ScriptError as error:
            assert all(str(p).startswith("mangled.yaml") for p in error.problems)


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
                    assert State.loads(reply.state.dumps()) == reply.state
                    if channel == "sms":
                        assert gsm7.segments(reply.text) <= 4 and not gsm7.not_gsm7(reply.text)
                    else:
                        assert reply.ends or reply.choices
