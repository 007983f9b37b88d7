"""The conversation engine: where someone is in a script, and what they get next.

    start(script, channel, now)                      -> Reply
    advance(script, state, given, now, idle_limit)   -> Reply

Pure: no Flask, no Twilio, no clock (time is the `now` parameter). One engine serves
the phone, SMS and the simulator, so the simulator shows exactly what a caller gets.

A State is a handful of ids and counters that fits in a URL (voice) or a cookie (SMS):
never a phone number or anything a person typed or said. A Reply is channel-ready:
spoken forms on voice (numbers read digit by digit), GSM-7 pages on SMS.

On the phone a steps node is read one step at a time; by SMS it is sent a page at a
time (at most three segments of content), with NEXT for more. Wrong or missing input
on the phone re-prompts `max_retries` times, then says goodbye with 999 and Samaritans.
By SMS anything not understood gets the last menu again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache

from ivr import gsm7
from ivr.errors import StateError
from ivr.matching import as_key, contains, normalise
from ivr.script import (
    CHANNELS,
    DIAL,
    GO,
    MENU,
    REPEAT,
    SMS,
    STEPS,
    VOICE,
    Node,
    Option,
    Script,
    Text,
)
from ivr.spoken import speak

NEXT = "next"  # the action of the NextControl

# Kinds of Input. RESUME: the call came back from a <Dial>, so say where it was again.
PRESSED, TYPED, SAID, SILENCE, RESUME = "pressed", "typed", "said", "silence", "resume"

# SMS sizes, in GSM-7 septets: a page of content is at most three segments, and a whole
# reply (with its list of choices) at most four.
PAGE_SEPTETS = 3 * gsm7.PER_SEGMENT
REPLY_SEPTETS = 4 * gsm7.PER_SEGMENT
SMS_GAP = "\n\n"

STATE_VERSION = "1"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class State:
    """Where a conversation is. Serialises to a short string for a URL or a cookie."""

    channel: str
    script: str
    node: str
    step: int = 0  # the step being read (voice) or the page shown (SMS)
    retries: int = 0  # re-prompts so far at this point (voice)
    menu: str = ""  # the last menu whose numbered choices were shown (SMS)
    at: int = 0  # unix time of the last turn, for the SMS idle limit

    def dumps(self) -> str:
        fields = (self.channel, self.script, self.node, self.step, self.retries, self.menu, self.at)
        return ".".join((STATE_VERSION, *map(str, fields)))

    @classmethod
    def loads(cls, text: str) -> State:
        parts = text.split(".") if isinstance(text, str) else []
        if len(parts) != 8 or parts[0] != STATE_VERSION:
            raise StateError("This is not a conversation state this version can read.")
        _, channel, script, node, step, retries, menu, at = parts
        if channel not in CHANNELS:
            raise StateError("The state names an unknown channel.")
        if not (_ID.match(script) and _ID.match(node) and (menu == "" or _ID.match(menu))):
            raise StateError("The state names a script or node with an impossible id.")
        numbers = []
        for value, limit in ((step, 10_000), (retries, 100), (at, 10**11)):
            if not value.isdigit() or int(value) > limit:
                raise StateError("The state has a counter out of range.")
            numbers.append(int(value))
        return cls(channel, script, node, numbers[0], numbers[1], menu, numbers[2])


@dataclass(frozen=True, slots=True)
class Input:
    """What came in: a key press, a text, recognised speech, or nothing at all."""

    kind: str
    value: str = ""
    media: bool = False  # an SMS carried a picture or file (never looked at)


def pressed(digits: str) -> Input:
    return Input(PRESSED, digits)


def typed(text: str, media: bool = False) -> Input:
    return Input(TYPED, text, media)


def said(speech: str) -> Input:
    return Input(SAID, speech)


SILENT = Input(SILENCE)
RESUMED = Input(RESUME)


@dataclass(frozen=True, slots=True)
class Choice:
    """A choice open at this point, resolved for one channel."""

    action: str  # GO, REPEAT, NEXT or DIAL
    target: str | None  # a node id (GO) or a phone number (DIAL)
    key: str | None
    keyword: str
    label: str
    words: tuple[str, ...]  # normalised keyword and synonyms
    always: bool = False  # a global option, open everywhere


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say or text next, which choices are open, and whether the call ends."""

    state: State
    paragraphs: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    ends: bool = False
    dial: str | None = None
    event: str = ""  # what happened, for logs: start, chose, next, wrong, silence, ...

    @property
    def text(self) -> str:
        """The reply as one SMS body."""
        return SMS_GAP.join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class _Screen:
    """What a node shows at one step (voice) or page (SMS)."""

    paragraphs: tuple[str, ...]  # the content
    listing: tuple[str, ...]  # the listed choices, as words
    open: tuple[Choice, ...]  # choices that work here
    count: int  # how many steps or pages the node has
    shows_menu: bool  # the node's own numbered options are listed


