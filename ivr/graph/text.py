"""A Flow written out as text: a Mermaid flowchart, a Markdown page, or Graphviz DOT.

    mermaid(flow, reached=None, moved=None) -> str   renders on GitHub, GitLab, most wikis
    markdown(flow)                          -> str   a page holding the Mermaid picture
    dot(flow, reached=None, moved=None)     -> str   render with `dot -Tsvg`

`reached` (node id -> count) and `moved` (an arrow's `move` -> count) put `ivr report`'s
usage counts on the same picture. Every label is escaped for its language, so nothing a
script says can end a label early. The marked roles are drawn in colour and named in
words, so the marking survives a black-and-white print and a screen reader.
"""

from __future__ import annotations

from collections.abc import Mapping

from ivr.graph.model import Arrow, Flow
from ivr.script import SMS, VOICE

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
