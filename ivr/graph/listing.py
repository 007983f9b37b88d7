"""A Flow as a plain list: each box in the script's order, with the choices leaving it.

    listing(flow, here=None) -> tuple[Entry, ...]

What a narrow screen shows instead of the drawing, and what every screen shows where
Graphviz is not installed: nothing to lay out, nothing to scroll sideways. An entry
names where each choice leads in that box's own first line, so the list reads on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ivr.graph.model import Box, Flow


@dataclass(frozen=True, slots=True)
class Choice:
    label: str  # "1 CLICKED: if you already clicked the link", or "" for "then"
    target: str  # the Box id it leads to
    leads_to: str  # that box's first line


@dataclass(frozen=True, slots=True)
class Entry:
    box: str  # the Box id
    lines: tuple[str, ...]
    style: str
    notes: tuple[str, ...]
    choices: tuple[Choice, ...]
    here: tuple[str, ...]  # who is at this box ("Call", "Texts"), in words


def listing(flow: Flow, here: Mapping[str, str] | None = None) -> tuple[Entry, ...]:
    """The flow's boxes, in order, each with its choices; `here` maps who to a node."""
    first = {box.id: _name(box) for box in flow.boxes}
    leaving: dict[str, list[Choice]] = {}
    for arrow in flow.arrows:
        choice = Choice(arrow.label, arrow.target, first.get(arrow.target, arrow.target))
        leaving.setdefault(arrow.source, []).append(choice)
    marks: dict[str, tuple[str, ...]] = {}
    for who, node in (here or {}).items():
        box = flow.node_box.get(node) if node else None
        if box:
            marks[box] = (*marks.get(box, ()), who)
    return tuple(
        Entry(
            box.id,
            box.lines,
            box.style,
            box.notes,
            tuple(leaving.get(box.id, ())),
            marks.get(box.id, ()),
        )
        for box in flow.boxes
    )


def _name(box: Box) -> str:
    """What a choice says it leads to: a box's first line, and for a put-through or a
    text sent, the second too ("put through to the Revenge Porn Helpline")."""
    if not box.lines:
        return box.id
    return " ".join(box.lines[:2]) if box.style == "dial" else box.lines[0]
