"""Text me these steps (H106-H108, S172, S174): the one text a caller can ask for.

Part of the hours and hand-offs family (ivr/lint/handoffs.py runs these in its turn):
    section(script)  H106 text_me options need a text_me: section; its then: is a node
                     (runs with the graph checks, like every name the engine looks up)
    text_me(script)  H107 the message fits one text (1,600 characters)
                     S172 the message gives the 999 line
                     S174 what a lock screen shows of it names no part of the topic
                     H108 a text_me option leads to the node that confirms (send_text);
                          that node is a menu whose text warns; nothing else goes there

Pure domain; the GSM-7, links and timing of these words are checked with every other
reply's, by the main linter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr.errors import Problem
from ivr.lint.walk import all_options, every_option, problem
from ivr.script import GO, SEND_TEXT, STEPS, TEXT_ME, Node, Option, Script, TextMe

MAX_TEXT_CHARS = 1600  # Twilio's limit for one message


def _options(script: Script) -> Iterator[tuple[Node, Option]]:
    """Every node's options that text: text_me and send_text, with the node."""
    for node in script.nodes.values():
        for option in every_option(node):
            if option.action in (TEXT_ME, SEND_TEXT):
                yield node, option


def section(script: Script) -> Iterator[Problem]:
    """H106: text_me options need a text_me section, and its then: must be a node."""
    text_me = script.text_me
    if text_me is None:
        yield from _text_me_options_without_section(script)
    elif text_me.then not in script.nodes:
        yield problem(
            script,
            "H106",
            text_me.line,
            None,
            f"text_me then: '{text_me.then}' is not a node.",
            "Name the menu the caller goes back to, usually main.",
        )


def _text_me_options_without_section(script: Script) -> Iterator[Problem]:
    """H106: every text_me and send_text option, when there is nothing to send."""
    for node, option in _options(script):
        yield problem(
            script,
            "H106",
            option.line,
            node.id,
            f"This option ({option.action}) needs a text_me: section, which the "
            "script does not have.",
            "Add text_me: with the message and what the caller hears (docs/script-format.md).",
        )


def text_me(script: Script) -> Iterator[Problem]:
    """H107, S172, S174 on the message; H108 on where texting is offered and confirmed."""
    text_me = script.text_me
    if text_me is None:
        return
    yield from _message_too_long(script, text_me)
    yield from _message_without_999(script, text_me)
    yield from _message_preview_telltale(script, text_me)
    uses = list(_options(script))
    confirming = sorted({n.id for n, o in uses if o.action == SEND_TEXT})  # a steady order
    yield from _offers_without_confirming(script, uses, confirming)
    for node_id in confirming:
        yield from _confirming_without_warning(script, script.nodes[node_id])
        yield from _straight_to_sending(script, node_id)


def _message_too_long(script: Script, text_me: TextMe) -> Iterator[Problem]:
    """H107: the message must fit one text."""
    if len(text_me.message) > MAX_TEXT_CHARS:
        yield problem(
            script,
            "H107",
            text_me.line,
            None,
            f"text_me's message has {len(text_me.message)} characters; one message can "
            f"carry at most {MAX_TEXT_CHARS}.",
            "Shorten it: the steps in brief, with the guide's links for the rest.",
        )


def _message_without_999(script: Script, text_me: TextMe) -> Iterator[Problem]:
    """S172: the text someone keeps gives the 999 line."""
    if "999" not in text_me.message:
        yield problem(
            script,
            "S172",
            text_me.line,
            None,
            "text_me's message does not give the 999 line.",
            "Put 'If you are in immediate danger, call 999.' near the start.",
        )


def _message_preview_telltale(script: Script, text_me: TextMe) -> Iterator[Problem]:
    """S174: what a lock screen shows of the text names no part of the topic."""
    shown = script.discretion.preview_characters
    preview = text_me.message[:shown].lower()
    telltale = [w for w in script.discretion.words if re.search(rf"\b{re.escape(w)}", preview)]
    if telltale:
        yield problem(
            script,
            "S174",
            text_me.line,
            None,
            f"The first {shown} characters of text_me's message (what a lock screen "
            f"shows) say {', '.join(repr(w) for w in telltale)}.",
            "Open with words that do not name the topic, like 'Some first steps:'.",
        )


def _offers_without_confirming(
    script: Script, uses: list[tuple[Node, Option]], confirming: list[str]
) -> Iterator[Problem]:
    """H108: a text_me option leads to a node where the caller can confirm (send_text)."""
    for node, option in uses:
        if option.action == TEXT_ME and option.target not in confirming:
            yield problem(
                script,
                "H108",
                option.line,
                node.id,
                f"This text_me option leads to '{option.target}', which has no send_text "
                "option, so the caller cannot confirm.",
                "Lead it to the node that warns and offers send_text.",
            )


def _confirming_without_warning(script: Script, node: Node) -> Iterator[Problem]:
    """H108: the node that sends the text is a menu whose text warns about it."""
    if node.kind == STEPS or node.text is None:
        yield problem(
            script,
            "H108",
            node.line,
            node.id,
            "A send_text option belongs in a menu whose text warns that the text will "
            "show on this phone (and may show a preview).",
            "Give this menu that warning as its text.",
        )


def _straight_to_sending(script: Script, node_id: str) -> Iterator[Problem]:
    """H108: only text_me options (offered where texts can be sent) lead to that node."""
    for from_id, option in all_options(script):
        if option.action == GO and option.target == node_id:
            yield problem(
                script,
                "H108",
                option.line,
                from_id,
                f"This option goes straight to '{node_id}', where the text is sent, so "
                "texting could be offered where it cannot be sent.",
                "Make it action: text_me, so it is offered only where texts can be sent.",
            )
