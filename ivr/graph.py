"""The shape of a script as a picture an operator can read: Mermaid or Graphviz DOT.

    flow(script, channel=None)             -> Flow   the boxes and arrows, channel-neutral
    mermaid(flow, reached=None, moved=None) -> str   a Mermaid flowchart (GitHub, GitLab, wikis)
    dot(flow, reached=None, moved=None)     -> str   Graphviz DOT
    markdown(flow)                          -> str   a page holding the Mermaid picture

Pure (no flask, no twilio). Every node is a box; every option an arrow labelled with its
key, keyword and words; a steps node is followed by its chain of steps and the arrow
from its last step to `next`; a dial or transfer option leads to a box naming the
number (and a transfer's opening hours) with the way back after the call, and a step's
own options leave from that step's box; sending the text is a box of its own. Global
options are drawn once, from a single "from anywhere" box, never from every node. The
danger, under-18 and clicked-link boxes are marked in words and in colour, so the marking
survives a black-and-white print and a screen reader.

With no channel, both channels' options are drawn and single-channel ones say so; with
a channel, only what that channel offers, in that channel's words.

`reached` (node id -> count) and `moved` (an arrow's `move` -> count) let `ivr report`
put usage counts on the same picture.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from ivr.script import (
    CHANNELS,
    DIAL,
    GO,
    MENU,
    REPEAT,
    SEND_TEXT,
    SMS,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    Option,
    Script,
)

ANYWHERE = None  # the `move` source of a global option: it is open from every node

# How the roles read in a box. The first three are the ones a frightened person needs
# most, so they are also drawn in colour.
ROLE_NAMES = {
    "main": "main menu",
    "danger": "DANGER: immediate danger",
    "under_18": "UNDER 18",
    "clicked_link": "CLICKED THE LINK",
    "steps": "the steps",
    "dont": "what not to do",
    "can_wait": "what can wait",
    "support": "support routes",
}
MARKED = ("danger", "under_18", "clicked_link")
GIST = 48  # characters of a step's first words shown in its box


@dataclass(frozen=True, slots=True)
class Box:
    id: str  # the picture's id: safe in Mermaid and DOT
    lines: tuple[str, ...]  # the label, one entry a line
    style: str = ""  # "", a marked role, "step", "dial", "start" or "anywhere"


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str  # Box ids
    target: str
    label: str = ""
    dashed: bool = False  # global options, and the way back from a call
    move: tuple[str | None, str] | None = None  # (from node, to node) for usage counts


@dataclass(frozen=True, slots=True)
class Flow:
    title: str
    script: str  # the script's id
    file: str  # the script's file name
    channel: str | None
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    node_box: Mapping[str, str]  # script node id -> Box id


def flow(script: Script, channel: str | None = None, *, steps: bool = True) -> Flow:
    """The boxes and arrows of `script`, on one channel or (None) on both. With
    steps=False a steps node is one box, its arrow to `next` leaving from it."""
    if channel is not None and channel not in CHANNELS:
        raise ValueError(f"The channel must be one of {', '.join(CHANNELS)}, not '{channel}'.")
    ids = _box_ids(script)
    role_of = {node: role for role, node in script.roles.items()}
    boxes: list[Box] = [Box("start", ("A call or a first text",), "start")]
    arrows: list[Arrow] = [Arrow("start", ids[script.main.id])]
    for node in script.nodes.values():
        role = role_of.get(node.id, "")
        kind = "menu" if node.kind == MENU else f"steps: {len(node.steps)}"
        lines = [node.id, kind] + ([ROLE_NAMES.get(role, role)] if role else [])
        boxes.append(Box(ids[node.id], tuple(lines), role if role in MARKED else ""))
        for option in node.options:
            if _offered(option, channel):
                _option(channel, ids, ids[node.id], node.id, option, boxes, arrows, script)
        if node.kind == STEPS:
            _steps(script, channel, ids, node, boxes, arrows, chain=steps)
    _globals(script, channel, ids, boxes, arrows)
    file = Path(script.path).name
    return Flow(script.title, script.id, file, channel, tuple(boxes), tuple(arrows), ids)


def _box_ids(script: Script) -> dict[str, str]:
    """Script node ids as picture ids: letters, digits and _ only, never a keyword
    either language reserves ("end", "graph"), and never two alike."""
    ids: dict[str, str] = {}
    for node_id in script.nodes:
        base = "n_" + re.sub(r"[^a-z0-9]", "_", node_id)
        candidate, n = base, 2
        while candidate in ids.values():
            candidate, n = f"{base}_{n}", n + 1
        ids[node_id] = candidate
    return ids


def _offered(option: Option, channel: str | None) -> bool:
    return channel is None or channel in option.channels


def _words(text, channel: str | None) -> str:
    """A Text on the channel asked for; with none, the spoken words (or the texted ones
    where nothing is spoken)."""
    if channel is not None:
        return text.on(channel)
    return text.voice or text.sms


def _choice(option: Option, channel: str | None) -> str:
    parts = [p for p in (option.key, option.keyword) if p]
    label = " ".join(_words(option.label, channel).split())
    only = ""
    if channel is None and set(option.channels) != set(CHANNELS):
        only = f" ({'voice' if option.channels == (VOICE,) else 'SMS'} only)"
    return f"{' '.join(parts)}: {label}{only}"


def _option(channel, ids, source, node_id, option, boxes, arrows, script=None) -> None:
    """The arrow (and for a dial, a transfer or a text, the box) of one option."""
    if option.action == TRANSFER and script is not None:
        transfer = script.transfers[option.transfer]
        box = f"{source}_transfer_{len(boxes)}"
        lines = ("put through to", transfer.name, transfer.number, f"open {_hours(transfer)}")
        boxes.append(Box(box, lines, "dial"))
        arrows.append(Arrow(source, box, _choice(option, channel)))
        arrows.append(Arrow(box, source, "after the call", dashed=True))
        return
    if option.action == SEND_TEXT and script is not None and script.text_me is not None:
        box = f"{source}_text_{len(boxes)}"
        boxes.append(Box(box, ("text the steps", "to the caller's mobile"), "dial"))
        arrows.append(Arrow(source, box, _choice(option, channel)))
        then = ids[script.text_me.then]
        arrows.append(Arrow(box, then, "sent, or why not", dashed=True))
        return
    if option.action in (GO, TEXT_ME):
        move = (node_id, option.target)
        arrows.append(Arrow(source, ids[option.target], _choice(option, channel), move=move))
    elif option.action == DIAL:
        dial = f"{source}_dial_{len(boxes)}"
        lines = ["put through to", option.dial or ""]
        hours = getattr(option, "hours", None)  # opening hours, where the script gives them
        if hours:
            lines.append(f"open: {hours}")
        boxes.append(Box(dial, tuple(lines), "dial"))
        arrows.append(Arrow(source, dial, _choice(option, channel)))
        arrows.append(Arrow(dial, source, "after the call", dashed=True))
    # REPEAT leads nowhere new; it is listed in the "from anywhere" box when global.


def _steps(script, channel, ids, node, boxes, arrows, chain: bool = True) -> None:
    control = script.next_control
    key = f"{control.key} {control.keyword}" if channel != SMS else control.keyword
    previous = ids[node.id]
    for number, step in enumerate(node.steps if chain else (), start=1):
        box = f"{ids[node.id]}_step_{number}"
        gist = _gist(_words(step, channel))
        boxes.append(Box(box, (f"step {number} of {len(node.steps)}", gist), "step"))
        label = "" if number == 1 else f"{key}: {' '.join(_words(control.label, channel).split())}"
        arrows.append(Arrow(previous, box, label))
        for option in node.options_at(number - 1):
            if _offered(option, channel):
                _option(channel, ids, box, node.id, option, boxes, arrows, script)
        previous = box
    last = " ".join(_words(control.last_label, channel).split())
    arrows.append(Arrow(previous, ids[node.next], f"{key}: {last}", move=(node.id, node.next)))


def _hours(transfer) -> str:
    """A transfer's weekly hours in brief: "Mon-Fri 10:00-16:00, not bank holidays"."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    runs: list[tuple[int, int, str]] = []
    for day in sorted(transfer.hours.weekly):
        times = ", ".join(
            f"{p.start:%H:%M}-{'24:00' if p.end == time.max else format(p.end, '%H:%M')}"
            for p in transfer.hours.weekly[day]
        )
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == times:
            runs[-1] = (runs[-1][0], day, times)
        else:
            runs.append((day, day, times))
    said = "; ".join(
        f"{names[a]}{'-' + names[b] if b != a else ''} {times}" for a, b, times in runs
    )
    listed = len(transfer.hours.closed)
    return (said or "never") + (f", closed on {listed} listed dates" if listed else "")


