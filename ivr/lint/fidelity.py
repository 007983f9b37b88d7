"""Faithful to its guide (W): the script says everything its written guide says.

A script names its guide under `guide: source:`. Every fact of the guide (each sentence
of its short answer, don'ts, steps, what can wait and notes; each service it names, each
number and each link: ivr.guide.facts) must be said somewhere a person can reach, on
each channel separately, or be listed under `guide: left_out:` with a reason:

    W001  the guide cannot be read, or is not in the guides' shape
    W002  a fact of the guide is said nowhere on a channel (naming the fact and its line)
    W003  a left_out item names nothing the guide says (it was edited away: take it off)

So a guide edited without its script (a step added, a number changed) fails validation,
naming what is missing. Translations are the languages' own lint, not this one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ivr.errors import WARNING, GuideError, Problem
from ivr.guide.facts import facts
from ivr.guide.fidelity import Said, excused, unsaid
from ivr.guide.written import read_guide
from ivr.lint.walk import problem, replies
from ivr.script import CHANNELS, VOICE, Script

_SAID_ON = {VOICE: "on the phone", "sms": "by text", "whatsapp": "on WhatsApp"}


def guide_path(s: Script) -> Path | None:
    """The file the script's `guide: source:` names, or None where it names none."""
    if s.guide is None:
        return None
    # Joined as words, as a Markdown link is: "drafts/../guides/x.txt" is guides/x.txt even
    # before drafts/ exists (`ivr import` lints its draft before writing it there).
    return Path(os.path.normpath(Path(s.path).parent / s.guide.source))


def faithful(s: Script) -> Iterator[Problem]:
    guide = s.guide
    path = guide_path(s)
    if guide is None or path is None:
        return
    try:
        written = read_guide(path)
    except GuideError as exc:
        why = " ".join(p.message for p in exc.problems)
        yield problem(
            s,
            "W001",
            guide.line,
            None,
            f"The guide {guide.source} cannot be used: {why}",
            f"Point guide: source: at the guide's file, relative to this script ({path} "
            "here), or fix the guide as the message says.",
        )
        return
    found = facts(written)
    kept = [f for f in found if excused(f, guide.left_out) is None]
    missing: dict = {}
    for channel in CHANNELS:
        said = Said.of(s, channel, (p for _, r in replies(s, channel) for p in r.paragraphs))
        for fact in unsaid(kept, said):
            missing.setdefault(fact, []).append(channel)
    for fact, channels in missing.items():
        where = " or ".join(_SAID_ON.get(c, c) for c in channels)
        yield problem(
            s,
            "W002",
            guide.line,
            None,
            f"The guide {guide.source}, {fact}; nothing a person can reach says it {where}.",
            f"Say it {where} (in words of your own if need be), or list it under guide: "
            "left_out: with the reason it is left out.",
        )
    for item in guide.left_out:
        if not any(excused(f, (item,)) for f in found):
            yield problem(
                s,
                "W003",
                item.line,
                None,
                f"The left_out item '{item.item[:60]}' names nothing the guide "
                f"{guide.source} says.",
                "Take it off left_out: (the guide no longer says it), or quote the guide's "
                "words for it.",
                WARNING,
            )


CHECKS = (faithful,)
