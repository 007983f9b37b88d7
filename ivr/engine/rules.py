"""The engine's decisions as tables: what is checked, in which order, leading where.

    TURN             what a turn leads to: its cases, checked top to bottom
    CHOSEN           what a chosen key, keyword or control does, by its action
    BACK_FROM_DIAL   what a caller hears back from a <Dial>

A Case names what it checks, `test(turn)` gives a match (a Choice, a Node, True) or
nothing, and `answer(turn, match)` gives the Reply; `route(table, turn)` answers with
the first case that matches (ivr.engine.routing, with the Turn the cases look at). The
order of a table is the rule: a crisis word reaches danger before a key is wrong, a key
is read before words are, words mean a node before they mean a control. The last case
of each table matches everything, so every turn has an answer. `turn.path` names the
cases taken, for the table that tests them all (tests/test_engine_rules.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ivr import understanding
from ivr.engine.first_reply import person, start, words_of
from ivr.engine.replies import answer, carry, keyed, retry, show, stay
from ivr.engine.routing import Case, Turn, route
from ivr.engine.state import ANSWERED, NEXT, Choice, InputKind, Reply, State
from ivr.engine.words import finish
from ivr.outcomes import Outcome
from ivr.script import (
    DIAL,
    GO,
    REPEAT,
    SEND_TEXT,
    TEXT_ME,
    TRANSFER,
    VOICE,
    Node,
)


def _always(turn: Turn) -> bool:
    return True


# -- TURN: what a turn leads to ---------------------------------------------------------


def _stale(turn: Turn) -> bool:
    """A state from another script, or naming a node (or an offered node) it no longer
    has: a URL from before a script change."""
    state, script = turn.carried, turn.script
    return (
        state.script != script.id
        or turn.node is None
        or (bool(state.also) and state.also not in script.nodes)
    )


def _idle(turn: Turn) -> bool:
    limit, at = turn.idle_limit, turn.carried.at
    return limit is not None and bool(at) and turn.stamp - at > limit.total_seconds()


def _afresh(event: Outcome) -> Callable[[Turn, object], Reply]:
    def opening(turn: Turn, _match: object) -> Reply:
        given = turn.given
        return start(
            turn.script, turn.channel, turn.now, event=event, media=given.media,
            offers=turn.offers, given=given,
        )  # fmt: skip

    return opening


def _silent_call(turn: Turn) -> bool:
    return turn.given.kind == InputKind.SILENCE and turn.channel == VOICE


def _reprompt(turn: Turn, _match: object) -> Reply:
    return retry(turn.script, turn.state, turn.screen, turn.stamp, turn.offers)


def _resumed(turn: Turn) -> bool:
    return turn.given.kind == InputKind.RESUME


def _back_from_dial(turn: Turn, _match: object) -> Reply:
    return route(BACK_FROM_DIAL, turn)


def _offered_key(turn: Turn) -> Choice | None:
    """The choice a key names, among those the reply just given offers (never an older
    menu's); or the one a WhatsApp tap names, by what it does."""
    given = turn.given
    if given.kind == InputKind.TAPPED:
        action, target = given.via, given.value
        return next(
            (c for c in turn.screen.open if c.action == action and (c.target or "") == target),
            None,
        )
    key = turn.key
    if not key:
        return None
    offered = keyed(turn.script, turn.state, turn.screen, turn.offers)
    return next((c for c in offered if c.key == key), None)


def _tapped_before(turn: Turn) -> Node | None:
    """A tap on an older message's choice that leads to a node: it goes where its label
    said, though this point no longer lists it."""
    given = turn.given
    if given.kind == InputKind.TAPPED and given.via == GO:
        return turn.script.nodes.get(given.value)
    return None


def _go_to(turn: Turn, target: Node) -> Reply:
    return show(turn.script, turn.channel, target, 0, turn.stamp, Outcome.CHOSE, turn.prefix,
                turn.offers)  # fmt: skip


def _do(turn: Turn, choice: Choice) -> Reply:
    turn.choice = choice
    return route(CHOSEN, turn)


def _a_key(turn: Turn) -> str:
    return turn.key


def _wrong_key(turn: Turn, _match: object) -> Reply:
    sorry = "wrong_input" if turn.channel == VOICE else "not_understood"
    said = (*turn.prefix, turn.script.phrase(sorry, turn.channel))
    return stay(turn.script, turn.state, turn.screen, turn.stamp, said, turn.offers)


def _means_a_node(turn: Turn) -> Node | None:
    top = turn.meaning
    if top is not None and top.kind == GO:
        return turn.script.nodes.get(top.target)
    return None


def _answer(turn: Turn, target: Node) -> Reply:
    script, channel = turn.script, turn.channel
    return answer(
        script, channel, target, turn.reading, turn.stamp, Outcome.CHOSE, turn.prefix,
        turn.offers,
    )  # fmt: skip


def _asks_for_a_person(turn: Turn) -> bool:
    top = turn.meaning
    return top is not None and top.kind == understanding.PERSON


def _person_menu(turn: Turn) -> Node | None:
    """Where a caller who asks for a person is offered a transfer: a transfer's
    `person_menu`, on the phone, while that line is open, and never an adults-only line
    to someone on the under-18 node."""
    if not _asks_for_a_person(turn) or turn.channel != VOICE:
        return None
    script = turn.script
    for transfer in script.transfers.values():
        if transfer.person_menu not in script.nodes or not turn.offers.is_open(transfer):
            continue
        if transfer.adults_only and turn.state.node == script.roles.get("under_18"):
            continue
        return script.nodes[transfer.person_menu]
    return None


def _offer_a_person(turn: Turn, menu: Node) -> Reply:
    said = (*turn.prefix, person(turn.script, turn.channel))
    return show(turn.script, turn.channel, menu, 0, turn.stamp, Outcome.PERSON, said, turn.offers)


def _automated(turn: Turn, _match: object) -> Reply:
    said = (*turn.prefix, person(turn.script, turn.channel))
    state, screen = turn.state, turn.screen
    return stay(turn.script, state, screen, turn.stamp, said, turn.offers, Outcome.PERSON)


def _means_a_choice_here(turn: Turn) -> Choice | None:
    """Next, repeat, a call or a text: only as this point offers them."""
    top = turn.meaning
    if top is None:
        return None
    return next((c for c in turn.screen.open if _means(c, top)), None)


def _means(choice: Choice, meaning: understanding.Meaning) -> bool:
    """Whether an open choice is what a message meant (for choices other than GO)."""
    if choice.action in (DIAL, TRANSFER, TEXT_ME):
        return meaning.kind == choice.action and meaning.target == choice.target
    return choice.action == meaning.kind


def _means_next(turn: Turn) -> bool:
    top = turn.meaning
    return top is not None and top.kind == understanding.NEXT


def _no_more(turn: Turn, _match: object) -> Reply:
    said = (*turn.prefix, turn.script.phrase("no_more", turn.channel))
    state, screen = turn.state, turn.screen
    return stay(turn.script, state, screen, turn.stamp, said, turn.offers, Outcome.NO_MORE)


def _means_repeat(turn: Turn) -> bool:
    top = turn.meaning
    return top is not None and top.kind == REPEAT


def _again(turn: Turn, _match: object) -> Reply:
    state = turn.state
    return show(
        turn.script, turn.channel, turn.node, state.step, turn.stamp, Outcome.REPEAT,
        turn.prefix, turn.offers,
    )  # fmt: skip


def _not_understood(turn: Turn, _match: object) -> Reply:
    said = (*turn.prefix, turn.script.phrase("not_understood", turn.channel))
    return stay(turn.script, turn.state, turn.screen, turn.stamp, said, turn.offers)


# fmt: off
TURN = (  # checked top to bottom: the first case that matches answers
    #    name                   test                   answer                    leading to
    Case("stale state",         _stale,                _afresh(Outcome.RESTART)),  # the opening
    Case("idle too long",       _idle,                 _afresh(Outcome.EXPIRED)),  # the opening
    Case("silence",             _silent_call,          _reprompt),        # choices, or goodbye
    Case("back from a dial",    _resumed,              _back_from_dial),  # BACK_FROM_DIAL
    Case("offered key",         _offered_key,          _do),              # CHOSEN
    Case("tapped before",       _tapped_before,        _go_to),           # where it said
    Case("other key",           _a_key,                _wrong_key),       # sorry, the choices
    Case("means a node",        _means_a_node,         _answer),          # its answer
    Case("person, line open",   _person_menu,          _offer_a_person),  # the transfer's menu
    Case("person",              _asks_for_a_person,    _automated),       # automated; choices
    Case("means a choice here", _means_a_choice_here,  _do),              # CHOSEN
    Case("next, no more",       _means_next,           _no_more),         # that was all; choices
    Case("repeat",              _means_repeat,         _again),           # this point again
    Case("anything else",       _always,               _not_understood),  # sorry, the choices
)
# fmt: on


# -- CHOSEN: what a chosen key, keyword or control does ----------------------------------


def _is(action: str) -> Callable[[Turn], bool]:
    return lambda turn: turn.choice.action == action


def _more_here(turn: Turn) -> bool:
    return turn.choice.action == NEXT and turn.state.step + 1 < turn.screen.count


def _next_part(t: Turn, _match: object) -> Reply:
    return carry(t.script, t.state, t.node, t.state.step + 1, t.stamp, t.prefix, t.offers)


def _next_node(t: Turn, _match: object) -> Reply:
    then = t.script.nodes[t.node.next]
    return carry(t.script, t.state, then, 0, t.stamp, t.prefix, t.offers)


def _held(turn: Turn) -> State:
    """The point kept while the call is put through or a text is sent."""
    return replace(turn.state, retries=0, at=turn.stamp)


def _dial(turn: Turn, _match: object) -> Reply:
    held, open_ = _held(turn), turn.screen.open
    return Reply(held, (), open_, dial=turn.choice.target, event=Outcome.DIAL)


def _transfer(turn: Turn, _match: object) -> Reply:
    transfer = turn.script.transfers[turn.choice.target]
    said = finish(turn.script, VOICE, (words_of(transfer.connecting, VOICE),))
    return Reply(
        _held(turn), said, (), dial=transfer.number, event=Outcome.TRANSFER, transfer=transfer
    )


def _send_text(turn: Turn, _match: object) -> Reply:
    return Reply(_held(turn), (), turn.screen.open, event=Outcome.SEND_TEXT, send_text=True)


def _go(t: Turn, _match: object) -> Reply:
    target = t.script.nodes[t.choice.target]
    return show(t.script, t.channel, target, 0, t.stamp, Outcome.CHOSE, t.prefix, t.offers)


# fmt: off
CHOSEN = (  # by the choice's action: the first case that matches answers
    #    name          test             answer        leading to
    Case("repeat",     _is(REPEAT),     _again),      # this point again
    Case("next part",  _more_here,      _next_part),  # the node's next step or page
    Case("next node",  _is(NEXT),       _next_node),  # at the last part: the node's `next`
    Case("dial",       _is(DIAL),       _dial),       # the call put through to the number
    Case("transfer",   _is(TRANSFER),   _transfer),   # the call put through to the line
    Case("send text",  _is(SEND_TEXT),  _send_text),  # the web layer sends the text
    Case("go",         _always,         _go),         # the node it leads to (go, text me)
)
# fmt: on


# -- BACK_FROM_DIAL: a call back from a <Dial> -------------------------------------------


def _plain_dial(turn: Turn) -> bool:
    """A plain dial:, or a URL naming a transfer from before a script change."""
    return turn.given.via not in turn.script.transfers


def _where_it_was(turn: Turn, _match: object) -> Reply:
    s = turn.state
    return show(
        turn.script, s.channel, turn.node, s.step, turn.stamp, Outcome.RESUME, (), turn.offers
    )


def _answered(turn: Turn) -> bool:
    return turn.given.value in ANSWERED


def _goodbye(turn: Turn, _match: object) -> Reply:
    transfer = turn.script.transfers[turn.given.via]
    goodbye = finish(turn.script, VOICE, (words_of(transfer.completed, VOICE),))
    return Reply(turn.state, goodbye, (), ends=True, event=Outcome.TRANSFER_COMPLETED)


def _unanswered(turn: Turn, _match: object) -> Reply:
    transfer = turn.script.transfers[turn.given.via]
    said = (words_of(transfer.unanswered, VOICE),)
    return show(
        turn.script, VOICE, turn.node, turn.state.step, turn.stamp,
        Outcome.TRANSFER_UNANSWERED, said, turn.offers,
    )  # fmt: skip


# fmt: off
BACK_FROM_DIAL = (  # a call back from a <Dial>: the first case that matches answers
    #    name          test          answer          leading to
    Case("plain dial", _plain_dial,  _where_it_was),  # where it was (or a transfer since gone)
    Case("answered",   _answered,    _goodbye),       # the transfer's goodbye; the call ends
    Case("unanswered", _always,      _unanswered),    # busy, no answer, failed: sorry, choices
)
# fmt: on