def _gist(words: str) -> str:
    words = " ".join(words.split())
    if len(words) <= GIST:
        return words
    cut = words.rfind(" ", 0, GIST)
    return words[: cut if cut > 0 else GIST].rstrip(".,;:") + "..."


def _globals(script, channel, ids, boxes, arrows) -> None:
    offered = [o for o in script.globals if _offered(o, channel)]
    if not offered:
        return
    lines = ["from anywhere", "open at every node"]
    lines += [_choice(o, channel) for o in offered if o.action == REPEAT]
    boxes.append(Box("anywhere", tuple(lines), "anywhere"))
    for option in offered:
        if option.action == GO:
            arrows.append(
                Arrow(
                    "anywhere",
                    ids[option.target],
                    _choice(option, channel),
                    dashed=True,
                    move=(ANYWHERE, option.target),
                )
            )
        elif option.action == DIAL:
            _option(channel, ids, "anywhere", ANYWHERE, option, boxes, arrows, script)


def attribute(f: Flow, moves: Mapping[tuple[str, str], int]) -> dict:
    """Counts of node-to-node moves, put on the arrows that explain them.

    A move along a node's own option counts on that arrow; any other move into a node a
    global option leads to counts on the global arrow. Moves the script cannot explain
    (it changed since the logs were written) are left out.
    """
    own = {a.move for a in f.arrows if a.move and a.move[0] is not ANYWHERE}
    global_targets = {a.move[1] for a in f.arrows if a.move and a.move[0] is ANYWHERE}
    counts: dict = {}
    for (source, target), count in moves.items():
        if (source, target) in own:
            counts[(source, target)] = counts.get((source, target), 0) + count
        elif target in global_targets:
            counts[(ANYWHERE, target)] = counts.get((ANYWHERE, target), 0) + count
    return counts


