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

Hand-offs (voice only) depend on the moment, given as `Offers`: a transfer is offered
only while its line is open (its `closed` words are said in its place otherwise), and
"text me" only where texts can be sent. A transfer's reply carries `transfer` for the
channel to <Dial>; the call comes back as RESUME with Twilio's DialCallStatus. A
send_text choice's reply carries `send_text`; the web layer sends (or not) and asks
`after_text` what the caller hears.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from ivr import gsm7, pages
from ivr.errors import StateError
from ivr.matching import as_key, contains, normalise
from ivr.script import (
    ANNOUNCE_MAIN,
    CHANNELS,
    DIAL,
    GO,
    MENU,
    REPEAT,
    SEND_TEXT,
    SMS,
    STEPS,
    TEXT_ME,
    TRANSFER,
    VOICE,
    Node,
    Option,
    Script,
    Text,
    Transfer,
)
from ivr.spoken import speak

NEXT = "next"  # the action of the NextControl

# Kinds of Input. RESUME: the call came back from a <Dial>, so say where it was again.
PRESSED, TYPED, SAID, SILENCE, RESUME = "pressed", "typed", "said", "silence", "resume"
# Twilio's DialCallStatus values meaning someone answered; any other (busy, no-answer,
# failed, canceled, or one added later) means the caller is still waiting for help.
ANSWERED = ("completed", "answered")

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
            if not (value.isascii() and value.isdigit()) or int(value) > limit:
                raise StateError("The state has a counter out of range.")
            numbers.append(int(value))
        return cls(channel, script, node, numbers[0], numbers[1], menu, numbers[2])


@dataclass(frozen=True, slots=True)
class Input:
    """What came in: a key press, a text, recognised speech, or nothing at all."""

    kind: str
    value: str = ""  # for RESUME, Twilio's DialCallStatus
    media: bool = False  # an SMS carried a picture or file (never looked at)
    via: str = ""  # for RESUME, the id of the transfer that was dialled


def pressed(digits: str) -> Input:
    return Input(PRESSED, digits)


def typed(text: str, media: bool = False) -> Input:
    return Input(TYPED, text, media)


def said(speech: str) -> Input:
    return Input(SAID, speech)


SILENT = Input(SILENCE)
RESUMED = Input(RESUME)


def dialled(status: str, via: str = "") -> Input:
    """The call came back from a <Dial>: how it ended, and which transfer it was."""
    return Input(RESUME, status.strip().lower(), via=via)


@dataclass(frozen=True, slots=True)
class Offers:
    """What can be offered at this moment beyond the script's fixed choices (voice only).

    `now` decides which transfers are open. `texting`: texts can be sent from here.
    `dialling`: a transfer can show the helpline's own number to the person answering
    (never the caller's), so it may be offered. `all_open` treats every line as open,
    for the linter to hear every variant."""

    now: datetime | None = None
    texting: bool = False
    dialling: bool = True
    all_open: bool = False

    def is_open(self, transfer: Transfer) -> bool:
        if not self.dialling:
            return False
        return self.all_open or (self.now is not None and transfer.hours.is_open(self.now))


