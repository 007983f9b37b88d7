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
on the phone re-prompts `max_retries` times, then says goodbye with 999 and Samaritans;
pressing keys or talking never ends a call. What people type or say is read by
`ivr.understanding` (danger first, then under 18, then the rest); anything not understood
gets a sentence (an automated line; Samaritans) and then the choices open here, never a
bare list. A key or number answers only what the reply just given offers.

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

from ivr import gsm7, pages, understanding
from ivr.errors import StateError
from ivr.matching import as_key, normalise
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
from ivr.understanding import PERSON

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
    retries: int = 0  # silences in a row at this point (voice)
    also: str = ""  # a node offered beside this reply ("You also said..."), by its own key
    at: int = 0  # unix time of the last turn, for the SMS idle limit

    def dumps(self) -> str:
        fields = (self.channel, self.script, self.node, self.step, self.retries, self.also, self.at)
        return ".".join((STATE_VERSION, *map(str, fields)))

    @classmethod
    def loads(cls, text: str) -> State:
        parts = text.split(".") if isinstance(text, str) else []
        if len(parts) != 8 or parts[0] != STATE_VERSION:
            raise StateError("This is not a conversation state this version can read.")
        _, channel, script, node, step, retries, also, at = parts
        if channel not in CHANNELS:
            raise StateError("The state names an unknown channel.")
        if not (_ID.match(script) and _ID.match(node) and (also == "" or _ID.match(also))):
            raise StateError("The state names a script or node with an impossible id.")
        numbers = []
        for value, limit in ((step, 10_000), (retries, 100), (at, 10**11)):
            if not (value.isascii() and value.isdigit()) or int(value) > limit:
                raise StateError("The state has a counter out of range.")
            numbers.append(int(value))
        return cls(channel, script, node, numbers[0], numbers[1], also, numbers[2])


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


# -- starting and advancing -------------------------------------------------------------


def start(
    script: Script,
    channel: str,
    now: datetime,
    *,
    event: str = "start",
    media: bool = False,
    offers: Offers | None = None,
    given: Input | None = None,
    reading: understanding.Reading | None = None,
) -> Reply:
    """The opening: the immediate-danger line first, then on the phone the danger key
    ("press 9, at any time"), the welcome, then the main menu.

    A first text (`given`) is read: one that means something gets that answer straight
    away, after the discreet first line and the 999 line; one that means nothing gets
    the welcome."""
    offers = offers or Offers(now)
    stamp = _stamp(now)
    prefix = []
    if channel == SMS:
        prefix.append(script.phrase("first_line", SMS))  # discreet on a lock screen
        if media:
            prefix.append(script.phrase("media", SMS))
    if reading is None:
        reading = _read(script, channel, given, script.main.id)
    top = reading.top
    if top is not None and top.kind == GO and top.target in script.nodes:
        if top.target != script.roles["danger"]:  # the danger answer leads with 999 itself
            prefix.append(script.phrase("danger_line", channel))
        target = script.nodes[top.target]
        reply = _answer(script, channel, target, reading, stamp, event, prefix, offers)
        if media and channel == SMS and gsm7.septets(reply.text) > REPLY_SEPTETS:
            # The picture note is the one thing a first answer can do without.
            prefix.remove(script.phrase("media", SMS))
            reply = _answer(script, channel, target, reading, stamp, event, prefix, offers)
        return reply
    prefix.append(script.phrase("danger_line", channel))
    if channel == VOICE:
        prefix.append(_danger_first_words(script))
    if top is not None and top.kind == PERSON:
        prefix.append(_person(script, channel))
    prefix.append(script.phrase("welcome", channel))
    return _show(script, channel, script.main, 0, stamp, event, tuple(prefix), offers)


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
    again = {"media": given.media, "offers": offers, "given": given}
    if state.script != script.id or node is None or (state.also and state.also not in script.nodes):
        return start(script, channel, now, event="restart", **again)
    stamp = _stamp(now)
    if idle_limit is not None and state.at and stamp - state.at > idle_limit.total_seconds():
        return start(script, channel, now, event="expired", **again)
    step = min(state.step, _count(script, channel, node) - 1)
    if step != state.step:
        state = replace(state, step=step)
    screen = _screen(script, channel, node, step, offers)
    if given.kind == SILENCE and channel == VOICE:
        return _retry(script, state, screen, stamp, offers)
    if given.kind == RESUME:
        return _resume(script, state, node, given, stamp, offers)
    prefix = (script.phrase("media", SMS),) if given.media and channel == SMS else ()
    key = given.value if given.kind == PRESSED else as_key(given.value)
    if key:
        # A key answers only what the reply just given offers: never an older menu.
        choice = next((c for c in _keyed(script, state, screen, offers) if c.key == key), None)
        if choice is None:
            sorry = script.phrase("wrong_input" if channel == VOICE else "not_understood", channel)
            return _again(script, state, screen, stamp, (*prefix, sorry), offers)
        return _act(script, state, screen, choice, stamp, prefix, offers)
    reading = _read(script, channel, given, node.id)
    top = reading.top
    if top is not None and top.kind == GO and top.target in script.nodes:
        target = script.nodes[top.target]
        return _answer(script, channel, target, reading, stamp, "chose", prefix, offers)
    if top is not None and top.kind == PERSON:
        said = (*prefix, _person(script, channel))
        menu = _person_menu(script, state, offers)
        if menu is not None:  # a line is open: offer to put them through
            return _show(script, channel, menu, 0, stamp, "person", said, offers)
        return _again(script, state, screen, stamp, said, offers, "person")
    # Next, repeat, a call or a text: only as this point offers them.
    choice = next((c for c in screen.open if top is not None and _means(c, top)), None)
    if choice is not None:
        return _act(script, state, screen, choice, stamp, prefix, offers)
    if top is not None and top.kind == understanding.NEXT:
        said = (*prefix, script.phrase("no_more", channel))
        return _again(script, state, screen, stamp, said, offers, "no-more")
    if top is not None and top.kind == REPEAT:
        return _show(script, channel, node, step, stamp, "repeat", prefix, offers)
    said = (*prefix, script.phrase("not_understood", channel))
    return _again(script, state, screen, stamp, said, offers)