# -- Mermaid ------------------------------------------------------------------------------

_MERMAID_STYLES = {
    "danger": "fill:#fde2e1,stroke:#a4161a,stroke-width:3px,color:#1b1b1b",
    "under_18": "fill:#fff4cc,stroke:#8a5a00,stroke-width:3px,color:#1b1b1b",
    "clicked_link": "fill:#e1ecfb,stroke:#0b3d91,stroke-width:3px,color:#1b1b1b",
    "step": "fill:#f3f2f1,stroke:#4a4a4a,color:#1b1b1b",
    "dial": "fill:#e5f3e6,stroke:#1e6b2d,stroke-width:2px,color:#1b1b1b",
    "anywhere": "fill:#ffffff,stroke:#4a4a4a,stroke-dasharray:5 3,color:#1b1b1b",
    "start": "fill:#ffffff,stroke:#1b1b1b,color:#1b1b1b",
}
_MERMAID_SHAPES = {"start": ('(["', '"])'), "dial": ('[/"', '"/]'), "anywhere": ('{{"', '"}}')}


def mermaid(f: Flow, reached: Mapping[str, int] | None = None, moved: Mapping | None = None) -> str:
    """A Mermaid flowchart; with counts, each box says how many reached it and each arrow
    how many took it."""
    lines = ["flowchart TD", f"  %% {_one_line(f.title)} ({f.script}), {_channel_name(f)}"]
    counted = _reached_by_box(f, reached)
    for box in f.boxes:
        label = list(box.lines)
        if box.id in counted:
            label.append(f"reached: {counted[box.id]}")
        opening, closing = _MERMAID_SHAPES.get(box.style, ('["', '"]'))
        text = "<br/>".join(_mermaid_text(line) for line in label)
        lines.append(f"  {box.id}{opening}{text}{closing}")
    for arrow in f.arrows:
        label = _with_count(arrow, moved)
        link = "-.->" if arrow.dashed else "-->"
        body = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  {arrow.source} {link}{body} {arrow.target}")
    for style, css in _MERMAID_STYLES.items():
        members = [b.id for b in f.boxes if b.style == style]
        if members:
            lines.append(f"  classDef {style} {css}")
            lines.append(f"  class {','.join(members)} {style}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    # Mermaid reads entity codes written #name; inside a quoted label only these matter.
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def markdown(f: Flow) -> str:
    """A Markdown page holding the picture: GitHub and GitLab draw the mermaid block."""
    command = f"ivr graph scripts/{f.file} --format markdown"
    if f.channel:
        command += f" --channel {f.channel}"
    return (
        f'# The flow of "{_one_line(f.title)}"\n\n'
        f"Drawn for {_channel_name(f)} by `{command}`.\n"
        "Make it again after any change to the script: a test fails until you do.\n\n"
        "Each arrow is a choice: its key, its keyword, and its words. Dashed arrows start\n"
        "from the box of choices open at every node. The danger, under-18 and\n"
        "clicked-the-link boxes are named in capitals and drawn in colour.\n\n"
        f"```mermaid\n{mermaid(f)}```\n"
    )


# -- Graphviz DOT -------------------------------------------------------------------------

_DOT_STYLES = {
    "danger": 'style="filled,bold" fillcolor="#fde2e1" color="#a4161a" penwidth=3',
    "under_18": 'style="filled,bold" fillcolor="#fff4cc" color="#8a5a00" penwidth=3',
    "clicked_link": 'style="filled,bold" fillcolor="#e1ecfb" color="#0b3d91" penwidth=3',
    "step": 'style=filled fillcolor="#f3f2f1"',
    "dial": 'shape=parallelogram style=filled fillcolor="#e5f3e6"',
    "anywhere": "shape=hexagon style=dashed",
    "start": "shape=oval",
}


def dot(f: Flow, reached: Mapping[str, int] | None = None, moved: Mapping | None = None) -> str:
    """Graphviz DOT (render with `dot -Tsvg`)."""
    lines = [
        "digraph flow {",
        f"  label={_dot_text(f'{_one_line(f.title)} ({f.script}), {_channel_name(f)}')};",
        "  labelloc=t;",
        '  node [shape=box style=rounded fontname="sans-serif"];',
        '  edge [fontname="sans-serif" fontsize=10];',
    ]
    counted = _reached_by_box(f, reached)
    for box in f.boxes:
        label = list(box.lines)
        if box.id in counted:
            label.append(f"reached: {counted[box.id]}")
        style = _DOT_STYLES.get(box.style, "")
        lines.append(
            f"  {box.id} [label={_dot_text(chr(10).join(label))}{' ' + style if style else ''}];"
        )
    for arrow in f.arrows:
        attrs = []
        label = _with_count(arrow, moved)
        if label:
            attrs.append(f"label={_dot_text(label)}")
        if arrow.dashed:
            attrs.append("style=dashed")
        lines.append(
            f"  {arrow.source} -> {arrow.target}{' [' + ' '.join(attrs) + ']' if attrs else ''};"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


# -- shared -------------------------------------------------------------------------------


def _channel_name(f: Flow) -> str:
    return {None: "both channels", VOICE: "calls", SMS: "texts"}[f.channel]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reached_by_box(f: Flow, reached: Mapping[str, int] | None) -> dict[str, int]:
    if reached is None:
        return {}
    return {box: reached.get(node, 0) for node, box in f.node_box.items()}


def _with_count(arrow: Arrow, moved: Mapping | None) -> str:
    if moved is None or arrow.move is None:
        return arrow.label
    count = moved.get(arrow.move, 0)
    return f"{arrow.label} [{count}]" if arrow.label else f"[{count}]"
