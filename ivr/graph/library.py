"""The guides one number offers, drawn as one picture: the opening, then each guide.

    library_flow(library, channel=None, steps=True) -> Flow

Each guide offered is drawn as `flow` draws it, its boxes named apart (g1_, g2_, ...),
below one opening: a call or a first text, the danger line, then the guide choice, with
an arrow to each guide's main menu (its key, keyword and label) and a dashed one back
from each main menu (GUIDES, or the main-menu key there). A library offering no choice
is its default script's own flow. Pure, like the rest of ivr.graph.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ivr.graph.model import Arrow, Box, Flow, flow
from ivr.script import GUIDE_CHOICE, SMS

CHOICE_BOX = "guide_choice"


def library_flow(
    library, channel: str | None = None, *, steps: bool = True, fold: bool = False
) -> Flow:
    if not library.choosing:
        return flow(library.default, channel, steps=steps, fold=fold)
    boxes = [
        Box("start", ("A call or a first text",), "start"),
        Box(CHOICE_BOX, ("the guide choice", "after the danger line:", "which is closest?")),
    ]
    arrows = [Arrow("start", CHOICE_BOX, "", move=None)]
    node_box = {GUIDE_CHOICE: CHOICE_BOX}
    for number, script in enumerate(library.offered, 1):
        drawn = flow(script, channel, steps=steps, fold=fold)
        prefix = f"g{number}_"
        boxes += [replace(b, id=prefix + b.id) for b in drawn.boxes if b.id != "start"]
        arrows += [
            replace(a, source=prefix + a.source, target=prefix + a.target)
            for a in drawn.arrows
            if a.source != "start"
        ]
        main = prefix + drawn.node_box[script.main.id]
        guide = script.guide
        label = guide.label.on(channel or SMS)
        said = f"{number} {guide.keyword}: {label}"
        arrows.append(Arrow(CHOICE_BOX, main, said, move=(GUIDE_CHOICE, script.main.id)))
        arrows.append(Arrow(main, CHOICE_BOX, "GUIDES, or the main-menu key", dashed=True))
        node_box.update({f"{script.id}:{n}": prefix + b for n, b in drawn.node_box.items()})
    titles = " / ".join(s.title for s in library.offered)
    files = " ".join(f"scripts/{Path(s.path).name}" for s in library.offered)
    return Flow(
        f"One number, {len(library.offered)} guides: {titles}",
        "library",
        files.removeprefix("scripts/"),
        channel,
        tuple(boxes),
        tuple(arrows),
        node_box,
    )
