"""A Flow written out as text: a Mermaid flowchart, or a Markdown page of them.

    mermaid(flow, reached=None, moved=None) -> str   renders on GitHub, GitLab, most wikis
    markdown(*flows)                        -> str   a page, one Mermaid picture a flow

(Graphviz DOT is written by `layout`, which also lays it out.)

`reached` (node id -> count) and `moved` (an arrow's `move` -> count) put `ivr report`'s
usage counts on the same picture. Every label is escaped for its language, so nothing a
script says can end a label early. The marked roles are drawn in colour and named in
words, so the marking survives a black-and-white print and a screen reader.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from ivr.graph.model import Arrow, Flow, channel_name

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
# Boxes wrapped narrow and set close: GitHub shrinks a wide picture to the page (about
# 900 px), so every pixel of width saved is type that stays readable (see
# tests/test_try_browser.py, which measures it).
_MERMAID_CONFIG = (
    "---",
    "config:",
    "  flowchart:",
    "    nodeSpacing: 10",
    "    rankSpacing: 35",
    "    padding: 6",
    "    wrappingWidth: 120",
    "---",
)
# A put-through is a "subroutine" box: a lean parallelogram is drawn wider than the room
# Mermaid's layout keeps for it, and hid the labels beside it.
_MERMAID_SHAPES = {"start": ('(["', '"])'), "dial": ('[["', '"]]'), "anywhere": ('{{"', '"}}')}


def mermaid(
    f: Flow,
    reached: Mapping[str, int] | None = None,
    moved: Mapping | None = None,
    *,
    short: bool = False,
) -> str:
    """A Mermaid flowchart; with counts, each box says how many reached it and each arrow
    how many took it. With short=True an arrow says only its key and keyword, and one
    from a step to the next nothing (what keeps the picture narrow enough to read at a
    page's width, and its labels clear of each other: see tests/test_pictures_browser.py).

    Boxes are written in reading order (from the start, along the arrows): the order
    Mermaid's layout starts from, and the one that leaves no label under a box."""
    lines = [
        *_MERMAID_CONFIG,
        "flowchart TD",
        f"  %% {_one_line(f.title)} ({f.script}), {channel_name(f)}",
    ]
    counted = _reached_by_box(f, reached)
    order = _reading_order(f)
    steps = {box.id for box in f.boxes if box.style == "step"}
    for box in sorted(f.boxes, key=lambda box: order[box.id]):
        label = list(box.lines)
        if box.id in counted:
            label.append(f"reached: {counted[box.id]}")
        label += box.notes
        opening, closing = _MERMAID_SHAPES.get(box.style, ('["', '"]'))
        text = "<br/>".join(_mermaid_text(line) for line in label)
        lines.append(f"  {box.id}{opening}{text}{closing}")
    for arrow in sorted(f.arrows, key=lambda arrow: order[arrow.source]):
        if short and arrow.source in steps and arrow.target in steps:
            arrow = Arrow(arrow.source, arrow.target, "", arrow.dashed, arrow.move)
        label = _with_count(arrow if not short else _shortened(arrow), moved)
        link = "-.->" if arrow.dashed else "-->"
        body = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"  {arrow.source} {link}{body} {arrow.target}")
    for style, css in _MERMAID_STYLES.items():
        members = [b.id for b in f.boxes if b.style == style]
        if members:
            lines.append(f"  classDef {style} {css}")
            lines.append(f"  class {','.join(members)} {style}")
    return "\n".join(lines) + "\n"


def _reading_order(f: Flow) -> dict[str, int]:
    """Each box's place when read from the first box along the arrows, breadth first;
    boxes no arrow reaches keep their order after those."""
    leaving: dict[str, list[str]] = {}
    for arrow in f.arrows:
        leaving.setdefault(arrow.source, []).append(arrow.target)
    order: dict[str, int] = {}
    for first in (box.id for box in f.boxes):
        queue = deque([first])
        while queue:
            box = queue.popleft()
            if box not in order:
                order[box] = len(order)
                queue += leaving.get(box, [])
    return order


def _shortened(arrow: Arrow) -> Arrow:
    key = arrow.label.split(":", 1)[0] if arrow.label else ""
    return Arrow(arrow.source, arrow.target, key, arrow.dashed, arrow.move)


def _mermaid_text(text: str) -> str:
    # Mermaid reads entity codes written #name; inside a quoted label only these matter.
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def markdown(*flows: Flow) -> str:
    """A Markdown page holding one picture a flow (one a channel, say): GitHub and GitLab
    draw the mermaid blocks, as `ivr graph` prints them (short labels, readable at the
    width GitHub gives a page)."""
    first = flows[0]
    command = f"ivr graph scripts/{first.file} --format markdown"
    if len(flows) == 1 and first.channel:
        command += f" --channel {first.channel}"
    folded = any(box.notes for f in flows for box in f.boxes)
    anywhere = (
        "The choices open at every node (danger, the main menu) are not drawn as arrows:\n"
        'each box names them in its last line ("any time: ...").\n'
        if folded
        else "Dashed arrows start from the box of choices open at every node.\n"
    )
    page = [
        f'# The flow of "{_one_line(first.title)}"\n\n'
        f"Drawn by `{command}`.\n"
        "Make it again after any change to the script: a test fails until you do.\n\n"
        "Each arrow is a choice: its key and its keyword (`ivr graph --format svg` draws\n"
        "their words too); an arrow from one step to the next has no label.\n"
        + anywhere
        + "The danger, under-18 and clicked-the-link boxes are named in capitals and drawn\n"
        "in colour.\n"
    ]
    for f in flows:
        heading = f"\n## {channel_name(f).capitalize()}\n\n" if len(flows) > 1 else "\n"
        page.append(f"{heading}```mermaid\n{mermaid(f, short=True)}```\n")
    return "".join(page)


# -- shared -------------------------------------------------------------------------------


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