def _act(
    script: Script,
    state: State,
    screen: _Screen,
    choice: Choice,
    stamp: int,
    prefix: tuple[str, ...],
    offers: Offers,
) -> Reply:
    """Do what a chosen key, keyword or control says."""
    channel = state.channel
    node = script.nodes[state.node]
    step = state.step
    if choice.action == REPEAT:
        return _show(script, channel, node, step, stamp, "repeat", prefix, offers)
    if choice.action == NEXT:
        if step + 1 < screen.count:
            return _carry(script, state, node, step + 1, stamp, prefix, offers)
        then = script.nodes[node.next]
        return _carry(script, state, then, 0, stamp, prefix, offers)
    if choice.action in (DIAL, TRANSFER, SEND_TEXT):
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
    return _show(script, channel, target, 0, stamp, "chose", prefix, offers)


def _means(choice: Choice, meaning: understanding.Meaning) -> bool:
    """Whether an open choice is what a message meant (for choices other than GO)."""
    if choice.action in (DIAL, TRANSFER, TEXT_ME):
        return meaning.kind == choice.action and meaning.target == choice.target
    return choice.action == meaning.kind


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
    return _show(script, VOICE, then, 0, _stamp(now), f"text-{outcome}", (said,), offers)


def _resume(
    script: Script, state: State, node: Node, given: Input, stamp: int, offers: Offers
) -> Reply:
    """Back from a <Dial>. Answered: a short goodbye. Anything else: words, then the
    menu again; never silence, never a hang-up."""
    transfer = script.transfers.get(given.via)
    step = state.step
    if transfer is None:  # a plain dial:, or a URL from before a script change
        return _show(script, state.channel, node, step, stamp, "resume", (), offers)
    if given.value in ANSWERED:
        goodbye = _finish(script, VOICE, (_words(transfer.completed, VOICE),))
        return Reply(state, goodbye, (), ends=True, event="transfer-completed")
    prefix = (_words(transfer.unanswered, VOICE),)
    return _show(script, VOICE, node, step, stamp, "transfer-unanswered", prefix, offers)


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
    prefix: tuple[str, ...] = (),
    offers: Offers = CLOSED,
    extra: tuple[str, ...] = (),
    also: str = "",
) -> Reply:
    """A node at a step or page, after `prefix`, with `extra` before its choices."""
    screen = _screen(script, channel, node, step, offers)
    state = State(channel, script.id, node.id, step, 0, also, stamp)
    paragraphs = (*prefix, *screen.paragraphs, *extra, *screen.listing)
    open_ = screen.open + tuple(_also_choice(script, state, screen))
    return Reply(state, _finish(script, channel, paragraphs), open_, event=event)


