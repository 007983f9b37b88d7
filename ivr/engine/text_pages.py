"""A node's texted content cut into the parts that are sent, one per reply.

    text_pages(script, channel, node)   -> pages: SMS's or WhatsApp's, by the channel
    sms_pages(script, node)             -> pages within four segments each
    whatsapp_pages(script, node)        -> messages within 1,600 characters each

By SMS a node is cut into pages (ivr.pagination), each leaving room for the choices
listed under it and the picture note, within four segments counted as Twilio sends
them: in UCS-2 where a character GSM-7 lacks (Welsh's circumflexes) is in the page's
words, listing or notes, else in GSM-7; its words made plain first. On WhatsApp a node
is one message when it fits 1,600 characters, else cut between paragraphs, never
inside a step (ivr.pagination.by_paragraph), and its words are sent as written. A
listing's words (`_listed_words`) and room (`_room`) are worked out once per script.
"""

from __future__ import annotations

from ivr import gsm7, pagination
from ivr.engine.choices import every_option, listed_groups, listing_words, text_endings
from ivr.engine.memo import kept
from ivr.engine.state import PAGE_SIZE, REPLY_SIZE, SMS_GAP, WHATSAPP_CHARS, Choice, whatsapp_chars
from ivr.engine.words import paragraphs_of, step_paragraphs
from ivr.script import SMS, WHATSAPP, Node, Script


def text_pages(script: Script, channel: str, node: Node) -> tuple[tuple[str, ...], ...]:
    return sms_pages(script, node) if channel == SMS else whatsapp_pages(script, node)


def sms_pages(script: Script, node: Node) -> tuple[tuple[str, ...], ...]:
    """A node's SMS content, split into pages that each leave room for their choices
    (ivr.pagination keeps line breaks, list items and step numbers across the cut)."""
    blocks: list[tuple[str, int | None]] = [(p, None) for p in paragraphs_of(node.text, SMS)]
    for i in range(len(node.steps)):
        blocks += [(p, i + 1) for p in step_paragraphs(script, node, SMS, i)]
    blocks = [(gsm7.plain(p), step) for p, step in blocks]
    more, final = text_endings(script, SMS, node)
    listings = [_listed_words(script, listed_groups(script, SMS, node, e)) for e in (more, final)]
    media = gsm7.plain(script.phrase("media", SMS))
    continued = gsm7.plain(script.phrase("step_continued", SMS))
    # Counted as Twilio will send it: in UCS-2 (67 a part) where a character GSM-7 lacks
    # (Welsh's ŵ, ŷ, â) is in the page's words, its listing or notes; else in GSM-7.
    budgets = {}
    for encoding in (gsm7.GSM7, gsm7.UCS2):
        size = gsm7.sizer(encoding)
        room = max(map(size, listings)) + size(media) + 2 * len(SMS_GAP)
        budgets[encoding] = max(
            min(PAGE_SIZE[encoding], REPLY_SIZE[encoding] - room), gsm7.PART[encoding]
        )
    around = gsm7.encoding(*listings, media, continued)  # under or beside every page
    if around == gsm7.GSM7 and gsm7.encoding(*(p for p, _ in blocks)) == gsm7.UCS2:
        return pagination.pack_each(blocks, budgets, continued)  # each page as it needs
    return pagination.pack(blocks, budgets[around], continued, gsm7.sizer(around))


def whatsapp_pages(script: Script, node: Node) -> tuple[tuple[str, ...], ...]:
    """A node's WhatsApp content: one message when it fits, else cut between paragraphs
    and never inside a step (ivr.pagination.by_paragraph). Each part leaves room for its
    choices, the picture note and the offer of a second need; the first also for the
    opening's lines (the first line, 999, how to delete the chat) and Childline."""
    groups = [(p,) for p in paragraphs_of(node.text, WHATSAPP)]
    groups += [tuple(step_paragraphs(script, node, WHATSAPP, i)) for i in range(len(node.steps))]
    endings = text_endings(script, WHATSAPP, node)
    room = max(_room(script, listed_groups(script, WHATSAPP, node, e)) for e in endings)
    later = ("media", "voice_note", "also")
    first = (*later, "first_line", "danger_line", "delete_chat", "child_in_danger")
    budgets = [WHATSAPP_CHARS - room - _said_around(script, names) for names in (first, later)]
    return pagination.by_paragraph([g for g in groups if g], *budgets, whatsapp_chars)


def _said_around(script: Script, names: tuple[str, ...]) -> int:
    """The most these phrases add around a part's own words, a blank line each."""
    said = [script.phrase(n, WHATSAPP) for n in names]
    return sum(whatsapp_chars(w) for w in said) + len(SMS_GAP) * len(said) + _longest_label(script)


def _longest_label(script: Script) -> int:
    """The longest label an offer ("You also mentioned...") can fill in (remembered: it
    reads every option of the script, and every node's pages ask for it)."""
    return kept(script, ("longest label",), lambda: _measure_labels(script))


def _measure_labels(script: Script) -> int:
    labels = [o.label.on(WHATSAPP) for n in script.nodes.values() for o in every_option(n)]
    return max(map(whatsapp_chars, labels), default=0)


def _room(script: Script, shown: tuple[tuple[Choice, ...], ...]) -> int:
    """The characters a WhatsApp part's listing of these choices takes (remembered: nodes
    share it); by SMS `_listed_words` gives the words, measured in the page's encoding."""
    key = ("room", WHATSAPP, shown)
    return kept(script, key, lambda: whatsapp_chars(listing_words(script, WHATSAPP, shown, ())[0]))


def _listed_words(script: Script, shown: tuple[tuple[Choice, ...], ...]) -> str:
    """A page's listing of these choices, as texted (remembered: nodes share it)."""
    return kept(
        script, ("listed", shown), lambda: gsm7.plain(listing_words(script, SMS, shown, ())[0])
    )
