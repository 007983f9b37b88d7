"""The lexicon (V101-V149): the words the line understands, checked like the script.

Every script is read with its language's lexicon (ivr/understanding/lexicons/) and its
own `lexicon:` section, so both are checked with it:

    V101  a lexicon section or list that is not in the lexicon's shape
    V102  a list that does not say where its words came from
    V103  a phrase written twice, or in two lists that mean different things
    V104  a phrase that the line reads as something else: an option's keyword or synonym,
          or a lexicon topic phrase, that would reach danger or another topic instead
          (every danger phrase is read in all its tenses, and every danger pattern with
          its slots filled in, so a slot phrase that makes a topic read as danger shows)
    V140  a danger pattern of the script's lexicon that names a slot no lexicon has, or
          starts or ends with '...' (the language's own are checked when it loads)

Checking also compiles the script's understanding, so the first message after start-up
costs no more than any other.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr.errors import Problem
from ivr.lint.walk import all_options, every_option, problem
from ivr.script import GO, Node, Option, Script
from ivr.understanding import lexicon as lexicons
from ivr.understanding import lexicon_file, patterns
from ivr.understanding.meaning import for_script, lexicon_for
from ivr.understanding.tokens import phrase


def own_words(s: Script) -> Iterator[Problem]:
    """V101, V102: the script's `lexicon:` section is in the lexicon's shape."""
    if s.lexicon:
        yield from lexicon_file.parse(s.lexicon, s.path, line=s.line_of.get("lexicon", 1))[1]


def repeated(s: Script) -> Iterator[Problem]:
    """V103: one phrase, one place."""
    seen: dict[str, tuple[str, lexicons.Entry]] = {}
    merged = lexicon_for(s)
    for name in lexicons.LISTS:
        for entry in merged.get(name).entries:
            key = (name if name not in lexicons.MEANING_LISTS else "meaning", entry.normal)
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = (name, entry)
                continue
            where = f"{earlier[0]} (line {earlier[1].line} of {earlier[1].path})"
            yield Problem(
                entry.path,
                entry.line,
                None,
                f"'{entry.written}' in {name} is already in {where}.",
                "Keep each phrase in one list only.",
                code="V103",
            )


def collisions(s: Script) -> Iterator[Problem]:
    """V104: what a script and its lexicon say a phrase means is what the line reads."""
    yield from _misread_option_words(s)
    yield from _misread_topic_phrases(s)


def _misread_option_words(s: Script) -> Iterator[Problem]:
    """An option's keyword or synonym that the line reads as another place."""
    told: set[tuple[int, str]] = set()  # one word, one problem, whichever channel shows it
    shared = _shared_words(s)
    for channel in ("voice", "sms"):
        for node, option, word, top in _misreadings(s, channel, shared):
            if (option.line, word) in told:
                continue
            told.add((option.line, word))
            read_as = f"the '{top.target}' node" if top.target else top.kind
            yield problem(
                s,
                "V104",
                option.line,
                node.id,
                f"The word '{word}' of option {option.keyword} is read as "
                f"{read_as} ({channel}), so it never reaches '{option.target}'.",
                "Choose a word the lexicon does not give another meaning, or "
                "move the phrase in the lexicon.",
            )


def _shared_words(s: Script) -> set[str]:
    """Phrases that options lead to two places with: V001, V002 or V004's to report."""
    places: dict[str, set] = {}
    for _, option in all_options(s):
        for word in option.words:
            places.setdefault(phrase(word), set()).add((option.action, option.target))
    return {word for word, where in places.items() if len(where) > 1}


def _misreadings(s: Script, channel: str, shared: set[str]) -> Iterator[tuple]:
    """(node, option, word, what the line reads) for each word of a `go` option on
    `channel` that the line reads as something other than the option's target."""
    reader = for_script(s, channel)
    for node, option in _go_options(s, channel):
        for word in option.words:
            top = reader.read(word, node.id).top
            if top is not None and top.target != option.target and phrase(word) not in shared:
                yield node, option, word, top


def _go_options(s: Script, channel: str) -> Iterator[tuple[Node, Option]]:
    """Every node's options that lead somewhere (action go) on `channel`, with the node."""
    for node in s.nodes.values():
        for option in every_option(node):
            if option.action == GO and channel in option.channels:
                yield node, option


def _misread_topic_phrases(s: Script) -> Iterator[Problem]:
    """A lexicon topic phrase that the line reads as danger or another topic."""
    merged = lexicon_for(s)
    reader = for_script(s, "sms")
    for role in lexicons.TOPIC_ROLES:
        target = s.roles.get(role)
        for entry in merged.get(f"topics.{role}").entries if target else ():
            top = reader.read(entry.written, target).top
            if top is not None and top.target != target and phrase(entry.written):
                yield Problem(
                    entry.path,
                    entry.line,
                    None,
                    f"The phrase '{entry.written}' of topics.{role} is read as "
                    f"'{top.target or top.kind}', so it never reaches '{target}'.",
                    "Remove the words that mean something else, or the phrase.",
                    code="V104",
                )


def danger_patterns(s: Script) -> Iterator[Problem]:
    """V140: a script's danger patterns compile against the slots it and its language have."""
    merged = lexicon_for(s)
    slots = merged.slots()
    for entry in merged.get(lexicons.PATTERNS).entries:
        wrong = patterns.problem_in(entry.normal, slots)
        if wrong and entry.path == s.path:
            yield Problem(
                entry.path,
                entry.line,
                None,
                f"The danger pattern {entry.written!r} {wrong}, so it is never heard.",
                lexicon_file.PATTERN_FIX,
                code="V140",
            )


CHECKS = (own_words, repeated, collisions, danger_patterns)
