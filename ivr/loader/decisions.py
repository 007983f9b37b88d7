"""Decisions left in a script: lines holding `DECIDE:` (docs/script-format.md).

    decisions(source, path) -> [Problem, ...]   one F014 a decision, naming its line

`ivr import` drafts a script from a written guide and marks what the guide does not
decide (a key for a branch, a phone number for a route named only by its website) as a
line, or a value, starting `DECIDE:` and saying what to decide. A script holding one is
not finished: the loader refuses it, before reading anything else, so the decisions are
the first thing `ivr validate` lists. A comment line that mentions DECIDE: is not one.
"""

from __future__ import annotations

from ivr.errors import Problem

MARK = "DECIDE:"


def decisions(source: str, path: str) -> list[Problem]:
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        at = line.find(MARK)
        if at < 0 or line.lstrip().startswith("#"):
            continue
        end = len(line)
        if at and line[at - 1] in "\"'":  # a quoted value: the question ends with its quote
            closing = line.find(line[at - 1], at)
            end = closing if closing >= 0 else end
        question = line[at + len(MARK) : end].strip()
        found.append(
            Problem(
                path,
                number,
                None,
                f"A decision is still to be made here: {question.rstrip('.')}.",
                "Make it: replace this line (or its value, from DECIDE: on) with your "
                "decision, or delete it where it says you may. See docs/script-format.md, "
                "'Decisions an import leaves'.",
                code="F014",
            )
        )
    return found
