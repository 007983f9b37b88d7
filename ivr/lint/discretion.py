"""Discretion (D): what a lock screen shows of the first text gives nothing away.

Someone glancing at the phone of the person who texted sees the start of the reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr import engine
from ivr.errors import Problem
from ivr.lint.walk import problem
from ivr.script import SMS, Script

LOCK_SCREEN_CHARS = 160
# Words that would tell someone glancing at a lock screen what the message is about.
TELLTALE_WORDS = (
    "intimate", "nude", "naked", "sex", "porn", "explicit", "extortion", "blackmail",
    "revenge", "abuse", "photo", "image", "video",
)  # fmt: skip


def lock_screen(s: Script) -> Iterator[Problem]:
    for what, reply in engine.every_reply(s, SMS):
        if not what.startswith("the opening"):
            continue
        preview = reply.text[:LOCK_SCREEN_CHARS].lower()
        telltale = [w for w in TELLTALE_WORDS if re.search(rf"\b{w}", preview)]
        if telltale:
            yield problem(
                s,
                "D001",
                s.phrases["first_line"].line,
                None,
                f"The start of {what} (what a lock screen shows) says "
                f"{', '.join(repr(w) for w in telltale)}.",
                "Keep the first lines discreet: move those words further down.",
            )
            return  # the opening after a picture starts the same way: one mistake, one problem


CHECKS = (lock_screen,)
