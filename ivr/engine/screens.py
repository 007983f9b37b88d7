"""What a node shows: its content, the choices open at each step (phone) or page (SMS),
and those choices said or listed in the script's own words.

    screen_at(script, channel, node, step, offers) -> Screen
    finish(script, channel, parts)                  -> paragraphs ready for the channel

A Screen depends only on the script, the channel, the point in the node and which
hand-offs can be offered now, so each is built once and remembered (ivr.engine.memo).
On the phone choices are said as sentences (a point's own choices, then the ones always
open); by text they are one block of lines. A global choice that leads to the node shown
is not listed but stays open. By SMS a node is cut into pages (`sms_pages`), each
leaving room for the choices listed under it and the picture note, within four segments;
on WhatsApp (`whatsapp_pages`) a node is one message when it fits 1,600 characters, else
cut between paragraphs, never inside a step, and its words are sent as written (no GSM-7
squeezing).
Also here, for timing and the voice channel: `danger_first`, `announcement`,
`top_options`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ivr import gsm7, pagination
from ivr.engine.memo import kept, offer_key
from ivr.engine.state import (
    CLOSED,
    NEXT,
    PAGE_SIZE,
    REPLY_SIZE,
    SMS_GAP,
    WHATSAPP_CHARS,
    Choice,
    Offers,
    whatsapp_chars,
)
from ivr.keywords import normalise
from ivr.script import (
    ANNOUNCE_MAIN,
    DIAL,
    GO,
    MENU,
    MESSAGING,
    SEND_TEXT,
    SMS,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    WHATSAPP,
    Node,
    Option,
    Script,
    Text,
)
from ivr.spoken import speak, speaker


@dataclass(frozen=True, slots=True)
class Screen:
    """What a node shows at one step (voice) or page (by text)."""

    paragraphs: tuple[str, ...]  # the content, finished for the channel (see `finish`)
    listing: tuple[str, ...]  # the listed choices, as words, finished for the channel
    open: tuple[Choice, ...]  # choices that work here
    count: int  # how many steps or pages the node has
    listed: tuple[Choice, ...] = ()  # by text: the choices the listing names, in its order


def _choice(option: Option, channel: str, always: bool = False) -> Choice:
    target = {DIAL: option.dial, TRANSFER: option.transfer}.get(option.action, option.target)
    words = tuple(normalise(w) for w in option.words)
    label = option.label.on(channel)
    main_only = always and option.announce == ANNOUNCE_MAIN
    return Choice(
        option.action, target, option.key, option.keyword, label, words, always, main_only
    )


def _options(
    script: Script, channel: str, node: Node, offers: Offers = CLOSED, step: int | None = None
) -> list[Choice]:
    """The node's own choices that can be offered now (a steps node's, at `step`). Not
    remembered: only a screen being built asks, and the screen is remembered."""
    options = node.options if step is None else node.options_at(step)
    return [
        _choice(o, channel)
        for o in options
        if channel in o.channels and _offered(script, o, offers)
    ]


def _offered(script: Script, option: Option, offers: Offers) -> bool:
    if option.action == DIAL:
        return offers.dialling
    if option.action == TRANSFER:
        return offers.is_open(script.transfers[option.transfer])
    if option.action in (TEXT_ME, SEND_TEXT):
        return offers.texting and script.text_me is not None
    return True


def _closed_notes(script: Script, options: tuple[Option, ...], offers: Offers) -> tuple[str, ...]:
    """What is said in place of a transfer that is closed now: when it opens, and the
    number to call then (where the script gives those words)."""
    notes = []
    for option in options:
        if option.action == TRANSFER:
            transfer = script.transfers[option.transfer]
            if not offers.is_open(transfer) and transfer.closed is not None:
                notes.append(transfer.closed.on(VOICE))
    return tuple(dict.fromkeys(n for n in notes if n))


def top_options(script: Script, channel: str, offers: Offers = CLOSED) -> list[Choice]:
    """The options of the main menu and of the menus up to two levels below it, nearest
    first: where a topic's words lead from anywhere, once the main menu is short."""
    key = ("top", channel, offer_key(script, offers))
    return list(kept(script, key, lambda: _top_choices(script, channel, offers)))


def _top_choices(script: Script, channel: str, offers: Offers) -> tuple[Choice, ...]:
    return tuple(c for node in _top_menus(script) for c in _options(script, channel, node, offers))


def _top_menus(script: Script) -> tuple[Node, ...]:
    found = [script.main]
    level = [script.main]
    for _ in range(2):
        children = []
        for node in level:
            for option in node.options:
                child = script.nodes.get(option.target) if option.action == GO else None
                if child is not None and child.kind == MENU and child not in found:
                    found.append(child)
                    children.append(child)
        level = children
    return tuple(found)