CLOSED = Offers()  # nothing is open and no text can be sent


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
    main_only: bool = False  # a global announced on the phone only on the main menu


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say or text next, which choices are open, and whether the call ends."""

    state: State
    paragraphs: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    ends: bool = False
    dial: str | None = None
    event: str = ""  # what happened, for logs: start, chose, next, wrong, silence, ...
    transfer: Transfer | None = None  # put the call through to this line now
    send_text: bool = False  # the caller confirmed: send them the script's text now

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
    script: Script,
    channel: str,
    now: datetime,
    *,
    event: str = "start",
    media: bool = False,
    offers: Offers | None = None,
) -> Reply:
    """The opening: the immediate-danger line first, then on the phone the danger key
    ("press 9, at any time"), the welcome, then the main menu."""
    offers = offers or Offers(now)
    prefix = []
    if channel == SMS:
        prefix.append(script.phrase("first_line", SMS))  # discreet on a lock screen
        if media:
            prefix.append(script.phrase("media", SMS))
    prefix.append(script.phrase("danger_line", channel))
    if channel == VOICE:
        prefix.append(_danger_first_words(script))
    prefix.append(script.phrase("welcome", channel))
    return _show(script, channel, script.main, 0, _stamp(now), event, "", tuple(prefix), offers)


def advance(
    script: Script,
    state: State,
    given: Input,
    now: datetime,
    idle_limit: timedelta | None = None,
    offers: Offers | None = None,
) -> Reply:
    """Move a conversation on by one input. Never raises for anything a person sends."""
    offers = offers or Offers(now)
    channel = state.channel
    node = script.nodes.get(state.node)
    if state.script != script.id or node is None or (state.menu and state.menu not in script.nodes):
        return start(script, channel, now, event="restart", media=given.media, offers=offers)
    stamp = _stamp(now)
    if idle_limit is not None and state.at and stamp - state.at > idle_limit.total_seconds():
        return start(script, channel, now, event="expired", media=given.media, offers=offers)
    step = min(state.step, _count(script, channel, node) - 1)
    state = replace(state, step=step)
    screen = _screen(script, channel, node, step, offers)
    if given.kind == SILENCE and channel == VOICE:
        return _retry(script, state, screen, "silence", stamp)
    if given.kind == RESUME:
        return _resume(script, state, node, given, stamp, offers)
    choice = _pick(script, state, screen, given, offers)
    prefix = (script.phrase("media", SMS),) if given.media and channel == SMS else ()
    if choice is None:
        if channel == SMS:
            return _menu_again(script, state, stamp, prefix)
        return _retry(script, state, screen, "wrong", stamp)
    menu = state.menu
    if choice.action == REPEAT:
        return _show(script, channel, node, step, stamp, "repeat", menu, prefix, offers)
    if choice.action == NEXT:
        if step + 1 < screen.count:
            return _show(script, channel, node, step + 1, stamp, "next", menu, prefix, offers)
        then = script.nodes[node.next]
        return _show(script, channel, then, 0, stamp, "next", menu, prefix, offers)
    held = replace(state, retries=0, at=stamp)
    if choice.action == DIAL:
        return Reply(held, (), screen.open, dial=choice.target, event="dial")
    if choice.action == TRANSFER:
        transfer = script.transfers[choice.target]
        words = _finish(script, VOICE, (_words(transfer.connecting, VOICE),))
        return Reply(held, words, (), dial=transfer.number, event="transfer", transfer=transfer)
    if choice.action == SEND_TEXT:
        return Reply(held, (), screen.open, event="send_text", send_text=True)
    target = script.nodes[choice.target]
    return _show(script, channel, target, 0, stamp, "chose", menu, prefix, offers)


def after_text(
    script: Script, state: State, outcome: str, now: datetime, offers: Offers | None = None
) -> Reply:
    """What a caller hears after asking for the text: how it went (one of TEXT_OUTCOMES),
    then the script's `text_me.then` menu, so the call always goes on."""
    offers = offers or Offers(now)
    text_me = script.text_me
    if text_me is None or state.script != script.id:
        return start(script, VOICE, now, event="restart", offers=offers)
    said = _words(text_me.outcomes.get(outcome), VOICE)
    then = script.nodes[text_me.then]
    return _show(script, VOICE, then, 0, _stamp(now), f"text-{outcome}", "", (said,), offers)


def _resume(
    script: Script, state: State, node: Node, given: Input, stamp: int, offers: Offers
) -> Reply:
    """Back from a <Dial>. Answered: a short goodbye. Anything else: words, then the
    menu again; never silence, never a hang-up."""
    transfer = script.transfers.get(given.via)
    step, menu = state.step, state.menu
    if transfer is None:  # a plain dial:, or a URL from before a script change
        return _show(script, state.channel, node, step, stamp, "resume", menu, (), offers)
    if given.value in ANSWERED:
        goodbye = _finish(script, VOICE, (_words(transfer.completed, VOICE),))
        return Reply(state, goodbye, (), ends=True, event="transfer-completed")
    prefix = (_words(transfer.unanswered, VOICE),)
    return _show(script, VOICE, node, step, stamp, "transfer-unanswered", menu, prefix, offers)


def _words(text: Text | None, channel: str) -> str:
    return text.on(channel) if text is not None else ""


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
    offers: Offers = CLOSED,
) -> Reply:
    screen = _screen(script, channel, node, step, offers)
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
    listing = _screen(script, SMS, menu, _count(script, SMS, menu) - 1, CLOSED).listing
    state = replace(state, menu=menu.id, at=stamp)
    open_here = _screen(script, SMS, script.nodes[state.node], state.step, CLOSED).open
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


