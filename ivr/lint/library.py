"""Guides offered together on one number (O): what the library's opening must keep.

    check_library(library) -> [Problem, ...]   empty for a library of one guide

Each script is linted on its own first (`ivr.lint.check`); these rules need the guides
together, in the order they are offered (IVR_SCRIPTS, or `ivr validate --library`):

    O001  a script served without a label and a keyword is not offered (a warning)
    O002  one danger key in every guide, as the opening says it once for them all
    O003  the guide choice's keys (1, 2, ...) are free of the default guide's own keys
    O004  a guide's keyword and words belong to it alone
    O101  the danger key heard within seconds of the call's start on every path
    O102  each menu of the opening, and each guide's first menu once chosen, stays short
    O103  the guide choice, and each main menu with its way back, within the keys a caller
          can hold in mind
    O104  every text of the opening within the SMS segments, and discreet at its start

Timing and texts are measured on the opening's own replies (ivr.opening.replies), so
what is checked is what a caller hears and a texter reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import gsm7, timing
from ivr.errors import WARNING, Problem
from ivr.keywords import normalise
from ivr.lint.discretion import LOCK_SCREEN_CHARS
from ivr.lint.sms import MAX_SMS_SEGMENTS
from ivr.lint.walk import problem
from ivr.opening.replies import every_reply
from ivr.opening.way_back import back_words
from ivr.script import GO, SMS, VOICE, Script


def check_library(library) -> list[Problem]:
    """Every problem of the guides offered together, and of the opening in every language
    offered; none where one guide is offered in one language."""
    if not library.choosing:  # one guide: its opening, where it asks for a language
        asked = len(getattr(library, "languages", ())) > 1
        return [p for rule in (spoken, texted) for p in rule(library)] if asked else []
    found = list(not_offered(library))  # warnings
    for stage in ((one_danger_key, free_keys, own_words), (spoken, texted)):
        errors = [p for rule in stage for p in rule(library)]
        if errors:  # what comes next needs these fixed first: one mistake, one problem
            return found + errors
    return found


def not_offered(library) -> Iterator[Problem]:
    for script in library.guides:
        if script in library.offered:
            continue
        guide = script.guide
        missing = [f for f in ("label", "keyword") if guide is None or getattr(guide, f) is None]
        yield problem(
            script,
            "O001",
            guide.line if guide else None,
            None,
            f"This script has no {' and no '.join(missing)} under guide:, so the guide choice "
            f"does not offer it: it is reached only by a webhook URL with ?script={script.id}.",
            "To offer it, give it a label and a keyword under guide: (see "
            "docs/several-guides.md); to serve it on a number of its own, leave it so.",
            WARNING,
        )


def one_danger_key(library) -> Iterator[Problem]:
    default = library.default
    wanted = _danger_keys(default)
    for script in library.offered[1:]:
        keys = _danger_keys(script)
        if keys != wanted:
            yield problem(
                script,
                "O002",
                script.line_of.get("globals"),
                None,
                f"The danger key here is {_said(keys)}, but {_said(wanted)} in {default.id}, "
                "the first guide: the opening says one danger key for every guide offered.",
                f"Give the danger option the key {_said(wanted)} in every guide offered together.",
            )


def free_keys(library) -> Iterator[Problem]:
    default = library.default
    taken = {o.key for o in default.globals if o.key}
    for number, script in enumerate(library.offered, 1):
        key = str(number)
        if number > 9 or key in taken:
            yield problem(
                script,
                "O003",
                script.guide.line if script.guide else None,
                None,
                f"In the guide choice this guide would take the key {key}, which "
                f"{'does not exist' if number > 9 else 'is a global key of ' + default.id}.",
                "Offer fewer guides on one number (the keys before the default guide's "
                "global keys), or give those a second number.",
            )


def own_words(library) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    reserved = {normalise(w) for o in library.default.globals for w in o.words}
    reserved |= set(back_words(library.default))
    for script in library.offered:
        guide = script.guide
        for word in (guide.keyword, *guide.words):
            normal = normalise(word)
            other = owner.setdefault(normal, script.id)
            if other != script.id or normal in reserved:
                whose = f"the guide {other}" if other != script.id else "the line's own words"
                yield problem(
                    script,
                    "O004",
                    guide.line,
                    None,
                    f"The guide's word '{word}' is also one of {whose}, so a first text with "
                    "it could not be routed to one guide.",
                    "Give each guide words of its own, and none of GUIDES, DANGER or MENU.",
                )


def spoken(library) -> Iterator[Problem]:
    """O101-O103 on the phone; each guide's mistake told once, at its first reply (a
    main menu too long is too long again in every re-prompt)."""
    default = library.default
    told: set[tuple[str, str]] = set()
    for problem_ in _spoken(library, default):
        where = (problem_.path, problem_.code)
        if where not in told:
            told.add(where)
            yield problem_


def _spoken(library, default: Script) -> Iterator[Problem]:
    for what, script, reply in every_reply(library, VOICE):
        if reply.ends or not reply.choices:
            continue
        limits = script.limits
        if what == "the opening":
            # A bilingual opening says the danger key first in the first language offered.
            first = library.speaking(default, reply.languages[0]) if reply.languages else default
            at = timing.danger_heard_at(first, reply)
            if at is None or at > limits.danger_heard_within:
                when = "never" if at is None else f"about {at:.0f} s into the call"
                yield _at_guide(
                    script,
                    "O101",
                    f"In the opening, a caller hears the danger key {when}; it must be "
                    f"within {limits.danger_heard_within} s.",
                    "Keep the danger line short and give phrases a danger_first sentence.",
                )
        length = timing.length(script, reply)
        if ", saying " not in what and length > limits.opening_within:
            yield _at_guide(
                script,
                "O102",
                f"On the phone, {what} lasts about {length:.0f} s; each menu must be heard "
                f"in full within {limits.opening_within} s of where it starts.",
                "Shorten the guides' labels, the choose_guide phrase or that guide's welcome.",
            )
        keys = timing.keys_announced(script, reply)
        if len(keys) > limits.keys_per_menu:
            yield _at_guide(
                script,
                "O103",
                f"On the phone, {what} announces {len(keys)} keys ({', '.join(keys)}); at "
                f"most {limits.keys_per_menu}, 9, 0 and * included.",
                "Offer fewer guides together, or move an option of that main menu a level "
                "down: the way back to the guide choice is said there too.",
            )


def texted(library) -> Iterator[Problem]:
    told: set[str] = set()
    for what, script, reply in every_reply(library, SMS):
        text = reply.text
        count = gsm7.segments(text)
        if count > MAX_SMS_SEGMENTS and what not in told:
            told.add(what)
            yield _at_guide(
                script,
                "O104",
                f"The SMS reply for {what} takes {count} segments (at most {MAX_SMS_SEGMENTS}).",
                "Shorten the guides' labels, or that guide's main menu.",
            )
        shown = LOCK_SCREEN_CHARS if what.startswith("the opening") else None
        preview = text[: shown or script.discretion.preview_characters].lower()
        words = [w for w in script.discretion.words if re.search(rf"\b{re.escape(w)}", preview)]
        if words and preview not in told:
            told.add(preview)
            yield _at_guide(
                script,
                "O104",
                f"The start of {what} (what a lock screen shows) says "
                f"{', '.join(repr(w) for w in words)}.",
                "Reword the guides' labels so they do not name the topic, or move those "
                "words later.",
            )


def _at_guide(script: Script, code: str, message: str, fix: str) -> Problem:
    line = script.guide.line if script.guide else None
    return problem(script, code, line, None, message, fix)


def _danger_keys(script: Script) -> tuple[str, ...]:
    danger = script.roles.get("danger")
    return tuple(
        sorted(o.key for o in script.globals if o.key and o.action == GO and o.target == danger)
    )


def _said(keys: tuple[str, ...]) -> str:
    return " and ".join(keys) if keys else "none"
