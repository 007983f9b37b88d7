"""The pictures, measured in Chromium at a phone's width (390 px) and a desktop's (1280 px):
the flow drawing's marked box in view in every state of a call and of a text
conversation, no two labels of a drawing on top of each other, the Mermaid `ivr graph`
prints readable at GitHub's width, and /try's replies shown whole.

Fixtures (chromium, try_server, page) are in conftest.py; what they need, in browser.py.
"""

from __future__ import annotations

import itertools
from collections import deque

import pytest
from browser import MERMAID, SIZES, no_sideways_scroll, submit
from click.testing import CliRunner

from ivr.cli import main
from ivr.loader import load_script
from ivr.script import SMS, VOICE

from support import GUIDE

MERMAID_WIDTH = 900  # about what GitHub gives a Markdown file's picture
READABLE_PX = 10  # the smallest text a picture may shrink to there, in CSS pixels

# Where the marked box is, as the page shows it now: the drawing's where it is shown (a
# desktop), the list's otherwise (a phone); "" when it is whole and in view sideways,
# and within the drawing's own scrolling box; otherwise what is wrong.
MARKED_IN_VIEW = """(channel) => {
  const frame = document.getElementById("picture-" + channel);
  const drawn = frame !== null && frame.offsetParent !== null;
  const marked = drawn ? frame.querySelector(".here")
                       : document.querySelector("#list-" + channel + " li.here");
  if (!marked) return "nothing is marked";
  const box = marked.getBoundingClientRect();
  const wide = document.documentElement.clientWidth;
  if (box.left < 0 || box.right > wide + 1) return `off the screen: ${box.left}-${box.right}`;
  if (drawn) {
    const f = frame.getBoundingClientRect();
    if (box.left < f.left - 1 || box.right > f.right + 1 || box.top < f.top - 1 ||
        box.bottom > f.bottom + 1) return "outside the drawing's visible part";
  }
  if (document.documentElement.scrollWidth > wide) return "the page scrolls sideways";
  return "";
}"""


def key_paths(channel: str) -> dict[str, list[str]]:
    """For each node a caller can reach by keys, the keys from the main menu."""
    script = load_script(GUIDE)
    paths = {script.main.id: []}
    todo = deque([script.main.id])
    while todo:
        node = script.nodes[todo.popleft()]
        for option in (*node.options, *script.globals):
            offered = option.key and option.target and channel in option.channels
            if offered and option.target not in paths:
                paths[option.target] = [*paths[node.id], option.key]
                todo.append(option.target)
    return paths


def marked_node(page, panel: str) -> str:
    """The node the page's newest turn in `panel` says it reached."""
    return page.locator(f"#{panel} li.app p.meta code").last.text_content()


def test_the_marked_box_is_in_view_in_every_state_of_a_call(page):
    submit(page.get_by_role("button", name="Call", exact=True))
    visited = set()
    for target, keys in key_paths(VOICE).items():
        for key in ["0", *keys]:  # 0: back to the main menu first, as a caller would
            submit(page.get_by_role("button", name=key, exact=True))
            where = marked_node(page, "call")
            visited.add(where)
            problem = page.evaluate(MARKED_IN_VIEW, VOICE)
            assert problem == "", (page.viewport_size, where, problem)
            marked = page.locator("#picture-voice .here, #list-voice li.here")
            assert any("Call is here" in m.text_content() for m in marked.all() if m.is_visible())
        assert where == target, (keys, where)
    assert len(visited) >= 8, visited


def test_the_marked_box_is_in_view_in_every_state_of_a_text_conversation(page):
    script = load_script(GUIDE)
    words = ["hello"]  # the welcome, then each topic by its keyword
    words += [o.keyword for o in script.main.options if SMS in o.channels and o.target]
    words += [o.keyword for o in script.globals if SMS in o.channels and o.target]
    visited = set()
    for text in words:
        page.get_by_label("Your message").fill(text)
        submit(page.get_by_role("button", name="Send"))
        visited.add(marked_node(page, "text"))
        problem = page.evaluate(MARKED_IN_VIEW, SMS)
        assert problem == "", (page.viewport_size, text, problem)
    assert len(visited) >= 8, visited


# Every label's box, in the page's pixels, with its words: a box's text (all its lines)
# is one label, and so is an arrow's. Lines of one label may touch; two labels may not.
TEXT_BOXES = """(selector) => [...document.querySelectorAll(selector + " g.node, " +
                                                        selector + " g.edge")]
  .map((g) => [...g.querySelectorAll("text")].filter((t) => t.textContent.trim()))
  .filter((texts) => texts.length)
  .map((texts) => {
    const rects = texts.map((t) => t.getBoundingClientRect());
    return [texts.map((t) => t.textContent).join(" "),
            Math.min(...rects.map((r) => r.left)), Math.min(...rects.map((r) => r.top)),
            Math.max(...rects.map((r) => r.right)), Math.max(...rects.map((r) => r.bottom))];
  })"""


