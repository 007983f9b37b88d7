"""The boxes and arrows of a script's flow, ready to be written out or drawn.

    flow(script, channel=None, steps=True, fold=False) -> Flow
    attribute(flow, moves)                 -> counts of node-to-node moves, per arrow
    opening(hours)                         -> "Mon-Fri 10:00-16:00"

Pure (no flask, no twilio). Every node is a box; every option an arrow labelled with its
key, keyword and words; a steps node is followed by its chain of steps (unless
steps=False) and the arrow from its last step to `next`; an option offered while one
step is read leaves from that step. A put-through (dial or transfer) leads to a box
naming the number, and for a transfer its opening hours, closed dates and who it is
for, with the way back when nobody answers; "text me the steps" leads to a box that
goes on to the script's `then` node. Global options are drawn once, from a single "from
anywhere" box, never from every node; with fold=True there is no such box and no such
arrow: each node's box carries a note naming them instead ("any time: 9 DANGER, 0 MENU"),
and so is an arrow back to the main menu ("1 NEXT: to main"), which keeps long arrows
from crossing the whole picture. The danger, under-18 and
clicked-link boxes are marked in words (and, by the writers, in colour).

With no channel, every channel's options are drawn and the others say so; with
a channel, only what that channel offers, in that channel's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ivr.hours import LONDON, Hours
from ivr.script import (
    CHANNELS,
    DIAL,
    GO,
    MENU,
    MESSAGING,
    REPEAT,
    SEND_TEXT,
    SMS,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    WHATSAPP,
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
    # Folded arrows, a line each: "any time: 9 DANGER, 0 MENU", "1 NEXT: to main"
    notes: tuple[str, ...] = ()


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


def flow(
    script: Script, channel: str | None = None, *, steps: bool = True, fold: bool = False
) -> Flow:
    """The boxes and arrows of `script`, on one channel or (None) on both. With
    steps=False a steps node is one box, its arrows leaving from it; with fold=True the
    global options are a note on each box rather than arrows."""
    if channel is not None and channel not in CHANNELS:
        raise ValueError(f"The channel must be one of {', '.join(CHANNELS)}, not '{channel}'.")
    drawing = _Builder(script, channel, steps, fold)
    file = Path(script.path).name
    return Flow(
        script.title,
        script.id,
        file,
        channel,
        tuple(drawing.boxes),
        tuple(drawing.arrows),
        drawing.ids,
    )


class _Builder:
    """Collects the boxes and arrows of one script, node by node."""

    def __init__(self, script: Script, channel: str | None, chain: bool, fold: bool):
        self.script, self.channel, self.chain, self.fold = script, channel, chain, fold
        self.ids = _box_ids(script)
        self.boxes: list[Box] = [Box("start", ("A call or a first text",), "start")]
        self.arrows: list[Arrow] = [Arrow("start", self.ids[script.main.id])]
        self.seen: set[Arrow] = set(self.arrows)
        self.made: set[str] = set()  # boxes drawn once however many options lead there
        role_of = {node: role for role, node in script.roles.items()}
        self.shown = _reachable(script, channel)
        self.ids = {node: box for node, box in self.ids.items() if node in self.shown}
        for node in script.nodes.values():
            if node.id not in self.shown:
                continue
            role = role_of.get(node.id, "")
            # A box is a menu unless it says "steps: N".
            kind = [] if node.kind == MENU else [f"steps: {len(node.steps)}"]
            lines = [node.id, *kind] + ([ROLE_NAMES.get(role, role)] if role else [])
            style = role if role in MARKED else ""
            self.boxes.append(Box(self.ids[node.id], tuple(lines), style, self.note(node.id)))
            for option in node.options:
                self.option(self.ids[node.id], node.id, option)
            if node.kind == STEPS:
                self.steps(node)
        self.globals()
        self.folded()

    def option(self, source: str, node_id: str | None, option: Option) -> None:
        """The arrow of one option from box `source` (and the box it leads to, if new)."""
        if not _offered(option, self.channel):
            return
        label = _choice(option, self.channel)
        dashed = node_id is ANYWHERE
        if option.action in (GO, TEXT_ME) and option.target:
            move = (node_id, option.target)
            self.add(Arrow(source, self.ids[option.target], label, dashed, move))
        elif option.action == DIAL:
            dial = f"dial_{len(self.boxes)}"
            back = ("after the call: back where it was chosen",) if self.fold else ()
            self.boxes.append(Box(dial, ("put through to", option.dial or ""), "dial", back))
            self.add(Arrow(source, dial, label, dashed))
            if not self.fold:
                self.add(Arrow(dial, source, "after the call", dashed=True))
        elif option.action == TRANSFER and option.transfer in self.script.transfers:
            box = self.transfer(option.transfer)
            self.add(Arrow(source, box, label, dashed))
            if not self.fold:
                self.add(Arrow(box, source, "not answered: back here", dashed=True))
        elif option.action == SEND_TEXT and self.script.text_me is not None:
            then = self.script.text_me.then
            if "text_me" not in self.made:
                self.made.add("text_me")
                self.boxes.append(Box("text_me", ("text the caller", "the steps"), "dial"))
                self.add(Arrow("text_me", self.ids[then], "then, how it went"))
            self.add(Arrow(source, "text_me", label, dashed))
        # REPEAT leads nowhere new; it is listed in the "from anywhere" box when global.

    def transfer(self, transfer_id: str) -> str:
        box = "transfer_" + re.sub(r"[^a-z0-9]", "_", transfer_id.lower())
        if box not in self.made:
            self.made.add(box)
            line = self.script.transfers[transfer_id]
            lines = ["put through to", line.name, line.number, f"open {opening(line.hours)}"]
            if line.hours.closed:
                until = line.hours.closed_until
                lines.append(f"closed on {len(line.hours.closed)} dates listed, to {until}")
            if line.adults_only:
                lines.append("adults only: never on the under-18 path")
            lines.append("when closed: not offered" + ("; says when" if line.closed else ""))
            back = ("not answered: back where it was chosen",) if self.fold else ()
            self.boxes.append(Box(box, tuple(lines), "dial", back))
        return box

    def steps(self, node) -> None:
        control = self.script.next_control
        channel = self.channel
        key = f"{control.key} {control.keyword}" if channel not in MESSAGING else control.keyword
        previous = self.ids[node.id]
        for number, step in enumerate(node.steps, start=1):
            if self.chain:
                box = f"{self.ids[node.id]}_step_{number}"
                gist = _gist(_words(step, channel))
                lines = (f"step {number} of {len(node.steps)}", gist)
                self.boxes.append(Box(box, lines, "step"))  # the steps box has the note
                more = " ".join(_words(control.label, channel).split())
                self.add(Arrow(previous, box, "" if number == 1 else f"{key}: {more}"))
                previous = box
            for option in node.options_at(number - 1):  # offered while this step is read
                self.option(previous, node.id, option)
        last = " ".join(_words(control.last_label, channel).split())
        move = (node.id, node.next)
        self.add(Arrow(previous, self.ids[node.next], f"{key}: {last}", move=move))

    def add(self, arrow: Arrow) -> None:
        """Keep an arrow, once: a steps box drawn whole offers a step's options again."""
        if arrow not in self.seen:
            self.seen.add(arrow)
            self.arrows.append(arrow)

    def note(self, node_id: str) -> tuple[str, ...]:
        """With fold: the global options open at `node_id` (not those leading to itself)."""
        if not self.fold:
            return ()
        offered = [o for o in self.script.globals if _offered(o, self.channel)]
        named = [
            " ".join(p for p in (o.key, o.keyword) if p) for o in offered if o.target != node_id
        ]
        return (f"any time: {', '.join(named)}",) if named else ()

    def folded(self) -> None:
        """With fold: arrows back to the main menu become a line on the box they leave."""
        main_node = self.script.main.id
        main = self.ids[main_node]
        back = [a for a in self.arrows if a.target == main and a.source != "start"]
        if not self.fold or not back:
            return
        lines: dict[str, tuple[str, ...]] = {}
        for arrow in back:
            key = arrow.label.split(":", 1)[0] if arrow.label else "then"
            lines[arrow.source] = (*lines.get(arrow.source, ()), f"{key}: to {main_node}")
        self.arrows = [a for a in self.arrows if a not in back]
        self.boxes = [
            Box(b.id, b.lines, b.style, b.notes + lines[b.id]) if b.id in lines else b
            for b in self.boxes
        ]

    def globals(self) -> None:
        offered = [o for o in self.script.globals if _offered(o, self.channel)]
        if not offered or self.fold:
            return
        lines = ["from anywhere", "open at every node"]
        lines += [_choice(o, self.channel) for o in offered if o.action == REPEAT]
        self.boxes.append(Box("anywhere", tuple(lines), "anywhere"))
        for option in offered:
            self.option("anywhere", ANYWHERE, option)


