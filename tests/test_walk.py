"""The seeded walk (tests/walk.py) that refactors compare replies with: it must give the
same records every time, reach every node of every script on each channel, and meet
every kind of turn, or a comparison through it would prove little."""

from __future__ import annotations

import pytest

from ivr.loader import load_script
from ivr.script import GO

import walk
from support import ROOT

# What the walk must meet on its way (every outcome a webhook logs that a person's
# input can lead to; `restart` needs a script changed under a conversation, and the
# engine's table tests it).
OUTCOMES = {
    "start", "chose", "next", "repeat", "wrong", "unknown", "person", "no-more", "silence",
    "goodbye", "expired", "opted-out", "opted-in", "transfer", "transfer-completed",
    "transfer-unanswered", "text-sent", "text-not_mobile", "text-no_number",
}  # fmt: skip


@pytest.fixture(scope="module")
def records():
    return walk.walk(ROOT)


def test_the_same_seed_walks_the_same_way(records):
    # A shorter walk is the start of each script's and channel's longer one, reply for
    # reply: nothing random (ids, times, the order of a set) reaches a record.
    short = walk.walk(ROOT, conversations=4)
    first = {(r.script, r.channel, r.conversation, r.turn): r for r in records}
    assert short and all(first[(r.script, r.channel, r.conversation, r.turn)] == r for r in short)


def test_every_reply_is_twiml_with_a_logged_outcome(records):
    assert {r.status for r in records} == {200}
    assert all(r.body.startswith("<?xml") and r.outcome for r in records)
    missing = OUTCOMES - {r.outcome for r in records}
    assert not missing, missing


@pytest.mark.parametrize("path", walk.script_paths(ROOT), ids=lambda p: p.name)
def test_the_walk_reaches_every_node_a_channel_can_reach(records, path):
    script = load_script(path)
    for channel in walk.CHANNELS:
        reached = {r.node for r in records if r.script == path.name and r.channel == channel}
        wanted = _reachable(script, channel)
        assert wanted <= reached, f"{channel}: {sorted(wanted - reached)} never reached"


def _reachable(script, channel: str) -> set[str]:
    """The nodes a person can reach on a channel: from the main menu, by the options
    that channel offers, the globals, and each steps node's `next`."""
    found, todo = set(), [script.main.id, *(o.target for o in script.globals if o.action == GO)]
    while todo:
        node = script.nodes.get(todo.pop())
        if node is None or node.id in found:
            continue
        found.add(node.id)
        options = [*node.options, *(o for step in node.step_options for o in step)]
        todo += [o.target for o in options if channel in o.channels and o.target]
        todo += [node.next] if node.next else []
    return found


def test_a_difference_is_named_with_where_it_is_and_what_changed():
    before = {"script": "tiny", "channel": "sms", "conversation": 3, "turn": 2,
              "sent": "text 'hi'", "body": "<a/>", "state": "s", "outcome": "chose"}  # fmt: skip
    same = dict(before)
    changed = {**before, "body": "<b/>"}
    assert list(walk.differences([before], [same])) == []
    [found] = walk.differences([before, before], [same, changed])
    assert found.startswith("tiny sms #3 turn 2, text 'hi': body differ")
    assert "before: body='<a/>'" in found and "after:  body='<b/>'" in found
    assert list(walk.differences([before], [])) == [
        "The walks differ in length: 1 records before, 0 after."
    ]
