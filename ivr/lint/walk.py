"""What every rule family shares: making a Problem, and walking a script's options and words.

A check is a function `check(script) -> Iterator[Problem]`; `problem()` gives each the
same shape (code, file, line, node, message, fix), so no family builds one by hand.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache

from ivr import engine
from ivr.engine import Reply
from ivr.errors import ERROR, Problem
from ivr.script import CHANNELS, SMS, VOICE, WHATSAPP, Node, Option, Script, Text


def problem(
    script: Script,
    code: str,
    line: int | None,
    node: str | None,
    message: str,
    fix: str,
    severity: str = ERROR,
) -> Problem:
    return Problem(script.path, line or _top_line(script), node, message, fix, severity, code=code)


def _top_line(script: Script) -> int:
    # A problem that belongs to the whole script points at its first node: where reading starts.
    return script.main.line or 1


def all_options(script: Script) -> Iterator[tuple[str | None, Option]]:
    """Every option with the node it belongs to (None for a global option)."""
    for option in script.globals:
        yield None, option
    for node in script.nodes.values():
        for option in every_option(node):
            yield node.id, option


def every_option(node: Node) -> Iterator[Option]:
    """A node's own options, and those its steps offer while each is read."""
    yield from node.options
    for options in node.step_options:
        yield from options


def texts(script: Script) -> Iterator[tuple[str | None, str, Text]]:
    """Every piece of words in the script: (node id or None, what it is, the words)."""
    for name, text in script.phrases.items():
        yield None, f"The phrase '{name}'", text
    for i, option in enumerate(script.globals, 1):
        yield None, f"Global option {i}'s label", option.label
    control = script.next_control
    yield None, "next's label", control.label
    yield None, "next's last_label", control.last_label
    for node in script.nodes.values():
        yield from node_texts(node)
    for transfer in script.transfers.values():
        for name in ("connecting", "unanswered", "completed", "closed"):
            text = getattr(transfer, name)
            if text is not None:
                yield None, f"The {name} words of the transfer '{transfer.id}'", text
    if script.text_me is not None:
        text_me = script.text_me
        yield None, "text_me's message", Text("", text_me.message, text_me.line)
        for name, text in text_me.outcomes.items():
            yield None, f"text_me's {name}", text


def node_texts(node: Node) -> Iterator[tuple[str, str, Text]]:
    if node.text:
        yield node.id, "The node's text", node.text
    if node.counter:
        yield node.id, "The node's counter", node.counter
    for i, step in enumerate(node.steps, 1):
        yield node.id, f"Step {i}", step
    for i, option in enumerate(node.options, 1):
        yield node.id, f"Option {i}'s label", option.label
    for i, options in enumerate(node.step_options, 1):
        for j, option in enumerate(options, 1):
            yield node.id, f"Step {i}, option {j}'s label", option.label


def worded(text: Text) -> tuple[str, ...]:
    """The channels whose words a check reads in a text: WhatsApp only where it has words
    of its own (else they are the SMS words, checked there: one mistake, one problem)."""
    return CHANNELS if text.whatsapp is not None else (VOICE, SMS)


def offered_on(script: Script) -> tuple[str, ...]:
    """The channels whose options a check walks: WhatsApp only where some option is
    offered on one texted channel and not the other (else WhatsApp offers what SMS does)."""
    apart = any((SMS in o.channels) != (WHATSAPP in o.channels) for _, o in all_options(script))
    return CHANNELS if apart else (VOICE, SMS)


def per_script(work, keep: int = 1):
    """Remember what `work(script, ...)` found for the script being linted, for the rules
    that share it; `forget` lets it go when the lint is done. One script at a time (and
    `keep` answers of it), so what is kept never piles up (a rule that asked out of turn
    would only work again)."""
    remembered = lru_cache(maxsize=keep)(work)
    _shared.append(remembered)
    return remembered


_shared: list = []


def forget() -> None:
    """Let go of everything the rules shared while linting: the request path needs none
    of it (the engine's own memo of each point's words, filled by the same walk, stays)."""
    for remembered in _shared:
        remembered.cache_clear()


def _replies(script: Script, channel: str) -> tuple[tuple[str, Reply], ...]:
    return tuple(engine.every_reply(script, channel))


# engine.every_reply, worked out once for the rules that read every reply: one a channel,
# as the discretion rules read SMS and WhatsApp in turn.
replies = per_script(_replies, keep=len(CHANNELS))


def reply_place(script: Script, what: str, node_id: str) -> tuple[int, str | None]:
    """Where to point for one of engine.every_reply's replies: its node, else the phrases."""
    if what.startswith("node"):
        return script.nodes[node_id].line, node_id
    return script.line_of.get("phrases") or _top_line(script), None


def did_you_mean(script: Script, missing: str) -> str:
    close = difflib.get_close_matches(missing, list(script.nodes), n=1)
    hint = f"Did you mean '{close[0]}'? " if close else ""
    ids = ", ".join(script.nodes)
    return f"{hint}Use one of the node ids ({ids}), or add a node '{missing}'."


def host(address: str) -> str:
    bare = re.sub(r"^https?://", "", address, flags=re.IGNORECASE).split("/")[0].lower()
    return bare.removeprefix("www.")
