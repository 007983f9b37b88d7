"""How the engine's tables are read: one turn as their cases see it, and the first
case that matches answering.

    Turn(script, state, given, now, idle_limit, offers)   what the cases look at
    Case(name, test, answer)                              one line of a table
    route(cases, turn) -> Reply                           the first case that matches answers

A Turn is the input and where it came in. What costs time (the point's screen, the
reading of the words) is worked out when a case first asks, so a key press never reads
words, and a stale state never looks for its screen. `turn.path` names the cases taken.
The tables themselves, and what each case checks and answers, are ivr.engine.rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ivr import understanding
from ivr.engine.first_reply import read
from ivr.engine.screens import Screen, count_parts, screen_at
from ivr.engine.state import Choice, Input, InputKind, Offers, Reply, State, media_note
from ivr.keywords import as_key
from ivr.script import MESSAGING, Script


class Turn:
    """One input at one point of a script: what the cases look at."""

    __slots__ = ("_key", "_reading", "_screen", "_state", "carried", "channel", "choice")
    __slots__ += ("given", "idle_limit", "node", "now", "offers", "path", "script", "stamp")

    def __init__(
        self,
        script: Script,
        state: State,
        given: Input,
        now: datetime,
        idle_limit: timedelta | None,
        offers: Offers,
    ):
        self.script = script
        self.carried = state  # as the URL or cookie brought it
        self.given = given
        self.now = now
        self.stamp = int(now.timestamp())
        self.idle_limit = idle_limit
        self.offers = offers
        self.channel = state.channel
        self.node = script.nodes.get(state.node)
        self.path: list[str] = []  # the cases taken, in order
        self.choice: Choice | None = None  # what a key or words chose, for CHOSEN
        self._state = self._screen = self._key = self._reading = None

    @property
    def state(self) -> State:
        """The point: the carried state, its step kept within the node's parts (a
        script edited under a conversation may have fewer)."""
        if self._state is None:
            step = min(self.carried.step, count_parts(self.script, self.channel, self.node) - 1)
            same = step == self.carried.step
            self._state = self.carried if same else replace(self.carried, step=step)
        return self._state

    @property
    def screen(self) -> Screen:
        if self._screen is None:
            step = self.state.step
            self._screen = screen_at(self.script, self.channel, self.node, step, self.offers)
        return self._screen

    @property
    def key(self) -> str:
        """The key pressed, or the key a message or phrase is ("1", "press two"); ""
        (a tap names its choice, never a key)."""
        if self._key is None:
            given = self.given
            if given.kind == InputKind.TAPPED:
                self._key = ""
            else:
                pressed = given.kind == InputKind.PRESSED
                self._key = (given.value if pressed else as_key(given.value)) or ""
        return self._key

    @property
    def meaning(self) -> understanding.Meaning | None:
        """What the words mean most (danger first, then under 18, then the rest)."""
        return self.reading.top

    @property
    def reading(self) -> understanding.Reading:
        if self._reading is None:
            self._reading = read(self.script, self.channel, self.given, self.node.id)
        return self._reading

    @property
    def prefix(self) -> tuple[str, ...]:
        """Said before anything else: the crisis numbers, when words clearly deny danger
        beside a need; by text, that a picture (or voice note) can't be viewed here."""
        given = self.given
        said = ()
        words = given.kind in (InputKind.TYPED, InputKind.SAID) and not self.key
        if words and self.reading.denied:
            said = (self.script.phrase("danger_denied", self.channel),)
        if given.media and self.channel in MESSAGING:
            said += (self.script.phrase(media_note(self.channel, given), self.channel),)
        return said


@dataclass(frozen=True, slots=True)
class Case:
    """One line of a table: when `test` matches a turn, `answer` gives the reply."""

    name: str
    test: Callable[[Turn], object]
    answer: Callable[[Turn, object], Reply]


def route(cases: tuple[Case, ...], turn: Turn) -> Reply:
    """The answer of the first case whose test matches (the last always does)."""
    for case in cases:
        match = case.test(turn)
        if match:
            turn.path.append(case.name)
            return case.answer(turn, match)
    raise AssertionError(f"no case matched, and the last of {cases[-1].name!r} always should")
