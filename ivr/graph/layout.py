"""A Flow laid out by Graphviz: its DOT source, and the SVG `dot` draws from it.

    dot(flow, reached=None, moved=None, here=None, name="flow") -> str   DOT source
    svg(flow, here=None, name="flow", title="")                  -> str   an <svg> element
    available()                                                 -> bool  is `dot` on PATH?

Graphviz's `dot` is the field's standard layered layout: it ranks the boxes, orders each
rank to cross as few arrows as it can, and places every arrow's label as a box of its own,
so no label sits on another. The `graphviz` package writes the DOT (quoting every name)
and runs the `dot` binary; without it, svg() raises GraphvizMissing with a sentence on how
to install it, and the callers fall back to a plain list (see `listing`).

Boxes are HTML-like tables: a bold first line, the rest plain, the folded global options
in smaller type, and above it all, for each of `here` ({"Call": node id}), a dark band
saying who is there in words, so the marking never relies on colour. Text is set in
DejaVu Sans, measured by Graphviz with the same font the browser draws it with (both come
from the system's fonts), so a label fits its box. Every id in the SVG starts with `name`,
so two drawings can share a page. Nothing here touches the network.
"""

from __future__ import annotations

import functools
import re
import shutil
import textwrap
from collections.abc import Mapping
from html import escape

import graphviz

from ivr.errors import IvrError
from ivr.graph.model import Arrow, Box, Flow, channel_name

FONT = "DejaVu Sans"
BOX_FONT_SIZE = 14
NOTE_FONT_SIZE = 12
ARROW_FONT_SIZE = 12
WRAP_BOX = 30  # characters a line inside a box
WRAP_ARROW = 22  # characters a line of an arrow's label

# Fill and outline for each style; the marked roles outlined heavier.
COLOURS = {
    "danger": ("#fde2e1", "#a4161a"),
    "under_18": ("#fff4cc", "#8a5a00"),
    "clicked_link": ("#e1ecfb", "#0b3d91"),
    "step": ("#f3f2f1", "#4a4a4a"),
    "dial": ("#e5f3e6", "#1e6b2d"),
    "anywhere": ("#ffffff", "#4a4a4a"),
    "start": ("#ffffff", "#1b1b1b"),
}
PLAIN = ("#ffffff", "#4a4a4a")
HEAVY = ("danger", "under_18", "clicked_link")
HERE_INK = "#1b1b1b"


class GraphvizMissing(IvrError):
    """Graphviz's `dot` is not installed, so no drawing can be laid out."""


def available() -> bool:
    """Whether Graphviz's `dot` is on PATH (looked up each time: PATH may change)."""
    return shutil.which("dot") is not None


def dot(
    flow: Flow,
    reached: Mapping[str, object] | None = None,
    moved: Mapping | None = None,
    *,
    here: Mapping[str, str] | None = None,
    name: str = "flow",
) -> str:
    """The flow as Graphviz DOT; with counts, each box says how many reached it and each
    arrow how many took it; `here` maps who ("Call") to the node they are at."""
    marks = _marks(flow, here)
    counted = {} if reached is None else {b: reached.get(n, 0) for n, b in flow.node_box.items()}
    picture = graphviz.Digraph(name, strict=False)
    picture.attr(
        id=name,
        label=_plain(f"{_one_line(flow.title)}, {channel_name(flow)}"),
        labelloc="t",
        fontname=FONT,
        fontsize=str(BOX_FONT_SIZE),
        rankdir="TB",
        nodesep="0.3",
        ranksep="0.45",
        pad="0.2",
        bgcolor="white",
    )
    picture.attr("node", shape="plain", fontname=FONT, fontsize=str(BOX_FONT_SIZE))
    picture.attr("edge", fontname=FONT, fontsize=str(ARROW_FONT_SIZE), color=HERE_INK)
    for box in flow.boxes:
        count = counted.get(box.id)
        extra = () if count is None else (f"reached: {count}",)
        who = marks.get(box.id, ())
        classes = " ".join(["box", box.style or "plain", *(["here"] if who else [])])
        picture.node(
            box.id, label=_label(box, extra, who), id=f"{name}_{box.id}", **{"class": classes}
        )
    for number, arrow in enumerate(flow.arrows, start=1):
        attrs = _arrow(arrow, moved)
        picture.edge(arrow.source, arrow.target, id=f"{name}_arrow_{number}", **attrs)
    return picture.source