def _globals(script: Script, channel: str) -> tuple[Choice, ...]:
    return kept(
        script,
        ("globals", channel),
        lambda: tuple(_choice(o, channel, True) for o in script.globals if channel in o.channels),
    )


def _next(script: Script, channel: str, last: bool) -> Choice:
    return kept(script, ("next", channel, last), lambda: _next_choice(script, channel, last))


def _next_choice(script: Script, channel: str, last: bool) -> Choice:
    control = script.next_control
    label = (control.last_label if last else control.label).on(channel)
    # By SMS a continuing part offers "1 - for more (NEXT)", as the phone does; the last
    # part leads on by the word alone, as its number belongs to no list shown.
    pressed = control.key if channel == VOICE or not last else None
    words = tuple(normalise(w) for w in control.words)
    return Choice(NEXT, None, pressed, control.keyword, label, words)


def count_parts(script: Script, channel: str, node: Node) -> int:
    if channel in MESSAGING:
        key = ("count", channel, node.id)
        return kept(script, key, lambda: len(text_pages(script, channel, node)))
    return len(node.steps) if node.kind == STEPS else 1


def screen_at(script: Script, channel: str, node: Node, step: int, offers: Offers) -> Screen:
    key = ("screen", channel, node.id, step, offer_key(script, offers))
    if channel == VOICE:
        return kept(script, key, lambda: _voice_screen(script, node, step, offers))
    return kept(script, key, lambda: _text_screen(script, channel, node, step))


def _voice_screen(script: Script, node: Node, step: int, offers: Offers) -> Screen:
    intro = _paragraphs(node.text, VOICE)
    if node.kind == MENU:
        open_ = (*_options(script, VOICE, node, offers), *_globals(script, VOICE))
        notes = _closed_notes(script, node.options, offers)
        listing = _listed(script, VOICE, node, open_, notes)
        return Screen(_finished(script, VOICE, intro), listing, open_, 1)
    total = len(node.steps)
    last = step == total - 1
    paragraphs = (*(intro if step == 0 else ()), *_step(script, node, VOICE, step))
    own = _options(script, VOICE, node, offers, step)
    open_ = (_next(script, VOICE, last), *own, *_globals(script, VOICE))
    notes = _closed_notes(script, node.options_at(step), offers)
    listing = _listed(script, VOICE, node, open_, notes)
    return Screen(_finished(script, VOICE, paragraphs), listing, open_, total)


def _text_screen(script: Script, channel: str, node: Node, page: int) -> Screen:
    pages = text_pages(script, channel, node)
    more, final = _text_endings(script, channel, node)
    if page < len(pages) - 1:
        listed = more
        open_ = more
    elif node.kind == MENU:
        listed = open_ = final
    else:
        listed = final
        open_ = (_next(script, channel, True), *final)  # NEXT still leads on, unlisted
    listing = _listed(script, channel, node, listed)
    named = _shown(script, channel, node, listed)[0]
    return Screen(_finished(script, channel, pages[page]), listing, open_, len(pages), named)


def _text_endings(
    script: Script, channel: str, node: Node
) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The choices listed under a page with more to follow, and under the last page."""
    globals_ = tuple(_globals(script, channel))
    more = (_next(script, channel, False), *globals_)
    if node.kind == MENU:
        return more, (*_options(script, channel, node), *globals_)
    return more, globals_


def _step(script: Script, node: Node, channel: str, step: int) -> list[str]:
    """One step's paragraphs, the first led by its counter ("Step 2 of 7.", "2.")."""
    body = list(_paragraphs(node.steps[step], channel))
    template = (node.counter or script.phrases["step_counter"]).on(channel)
    if template:
        counter = template.format(number=step + 1, total=len(node.steps))
        body[:1] = [f"{counter} {body[0]}" if body else counter]  # a step may be empty here
    return body


def _paragraphs(text: Text | None, channel: str) -> tuple[str, ...]:
    return Text.paragraphs(text.on(channel)) if text is not None else ()


