"""Translations (X): every text in every declared language, and each one up to date.

    X001 a text with no version in a declared language          (error: never served)
    X002 a translation made from source words since changed,
         or never stamped (no `from:`)                           (warning: check, then stamp)
    X003 a version, or an option's words, in an undeclared language (error: a typo)
    X004 a language whose words no fluent speaker has reviewed   (information)
    X005 recordings (`play:`) that do not match the spoken paragraphs (warning)

A stale translation is found by its `from:`: the fingerprint (ivr.languages.fingerprint)
of the source words it was made from. The warning prints the fingerprint of the words
as they are now, to write in once the translation has been checked; `ivr stamp` writes
it for every text of a language at once.

Every other rule that reads words (safety, discretion, SMS, links, timing, hand-offs,
vocabulary) runs on each language too: `per_language` runs them on `ivr.languages.version`
of the script and names the language in each problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ivr import languages
from ivr.errors import INFO, WARNING, Problem
from ivr.lint.walk import all_options, problem, texts
from ivr.script import DRAFT, Script, Text

MISSING, STALE, UNDECLARED, DRAFTED, RECORDINGS = "X001", "X002", "X003", "X004", "X005"


def every_text(s: Script) -> Iterator[tuple[str | None, str, Text]]:
    """Every text that needs a translation: (node, what it is, the source words). Phrases
    the script left to its language's lexicon are each language's own lexicon's."""
    for node_id, what, text in texts(s):
        if what.startswith("The phrase '") and what[12:-1] in s.from_lexicon:
            continue
        if what == "text_me's message" and s.text_me.message_text is not None:
            text = s.text_me.message_text
        if text.voice or text.sms:
            yield node_id, what, text


def missing_and_stale(s: Script) -> Iterator[Problem]:
    for node_id, what, text in every_text(s):
        now = languages.fingerprint(text)
        for tag, language in s.languages.items():
            found = text.version(tag)
            if found is None:
                yield problem(
                    s,
                    MISSING,
                    text.line,
                    node_id,
                    f"{what} has no {tag} ({language.name}) version.",
                    f'Add its {tag} words beside it: {tag}: {{text: ..., from: "{now}"}} '
                    "(docs/languages.md). Until then the script is not served.",
                )
            elif found.source != now:
                was = f'from: "{found.source}"' if found.source else "no from:"
                yield problem(
                    s,
                    STALE,
                    found.line,
                    node_id,
                    f"{what} in {tag} ({language.name}) was translated from other words "
                    f"({was}); the source words now have the fingerprint {now}.",
                    f'Check the {tag} words against the source, then write from: "{now}" '
                    f"(or run: ivr stamp {s.path} --language {tag}).",
                    WARNING,
                )


def undeclared(s: Script) -> Iterator[Problem]:
    """A version under a tag the script does not declare: a typo (cy-gb, cy-UK), or a
    language added before its `languages:` entry."""
    told: set[tuple[str, int]] = set()
    declared = ", ".join(s.languages) or "none"
    fix = (
        f"Declare it under languages: (docs/languages.md), or correct the tag: the "
        f"script declares {declared}."
    )
    found = [(n, w, t.line, tag) for n, w, t in texts(s) for tag, _ in t.translations]
    found += [(n, f"The option '{o.keyword}'", o.line, tag)
              for n, o in all_options(s) for tag, _ in o.words_in]  # fmt: skip
    found += [(None, "next", s.next_control.line, tag) for tag, _ in s.next_control.words_in]
    if s.text_me is not None and s.text_me.message_text is not None:
        text = s.text_me.message_text
        found += [(None, "text_me's message", text.line, tag) for tag, _ in text.translations]
    for node_id, what, line, tag in found:
        if tag not in s.languages and (tag, line) not in told:
            told.add((tag, line))
            yield problem(
                s, UNDECLARED, line, node_id, f"{what} has a version in '{tag}', a language "
                "the script does not declare.", fix,
            )  # fmt: skip


def drafts(s: Script) -> Iterator[Problem]:
    for tag, language in s.languages.items():
        if language.status == DRAFT:
            yield problem(
                s,
                DRAFTED,
                language.line,
                None,
                f"{tag} ({language.name}) is a draft: its words have not been checked by a "
                "fluent speaker. Production does not offer it unless IVR_DRAFT_LANGUAGES "
                "names it; development and /try do.",
                "Have a fluent speaker check every text, then write status: reviewed.",
                INFO,
            )


def recordings(s: Script) -> Iterator[Problem]:
    for node_id, what, text in every_text(s):
        for tag, found in text.translations:
            said = Text.paragraphs(found.text.voice)
            if found.play and len(found.play) != len(said):
                yield problem(
                    s,
                    RECORDINGS,
                    found.line,
                    node_id,
                    f"{what} in {tag} has {len(found.play)} recording(s) for {len(said)} "
                    "spoken paragraph(s): each plays in place of its paragraph, in order, "
                    "and a paragraph without one is spoken.",
                    "Give play: one recording per paragraph of the voice words, in order.",
                    WARNING,
                )


CHECKS = (missing_and_stale, undeclared, drafts, recordings)

Rule = Callable[[Script], Iterator[Problem]]


def per_language(s: Script, rules: tuple[Rule, ...], source: list[Problem]) -> list[Problem]:
    """The word rules run on each of the script's languages, each problem naming it. A
    problem the source has word for word (at the same line and node) is one mistake,
    reported once, by the source."""
    seen = {(p.code, p.line, p.node, p.message) for p in source}
    found = []
    for tag, language in s.languages.items():
        spoken = languages.version(s, tag)
        for rule in rules:
            for p in rule(spoken):
                if (p.code, p.line, p.node, p.message) in seen:
                    continue
                message = f"In {tag} ({language.name}): {p.message}"
                found.append(Problem(p.path, p.line, p.node, message, p.fix, p.severity,
                                     code=p.code))  # fmt: skip
    return found
