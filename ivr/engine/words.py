"""The words a reply is made of, made ready for its channel.

    paragraphs_of(text, channel)                a text's paragraphs on the channel
    step_paragraphs(script, node, channel, i)   a step's paragraphs, led by its counter
    finish(script, channel, parts)              -> paragraphs ready for the channel
    said_then(script, channel, said, listing)   finished words, then a finished listing
    finish_now(script, channel, parts)          `finish` without remembering

Finished means spoken forms on the phone (ivr.spoken), plain GSM-7 characters by SMS
(ivr.gsm7), the words as written on WhatsApp. Every part is words of the script, so
each is finished once and remembered (ivr.engine.memo). Below the screens, choices and
pages that use it: it imports none of them.
"""

from __future__ import annotations

from ivr import gsm7
from ivr.engine.memo import kept
from ivr.script import VOICE, WHATSAPP, Node, Script, Text
from ivr.spoken import speaker


def paragraphs_of(text: Text | None, channel: str) -> tuple[str, ...]:
    return Text.paragraphs(text.on(channel)) if text is not None else ()


def step_paragraphs(script: Script, node: Node, channel: str, step: int) -> list[str]:
    """One step's paragraphs, the first led by its counter ("Step 2 of 7.", "2.")."""
    body = list(paragraphs_of(node.steps[step], channel))
    template = (node.counter or script.phrases["step_counter"]).on(channel)
    if template:
        counter = template.format(number=step + 1, total=len(node.steps))
        body[:1] = [f"{counter} {body[0]}" if body else counter]  # a step may be empty here
    return body


def finish(script: Script, channel: str, parts) -> tuple[str, ...]:
    """Split into paragraphs and make them ready for the channel: spoken forms on the
    phone, plain GSM-7 characters by SMS, the words as written on WhatsApp. Every part
    is words of the script, so each is finished once and remembered.

    Each part is finished on its own, so finishing parts one group at a time and joining
    the results gives what finishing them all at once gives: a reply joins its prefix,
    its screen's words and its screen's listing, each finished once (nodes that list the
    same choices share one finished listing)."""
    parts = tuple(parts)
    return kept(script, ("finish", channel, parts), lambda: finish_now(script, channel, parts))


def said_then(
    script: Script, channel: str, said: tuple[str, ...], listing: tuple[str, ...]
) -> tuple[str, ...]:
    """`said` finished, then a (finished) listing: a re-prompt's words. Remembered, as
    every node that lists the same choices says the same after the same words."""
    key = ("said", channel, said, listing)
    return kept(script, key, lambda: (*finish(script, channel, said), *listing))


def finish_now(script: Script, channel: str, parts) -> tuple[str, ...]:
    """`finish` without remembering: for words kept by the Screen that holds them."""
    paragraphs = [p for part in parts for p in Text.paragraphs(part)]
    if channel == VOICE:
        say = kept(script, ("speaker",), lambda: speaker(script.pronounce, script.voice.spoken))
        return tuple(map(say, paragraphs))
    if channel == WHATSAPP:
        return tuple(paragraphs)
    return tuple(gsm7.plain(p) for p in paragraphs)