@pytest.mark.parametrize("steps", ["--steps", "--no-steps"])
@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_no_two_labels_overlap_in_the_drawing(chromium, channel, steps):
    """`ivr graph --format svg`, drawn by Chromium: no two pieces of text share a pixel."""
    drawn = CliRunner().invoke(
        main, ["graph", str(GUIDE), "--format", "svg", "--channel", channel, steps]
    )
    assert drawn.exit_code == 0, drawn.output
    tab = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        tab.set_content(f"<!doctype html><html><body>{drawn.output}</body></html>")
        boxes = tab.evaluate(TEXT_BOXES, "svg")
    finally:
        tab.close()
    assert len(boxes) > 20
    overlapping = [
        (a[0], b[0])
        for a, b in itertools.combinations(boxes, 2)
        if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5
    ]
    assert overlapping == []


def test_no_two_labels_overlap_in_tries_drawings_with_the_call_marked(chromium, try_server):
    """At a desktop's width, where /try shows the drawings (a phone's shows the list)."""
    page = chromium.new_page(viewport=SIZES["desktop"])
    page.goto(try_server + "/try")
    submit(page.get_by_role("button", name="Call", exact=True))
    submit(page.get_by_role("button", name="1", exact=True))
    for channel in (VOICE, SMS):
        boxes = page.evaluate(TEXT_BOXES, f"#picture-{channel} svg")
        assert len(boxes) > 15
        for a, b in itertools.combinations(boxes, 2):
            across = min(a[3], b[3]) - max(a[1], b[1])
            down = min(a[4], b[4]) - max(a[2], b[2])
            assert across <= 0.5 or down <= 0.5, (a, b)
    page.close()


# Mermaid's drawing of `source` at MERMAID_WIDTH: the size each label's text is shown at,
# and the box of every node and every arrow's label, in the page's pixels.
MERMAID_DRAWN = """async (source) => {
  mermaid.initialize({startOnLoad: false});
  const {svg} = await mermaid.render("flow", source);
  const out = document.getElementById("out");
  out.innerHTML = svg;
  const picture = out.querySelector("svg");
  const scale = picture.getBoundingClientRect().width / picture.viewBox.baseVal.width;
  const box = (e) => { const r = e.getBoundingClientRect();
                       return [r.left, r.top, r.right, r.bottom]; };
  const worded = (e) => e.textContent.trim();
  return {
    sizes: [...out.querySelectorAll(".nodeLabel, .edgeLabel")].filter(worded)
      .map((label) => parseFloat(getComputedStyle(label).fontSize) * scale),
    nodes: [...out.querySelectorAll("g.node")].map((g) => [g.textContent, ...box(g)]),
    labels: [...out.querySelectorAll("g.edgeLabel")].filter(worded)
      .map((g) => [g.textContent, ...box(g)]),
  };
}"""


def overlap(a, b) -> bool:
    """Whether two [words, left, top, right, bottom] boxes share more than a hairline."""
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_the_mermaid_is_readable_at_githubs_width(chromium, channel):
    """Drawn by Mermaid at 900 px wide, as GitHub draws it (docs/flow-*.md holds the same
    pictures): the picture shrinks to fit, its smallest text must still be READABLE_PX
    pixels high, and no arrow's label may sit under a box or on another label."""
    source = CliRunner().invoke(main, ["graph", str(GUIDE), "--channel", channel]).output
    tab = chromium.new_page(viewport={"width": MERMAID_WIDTH, "height": 900})
    try:
        tab.set_content(
            f"<!doctype html><html><body style='margin:0'><div id=out "
            f"style='width:{MERMAID_WIDTH}px'></div></body></html>"
        )
        tab.add_script_tag(path=str(MERMAID))
        drawn = tab.evaluate(MERMAID_DRAWN, source)
    finally:
        tab.close()
    sizes, nodes, labels = drawn["sizes"], drawn["nodes"], drawn["labels"]
    assert len(sizes) > 20 and len(labels) > 15
    assert min(sizes) >= READABLE_PX, f"the smallest text is {min(sizes):.1f} px"
    hidden = [(a[0], b[0][:30]) for a in labels for b in nodes if overlap(a, b)]
    assert hidden == []
    assert [(a[0], b[0]) for a, b in itertools.combinations(labels, 2) if overlap(a, b)] == []


def test_replies_are_whole_and_the_newest_exchange_is_in_view(page):
    """No reply is cut off by a box of its own: every ancestor of a transcript lets it run
    its full height, and after each message the newest exchange starts on screen."""
    for text in ("support", "what not to do", "danger"):
        page.get_by_label("Your message").fill(text)
        submit(page.get_by_role("button", name="Send"))
        top = page.locator("#text-now").bounding_box()["y"]
        assert 0 <= top < page.viewport_size["height"] / 3, (text, top)
    submit(page.get_by_role("button", name="Call", exact=True))
    for key in ("3", "4"):  # the support routes: a long reply on the phone
        submit(page.get_by_role("button", name=key, exact=True))
        top = page.locator("#call-now").bounding_box()["y"]
        assert 0 <= top < page.viewport_size["height"] / 3, (key, top)
    clipped = page.evaluate(
        """() => [...document.querySelectorAll("ol.transcript li")].flatMap((li) => {
            const found = [];
            for (let el = li; el && el !== document.body; el = el.parentElement) {
                const style = getComputedStyle(el);
                if (style.overflowY !== "visible" || style.maxHeight !== "none")
                    found.push(el.id || el.className);
            }
            return found;
        })"""
    )
    assert clipped == []
    assert no_sideways_scroll(page)