def _pick(
    script: Script, state: State, screen: _Screen, given: Input, offers: Offers
) -> Choice | None:
    channel = state.channel
    numbered = _options(script, channel, script.nodes[state.menu], offers) if state.menu else []
    key = given.value if given.kind == PRESSED else as_key(given.value)
    if key:
        # On the phone a key answers what is being read now; by SMS a number answers the
        # last menu shown, and the global keys work everywhere.
        keyed = [*screen.open, *numbered] if channel == SMS else list(screen.open)
        return next((c for c in keyed if c.key == key), None)
    heard = normalise(given.value)
    if not heard:
        return None
    # Words work from anywhere: what is open here, the last menu, then the menus within
    # two levels of the main menu, nearest first.
    pool = [*screen.open, *numbered, *top_options(script, channel, offers)]
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
    """The node's own choices that can be offered now (a steps node's, at `step`)."""
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
    return [c for node in _top_menus(script) for c in _options(script, channel, node, offers)]


@lru_cache(maxsize=64)
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


def _screen(script: Script, channel: str, node: Node, step: int, offers: Offers) -> _Screen:
    if channel == VOICE:
        return _voice_screen(script, node, step, offers)
    return _sms_screen(script, node, step)


def _voice_screen(script: Script, node: Node, step: int, offers: Offers) -> _Screen:
    intro = _paragraphs(node.text, VOICE)
    if node.kind == MENU:
        open_ = (*_options(script, VOICE, node, offers), *_globals(script, VOICE))
        notes = _closed_notes(script, node.options, offers)
        return _Screen(intro, _listing(script, VOICE, node, open_, notes), open_, 1, True)
    total = len(node.steps)
    last = step == total - 1
    paragraphs = (*(intro if step == 0 else ()), *_step(script, node, VOICE, step))
    own = _options(script, VOICE, node, offers, step)
    open_ = (_next(script, VOICE, last), *own, *_globals(script, VOICE))
    notes = _closed_notes(script, node.options_at(step), offers)
    return _Screen(paragraphs, _listing(script, VOICE, node, open_, notes), open_, total, False)


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
        counter = template.format(number=step + 1, total=len(node.steps))
        body[:1] = [f"{counter} {body[0]}" if body else counter]  # a step may be empty here
    return body


def _paragraphs(text: Text | None, channel: str) -> tuple[str, ...]:
    return Text.paragraphs(text.on(channel)) if text is not None else ()


