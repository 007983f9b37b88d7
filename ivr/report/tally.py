"""Counting conversations from webhook turns, in one pass, in memory bounded by how many
conversations are open at once.

    tally = Tally(danger_nodes)       script id -> its danger node id, where known
    for turn in turns: tally.add(turn)
    groups = tally.finish()           (script, channel) -> Group

A conversation is every turn with the same channel and conversation id. It ends at its
last turn; where it ended is the node it was at then (where a caller hung up or a texter
stopped). A conversation silent for longer than it could be is over, and is counted and
forgotten as soon as the log has moved that far past it, so memory holds only the
conversations that could still be going on:
- a call: CALL_IDLE. The app asks Twilio back within seconds of every prompt (a Gather
  times out, silence re-prompts, then a goodbye), so only a put-through call (`dial`)
  is quiet for long, and Twilio ends any call after LONG_IDLE;
- texts: LONG_IDLE, as long as Twilio keeps the SMS cookie. The app restarts an idle
  texter sooner, and logs that turn as `expired`, which starts a new conversation here.
Give files in time order; lines out of order by less than CALL_IDLE are fine.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ivr.outcomes import Outcome
from ivr.report.reading import Turn, canonical

CALL_IDLE = timedelta(minutes=15)
LONG_IDLE = timedelta(hours=4)
SWEEP_EVERY = 8192  # turns between looks for conversations that can no longer go on
NOT_UNDERSTOOD = frozenset({Outcome.WRONG, Outcome.UNKNOWN})  # a key or words not understood
# Turns that carry nothing a person chose: a call being answered (voice "start"), silence
# and the goodbye it leads to, a call coming back from a put-through, how a text went,
# faults. The rest are inputs.
NO_INPUT = frozenset(
    {Outcome.SILENCE, Outcome.GOODBYE, Outcome.RESUME, Outcome.FAULT, Outcome.FALLBACK}
)
NO_INPUT_PREFIXES = ("transfer-", "text-")  # how a put-through or a text went
PUT_THROUGH = frozenset({Outcome.DIAL, Outcome.TRANSFER})
STARTS_AFRESH = frozenset({Outcome.EXPIRED})
PATH_SHOWN = 8  # nodes of a path named in "most common paths"; longer ones end in "..."
NO_SCRIPT = "(unknown script)"
# Where one number offers several guides, a conversation's first turns are at the guide
# choice (node "_guides", logged with the default guide's id): it is counted under the
# guide it goes on to, with "_guides" first in its path, or here if it never chose one.
# One that goes back to the choice and on to another guide is counted in each guide it
# went on in: in the first up to the choice, in the next from it.
CHOICE = "(guide choice)"


@dataclass
class Group:
    """What the conversations of one script on one channel did."""

    script: str
    channel: str
    danger_node: str | None  # None when the script is not known to the report
    conversations: int = 0
    turns: Counter = field(default_factory=Counter)  # turns in a conversation -> how many
    reached: Counter = field(default_factory=Counter)  # node -> conversations that reached it
    ended_at: Counter = field(default_factory=Counter)  # node -> conversations ending there
    paths: Counter = field(default_factory=Counter)  # "a > b > c" -> conversations
    moves: Counter = field(default_factory=Counter)  # (from node, to node) -> times taken
    inputs: int = 0
    not_understood: int = 0
    inputs_at: Counter = field(default_factory=Counter)  # node -> inputs made there
    not_understood_at: Counter = field(default_factory=Counter)  # node -> not understood
    days: Counter = field(default_factory=Counter)  # "2026-11-24" -> conversations begun
    # A dimension the log lines carry ("language") -> (day, its value) -> conversations
    by_day: dict = field(default_factory=dict)

    @property
    def danger(self) -> int | None:
        """Conversations that reached the danger answer (None: the script is unknown)."""
        return None if self.danger_node is None else self.reached[self.danger_node]


class _Conversation:
    __slots__ = (
        "beyond",
        "channel",
        "day",
        "dimensions",
        "group",
        "last",
        "long",
        "node",
        "path",
        "turns",
    )

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.long = channel != "voice"  # may stay silent for LONG_IDLE, not CALL_IDLE
        self.group: Group | None = None
        self.last = ""  # time of its latest turn
        self.node: str | None = None
        self.path: list[str] = []  # the first nodes reached, in order, no repeats in a row
        self.beyond: set[str] | None = None  # nodes reached after the path is long enough
        self.turns = 0
        self.day = ""  # the day (UTC) of its first turn
        self.dimensions: dict[str, str] = {}  # the first value each dimension had

    def opening(self, node: str) -> None:
        """A turn at a step of the opening, before any guide: first in the path."""
        if self.node != node:
            self.node = node
            self.path.append(node)

    def reach(self, node: str, group: Group) -> None:
        """Move on to `node` (not the node it is at): count the move, keep the path."""
        if self.node is not None:
            group.moves[(self.node, node)] += 1
        self.node = node
        if len(self.path) <= PATH_SHOWN:
            self.path.append(node)
        elif self.beyond is None:
            self.beyond = {node}
        else:
            self.beyond.add(node)


class Tally:
    def __init__(self, danger_nodes: Mapping[str, str] | None = None):
        self.danger_nodes = dict(danger_nodes or {})
        self.groups: dict[tuple[str, str], Group] = {}
        # Open conversations, least recently heard from first, one queue per channel so
        # each queue is in order of when its conversations fall silent for good.
        self.open: dict[str, OrderedDict[str, _Conversation]] = {
            "voice": OrderedDict(),
            "sms": OrderedDict(),
        }
        self.latest = ""
        self._since_sweep = 0
        self._kinds: dict[tuple[str, str], tuple[bool, bool, bool]] = {}

    def open_count(self) -> int:
        return sum(len(queue) for queue in self.open.values())

    def add(self, turn: Turn) -> None:
        # Written for speed: this runs once a line, millions of times.
        time, channel, script, node, outcome, key, dimensions = turn
        queue = self.open[channel]
        conversation = queue.get(key)
        if (
            conversation is None
            or outcome in STARTS_AFRESH
            or (  # within one ten minutes of the clock, nothing can have been too long
                time[:15] != conversation.last[:15] and _silent_too_long(conversation, time)
            )
        ):
            if conversation is not None:
                self._close(queue.pop(key))
            conversation = queue[key] = _Conversation(channel)
        else:
            queue.move_to_end(key)
        kind = self._kinds.get((channel, outcome)) or self._learn(channel, outcome)
        is_input, misunderstood, put_through = kind
        if channel == "voice":
            conversation.long = put_through  # put through: quiet until that call ends
        group = conversation.group
        if group is None and script is not None:
            if node is not None and node[:1] == "_":  # the opening: no guide chosen yet
                conversation.opening(node)
            else:
                group = conversation.group = self._group(script, channel)
        elif (
            group is not None
            and script is not None
            and script != group.script
            and node is not None
            and node[:1] != "_"
        ):  # back at the choice and on to another guide
            conversation = queue[key] = self._on_in_another_guide(conversation)
            group = conversation.group = self._group(script, channel)
        conversation.turns += 1
        conversation.last = time
        if not conversation.day:
            conversation.day = time[:10]
        if dimensions:
            for name, value in dimensions:
                conversation.dimensions.setdefault(name, value)
        if group is not None:
            group.not_understood += misunderstood
            group.inputs += is_input
            if is_input:  # where it was made: the node it was made at (a wrong key stays)
                at = conversation.node or "(first message)"
                group.inputs_at[at] += 1
                if misunderstood:
                    group.not_understood_at[at] += 1
            if node is not None and node != conversation.node:
                conversation.reach(node, group)
        if time > self.latest:
            self.latest = time
        self._since_sweep += 1
        if self._since_sweep >= SWEEP_EVERY:
            self._sweep()

    def _learn(self, channel: str, outcome: str) -> tuple[bool, bool, bool]:
        """What an outcome says (see _kind), remembered: a log has few kinds of turn."""
        kind = self._kinds[(channel, outcome)] = _kind(channel, outcome)
        return kind

    def finish(self) -> dict[tuple[str, str], Group]:
        """Close every conversation still open; the groups, by (script, channel)."""
        for queue in self.open.values():
            while queue:
                self._close(queue.popitem(last=False)[1])
        return dict(sorted(self.groups.items()))

    def _group(self, script: str, channel: str) -> Group:
        group = self.groups.get((script, channel))
        if group is None:
            group = Group(script, channel, self.danger_nodes.get(script))
            self.groups[(script, channel)] = group
        return group

    def _sweep(self) -> None:
        self._since_sweep = 0
        if not self.latest:
            return
        latest = datetime.fromisoformat(self.latest)
        short, long = canonical(latest - CALL_IDLE), canonical(latest - LONG_IDLE)
        for channel, queue in self.open.items():
            # Texts may all be quiet for LONG_IDLE; calls for CALL_IDLE, unless put through.
            cutoff = short if channel == "voice" else long
            over = []  # from the front: silent the longest
            for key, conversation in queue.items():
                if conversation.last >= cutoff:
                    break
                over.append(key)
            for key in over:
                conversation = queue.pop(key)
                if conversation.long and conversation.last >= long:
                    queue[key] = conversation  # put through: quiet, but not over
                else:
                    self._close(conversation)

    def _on_in_another_guide(self, before: _Conversation) -> _Conversation:
        """What a conversation did in one guide is counted there, ending at the choice it
        went back to; from that choice on it is counted in the guide it chose next, so
        each guide's nodes and paths are its own."""
        after = _Conversation(before.channel)
        after.long = before.long
        after.dimensions = dict(before.dimensions)
        if before.node is not None and before.node[:1] == "_":
            after.opening(before.node)
        self._close(before)
        return after

    def _close(self, conversation: _Conversation) -> None:
        group = conversation.group
        if group is None:  # never past the guide choice, or only fault replies
            chose = conversation.path and conversation.path[0][:1] == "_"
            group = self._group(CHOICE if chose else NO_SCRIPT, conversation.channel)
        group.conversations += 1
        group.turns[conversation.turns] += 1
        group.days[conversation.day] += 1
        for name, value in conversation.dimensions.items():
            group.by_day.setdefault(name, Counter())[(conversation.day, value)] += 1
        path = conversation.path
        for node in set(path).union(conversation.beyond or ()):
            group.reached[node] += 1
        if conversation.node is not None:
            group.ended_at[conversation.node] += 1
        if path:
            shown = " > ".join(path[:PATH_SHOWN])
            group.paths[shown + (" > ..." if len(path) > PATH_SHOWN else "")] += 1


def _kind(channel: str, outcome: str) -> tuple[bool, bool, bool]:
    """What a turn's outcome says: (an input, not understood, put through to a call)."""
    no_input = (
        outcome in NO_INPUT
        or outcome.startswith(NO_INPUT_PREFIXES)
        or (channel == "voice" and outcome == Outcome.START)
    )
    return (not no_input, outcome in NOT_UNDERSTOOD, outcome in PUT_THROUGH)


def _silent_too_long(conversation: _Conversation, now: str) -> bool:
    """Whether the conversation was quiet for longer than it could have been."""
    limit = LONG_IDLE if conversation.long else CALL_IDLE
    return datetime.fromisoformat(now) - datetime.fromisoformat(conversation.last) > limit