def _listed(
    script: Script, channel: str, node: Node, choices, notes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The choices as words, finished for the channel. On the phone: this point's own
    choices, then (after a pause) the ones that are always open, so each part stays
    short. By SMS: one block of lines. Remembered by the choices it names, so the many
    nodes that list the same choices share one.

    A global choice that leads to this very node ("main menu" on the main menu, "danger"
    at the danger node) is not listed, but it stays open: pressing 9 at the danger node
    must never be "not one of the choices". `notes` (voice) follow this point's own
    choices: what is said in place of a line that is closed now. A menu's `quiet` global
    keys are not said there, and still work."""
    shown = _shown(script, channel, node, choices)
    key = ("listing", channel, shown, notes)
    return kept(script, key, lambda: finish(script, channel, _words(script, channel, shown, notes)))


def _shown(script: Script, channel: str, node: Node, choices) -> tuple[tuple[Choice, ...], ...]:
    """The choices a listing names, as it groups them: on the phone this point's own, then
    the ones always open; by SMS one group."""
    choices = [c for c in choices if not (c.always and c.action == GO and c.target == node.id)]
    if channel == VOICE:
        at_main = node.id == script.main.id
        own = tuple(c for c in choices if not c.always)
        always = tuple(
            c
            for c in choices
            if c.always and (at_main or not c.main_only) and c.key not in node.quiet
        )
        return own, always
    return (tuple(choices),)


def _words(
    script: Script, channel: str, shown: tuple[tuple[Choice, ...], ...], notes: tuple[str, ...]
) -> tuple[str, ...]:
    if channel == VOICE:
        if not script.voice.speech:  # keys only (a language Twilio cannot hear): danger first
            shown = _danger_key_first(script, shown)
        sentences = [[_say_choice(script, c) for c in part] for part in shown]
        sentences[0] += [_sentence(n) for n in notes]
        return tuple(" ".join(part) for part in sentences if part)
    lines = [script.phrase("menu_intro", channel)]
    for c in shown[0]:
        if c.key:
            choice = script.phrase("choice", channel)
            lines.append(choice.format(label=c.label, key=c.key, keyword=c.keyword))
        else:
            choice = script.phrase("word_choice", channel)
            lines.append(choice.format(label=c.label, keyword=c.keyword))
    return ("\n".join(line for line in lines if line),)


def _danger_key_first(script: Script, shown: tuple[tuple[Choice, ...], ...]):
    """The parts of a spoken menu with the danger choice said first, before every other:
    in a language taken by keys alone, a caller in crisis cannot say so, so hears its
    key at once on every menu (docs/languages.md)."""
    danger = script.roles.get("danger")
    first = [c for part in shown for c in part if c.action == GO and c.target == danger]
    if not first:
        return shown
    rest = [tuple(c for c in part if c not in first) for part in shown]
    return ((*first[:1], *rest[0]), *rest[1:])


def listing(
    script: Script, channel: str, own: tuple[Choice, ...], always: tuple[Choice, ...]
) -> tuple[str, ...]:
    """Choices of no node (the opening's, ivr.opening) listed as a node lists its own and
    then the ones always open, finished for the channel, in the script's own words."""
    shown = (own, always) if channel == VOICE else (own + always,)
    key = ("listing", channel, shown, ())
    return kept(script, key, lambda: finish(script, channel, _words(script, channel, shown, ())))


def global_choices(script: Script, channel: str) -> tuple[Choice, ...]:
    """The script's global options on a channel, as choices (remembered)."""
    return _globals(script, channel)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _say_choice(script: Script, choice: Choice, phrase: str = "choice") -> str:
    names = script.voice.key_names
    template = script.phrase(phrase, VOICE)
    key = names.get(choice.key, choice.key)
    return _sentence(template.format(label=choice.label, key=key, keyword=choice.keyword))


def danger_first_words(script: Script) -> str:
    """The danger key, said straight after the danger line when the script asks for it."""
    found = danger_first(script)
    return found[1] if found else ""


def danger_first(script: Script) -> tuple[Choice, str] | None:
    """The danger choice and the spoken sentence that announces it first on the phone
    (the `danger_first` phrase), or None when the script has no such sentence."""
    return kept(script, ("danger_first",), lambda: _find_danger_first(script))


def _find_danger_first(script: Script) -> tuple[Choice, str] | None:
    if not script.phrase("danger_first", VOICE):
        return None
    danger = script.roles.get("danger")
    for choice in (*_globals(script, VOICE), *_options(script, VOICE, script.main)):
        if choice.key and choice.action == GO and choice.target == danger:
            said = _say_choice(script, choice, "danger_first")
            return choice, speak(said, script.pronounce, script.voice.spoken)
    return None


def announcement(script: Script, choice: Choice) -> str:
    """The spoken sentence that announces a choice in a menu, as a caller hears it."""
    return kept(
        script,
        ("announcement", choice),
        lambda: speak(_say_choice(script, choice), script.pronounce, script.voice.spoken),
    )


def announcements(script: Script, choices: tuple[Choice, ...]) -> tuple[tuple[Choice, str], ...]:
    """Each keyed choice with the sentence that announces it, then the danger choice with
    its `danger_first` sentence; empty sentences left out (they announce nothing).
    Remembered by the choices: the screens of thousands of nodes offer the same ones."""
    return kept(script, ("announcements", choices), lambda: _announced(script, choices))


def _announced(script: Script, choices: tuple[Choice, ...]) -> tuple[tuple[Choice, str], ...]:
    found = [(c, announcement(script, c)) for c in choices if c.key]
    first = danger_first(script)
    if first:
        found.append(first)
    return tuple((choice, sentence) for choice, sentence in found if sentence)


# -- Text pages -------------------------------------------------------------------------


def text_pages(script: Script, channel: str, node: Node) -> tuple[tuple[str, ...], ...]:
    return sms_pages(script, node) if channel == SMS else whatsapp_pages(script, node)


def sms_pages(script: Script, node: Node) -> tuple[tuple[str, ...], ...]:
    """A node's SMS content, split into pages that each leave room for their choices
    (ivr.pagination keeps line breaks, list items and step numbers across the cut)."""
    blocks: list[tuple[str, int | None]] = [(p, None) for p in _paragraphs(node.text, SMS)]
    for i in range(len(node.steps)):
        blocks += [(p, i + 1) for p in _step(script, node, SMS, i)]
    blocks = [(gsm7.plain(p), step) for p, step in blocks]
    more, final = _text_endings(script, SMS, node)
    listings = [_listed_words(script, _shown(script, SMS, node, e)) for e in (more, final)]
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
    groups = [(p,) for p in _paragraphs(node.text, WHATSAPP)]
    groups += [tuple(_step(script, node, WHATSAPP, i)) for i in range(len(node.steps))]
    endings = _text_endings(script, WHATSAPP, node)
    room = max(_room(script, _shown(script, WHATSAPP, node, e)) for e in endings)
    later = ("media", "voice_note", "also")
    first = (*later, "first_line", "danger_line", "delete_chat", "child_in_danger")
    budgets = [WHATSAPP_CHARS - room - _said_around(script, names) for names in (first, later)]
    return pagination.by_paragraph([g for g in groups if g], *budgets, whatsapp_chars)


def _said_around(script: Script, names: tuple[str, ...]) -> int:
    """The most these phrases add around a part's own words, a blank line each."""
    said = [script.phrase(n, WHATSAPP) for n in names]
    return sum(whatsapp_chars(w) for w in said) + len(SMS_GAP) * len(said) + _longest_label(script)


def _longest_label(script: Script) -> int:
    """The longest label an offer ("You also mentioned...") can fill in."""
    labels = [o.label.on(WHATSAPP) for n in script.nodes.values() for o in every_option(n)]
    return max(map(whatsapp_chars, labels), default=0)


def _room(script: Script, shown: tuple[tuple[Choice, ...], ...]) -> int:
    """The characters a WhatsApp part's listing of these choices takes (remembered: nodes
    share it); by SMS `_listed_words` gives the words, measured in the page's encoding."""
    key = ("room", WHATSAPP, shown)
    return kept(script, key, lambda: whatsapp_chars(_words(script, WHATSAPP, shown, ())[0]))


def _listed_words(script: Script, shown: tuple[tuple[Choice, ...], ...]) -> str:
    """A page's listing of these choices, as texted (remembered: nodes share it)."""
    return kept(script, ("listed", shown), lambda: gsm7.plain(_words(script, SMS, shown, ())[0]))


def finish(script: Script, channel: str, parts) -> tuple[str, ...]:
    """Split into paragraphs and make them ready for the channel: spoken forms on the
    phone, plain GSM-7 characters by SMS, the words as written on WhatsApp. Every part
    is words of the script, so each is finished once and remembered.

    Each part is finished on its own, so finishing parts one group at a time and joining
    the results gives what finishing them all at once gives: a reply joins its prefix,
    its screen's words and its screen's listing, each finished once (nodes that list the
    same choices share one finished listing)."""
    parts = tuple(parts)
    return kept(script, ("finish", channel, parts), lambda: _finished(script, channel, parts))


def said_then(
    script: Script, channel: str, said: tuple[str, ...], listing: tuple[str, ...]
) -> tuple[str, ...]:
    """`said` finished, then a (finished) listing: a re-prompt's words. Remembered, as
    every node that lists the same choices says the same after the same words."""
    key = ("said", channel, said, listing)
    return kept(script, key, lambda: (*finish(script, channel, said), *listing))


def _finished(script: Script, channel: str, parts) -> tuple[str, ...]:
    """`finish` without remembering: for words kept by the Screen that holds them."""
    paragraphs = [p for part in parts for p in Text.paragraphs(part)]
    if channel == VOICE:
        say = kept(script, ("speaker",), lambda: speaker(script.pronounce, script.voice.spoken))
        return tuple(map(say, paragraphs))
    if channel == WHATSAPP:
        return tuple(paragraphs)
    return tuple(gsm7.plain(p) for p in paragraphs)


def every_option(node: Node) -> Iterator[Option]:
    yield from node.options
    for options in node.step_options:
        yield from options