def _answer(
    script: Script,
    channel: str,
    target: Node,
    reading: understanding.Reading,
    stamp: int,
    event: str,
    prefix,
    offers: Offers = CLOSED,
) -> Reply:
    """The answer to what a message meant, with Childline beside Samaritans for a child
    in danger, and an offer of the second need it named.

    By SMS the offer is left out when it would take the reply past four segments: the
    answer itself, and Samaritans in it, must never move behind NEXT."""
    extra = []
    if target.id == script.roles["danger"] and reading.child:
        extra.append(script.phrase("child_in_danger", channel))
    also = reading.also
    offer = _offer(script, channel, target, also.target, offers) if also else None
    if offer:
        extra.append(offer)
    also_id = also.target if offer and channel == VOICE else ""
    shown = (script, channel, target, 0, stamp, event, tuple(prefix), offers)
    reply = _show(*shown, tuple(extra), also_id)
    if offer and channel == SMS and gsm7.septets(reply.text) > REPLY_SEPTETS:
        reply = _show(*shown, tuple(extra[:-1]), also.target)  # offered with the next part
    return reply


def _carry(
    script: Script, state: State, node: Node, step: int, stamp: int, prefix, offers: Offers
) -> Reply:
    """The next part. By SMS an offer that did not fit beside an answer ("You also
    said...") comes with it, or with the part after if it still does not fit."""
    channel = state.channel
    offer = None
    if channel == SMS and state.also:
        offer = _offer(script, SMS, node, state.also, offers)
    if offer is None:
        return _show(script, channel, node, step, stamp, "next", prefix, offers)
    reply = _show(script, SMS, node, step, stamp, "next", prefix, offers, (offer,))
    if gsm7.septets(reply.text) > REPLY_SEPTETS:
        reply = _show(script, SMS, node, step, stamp, "next", prefix, offers, (), state.also)
    return reply


def _offer(script: Script, channel: str, here: Node, target: str, offers: Offers) -> str | None:
    """ "You also said...": the other need, with a key (phone) or keyword (SMS) for it."""
    option = _option_to(script, target)
    if option is None:
        return None
    template = script.phrase("also", channel)
    if channel == SMS:
        return template.format(label=option.label.sms, key="", keyword=option.keyword)
    key = _key_for(_screen(script, VOICE, here, 0, offers), target)
    if key is None:
        return None
    names = script.voice.key_names
    offer = template.format(label=option.label.voice, key=names.get(key, key), keyword="")
    return re.sub(r"(^|[.!?] )([a-z])", lambda m: m.group(1) + m.group(2).upper(), offer)


def _option_to(script: Script, target: str) -> Option | None:
    """The option that leads to `target`: on the main menu if there is one, else anywhere."""
    everywhere = [*script.main.options, *script.globals]
    everywhere += [o for n in script.nodes.values() for o in _every_option(n)]
    return next((o for o in everywhere if o.action == GO and o.target == target), None)


def _key_for(screen: _Screen, target: str) -> str | None:
    """The key for `target` at a screen: its own if it has one, else the first free digit."""
    for choice in screen.open:
        if choice.action == GO and choice.target == target and choice.key:
            return choice.key
    used = {c.key for c in screen.open}
    return next((k for k in "12345678" if k not in used), None)