# -- starting and advancing -------------------------------------------------------------


def start(
    script: Script, channel: str, now: datetime, *, event: str = "start", media: bool = False
) -> Reply:
    """The opening: the immediate-danger line first, the welcome, then the main menu."""
    prefix = []
    if channel == SMS:
        prefix.append(script.phrase("first_line", SMS))  # discreet on a lock screen
        if media:
            prefix.append(script.phrase("media", SMS))
    prefix += [script.phrase("danger_line", channel), script.phrase("welcome", channel)]
    return _show(script, channel, script.main, 0, _stamp(now), event, "", tuple(prefix))


def advance(
    script: Script,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
) -> Reply:
    """Move a conversation on by one input. Never raises for anything a person sends."""
    channel = state.channel
    node = script.nodes.get(state.node)
    if state.script != script.id or node is None or (state.menu and state.menu not in script.nodes):
        return start(script, channel, now, event="restart", media=given.media)
    stamp = _stamp(now)
    if idle_limit is not None and state.at and stamp - state.at > idle_limit.total_seconds():
        return start(script, channel, now, event="expired", media=given.media)
    step = min(state.step, _count(script, channel, node) - 1)
    state = replace(state, step=step)
    screen = _screen(script, channel, node, step)
    if given.kind == SILENCE and channel == VOICE:
        return _retry(script, state, screen, "silence", stamp)
    if given.kind == RESUME:
        return _show(script, channel, node, step, stamp, "resume", state.menu)
    choice = _pick(script, state, screen, given)
    prefix = (script.phrase("media", SMS),) if given.media and channel == SMS else ()
    if choice is None:
        if channel == SMS:
            return _menu_again(script, state, stamp, prefix)
        return _retry(script, state, screen, "wrong", stamp)
    if choice.action == REPEAT:
        return _show(script, channel, node, step, stamp, "repeat", state.menu, prefix)
    if choice.action == NEXT:
        if step + 1 < screen.count:
            return _show(script, channel, node, step + 1, stamp, "next", state.menu, prefix)
        return _show(script, channel, script.nodes[node.next], 0, stamp, "next", state.menu, prefix)
    if choice.action == DIAL:
        held = replace(state, retries=0, at=stamp)
        return Reply(held, (), screen.open, dial=choice.target, event="dial")
    return _show(
        script, channel, script.nodes[choice.target], 0, stamp, "chose", state.menu, prefix
    )


def _stamp(now: datetime) -> int:
    return int(now.timestamp())


def _show(
    script: Script,
    channel: str,
    node: Node,
    step: int,
    stamp: int,
    event: str,
    menu: str,
    prefix: tuple[str, ...] = (),
) -> Reply:
    screen = _screen(script, channel, node, step)
    state = State(
        channel, script.id, node.id, step, 0, node.id if screen.shows_menu else menu, stamp
    )
    paragraphs = (*prefix, *screen.paragraphs, *screen.listing)
    return Reply(state, _finish(script, channel, paragraphs), screen.open, event=event)


