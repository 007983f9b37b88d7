"""A script's flow (`ivr.graph.Flow`) drawn as SVG, with no renderer and no network.

    svg(flow, here={"call": "clicked", "texts": "main"}) -> str   an <svg> element

Pure (no flask, no twilio): /try puts the result straight into its page. The layout is
a simple layered one: the start and the "from anywhere" box on top, then each box one
row below the first box with an arrow into it (breadth first), boxes in a row ordered
by where their arrows come from. Arrows down a row are curves from bottom to top;
arrows back up (to the main menu, say) leave and enter on the right. An arrow is
labelled with its key (or keyword); its full words are in its <title>. Boxes named in
`here` are drawn heavier, with who is there written above them, so the marking does not
rely on colour. Every piece of text is escaped.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from html import escape

from ivr.graph import Flow

WIDTH = 176  # a box
GAP_X = 34
GAP_Y = 62
LINE = 16
PAD = 9
WRAP = 22  # characters a line in a box
BAND = LINE + 6  # the "call is here" band, above a box's own text
MARGIN = 24
FILL = {
    "danger": ("#fde2e1", "#a4161a"),
    "under_18": ("#fff4cc", "#8a5a00"),
    "clicked_link": ("#e1ecfb", "#0b3d91"),
    "dial": ("#e5f3e6", "#1e6b2d"),
    "anywhere": ("#ffffff", "#4a4a4a"),
    "start": ("#ffffff", "#1b1b1b"),
    "step": ("#f3f2f1", "#4a4a4a"),
}
PLAIN = ("#f3f2f1", "#4a4a4a")


def svg(flow: Flow, here: Mapping[str, str] | None = None, *, title: str = "") -> str:
    """The flow as an <svg> element. `here` maps who ("call", "texts") to a node id."""
    marks: dict[str, list[str]] = {}
    for who, node in (here or {}).items():
        box = flow.node_box.get(node)
        if box:
            marks.setdefault(box, []).append(who)
    rows = _rows(flow)
    lines = {box.id: _wrapped(box.lines) for box in flow.boxes}
    size = {b: (WIDTH, len(lines[b]) * LINE + 2 * PAD + (BAND if b in marks else 0)) for b in lines}
    place: dict[str, tuple[float, float]] = {}  # box id -> top-left corner
    widest = max(len(row) for row in rows) * (WIDTH + GAP_X) - GAP_X
    y = MARGIN
    for row in rows:
        x = MARGIN + (widest - (len(row) * (WIDTH + GAP_X) - GAP_X)) / 2
        for box in row:
            place[box] = (x, y)
            x += WIDTH + GAP_X
        y += max(size[b][1] for b in row) + GAP_Y
    width, height = widest + 2 * MARGIN + 60, y + MARGIN - GAP_Y + LINE
    row_of = {box: n for n, row in enumerate(rows) for box in row}
    label = title or f"The flow of {flow.title}"
    described = "; ".join(
        f"{who} is at node {_node_of(flow, box)}" for box, w in marks.items() for who in w
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flow" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        'aria-labelledby="flow-title flow-desc">',
        f'<title id="flow-title">{escape(label)}</title>',
        f'<desc id="flow-desc">Boxes are the script\'s nodes and arrows its choices, each '
        f"labelled with its key. {escape(described + '.' if described else '')}"
        "</desc>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#1b1b1b"/></marker></defs>',
    ]
    for arrow in flow.arrows:
        parts.append(_arrow(arrow, place, size, row_of))
    for box in flow.boxes:
        parts.append(_box(box, place[box.id], size[box.id], lines[box.id], marks.get(box.id)))

    parts.append("</svg>")
    return "\n".join(parts)


def _node_of(flow: Flow, box_id: str) -> str:
    return next((node for node, box in flow.node_box.items() if box == box_id), box_id)


def _rows(flow: Flow) -> list[list[str]]:
    """Boxes in rows: breadth first from the top boxes, ordered by their sources."""
    row: dict[str, int] = {}
    top = [b.id for b in flow.boxes if b.style in ("start", "anywhere")]
    for box in top:
        row[box] = 0
    queue = list(top)
    while queue:
        source = queue.pop(0)
        for arrow in flow.arrows:
            if arrow.source == source and arrow.target not in row:
                row[arrow.target] = row[source] + 1
                queue.append(arrow.target)
    last = max(row.values(), default=0)
    for box in flow.boxes:  # anything no arrow reaches goes at the bottom
        row.setdefault(box.id, last + 1)
    rows: list[list[str]] = [[] for _ in range(max(row.values()) + 1)]
    for box in flow.boxes:
        rows[row[box.id]].append(box.id)
    position = {box: i for r in rows for i, box in enumerate(r)}
    for n in range(1, len(rows)):  # one pass of ordering by the sources' places

        def pull(box: str, n: int = n) -> float:
            sources = [
                position[a.source]
                for a in flow.arrows
                if a.target == box and row[a.source] == n - 1
            ]
            return sum(sources) / len(sources) if sources else position[box]

        rows[n].sort(key=pull)
        position.update({box: i for i, box in enumerate(rows[n])})
    return [r for r in rows if r]


def _wrapped(lines: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, WRAP, break_long_words=True) or [""]
    return out


def _box(box, corner, size, lines, marks) -> str:
    x, y = corner
    w, h = size
    if marks:  # the band takes the top of the space kept for the box
        y, h = y + BAND, h - BAND
    fill, stroke = FILL.get(box.style, PLAIN)
    width = 3 if box.style in ("danger", "under_18", "clicked_link") else 1.5
    dash = ' stroke-dasharray="6 4"' if box.style == "anywhere" else ""
    rx = 18 if box.style == "start" else 6
    here = ""
    if marks:  # a dark band across the top of the box, in words
        width, stroke = 4.5, "#1b1b1b"
        words = " and ".join(marks) + (" is" if len(marks) == 1 else " are") + " here"
        here = (
            f'<rect x="{x:.0f}" y="{y - BAND:.0f}" width="{w}" height="{BAND}" rx="4" '
            f'fill="#1b1b1b"/><text class="here" x="{x + w / 2:.0f}" y="{y - 6:.0f}" '
            f'text-anchor="middle" font-weight="700" fill="#ffffff">{escape(words)}</text>'
        )
    bold = ' font-weight="700"'
    text = "".join(
        f'<tspan x="{x + w / 2:.0f}" y="{y + PAD + LINE * (i + 1) - 4:.0f}"'
        f"{bold if i == 0 else ''}>{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    data = f' data-here="{escape(" ".join(marks))}"' if marks else ""
    return (
        f'<g class="box" data-box="{escape(box.id)}"{data}>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width}"{dash}/>'
        f'<text text-anchor="middle" fill="#1b1b1b">{text}</text>{here}</g>'
    )


def _arrow(arrow, place, size, row_of) -> str:
    (sx, sy), (sw, sh) = place[arrow.source], size[arrow.source]
    (tx, ty), (tw, th) = place[arrow.target], size[arrow.target]
    if row_of[arrow.target] > row_of[arrow.source]:
        start, end = (sx + sw / 2, sy + sh), (tx + tw / 2, ty)
        bend = (start[0], start[1] + GAP_Y * 0.7), (end[0], end[1] - GAP_Y * 0.7)
    elif row_of[arrow.target] == row_of[arrow.source]:  # along a row: under it
        start, end = (sx + sw * 0.6, sy + sh), (tx + tw * 0.4, ty + th)
        dip = GAP_Y * 0.45
        bend = (start[0], start[1] + dip), (end[0], end[1] + dip)
    else:  # back up: out of the right side, into the right side
        start, end = (sx + sw, sy + sh / 2), (tx + tw, ty + th / 2)
        reach = 40 + 12 * abs(row_of[arrow.source] - row_of[arrow.target])
        bend = (start[0] + reach, start[1]), (end[0] + reach, end[1])
    path = (
        f"M{start[0]:.0f},{start[1]:.0f} C{bend[0][0]:.0f},{bend[0][1]:.0f} "
        f"{bend[1][0]:.0f},{bend[1][1]:.0f} {end[0]:.0f},{end[1]:.0f}"
    )
    dash = ' stroke-dasharray="5 4"' if arrow.dashed else ""
    key = arrow.label.split(":")[0].split(" ")[0] if arrow.label else ""
    label = ""
    if key:
        # A quarter of the way along the curve, so labels sit near where they start.
        t = 0.25
        points = (start, *bend, end)
        lx = sum(c * p[0] for c, p in zip(_bezier(t), points, strict=True))
        ly = sum(c * p[1] for c, p in zip(_bezier(t), points, strict=True))
        label = (
            f'<rect x="{lx - 11:.0f}" y="{ly - 10:.0f}" width="22" height="18" rx="3" '
            f'fill="#ffffff" stroke="#4a4a4a" stroke-width="1"/>'
            f'<text x="{lx:.0f}" y="{ly + 4:.0f}" text-anchor="middle" fill="#1b1b1b" '
            f'font-weight="700">{escape(key)}</text>'
        )
    return (
        f'<g class="arrow"><title>{escape(arrow.label or "on")}</title>'
        f'<path d="{path}" fill="none" stroke="#1b1b1b" stroke-width="1.4"{dash} '
        f'marker-end="url(#arrow)"/>{label}</g>'
    )


def _bezier(t: float) -> tuple[float, float, float, float]:
    u = 1 - t
    return (u**3, 3 * u * u * t, 3 * u * t * t, t**3)