CHANNEL_NAMES = {None: "every channel", VOICE: "calls", SMS: "texts", WHATSAPP: "WhatsApp"}
ONLY = {VOICE: "voice", SMS: "SMS", WHATSAPP: "WhatsApp"}


def channel_name(f: Flow) -> str:
    """How a picture's channel reads; a channel added later reads as its own name."""
    return CHANNEL_NAMES.get(f.channel, f.channel or "")


def _reachable(script: Script, channel: str | None) -> set[str]:
    """The nodes a person can reach on `channel` (every node, with no channel): from the
    main menu, along the options that channel offers, the global ones included."""
    if channel is None:
        return set(script.nodes)
    offered = [o for o in script.globals if _offered(o, channel)]
    seen, todo = {script.main.id}, [script.main.id]
    while todo:
        node = script.nodes[todo.pop()]
        options = [*offered, *node.options, *(o for step in node.step_options for o in step)]
        leads = [o.target for o in options if _offered(o, channel) and o.target]
        if node.kind == STEPS and node.next:
            leads.append(node.next)
        if script.text_me is not None and any(o.action == SEND_TEXT for o in options):
            leads.append(script.text_me.then)
        for target in leads:
            if target in script.nodes and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def opening(hours: Hours) -> str:
    """Weekly hours in a few words: "Mon-Fri 10:00-16:00", days with the same times
    run together."""
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    spans: list[tuple[int, int, str]] = []
    for day in range(7):
        periods = hours.weekly.get(day, ())
        times = ", ".join(f"{p.start:%H:%M}-{_end(p.end)}" for p in periods)
        if not times:
            continue
        if spans and spans[-1][2] == times and spans[-1][1] == day - 1:
            spans[-1] = (spans[-1][0], day, times)
        else:
            spans.append((day, day, times))
    words = "; ".join(
        f"{names[a]}{'-' + names[b] if b != a else ''} {times}" for a, b, times in spans
    )
    zone = "" if hours.zone == LONDON else f" ({hours.zone})"
    return (words or "never") + zone


def _end(moment) -> str:
    return (
        "24:00"
        if moment.hour == 23 and moment.minute == 59 and moment.second
        else (f"{moment:%H:%M}")
    )


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
    if text is None:
        return ""
    if channel is not None:
        return text.on(channel)
    return text.voice or text.sms


def _choice(option: Option, channel: str | None) -> str:
    parts = [p for p in (option.key, option.keyword) if p]
    label = " ".join(_words(option.label, channel).split())
    only = ""
    if channel is None and set(option.channels) != set(CHANNELS):
        # `channels: [sms]` means every texted channel: it reads as the script says it
        names = ("SMS",) if set(option.channels) == set(MESSAGING) else option.channels
        only = f" ({' and '.join(ONLY.get(c, c) for c in names)} only)"
    return f"{' '.join(parts)}: {label}{only}"


def _gist(words: str) -> str:
    words = " ".join(words.split())
    if len(words) <= GIST:
        return words
    cut = words.rfind(" ", 0, GIST)
    return words[: cut if cut > 0 else GIST].rstrip(".,;:") + "..."


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
