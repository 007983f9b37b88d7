"""The built-in fault words (ivr/fault.py), checked by the rules a script's words obey.

They are what a person hears or reads when answering them failed, so they must name
999 and Samaritans 116 123 (S005), be plain GSM-7 (M001) in one SMS segment (M002),
and be short enough to say (T001).
"""

from __future__ import annotations

from pathlib import Path

from ivr import fault, gsm7, timing
from ivr.errors import Problem
from ivr.lint.timing import MAX_SPOKEN_SECONDS
from ivr.lint.walk import worded
from ivr.script import DEFAULT_LIMITS, Text
from ivr.spoken import speak

PATH = Path(fault.__file__)


def fault_words(text: Text = fault.FAULT) -> list[Problem]:
    """Every problem with the fault words (the shipped ones unless `text` is given)."""
    line = _line_of("FAULT = ")
    found = []

    def add(code: str, message: str, fix: str) -> None:
        found.append(Problem(str(PATH), line, None, message, fix, code=code))

    for channel in worded(text):
        missing = [n for n in ("999", "116 123") if n not in text.on(channel)]
        if missing:
            add(
                "S005",
                f"The fault words ({channel}) do not mention {' or '.join(missing)}.",
                "Whatever broke, the person still hears or reads 999 and Samaritans 116 123.",
            )
    bad = gsm7.not_gsm7(text.sms)
    if bad:
        add(
            "M001",
            f"The fault text has non-GSM-7 characters: {gsm7.describe(bad)}.",
            "Replace them.",
        )
    if gsm7.segments(text.sms) > 1:
        add("M002", "The fault text takes more than one SMS segment.", "Shorten it to one.")
    seconds = timing.seconds([speak(text.voice, {})], DEFAULT_LIMITS.words_per_minute)
    if seconds > MAX_SPOKEN_SECONDS:
        add(
            "T001",
            f"The fault words take about {seconds:.0f} seconds to say "
            f"(more than {MAX_SPOKEN_SECONDS}).",
            "Shorten them.",
        )
    return found


def _line_of(start: str) -> int:
    for number, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    return 1
