"""`ivr graph`: the shape of a script as a picture an operator can read.

    model.py   flow(script) -> Flow: the boxes and arrows (also drawn as SVG by /try)
    text.py    the Flow as Mermaid, a Markdown page, or Graphviz DOT

Pure (no flask, no twilio).
"""

from ivr.graph.model import ANYWHERE, Arrow, Box, Flow, attribute, flow, opening
from ivr.graph.text import dot, markdown, mermaid

__all__ = [
    "ANYWHERE",
    "Arrow",
    "Box",
    "Flow",
    "attribute",
    "dot",
    "flow",
    "markdown",
    "mermaid",
    "opening",
]
