"""`ivr graph`: the shape of a script as a picture an operator can read.

    model.py    flow(script) -> Flow: the boxes and arrows
    layout.py   the Flow as Graphviz DOT, and laid out by Graphviz's `dot` as SVG (/try,
                `ivr graph --format svg`)
    listing.py  the Flow as a plain list: narrow screens, and wherever Graphviz is absent
    text.py     the Flow as Mermaid, or a Markdown page of Mermaid pictures
    library.py  library_flow(library): the guides one number offers, below their choice

Pure (no flask, no twilio); layout.py runs the `dot` program.
"""

from ivr.graph.layout import GraphvizMissing, available, dot, svg
from ivr.graph.library import library_flow
from ivr.graph.listing import Choice, Entry, listing
from ivr.graph.model import ANYWHERE, Arrow, Box, Flow, attribute, flow, opening
from ivr.graph.text import markdown, mermaid

__all__ = [
    "ANYWHERE",
    "Arrow",
    "Box",
    "Choice",
    "Entry",
    "Flow",
    "GraphvizMissing",
    "attribute",
    "available",
    "dot",
    "flow",
    "library_flow",
    "listing",
    "markdown",
    "mermaid",
    "opening",
    "svg",
]
