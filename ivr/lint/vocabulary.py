"""Vocabulary (V): each key and each word chooses exactly one thing, and reaches the script.

A key or keyword shared within a node, or taken by a global option, sends a person
somewhere they did not choose; Twilio's own words (STOP, HELP...) never arrive at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr.errors import WARNING, Problem
from ivr.keywords import RESERVED_WORDS, normalise
from ivr.lint.walk import all_options, problem
from ivr.script import Node, Option, Script


def global_keys(s: Script) -> Iterator[Problem]:
    seen: set[str] = set()
    for option in s.globals:
        if option.key and option.key in seen:
            yield problem(
                s,
                "V001",
                option.line,
                None,
                f"Two global options use key {option.key}.",
                "Give each global option its own key.",
            )
        seen.add(option.key)
    control = s.next_control
    if control.key in seen:
        yield problem(
            s,
            "V001",
            control.line,
            None,
            f"next uses key {control.key}, which a global option already uses.",
            "Give next a key of its own.",
        )


def reserved_words(s: Script) -> Iterator[Problem]:
    for node_id, option in all_options(s):
        for word in option.words:
            if normalise(word) in RESERVED_WORDS:
                yield problem(
                    s,
                    "V003",
                    option.line,
                    node_id,
                    f"'{word}' is a word Twilio answers itself (opt-out, opt-in or help), "
                    "so it never reaches this script.",
                    "Choose another word.",
                )


def node_keys(s: Script) -> Iterator[Problem]:
    for node in s.nodes.values():
        yield from _keys_of(s, node)


def _keys_of(s: Script, node: Node) -> Iterator[Problem]:
    everywhere = {o.key: o for o in s.globals if o.key}
    earlier: set[tuple[str, str]] = set()  # (channel, key): a key may mean one thing by
    for i, option in enumerate(node.options, 1):  # phone and another by text
        if not option.key:
            continue
        if option.key in everywhere:
            label = everywhere[option.key].label.voice
            yield problem(
                s,
                "V002",
                option.line,
                node.id,
                f"Option {i} uses key {option.key}, which is the global key for '{label}'.",
                "Choose a key that no global option uses.",
            )
        elif any((c, option.key) in earlier for c in option.channels):
            yield problem(
                s,
                "V001",
                option.line,
                node.id,
                f"Option {i} uses key {option.key}, which an earlier option uses.",
                "Give each option its own key.",
            )
        earlier.update((c, option.key) for c in option.channels)


def node_keywords(s: Script) -> Iterator[Problem]:
    everywhere = {normalise(o.keyword): o for o in s.globals}  # the same for every node
    for node in s.nodes.values():
        yield from _keywords_of(s, node, everywhere)


def _keywords_of(s: Script, node: Node, everywhere: dict[str, Option]) -> Iterator[Problem]:
    earlier: dict[str, Option] = {}
    for i, option in enumerate(node.options, 1):
        word = normalise(option.keyword)
        if word in everywhere and everywhere[word].target != option.target:
            yield problem(
                s,
                "V002",
                option.line,
                node.id,
                f"Option {i} has the keyword {option.keyword}, which is a global keyword.",
                "Use a keyword that no global option uses.",
            )
        elif word in earlier and earlier[word].target != option.target:
            yield problem(
                s,
                "V001",
                option.line,
                node.id,
                f"Option {i} has the keyword {option.keyword}, which an earlier option "
                "uses for somewhere else.",
                "Give each option its own keyword.",
            )
        earlier.setdefault(word, option)


def shared_words(s: Script) -> Iterator[Problem]:
    """Words that work from anywhere (globals and the main menu) should mean one thing."""
    meaning: dict[str, Option] = {}
    for option in (*s.globals, *s.main.options):
        for word in option.words:
            earlier = meaning.setdefault(normalise(word), option)
            if _same_keyword(earlier, option):
                continue  # a keyword twice is V001 or V002 already: one mistake, one problem
            if (earlier.target, earlier.action) != (option.target, option.action):
                yield problem(
                    s,
                    "V004",
                    option.line,
                    None,
                    f"'{word}' leads to two places ('{earlier.target}' and '{option.target}'), "
                    "so it is unclear which one a person means.",
                    "Keep it in one option only.",
                    WARNING,
                )


def _same_keyword(one: Option, other: Option) -> bool:
    return normalise(one.keyword) == normalise(other.keyword)


CHECKS = (global_keys, reserved_words, node_keys, node_keywords, shared_words)