def _also_choice(script: Script, state: State, screen: _Screen) -> list[Choice]:
    """The key offered beside a reply ("You also said... press 3"), while it stands."""
    if not state.also or state.channel != VOICE or state.also not in script.nodes:
        return []
    key = _key_for(screen, state.also)
    if key is None or any(c.key == key for c in screen.open):
        return []
    option = _option_to(script, state.also)
    return [Choice(GO, state.also, key, option.keyword if option else "", "", ())]


def _keyed(script: Script, state: State, screen: _Screen, offers: Offers) -> list[Choice]:
    return [*screen.open, *_also_choice(script, state, screen)]


def _read(script: Script, channel: str, given: Input | None, here: str) -> understanding.Reading:
    if given is None or given.kind not in (TYPED, SAID) or not given.value:
        return understanding.NOTHING
    return understanding.for_script(script, channel).read(given.value, here)


def _person_menu(script: Script, state: State, offers: Offers) -> Node | None:
    """Where a caller who asks for a person is offered a transfer: a transfer's
    `person_menu`, on the phone, while that line is open, and never an adults-only line
    to someone on the under-18 node."""
    if state.channel != VOICE:
        return None
    for transfer in script.transfers.values():
        if transfer.person_menu not in script.nodes or not offers.is_open(transfer):
            continue
        if transfer.adults_only and state.node == script.roles.get("under_18"):
            continue
        return script.nodes[transfer.person_menu]
    return None


def _person(script: Script, channel: str) -> str:
    """Asked for a person ("are you a real person?"): this is an automated line, and where
    to find someone to talk to. Where a script can put a caller through while a helpline
    is open, this is the place to offer that transfer too."""
    return script.phrase("automated", channel)


def _retry(script: Script, state: State, screen: _Screen, stamp: int, offers: Offers) -> Reply:
    """Voice silence: the choices again, or goodbye after too many silences in a row."""
    retries = state.retries + 1
    state = replace(state, retries=retries, at=stamp)
    if retries > script.max_retries:
        goodbye = _finish(script, VOICE, (script.phrase("goodbye", VOICE),))
        return Reply(state, goodbye, (), ends=True, event="goodbye")
    paragraphs = (script.phrase("no_input", VOICE), *screen.listing)
    open_ = screen.open + tuple(_also_choice(script, state, screen))
    return Reply(state, _finish(script, VOICE, paragraphs), open_, event="silence")


def _again(
    script: Script,
    state: State,
    screen: _Screen,
    stamp: int,
    said: tuple[str, ...],
    offers: Offers = CLOSED,
    event: str | None = None,
) -> Reply:
    """Stay here: say `said` (a sentence, never nothing: "sorry, this is an automated
    line...") and then the choices open here, never a bare list. Speaking or pressing
    keys never counts towards ending a call: only silence does."""
    channel = state.channel
    state = replace(state, retries=0, at=stamp)
    paragraphs = _finish(script, channel, (*said, *screen.listing))
    open_ = screen.open + tuple(_also_choice(script, state, screen))
    event = event or ("wrong" if channel == VOICE else "unknown")
    return Reply(state, paragraphs, open_, event=event)


def _finish(script: Script, channel: str, parts) -> tuple[str, ...]:
    """Split into paragraphs and make them ready for the channel: spoken forms on the
    phone, plain GSM-7 characters by SMS. Every part is words of the script, so each is
    finished once and remembered."""
    key = ("finish", channel, tuple(parts))
    memo = _memo(script)
    finished = memo.get(key)
    if finished is None:
        paragraphs = [p for part in parts for p in Text.paragraphs(part)]
        if channel == VOICE:
            finished = tuple(speak(p, script.pronounce) for p in paragraphs)
        else:
            finished = tuple(gsm7.plain(p) for p in paragraphs)
        _remember(script, key, finished)
    return finished


# -- worked out once per script ---------------------------------------------------------

# Everything above that depends only on the script (a node's screens, finished words,
# choices) is worked out once and remembered here, per script: the linter's walk over
# every reply fills it at load, so a turn only matches its input and fills in its state.
# The keys are positions in the script (and which hand-offs are open), so the memo is
# bounded by the script's size; MEMO_LIMIT is a second guard.
MEMO_LIMIT = 500_000


