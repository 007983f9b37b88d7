"""The checks behind `ivr validate`: is this script safe and sound to put on a helpline?

`check(path)` loads a script and returns every Problem found: errors (the script must
not be served), warnings (worth fixing) and info lines (the SMS segment count of each
reply). The loader reports the format (F codes); the families here need the whole
script, one module each, every check a small function `check(script) -> Problems`:

    structure   G  roles, where options lead, dead ends, unreachable nodes
    vocabulary  V  keys and words: one meaning each, none Twilio keeps for itself
    lexicon     V  the words the line understands (V101-V149): shape, sources, repeats,
                   and words read as something else
    safety      S  the routes that matter most, 999 and Samaritans, no bridged 999
    discretion  D  what a lock screen shows (SMS and WhatsApp)
    sms         M  GSM-7 and segments
    whatsapp    C  one message each, menus to tap, WhatsApp's formatting
    links       L  https, the allow-list, pronunciations
    timing      T  how long each part takes to say, and the voice
    handoffs    H  transfers in opening hours (and S170-S189), with texting: "text me
                   these steps"
    fidelity    W  everything its written guide says is said, on each channel (in the
                   source language: translations are the X rules')
    translations X every text in every declared language, none stale; and every family
                   above but structure and fidelity runs again on each language

`rules.RULES` describes every code. Never raises for a bad script.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ivr.errors import ERROR, INFO, WARNING, Problem, ScriptError
from ivr.lint import (
    discretion,
    fidelity,
    handoffs,
    lexicon,
    links,
    safety,
    sms,
    structure,
    timing,
    translations,
    vocabulary,
    walk,
    whatsapp,
)
from ivr.lint.sms import MAX_SMS_SEGMENTS
from ivr.lint.timing import MAX_SPOKEN_SECONDS
from ivr.loader import load_script
from ivr.script import Script

__all__ = ["MAX_SMS_SEGMENTS", "MAX_SPOKEN_SECONDS", "Report", "check", "lint"]

FAMILIES = (
    structure, vocabulary, lexicon, safety, discretion, sms, whatsapp, fidelity, links, timing,
    handoffs,
)  # fmt: skip
# The families that read words: run again on each of a script's other languages. The
# structure (nodes, keys, where options lead) is one for every language: checked once.
# Fidelity compares the source language with its guide, written in that language; a
# translation is checked against the source by the translation lint instead.
WORD_FAMILIES = tuple(f for f in FAMILIES if f not in (structure, fidelity))


@dataclass(frozen=True, slots=True)
class Report:
    """The outcome of checking one file."""

    path: str
    problems: tuple[Problem, ...]
    script: Script | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def info(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == INFO]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(path: str | Path, today: date | None = None) -> Report:
    """Load and lint one script file; never raises for a bad script. `today` dates the
    warning about closed dates running out (default: the system's date)."""
    with _no_collector_passes():
        try:
            script = load_script(path)
        except ScriptError as exc:
            return Report(str(path), tuple(exc.problems))
        return Report(str(path), tuple(lint(script, today)), script)


@contextmanager
def _no_collector_passes():
    """Hold Python's cycle collector off while a script is loaded and linted. All that is
    built then lives as long as the script (or is freed by reference counting); the
    collector would only walk the growing heap again and again, a third of the time at
    10,000 nodes. It is switched back on (if it was on) straight after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            _settle()
            gc.enable()


def _settle() -> None:
    """Move what was built into the collector's oldest generation as it stands. It is
    long-lived, and otherwise the first young collection after `gc.enable()` walks all of
    it once more (a tenth of a second at 10,000 nodes) only to promote it there. Freezing
    and thawing at once moves every tracked object without walking any; skipped when
    something is frozen already (gunicorn.conf.py freezes before forking), as the thaw
    would undo that."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def lint(script: Script, today: date | None = None) -> list[Problem]:
    """Every problem in a loaded script, family by family."""
    found = [p for rule in (*structure.GRAPH, handoffs.references) for p in rule(script)]
    if any(p.severity == ERROR for p in found):
        return found  # the rest walks the graph, and would only repeat these
    try:
        for family in FAMILIES:
            for rule in family.CHECKS:
                found.extend(rule(script))
        if script.languages:
            for rule in translations.CHECKS:
                found.extend(rule(script))
            rules = tuple(rule for family in WORD_FAMILIES for rule in family.CHECKS)
            found.extend(translations.per_language(script, rules, found))
    finally:
        walk.forget()  # the replies the rules read: a request needs none of them
    found.extend(handoffs.closed_dates(script, today or date.today()))
    return found
