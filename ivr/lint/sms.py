"""SMS (M): every text is plain GSM-7 and short enough to arrive in few segments.

Also reports, as information, how many segments each reply takes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr import gsm7
from ivr.errors import INFO, Problem
from ivr.lint.walk import problem, replies, reply_place, texts
from ivr.script import SMS, Script

MAX_SMS_SEGMENTS = 4
SEGMENTS = "M003"  # the information line: how many segments a reply takes


def gsm7_only(s: Script) -> Iterator[Problem]:
    for node_id, what, text in texts(s):
        bad = gsm7.not_gsm7(gsm7.plain(text.sms))
        if bad:
            yield problem(
                s,
                "M001",
                text.line,
                node_id,
                f"{what} has characters that SMS cannot send in GSM-7: {gsm7.describe(bad)}. "
                "One such character makes every reply cost more than twice as much.",
                "Replace or remove them.",
            )


def segments(s: Script) -> Iterator[Problem]:
    too_long: set[str] = set()
    counted: dict[tuple[str, ...], int] = {}  # many replies say the same: count each once
    for what, reply in replies(s, SMS):
        count = counted.get(reply.paragraphs)
        if count is None:
            count = counted[reply.paragraphs] = _segments(reply.text)
        line, node = reply_place(s, what, reply.state.node)
        if what.removesuffix(" after a picture") in too_long:
            continue  # the same reply with a picture note: one mistake, one problem
        if count > MAX_SMS_SEGMENTS:
            too_long.add(what)
            yield problem(
                s,
                "M002",
                line,
                node,
                f"The SMS reply for {what} takes {count} segments (at most {MAX_SMS_SEGMENTS}).",
                "Shorten its text, labels or phrases.",
            )
        elif "after a picture" not in what:
            plural = "s" if count > 1 else ""
            yield problem(
                s,
                "M003",
                line,
                node,
                f"SMS: {what} is {count} segment{plural}.",
                "Nothing to do: this is information.",
                INFO,
            )


def _segments(text: str) -> int:
    # Characters GSM-7 cannot carry are M001's to report; counted as GSM-7 here, so that
    # one mistake is one problem.
    bad = set(gsm7.not_gsm7(text))
    return gsm7.segments("".join("?" if ch in bad else ch for ch in text) if bad else text)


CHECKS = (gsm7_only, segments)