def _retry(script: Script, state: State, screen: _Screen, event: str, stamp: int) -> Reply:
    """Voice: say sorry (wrong key) and the choices again, or goodbye after too many tries."""
    retries = state.retries + 1
    state = replace(state, retries=retries, at=stamp)
    if retries > script.max_retries:
        goodbye = _finish(script, VOICE, (script.phrase("goodbye", VOICE),))
        return Reply(state, goodbye, (), ends=True, event="goodbye")
    phrase = script.phrase("wrong_input" if event == "wrong" else "no_input", VOICE)
    paragraphs = (phrase, *screen.listing)
    return Reply(state, _finish(script, VOICE, paragraphs), screen.open, event=event)


def _menu_again(script: Script, state: State, stamp: int, prefix: tuple[str, ...]) -> Reply:
    """SMS: anything not understood gets the last menu's choices, never an error."""
    menu = script.nodes[state.menu] if state.menu else script.main
    listing = _screen(script, SMS, menu, _count(script, SMS, menu) - 1).listing
    state = replace(state, menu=menu.id, at=stamp)
    open_here = _screen(script, SMS, script.nodes[state.node], state.step).open
    paragraphs = _finish(script, SMS, (*prefix, *listing))
    return Reply(state, paragraphs, open_here, event="unknown")


def _finish(script: Script, channel: str, parts) -> tuple[str, ...]:
    """Split into paragraphs and make them ready for the channel: spoken forms on the
    phone, plain GSM-7 characters by SMS."""
    paragraphs = [p for part in parts for p in Text.paragraphs(part)]
    if channel == VOICE:
        return tuple(speak(p, script.pronounce) for p in paragraphs)
    return tuple(gsm7.plain(p) for p in paragraphs)


# -- understanding input ----------------------------------------------------------------


def _pick(script: Script, state: State, screen: _Screen, given: Input) -> Choice | None:
    channel = state.channel
    numbered = _options(script, channel, script.nodes[state.menu]) if state.menu else []
    key = given.value if given.kind == PRESSED else as_key(given.value)
    if key:
        # On the phone a key answers what is being read now; by SMS a number answers the
        # last menu shown, and the global keys work everywhere.
        keyed = [*screen.open, *numbered] if channel == SMS else list(screen.open)
        return next((c for c in keyed if c.key == key), None)
    heard = normalise(given.value)
    if not heard:
        return None
    # Words work from anywhere: what is open here, the last menu, then the main menu.
    pool = [*screen.open, *numbered, *_options(script, channel, script.main)]
    exact = [c for c in pool if heard in c.words]
    if exact:
        return exact[0]
    found = [
        (max(len(w) for w in c.words if contains(heard, w)), c)
        for c in pool
        if any(contains(heard, w) for w in c.words)
    ]
    if not found:
        return None
    danger = script.roles["danger"]
    for _, choice in found:
        if choice.action == GO and choice.target == danger:
            return choice  # "I'm not sure I'm safe, I clicked it": safety first
    longest = max(length for length, _ in found)
    best = {(c.action, c.target): c for length, c in found if length == longest}
    return next(iter(best.values())) if len(best) == 1 else None


# -- what a node shows ------------------------------------------------------------------


@lru_cache(maxsize=4096)  # options never change once loaded; normalising is the costly part
def _choice(option: Option, channel: str, always: bool = False) -> Choice:
    target = option.dial if option.action == DIAL else option.target
    words = tuple(normalise(w) for w in option.words)
    return Choice(
        option.action, target, option.key, option.keyword, option.label.on(channel), words, always
    )


def _options(script: Script, channel: str, node: Node) -> list[Choice]:
    return [_choice(o, channel) for o in node.options if channel in o.channels]


def _globals(script: Script, channel: str) -> list[Choice]:
    return [_choice(o, channel, always=True) for o in script.globals if channel in o.channels]