def _listing(
    script: Script, channel: str, node: Node, choices, notes: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The choices as words. On the phone: this point's own choices, then (after a pause)
    the ones that are always open, so each part stays short. By SMS: one block of lines.

    A global choice that leads to this very node ("main menu" on the main menu, "danger"
    at the danger node) is not listed, but it stays open: pressing 9 at the danger node
    must never be "not one of the choices". `notes` (voice) follow this point's own
    choices: what is said in place of a line that is closed now."""
    choices = [c for c in choices if not (c.always and c.action == GO and c.target == node.id)]
    if channel == VOICE:
        at_main = node.id == script.main.id
        own = [c for c in choices if not c.always]
        always = [c for c in choices if c.always and (at_main or not c.main_only)]
        sentences = [[_say_choice(script, c) for c in part] for part in (own, always)]
        sentences[0] += [_sentence(n) for n in notes]
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


def _say_choice(script: Script, choice: Choice, phrase: str = "choice") -> str:
    names = script.voice.key_names
    template = script.phrase(phrase, VOICE)
    key = names.get(choice.key, choice.key)
    return _sentence(template.format(label=choice.label, key=key, keyword=choice.keyword))


def _danger_first_words(script: Script) -> str:
    """The danger key, said straight after the danger line when the script asks for it."""
    found = danger_first(script)
    return found[1] if found else ""


def danger_first(script: Script) -> tuple[Choice, str] | None:
    """The danger choice and the spoken sentence that announces it first on the phone
    (the `danger_first` phrase), or None when the script has no such sentence."""
    if not script.phrase("danger_first", VOICE):
        return None
    danger = script.roles.get("danger")
    for choice in (*_globals(script, VOICE), *_options(script, VOICE, script.main)):
        if choice.key and choice.action == GO and choice.target == danger:
            return choice, speak(_say_choice(script, choice, "danger_first"), script.pronounce)
    return None


def announcement(script: Script, choice: Choice) -> str:
    """The spoken sentence that announces a choice in a menu, as a caller hears it."""
    return speak(_say_choice(script, choice), script.pronounce)


# -- SMS pages --------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def sms_pages(script: Script, node: Node) -> tuple[tuple[str, ...], ...]:
    """A node's SMS content, split into pages that each leave room for their choices
    (ivr.pages keeps line breaks, list items and step numbers across the cut)."""
    blocks: list[tuple[str, int | None]] = [(p, None) for p in _paragraphs(node.text, SMS)]
    for i in range(len(node.steps)):
        blocks += [(p, i + 1) for p in _step(script, node, SMS, i)]
    blocks = [(gsm7.plain(p), step) for p, step in blocks]
    more, final = _sms_endings(script, node)
    room = max(
        gsm7.septets(gsm7.plain(_listing(script, SMS, node, ending)[0])) for ending in (more, final)
    )
    media = gsm7.septets(gsm7.plain(script.phrase("media", SMS)))
    budget = min(PAGE_SEPTETS, REPLY_SEPTETS - room - media - 2 * len(SMS_GAP))
    continued = gsm7.plain(script.phrase("step_continued", SMS))
    return pages.pack(blocks, max(budget, gsm7.PER_SEGMENT), continued)


# -- everything a script can say, for the linter and tests ------------------------------


def every_reply(script: Script, channel: str) -> Iterator[tuple[str, Reply]]:
    """Each distinct reply the engine can produce on a channel, with a description.

    On the phone, each point is heard twice where hand-offs change it: with every line
    open and texts on, and with every line closed (its `closed` words said instead)."""
    stamp = 0
    now = datetime.fromtimestamp(stamp, UTC)
    variants = [("", CLOSED)]
    if channel == VOICE and (script.transfers or script.text_me):
        variants = [("", Offers(texting=True, all_open=True)), (" (lines closed)", CLOSED)]
    for when, offers in variants:
        yield f"the opening{when}", start(script, channel, now, offers=offers)
    if channel == SMS:
        yield "the opening after a picture", start(script, channel, now, media=True)
    for node in script.nodes.values():
        for step in range(_count(script, channel, node)):
            where = f"node '{node.id}'" + (
                f", {'step' if channel == VOICE else 'page'} {step + 1}" if step else ""
            )
            if channel == SMS:
                yield where, _show(script, channel, node, step, stamp, "chose", "")
                media = (script.phrase("media", SMS),)
                yield (
                    f"{where} after a picture",
                    _show(script, channel, node, step, stamp, "chose", "", media),
                )
                continue
            for when, offers in variants:
                if when and not _changes_when_closed(script, node, step):
                    continue
                yield (
                    f"{where}{when}",
                    _show(script, VOICE, node, step, stamp, "chose", "", (), offers),
                )
                state = State(VOICE, script.id, node.id, step)
                screen = _screen(script, VOICE, node, step, offers)
                yield (
                    f"{where}{when}, after a wrong key",
                    _retry(script, state, screen, "wrong", stamp),
                )
    if channel == SMS:  # a text not understood gets the last menu's choices again
        for node in script.nodes.values():
            if node.kind == MENU:
                state = State(SMS, script.id, node.id, 0, 0, node.id, stamp)
                yield f"node '{node.id}', its choices again", _menu_again(script, state, stamp, ())
    if channel == VOICE:
        yield (
            "the goodbye",
            Reply(
                State(VOICE, script.id, script.main.id),
                _finish(script, VOICE, (script.phrase("goodbye", VOICE),)),
                ends=True,
            ),
        )
        yield from _handoff_replies(script, stamp, now)


def _changes_when_closed(script: Script, node: Node, step: int) -> bool:
    options = node.options if node.kind == MENU else node.options_at(step)
    return any(o.action in (TRANSFER, TEXT_ME, SEND_TEXT) for o in options)


def _handoff_replies(script: Script, stamp: int, now: datetime) -> Iterator[tuple[str, Reply]]:
    """What is said around a transfer and after asking for a text."""
    open_ = Offers(texting=True, all_open=True)
    for transfer in script.transfers.values():
        if transfer.connecting is not None:
            yield (
                f"transfer '{transfer.id}', connecting",
                Reply(
                    State(VOICE, script.id, script.main.id),
                    _finish(script, VOICE, (transfer.connecting.voice,)),
                ),
            )
        for node in script.nodes.values():
            if any(o.transfer == transfer.id for o in _every_option(node)):
                state = State(VOICE, script.id, node.id)
                for status in ("no-answer", "completed"):
                    yield (
                        f"transfer '{transfer.id}' from node '{node.id}', {status}",
                        _resume(script, state, node, dialled(status, transfer.id), stamp, open_),
                    )
    if script.text_me is not None:
        state = State(VOICE, script.id, script.main.id)
        for outcome in script.text_me.outcomes:
            yield f"text_me {outcome}", after_text(script, state, outcome, now, open_)


def _every_option(node: Node) -> Iterator[Option]:
    yield from node.options
    for options in node.step_options:
        yield from options