def svg(
    flow: Flow, here: Mapping[str, str] | None = None, *, name: str = "flow", title: str = ""
) -> str:
    """The flow laid out by `dot`, as an <svg> element ready to put in a page."""
    if not available():
        raise GraphvizMissing(
            "Graphviz's dot program is not installed, so the flow cannot be laid out. "
            "Install Graphviz (Debian and Ubuntu: apt-get install graphviz; macOS: brew "
            "install graphviz), or draw it with --format mermaid or markdown."
        )
    drawn = _laid_out(dot(flow, here=here, name=name))
    words = "; ".join(f"{who} is at node {node}" for who, node in (here or {}).items() if node)
    label = title or f"The flow of {_one_line(flow.title)}, {channel_name(flow)}"
    description = (
        "Boxes are the script's nodes and arrows its choices, each labelled with its key, "
        "keyword and words. " + (f"{words}." if words else "")
    )
    return _opened(drawn, name, label, description)


@functools.lru_cache(maxsize=256)
def _laid_out(source: str) -> str:
    """The SVG `dot` draws from `source` (kept: /try draws the same few pictures often)."""
    try:
        return graphviz.pipe("dot", "svg", source.encode(), quiet=True).decode()
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing("Graphviz's dot program could not be run.") from None
    except graphviz.CalledProcessError as exc:
        raise GraphvizMissing(f"Graphviz's dot failed on this flow: {exc}.") from None


_SVG_TAG = re.compile(r"<svg\b[^>]*>")
_VIEW = re.compile(r'viewBox="([0-9.]+) ([0-9.]+) ([0-9.]+) ([0-9.]+)"')


def _opened(drawn: str, name: str, label: str, description: str) -> str:
    """Graphviz's SVG document as an element for a page: no XML prolog, a size in CSS
    pixels (one Graphviz point each), a name and a description for screen readers."""
    start = drawn.index("<svg")
    body = drawn[start:]
    tag = _SVG_TAG.match(body)
    view = _VIEW.search(tag.group(0))
    width, height = float(view.group(3)), float(view.group(4))
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" '
        f'viewBox="{view.group(1)} {view.group(2)} {width:g} {height:g}" '
        f'width="{width:.0f}" height="{height:.0f}" '
        f'aria-labelledby="{name}-title {name}-desc">'
        f'<title id="{name}-title">{escape(label)}</title>'
        f'<desc id="{name}-desc">{escape(description)}</desc>'
    )
    return opening + body[tag.end() :].strip() + "\n"


def _marks(flow: Flow, here: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    marks: dict[str, tuple[str, ...]] = {}
    for who, node in (here or {}).items():
        box = flow.node_box.get(node) if node else None
        if box:
            marks[box] = (*marks.get(box, ()), who)
    return marks


def _label(box: Box, extra: tuple[str, ...], who: tuple[str, ...]) -> str:
    """The box as an HTML-like table: the band, the lines, the notes."""
    fill, ink = COLOURS.get(box.style, PLAIN)
    border = 3 if box.style in HEAVY else 1
    if who:
        border, ink = 4, HERE_INK
    rows = []
    if who:
        words = " and ".join(who) + (" is" if len(who) == 1 else " are") + " here"
        rows.append(
            f'<TR><TD BGCOLOR="{HERE_INK}"><FONT COLOR="#ffffff"><B>{escape(words)}</B>'
            "</FONT></TD></TR>"
        )
    for number, line in enumerate((*box.lines, *extra)):
        for part in _wrapped(line, WRAP_BOX):
            text = escape(part)
            rows.append(f"<TR><TD>{f'<B>{text}</B>' if number == 0 else text}</TD></TR>")
    for note in box.notes:
        for part in _wrapped(note, WRAP_BOX + 10):
            rows.append(
                f'<TR><TD><FONT POINT-SIZE="{NOTE_FONT_SIZE}"><I>{escape(part)}</I></FONT>'
                "</TD></TR>"
            )
    style = ' STYLE="rounded"' if box.style in ("start", "") or box.style in HEAVY else ""
    dashed = ' STYLE="dashed"' if box.style == "anywhere" else ""
    return (
        f'<<TABLE BORDER="{border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3"'
        f'{style or dashed} COLOR="{ink}" BGCOLOR="{fill}">{"".join(rows)}</TABLE>>'
    )


def _arrow(arrow: Arrow, moved: Mapping | None) -> dict[str, str]:
    attrs: dict[str, str] = {}
    label = arrow.label
    if moved is not None and arrow.move is not None:
        count = moved.get(arrow.move, 0)
        label = f"{label} [{count}]" if label else f"[{count}]"
    if label:
        attrs["label"] = _plain("\n".join(_wrapped(label, WRAP_ARROW)))
    if arrow.dashed:
        attrs["style"] = "dashed"
        attrs["constraint"] = "false"  # a way back: it should not push boxes down a rank
    return attrs


def _plain(text: str) -> str:
    """A plain (not HTML-like) DOT string: backslashes kept as typed, lines on \\n."""
    lines = [graphviz.escape(line) for line in text.split("\n")]
    return graphviz.nohtml("\\n".join(lines))


def _wrapped(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False) or [""]


def _one_line(text: str) -> str:
    return " ".join(text.split())