@lru_cache(maxsize=64)  # one per loaded script, kept as long as the script is served
def _memo(script: Script) -> dict:
    return {}


def _remember(script: Script, key: tuple, value) -> None:
    memo = _memo(script)
    if len(memo) < MEMO_LIMIT:
        memo[key] = value


def forget(script: Script) -> None:
    """Drop what was worked out for `script`: the next turns build everything afresh
    (for tests that compare remembered replies with fresh ones)."""
    _memo(script).clear()


def _offer_key(script: Script, offers: Offers) -> tuple:
    """What of `offers` can change a reply: which hand-offs can be offered now. A turn
    asks several times with the same Offers, so the last answer is kept (by identity)."""
    global _last_offer_key
    last = _last_offer_key
    if last[0] is offers and last[1] is script:
        return last[2]
    if not script.transfers:
        key = (offers.texting, offers.dialling)
    else:
        opens = tuple(offers.is_open(t) for t in script.transfers.values())
        key = (offers.texting, offers.dialling, *opens)
    _last_offer_key = (offers, script, key)  # one tuple, swapped whole: safe across threads
    return key


_last_offer_key: tuple = (None, None, ())


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
    key = ("options", channel, node.id, step, _offer_key(script, offers))
    found = _memo(script).get(key)
    if found is None:
        options = node.options if step is None else node.options_at(step)
        found = tuple(
            _choice(o, channel)
            for o in options
            if channel in o.channels and _offered(script, o, offers)
        )
        _remember(script, key, found)
    return list(found)


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
    key = ("top", channel, _offer_key(script, offers))
    found = _memo(script).get(key)
    if found is None:
        menus = _top_menus(script)
        found = tuple(c for node in menus for c in _options(script, channel, node, offers))
        _remember(script, key, found)
    return list(found)


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
    key = ("next", channel, last)
    found = _memo(script).get(key)
    if found is None:
        control = script.next_control
        label = (control.last_label if last else control.label).on(channel)
        # By SMS a continuing part offers "1 - for more (NEXT)", as the phone does; the last
        # part leads on by the word alone, as its number belongs to no list shown.
        pressed = control.key if channel == VOICE or not last else None
        words = tuple(normalise(w) for w in control.words)
        found = Choice(NEXT, None, pressed, control.keyword, label, words)
        _remember(script, key, found)
    return found


def _count(script: Script, channel: str, node: Node) -> int:
    if channel == SMS:
        key = ("count", node.id)
        found = _memo(script).get(key)
        if found is None:
            found = len(sms_pages(script, node))
            _remember(script, key, found)
        return found
    return len(node.steps) if node.kind == STEPS else 1


def _screen(script: Script, channel: str, node: Node, step: int, offers: Offers) -> _Screen:
    key = ("screen", channel, node.id, step, _offer_key(script, offers))
    screen = _memo(script).get(key)
    if screen is None:
        if channel == VOICE:
            screen = _voice_screen(script, node, step, offers)
        else:
            screen = _sms_screen(script, node, step)
        _remember(script, key, screen)
    return screen


