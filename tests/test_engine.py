"""The engine, as tables of (where you are, what comes in) -> where you end up and what
you get. Uses the tiny fixture script for exact expectations and the real guide for
the speech and keyword matching people will actually use."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ivr import engine, gsm7
from ivr.engine import SILENT, State, pressed, said, typed
from ivr.script import SMS, VOICE

from support import NOW

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these


def at(script, node, channel=VOICE, **fields):
    return State(channel, script.id, node, at=int(NOW.timestamp()), **fields)


# -- the opening -------------------------------------------------------------------------


def test_a_call_opens_with_999_before_anything_else(tiny):
    reply = engine.start(tiny, VOICE, NOW)
    assert reply.paragraphs[0] == "If you are in danger, hang up and call nine nine nine."
    assert reply.state.node == "main"
    assert [c.key for c in reply.choices] == ["1", "2", "3", "9", "0", "*"]
    assert "press 0" not in " ".join(reply.paragraphs)  # open, but not read out: already here


def test_a_text_conversation_opens_discreetly_then_999_then_the_menu(tiny):
    reply = engine.start(tiny, SMS, NOW)
    assert reply.paragraphs[:3] == (
        "Hello.",
        "If you are in danger, call 999.",
        "Welcome to the test line.",
    )
    assert "1 - if you clicked (CLICKED)" in reply.text
    assert "9 - if you are in danger (DANGER)" in reply.text
    assert reply.state.node == "main" and reply.state.also == ""


# -- voice: keys, speech, silence --------------------------------------------------------

VOICE_TURNS = [
    # (node, step, input, expected node, expected step, event)
    ("main", 0, pressed("1"), "clicked", 0, "chose"),
    ("main", 0, pressed("3"), "steps", 0, "chose"),
    ("main", 0, pressed("9"), "danger", 0, "chose"),
    ("main", 0, said("I clicked."), "clicked", 0, "chose"),
    ("main", 0, said("Under eighteen"), "young", 0, "chose"),
    ("main", 0, said("one"), "clicked", 0, "chose"),
    ("main", 0, said("press two"), "young", 0, "chose"),
    ("clicked", 0, pressed("0"), "main", 0, "chose"),
    ("clicked", 0, said("main menu"), "main", 0, "chose"),
    ("clicked", 0, said("I'm not safe"), "danger", 0, "chose"),
    ("clicked", 0, said("under 18"), "young", 0, "chose"),  # main-menu words work anywhere
    ("steps", 0, pressed("1"), "steps", 1, "next"),
    ("steps", 1, said("next"), "steps", 2, "next"),
    ("steps", 2, pressed("1"), "main", 0, "next"),  # after the last step: next: main
    ("steps", 1, pressed("*"), "steps", 1, "repeat"),
    ("steps", 1, said("say that again"), "steps", 1, "repeat"),
    ("steps", 1, pressed("9"), "danger", 0, "chose"),
    ("danger", 0, pressed("9"), "danger", 0, "chose"),  # open even where it is not listed
    ("main", 0, pressed("0"), "main", 0, "chose"),
    ("main", 0, pressed("7"), "main", 0, "wrong"),
    ("main", 0, said("bananas"), "main", 0, "wrong"),
    ("main", 0, SILENT, "main", 0, "silence"),
    ("steps", 2, SILENT, "steps", 2, "silence"),
]


@pytest.mark.parametrize(("node", "step", "given", "to", "to_step", "event"), VOICE_TURNS)
def test_voice_turns(tiny, node, step, given, to, to_step, event):
    reply = engine.advance(tiny, at(tiny, node, step=step), given, NOW)
    assert (reply.state.node, reply.state.step, reply.event) == (to, to_step, event)
    assert not reply.ends


def test_steps_are_read_one_at_a_time_with_their_number(tiny):
    reply = engine.advance(tiny, at(tiny, "main"), pressed("3"), NOW)
    assert reply.paragraphs[:2] == ("What to do now.", "Step 1 of 3. Stop and block.")
    assert reply.paragraphs[2] == "For the next step, press 1."
    assert "Save a record" not in " ".join(reply.paragraphs)
    last = engine.advance(tiny, at(tiny, "steps", step=1), pressed("1"), NOW)
    assert last.paragraphs[0] == "Step 3 of 3. Tell someone you trust."
    assert last.paragraphs[1] == "To go on, press 1."


def test_a_wrong_key_says_sorry_and_the_choices_again(tiny):
    reply = engine.advance(tiny, at(tiny, "clicked"), pressed("5"), NOW)
    assert reply.paragraphs == (
        "Sorry, that isn't one of the choices.",
        "For the steps, press 1.",
        "If you are in danger, press 9. For the main menu, press 0. "
        "To hear this again, press star.",
    )
    assert (reply.event, reply.state.retries) == ("wrong", 0)


@pytest.mark.parametrize("given", [pressed("5"), said("banana"), said("what is this")])
def test_someone_who_keeps_pressing_or_talking_is_never_hung_up_on(tiny, given):
    state = at(tiny, "main", retries=2)  # two silences already: one more would end the call
    for _ in range(10):
        reply = engine.advance(tiny, state, given, NOW)
        assert not reply.ends and reply.state.retries == 0
        state = replace(reply.state, retries=2)
    assert reply.paragraphs[0].startswith("Sorry")


def test_silence_re_prompts_twice_then_says_goodbye_with_999_and_samaritans(tiny):
    state = at(tiny, "main")
    events = []
    for _ in range(3):
        reply = engine.advance(tiny, state, SILENT, NOW)
        events.append(reply.event)
        state = reply.state
    assert events == ["silence", "silence", "goodbye"]
    assert reply.ends and reply.choices == ()
    spoken = " ".join(reply.paragraphs)
    assert "nine nine nine" in spoken and "one one six, one two three" in spoken


def test_a_good_choice_resets_the_retry_count(tiny):
    reply = engine.advance(tiny, at(tiny, "main", retries=2), pressed("1"), NOW)
    assert reply.state.retries == 0


# -- SMS: keywords, numbers, pages -------------------------------------------------------

SMS_TURNS = [
    # (node, menu, text, expected node, event)
    ("main", "main", "1", "clicked", "chose"),
    ("main", "main", "CLICKED", "clicked", "chose"),
    ("main", "main", "  clicked!! ", "clicked", "chose"),
    ("main", "main", "I clicked it", "clicked", "chose"),
    ("main", "main", "one", "clicked", "chose"),
    ("main", "main", "Young", "young", "chose"),
    ("clicked", "clicked", "1", "steps", "chose"),  # "1" answers the reply just shown
    ("steps", "clicked", "1", "steps", "unknown"),  # never an older menu's 1
    ("steps", "main", "2", "steps", "unknown"),
    ("steps", "main", "DANGER", "danger", "chose"),
    ("steps", "main", "emergency", "danger", "chose"),
    ("young", "young", "menu", "main", "chose"),
    ("young", "young", "I clicked", "clicked", "chose"),
    ("main", "main", "what?", "main", "unknown"),
    ("main", "main", "", "main", "unknown"),
    ("main", "main", "🙂🙂", "main", "unknown"),
    ("main", "main", "x" * 1600, "main", "unknown"),
]


@pytest.mark.parametrize(("node", "shown", "text", "to", "event"), SMS_TURNS)
def test_sms_turns(tiny, node, shown, text, to, event):
    reply = engine.advance(tiny, at(tiny, node, SMS, also=shown), typed(text), NOW)
    assert (reply.state.node, reply.event) == (to, event)
    assert not reply.ends and reply.text


def test_text_not_understood_gets_a_sentence_then_the_choices_here(tiny):
    reply = engine.advance(tiny, at(tiny, "young", SMS), typed("huh"), NOW)
    assert reply.text == (
        "Sorry, I didn't understand that. This is an automated line and nobody reads these "
        "texts. For someone to talk to, call Samaritans free on 116 123, any time.\n\n"
        "Reply with:\n1 - for the steps (STEPS)\n9 - if you are in danger (DANGER)\n"
        "0 - for the main menu (MENU)"
    )


def test_a_picture_is_mentioned_and_the_menu_still_comes(tiny):
    reply = engine.advance(tiny, at(tiny, "main", SMS), typed("", media=True), NOW)
    assert reply.paragraphs[0] == "Pictures can't be viewed here."
    assert "1 - if you clicked (CLICKED)" in reply.text


def test_long_sms_content_comes_in_pages_with_next(guide):
    state = at(guide, "main", SMS)
    reply = engine.advance(guide, state, typed("STEPS"), NOW)
    pages = [reply]
    while "1 - for more (NEXT)" in reply.text:
        reply = engine.advance(guide, reply.state, typed("1" if len(pages) % 2 else "next"), NOW)
        pages.append(reply)
    assert len(pages) > 1
    assert all(gsm7.segments(p.text) <= 4 for p in pages)
    steps_text = " ".join(p.text for p in pages)
    for n in range(1, 8):
        assert f"{n}. " in steps_text
    assert pages[-1].state.node == "steps"
    onwards = engine.advance(guide, pages[-1].state, typed("more"), NOW)
    assert onwards.state.node == "main"


def test_sms_state_expires_after_the_idle_limit(tiny):
    state = at(tiny, "clicked", SMS)
    later = NOW + timedelta(minutes=31)
    reply = engine.advance(tiny, state, typed("1"), later, idle_limit=timedelta(minutes=30))
    assert reply.event == "expired" and reply.state.node == "main"
    assert reply.paragraphs[0] == "Hello."
    fresh = engine.advance(
        tiny, state, typed("1"), NOW + timedelta(minutes=29), idle_limit=timedelta(minutes=30)
    )
    assert fresh.state.node == "steps"


# -- matching in the real guide ----------------------------------------------------------

GUIDE_WORDS = [
    ("I clicked the link", "clicked"),
    ("i clicked the link.", "clicked"),
    ("UNDER18", "under-18"),
    ("I'm under eighteen", "under-18"),
    ("im 15", "under-18"),
    ("should I pay them?", "dont"),
    ("what do I do", "steps"),
    ("I can't cope", "danger"),
    ("I clicked it and now I can't cope", "danger"),  # safety first when two match
    ("help me", "danger"),
    ("999", "danger"),
    ("reporting", "support"),
]


@pytest.mark.parametrize(("words", "node"), GUIDE_WORDS)
@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_the_guide_understands_what_people_say_and_type(guide, channel, words, node):
    given = said(words) if channel == VOICE else typed(words)
    reply = engine.advance(guide, at(guide, "main", channel), given, NOW)
    assert reply.state.node == node


# -- state strings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "fields"),
    [
        (
            State(SMS, "tiny", "steps", 2, 1, "main", 1_790_000_000),
            {"channel": "sms", "script": "tiny", "node": "steps", "step": 2, "retries": 1,
             "also": "main", "at": 1_790_000_000},
        ),
        (State(SMS, "tiny", "main"), {"channel": "sms", "script": "tiny", "node": "main"}),
    ],
)  # fmt: skip
def test_state_round_trips_through_its_fields_defaults_left_out(state, fields):
    assert state.as_fields() == fields
    assert State.from_fields(fields) == state


def test_a_state_for_a_node_that_no_longer_exists_restarts_politely(tiny):
    reply = engine.advance(tiny, at(tiny, "gone"), pressed("1"), NOW)
    assert reply.event == "restart" and reply.state.node == "main"
    assert "nine nine nine" in reply.paragraphs[0]


def test_no_state_ever_holds_what_was_typed(tiny):
    reply = engine.advance(tiny, at(tiny, "main", SMS), typed("my number is 07700900123"), NOW)
    assert "07700900123" not in repr(reply.state.as_fields())