def _next(script: Script, channel: str, last: bool) -> Choice:
    control = script.next_control
    label = (control.last_label if last else control.label).on(channel)
    key = control.key if channel == VOICE else None  # by SMS, numbers answer the last menu
    words = tuple(normalise(w) for w in control.words)
    return Choice(NEXT, None, key, control.keyword, label, words)


def _count(script: Script, channel: str, node: Node) -> int:
    if channel == SMS:
        return len(sms_pages(script, node))
    return len(node.steps) if node.kind == STEPS else 1


def _screen(script: Script, channel: str, node: Node, step: int) -> _Screen:
    if channel == VOICE:
        return _voice_screen(script, node, step)
    return _sms_screen(script, node, step)


def _voice_screen(script: Script, node: Node, step: int) -> _Screen:
    intro = _paragraphs(node.text, VOICE)
    if node.kind == MENU:
        open_ = (*_options(script, VOICE, node), *_globals(script, VOICE))
        return _Screen(intro, _listing(script, VOICE, node, open_), open_, 1, True)
    total = len(node.steps)
    last = step == total - 1
    paragraphs = (*(intro if step == 0 else ()), *_step(script, node, VOICE, step))
    open_ = (_next(script, VOICE, last), *_globals(script, VOICE))
    return _Screen(paragraphs, _listing(script, VOICE, node, open_), open_, total, False)


def _sms_screen(script: Script, node: Node, page: int) -> _Screen:
    pages = sms_pages(script, node)
    more, final = _sms_endings(script, node)
    if page < len(pages) - 1:
        listed = more
        open_ = more
    elif node.kind == MENU:
        listed = open_ = final
    else:
        listed = final
        open_ = (_next(script, SMS, True), *final)  # NEXT still leads on, unlisted
    shows_menu = node.kind == MENU and page == len(pages) - 1
    return _Screen(pages[page], _listing(script, SMS, node, listed), open_, len(pages), shows_menu)


def _sms_endings(script: Script, node: Node) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The choices listed under a page with more to follow, and under the last page."""
    globals_ = tuple(_globals(script, SMS))
    more = (_next(script, SMS, False), *globals_)
    if node.kind == MENU:
        return more, (*_options(script, SMS, node), *globals_)
    return more, globals_


def _step(script: Script, node: Node, channel: str, step: int) -> list[str]:
    """One step's paragraphs, the first led by its counter ("Step 2 of 7.", "2.")."""
    body = list(_paragraphs(node.steps[step], channel))
    template = (node.counter or script.phrases["step_counter"]).on(channel)
    if template:
        body[0] = f"{template.format(number=step + 1, total=len(node.steps))} {body[0]}"
    return body


def _paragraphs(text: Text | None, channel: str) -> tuple[str, ...]:
    return Text.paragraphs(text.on(channel)) if text is not None else ()