def _voice_screen(script: Script, node: Node, step: int, offers: Offers) -> _Screen:
    intro = _paragraphs(node.text, VOICE)
    if node.kind == MENU:
        open_ = (*_options(script, VOICE, node, offers), *_globals(script, VOICE))
        notes = _closed_notes(script, node.options, offers)
        return _Screen(intro, _listing(script, VOICE, node, open_, notes), open_, 1)
    total = len(node.steps)
    last = step == total - 1
    paragraphs = (*(intro if step == 0 else ()), *_step(script, node, VOICE, step))
    own = _options(script, VOICE, node, offers, step)
    open_ = (_next(script, VOICE, last), *own, *_globals(script, VOICE))
    notes = _closed_notes(script, node.options_at(step), offers)
    return _Screen(paragraphs, _listing(script, VOICE, node, open_, notes), open_, total)


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
    return _Screen(pages[page], _listing(script, SMS, node, listed), open_, len(pages))


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
    choices: what is said in place of a line that is closed now. A menu's `quiet` global
    keys are not said there, and still work."""
    choices = [c for c in choices if not (c.always and c.action == GO and c.target == node.id)]
    if channel == VOICE:
        at_main = node.id == script.main.id
        own = [c for c in choices if not c.always]
        always = [
            c
            for c in choices
            if c.always and (at_main or not c.main_only) and c.key not in node.quiet
        ]
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
    key = ("danger_first",)
    words = _memo(script).get(key)
    if words is None:
        found = danger_first(script)
        words = found[1] if found else ""
        _remember(script, key, words)
    return words


def danger_first(script: Script) -> tuple[Choice, str] | None:
    """The danger choice and the spoken sentence that announces it first on the phone
    (the `danger_first` phrase), or None when the script has no such sentence."""
    key = ("danger_first_choice",)
    memo = _memo(script)
    if key not in memo:
        _remember(script, key, _find_danger_first(script))
    return memo.get(key)


def _find_danger_first(script: Script) -> tuple[Choice, str] | None:
    if not script.phrase("danger_first", VOICE):
        return None
    danger = script.roles.get("danger")
    for choice in (*_globals(script, VOICE), *_options(script, VOICE, script.main)):
        if choice.key and choice.action == GO and choice.target == danger:
            return choice, speak(_say_choice(script, choice, "danger_first"), script.pronounce)
    return None


def announcement(script: Script, choice: Choice) -> str:
    """The spoken sentence that announces a choice in a menu, as a caller hears it."""
    key = ("announcement", choice)
    found = _memo(script).get(key)
    if found is None:
        found = speak(_say_choice(script, choice), script.pronounce)
        _remember(script, key, found)
    return found


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
                yield where, _show(script, channel, node, step, stamp, "chose")
                media = (script.phrase("media", SMS),)
                yield (
                    f"{where} after a picture",
                    _show(script, channel, node, step, stamp, "chose", media),
                )
                state = State(SMS, script.id, node.id, step)
                screen = _screen(script, SMS, node, step, CLOSED)
                for phrase in ("not_understood", "automated", "no_more"):
                    said = (*media, script.phrase(phrase, SMS))
                    yield f"{where}, saying {phrase}", _again(script, state, screen, stamp, said)
                continue
            for when, offers in variants:
                if when and not _changes_when_closed(script, node, step):
                    continue
                yield (
                    f"{where}{when}",
                    _show(script, VOICE, node, step, stamp, "chose", (), offers),
                )
                state = State(VOICE, script.id, node.id, step)
                screen = _screen(script, VOICE, node, step, offers)
                for phrase in ("wrong_input", "not_understood", "automated", "no_more"):
                    said = (script.phrase(phrase, VOICE),)
                    yield (
                        f"{where}{when}, saying {phrase}",
                        _again(script, state, screen, stamp, said, offers),
                    )
    yield from _understood_replies(script, channel, stamp, now)
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


def _understood_replies(
    script: Script, channel: str, stamp: int, now: datetime
) -> Iterator[tuple[str, Reply]]:
    """A first text that means each node (SMS), and a child in danger who also names the
    under-18 need: the longest answers understanding can give."""
    targets = dict.fromkeys(
        o.target
        for o in (*script.globals, *(o for n in script.nodes.values() for o in _every_option(n)))
        if o.action == GO
    )
    danger, young = script.roles["danger"], script.roles.get("under_18")
    if channel == SMS:
        for target in targets:
            if target in script.nodes and target != script.main.id:
                reading = understanding.Reading((understanding.Meaning(GO, target),))
                reply = start(script, SMS, now, media=True, offers=CLOSED, reading=reading)
                yield f"the opening, answering a first text meaning '{target}'", reply
    if young in script.nodes:
        meanings = (understanding.Meaning(GO, danger), understanding.Meaning(GO, young, 1))
        reading = understanding.Reading(meanings, danger=True, child=True)
        if channel == SMS:
            reply = start(script, SMS, now, media=True, offers=CLOSED, reading=reading)
        else:
            reply = _answer(script, channel, script.nodes[danger], reading, stamp, "chose", ())
        what = "the opening, answering" if channel == SMS else "the answer to"
        yield f"{what} a first text from a child in danger", reply


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