def _listing(script: Script, channel: str, node: Node, choices) -> tuple[str, ...]:
    """The choices as words. On the phone: this point's own choices, then (after a pause)
    the ones that are always open, so each part stays short. By SMS: one block of lines.

    A global choice that leads to this very node ("main menu" on the main menu, "danger"
    at the danger node) is not listed, but it stays open: pressing 9 at the danger node
    must never be "not one of the choices"."""
    choices = [c for c in choices if not (c.always and c.action == GO and c.target == node.id)]
    if channel == VOICE:
        names = script.voice.key_names
        template = script.phrase("choice", VOICE)
        own = [c for c in choices if not c.always]
        always = [c for c in choices if c.always]
        sentences = [
            [
                _sentence(
                    template.format(label=c.label, key=names.get(c.key, c.key), keyword=c.keyword)
                )
                for c in part
            ]
            for part in (own, always)
        ]
        return tuple(" ".join(part) for part in sentences if part)
    lines = [script.phrase("menu_intro", SMS)]
    for c in choices:
        if c.key:
            lines.append(
                script.phrase("choice", SMS).format(label=c.label, key=c.key, keyword=c.keyword)
            )
        else:
            lines.append(script.phrase("word_choice", SMS).format(label=c.label, keyword=c.keyword))
    return ("\n".join(line for line in lines if line),)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- SMS pages --------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def sms_pages(script: Script, node: Node) -> tuple[tuple[str, ...], ...]:
    """A node's SMS content, split into pages that each leave room for their choices."""
    paragraphs = list(_paragraphs(node.text, SMS))
    for i in range(len(node.steps)):
        paragraphs += _step(script, node, SMS, i)
    paragraphs = [gsm7.plain(p) for p in paragraphs]
    more, final = _sms_endings(script, node)
    room = max(
        gsm7.septets(gsm7.plain(_listing(script, SMS, node, ending)[0])) for ending in (more, final)
    )
    media = gsm7.septets(gsm7.plain(script.phrase("media", SMS)))
    budget = min(PAGE_SEPTETS, REPLY_SEPTETS - room - media - 2 * len(SMS_GAP))
    return _pack(paragraphs, max(budget, gsm7.PER_SEGMENT))


def _pack(paragraphs: list[str], budget: int) -> tuple[tuple[str, ...], ...]:
    pieces: list[str] = []
    for paragraph in paragraphs:
        pieces += _split(paragraph, budget)
    pages: list[list[str]] = [[]]
    used = 0
    for piece in pieces:
        size = gsm7.septets(piece) + (len(SMS_GAP) if pages[-1] else 0)
        if pages[-1] and used + size > budget:
            pages.append([])
            size = gsm7.septets(piece)
            used = 0
        pages[-1].append(piece)
        used += size
    return tuple(tuple(page) for page in pages if page) or ((),)


def _split(paragraph: str, budget: int) -> list[str]:
    """Split an over-long paragraph at sentence ends, or at spaces if it must."""
    if gsm7.septets(paragraph) <= budget:
        return [paragraph]
    units = re.split(r"(?<=[.!?])\s+", paragraph)
    if len(units) == 1:
        units = paragraph.split(" ")
    parts, current = [], ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if current and gsm7.septets(candidate) > budget:
            parts.append(current)
            candidate = unit
        current = candidate
    parts.append(current)
    return [
        p
        for part in parts
        for p in ([part] if gsm7.septets(part) <= budget else _hard_split(part, budget))
    ]


def _hard_split(text: str, budget: int) -> list[str]:
    return [text[i : i + budget] for i in range(0, len(text), budget)]


# -- everything a script can say, for the linter and tests ------------------------------


def every_reply(script: Script, channel: str) -> Iterator[tuple[str, Reply]]:
    """Each distinct reply the engine can produce on a channel, with a description."""
    stamp = 0
    now = datetime.fromtimestamp(stamp)
    yield "the opening", start(script, channel, now)
    if channel == SMS:
        yield "the opening after a picture", start(script, channel, now, media=True)
    for node in script.nodes.values():
        for step in range(_count(script, channel, node)):
            where = f"node '{node.id}'" + (
                f", {'step' if channel == VOICE else 'page'} {step + 1}" if step else ""
            )
            yield where, _show(script, channel, node, step, stamp, "chose", "")
            if channel == SMS:
                media = (script.phrase("media", SMS),)
                yield (
                    f"{where} after a picture",
                    _show(script, channel, node, step, stamp, "chose", "", media),
                )
            else:
                state = State(VOICE, script.id, node.id, step)
                screen = _screen(script, VOICE, node, step)
                yield f"{where}, after a wrong key", _retry(script, state, screen, "wrong", stamp)
    if channel == VOICE:
        yield (
            "the goodbye",
            Reply(
                State(VOICE, script.id, script.main.id),
                _finish(script, VOICE, (script.phrase("goodbye", VOICE),)),
                ends=True,
            ),
        )
