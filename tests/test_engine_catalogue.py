"""The catalogue of every reply (what the linter checks) is what people get: each entry
is compared with the reply a real turn produces at that point, and the hand-off replies
(after a transfer, after asking for a text) are checked word for word.

Pure domain (marker `domain`), with the tiny and hand-offs fixtures.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivr import engine
from ivr.engine import CLOSED, SILENT, Offers, State, dialled, pressed, typed
from ivr.loader import load_script
from ivr.outcomes import Outcome
from ivr.script import SMS, TEXT_OUTCOMES, VOICE

from support import FIXTURES, NOW

pytestmark = pytest.mark.domain

EVERYTHING_OPEN = Offers(texting=True, all_open=True)


@pytest.fixture(scope="module")
def handoffs():
    return load_script(FIXTURES / "handoffs.yaml")


def _catalogue(script, channel):
    found = {}
    for description, reply in engine.every_reply(script, channel):
        assert description not in found, f"{description!r} is listed twice"
        found[description] = reply
    return found


def _turn(script, channel, node, given, step=0, offers=CLOSED):
    return engine.advance(script, State(channel, script.id, node, step), given, NOW, offers=offers)


def test_each_sms_entry_is_what_a_texter_gets_there(tiny):
    replies = _catalogue(tiny, SMS)
    assert replies["the opening"].paragraphs == engine.start(tiny, SMS, NOW).paragraphs
    picture = engine.start(tiny, SMS, NOW, media=True).paragraphs
    assert replies["the opening after a picture"].paragraphs == picture
    assert replies["node 'clicked'"].paragraphs == _turn(tiny, SMS, "main", typed("1")).paragraphs
    shown = _turn(tiny, SMS, "main", typed("1", media=True)).paragraphs
    assert replies["node 'clicked' after a picture"].paragraphs == shown
    # what is said when not understood is listed with the picture note: the longest case
    sorry = _turn(tiny, SMS, "clicked", typed("huh", media=True)).paragraphs
    assert replies["node 'clicked', saying not_understood"].paragraphs == sorry
    person = _turn(tiny, SMS, "clicked", typed("are you a real person", media=True)).paragraphs
    assert replies["node 'clicked', saying automated"].paragraphs == person
    more = _turn(tiny, SMS, "clicked", typed("next", media=True)).paragraphs
    assert replies["node 'clicked', saying no_more"].paragraphs == more
    first = engine.start(tiny, SMS, NOW, media=True, given=typed("STEPS")).paragraphs
    assert replies["the opening, answering a first text meaning 'steps'"].paragraphs == first
    assert "the opening, answering a first text meaning 'main'" not in replies
    child = replies["the opening, answering a first text from a child in danger"]
    assert child.paragraphs[0] == "Hello." and child.paragraphs[1].startswith("Call 999 now.")
    picture_note = child.paragraphs.index("Pictures can't be viewed here.")  # danger first
    assert picture_note > child.paragraphs.index(tiny.phrase("child_in_danger", SMS))
    assert child.state.node == "danger" and "Childline" in child.text
    assert "You also mentioned something else: if you are under 18, reply YOUNG." in child.text
    assert not any("(lines closed)" in d or d == "the goodbye" for d in replies)


def test_each_voice_entry_is_what_a_caller_hears_there(tiny):
    replies = _catalogue(tiny, VOICE)
    assert replies["the opening"].paragraphs == engine.start(tiny, VOICE, NOW).paragraphs
    step_two = _turn(tiny, VOICE, "steps", pressed("1")).paragraphs
    assert replies["node 'steps', step 2"].paragraphs == step_two
    wrong = _turn(tiny, VOICE, "steps", pressed("5"), step=1).paragraphs
    assert replies["node 'steps', step 2, saying wrong_input"].paragraphs == wrong
    state = State(VOICE, tiny.id, "main", retries=tiny.max_retries)
    goodbye = engine.advance(tiny, state, SILENT, NOW)
    assert replies["the goodbye"].paragraphs == goodbye.paragraphs and replies["the goodbye"].ends
    child = replies["the answer to a first text from a child in danger"]
    assert child.state.node == "danger" and "Childline" in " ".join(child.paragraphs)
    assert "You also mentioned something else. If you are under 18, press 2." in child.paragraphs
    assert not any("(lines closed)" in d or "after a picture" in d for d in replies)
    assert "node 'steps', page 2" not in replies and "node 'steps', step 4" not in replies


def test_hand_off_points_are_heard_open_and_closed(handoffs):
    replies = _catalogue(handoffs, VOICE)
    for where in ("node 'main'", "node 'steps', step 2", "node 'text-me'"):
        assert where in replies and f"{where} (lines closed)" in replies, where
    for where in ("node 'clicked'", "node 'steps'", "node 'steps', step 3"):
        assert where in replies and f"{where} (lines closed)" not in replies, where
    heard_open = " ".join(replies["node 'main'"].paragraphs)
    heard_closed = " ".join(replies["node 'main' (lines closed)"].paragraphs)
    assert "press 4" in heard_open and "press 4" not in heard_closed
    assert "The test line is open Monday to Friday" in heard_closed
    assert replies["the opening"].paragraphs == (
        engine.start(handoffs, VOICE, NOW, offers=EVERYTHING_OPEN).paragraphs
    )
    assert replies["the opening (lines closed)"].paragraphs == (
        engine.start(handoffs, VOICE, NOW, offers=CLOSED).paragraphs
    )


def test_the_words_around_a_transfer_are_what_the_caller_hears(handoffs):
    replies = _catalogue(handoffs, VOICE)
    put_through = _turn(handoffs, VOICE, "main", pressed("4"), offers=EVERYTHING_OPEN)
    assert replies["transfer 'line', connecting"].paragraphs == put_through.paragraphs
    for node, step in (("main", 0), ("steps", 1)):
        for status in ("no-answer", "completed"):
            back = _turn(handoffs, VOICE, node, dialled(status, "line"), step, EVERYTHING_OPEN)
            listed = replies[f"transfer 'line' from node '{node}', {status}"]
            if status == "completed" or node == "main":  # every line open, texts on
                assert listed.paragraphs == back.paragraphs and listed.ends is back.ends
            else:  # the catalogue hears the node from its start
                assert (
                    listed.paragraphs[0]
                    == back.paragraphs[0]
                    == "They couldn't answer just now. You can try again later."
                )
                assert not listed.ends
    assert not any(d.startswith("transfer 'line' from node 'clicked'") for d in replies)
    outcomes = [d for d in replies if d.startswith("text_me ")]
    assert outcomes == [f"text_me {o}" for o in handoffs.text_me.outcomes]


# -- after asking for a text -------------------------------------------------------------

SAID_AFTER = {
    "sent": "I've sent the text.",
    "already_sent": "The text has already been sent on this call.",
    "no_number": "Your number is hidden, so I can't send a text.",
    "not_mobile": "Texts can only go to a UK mobile.",
    "limited": "A text already went to this number today.",
    "failed": "Sorry, the text could not be sent just now.",
}


@pytest.mark.parametrize("outcome", TEXT_OUTCOMES)
def test_after_asking_for_a_text_the_caller_hears_how_it_went_then_the_menu(handoffs, outcome):
    state = State(VOICE, handoffs.id, "text-me")
    reply = engine.after_text(handoffs, state, outcome, NOW, EVERYTHING_OPEN)
    assert reply.paragraphs[0] == SAID_AFTER[outcome]
    assert reply.paragraphs[1].startswith("If you clicked, press 1.")
    assert (reply.state.node, reply.state.step) == ("main", 0)
    assert (reply.event, reply.ends) == (f"text-{outcome}", False)
    assert reply.state.at == int(NOW.timestamp())
    assert any(c.key == "4" for c in reply.choices)  # the line is open: still offered


# Every outcome a turn's log line can name. Operators' dashboards and `ivr report` read
# these words: a changed one breaks whoever reads the old, so they are written out here.
LOGGED = ["start", "restart", "expired", "guide", "guides", "language", "chose", "next",
          "repeat", "wrong", "unknown", "person", "no-more", "silence", "goodbye", "dial",
          "transfer", "send_text", "resume", "transfer-completed", "transfer-unanswered",
          "text-sent", "text-already_sent", "text-no_number", "text-not_mobile", "text-limited",
          "text-failed", "opted-out", "opted-in", "fault", "fallback"]  # fmt: skip


def test_the_words_logged_for_outcomes_stay_the_words_they_were():
    assert [str(o) for o in Outcome] == LOGGED
    assert [f"{o}" for o in Outcome] == LOGGED  # an f-string writes the word, not the name
    assert [Outcome.after_text(o) for o in TEXT_OUTCOMES] == [f"text-{o}" for o in TEXT_OUTCOMES]


def test_after_a_text_the_menu_offers_the_line_while_it_is_open(handoffs):
    state = State(VOICE, handoffs.id, "text-me")
    opening_hours = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)  # a Wednesday, 11:00
    assert "press 4" in " ".join(
        engine.after_text(handoffs, state, "sent", opening_hours).paragraphs
    )
    assert "press 4" not in " ".join(engine.after_text(handoffs, state, "sent", NOW).paragraphs)


def test_after_a_text_from_another_script_or_none_the_call_starts_afresh(handoffs, tiny):
    other = engine.after_text(handoffs, State(VOICE, "tiny", "main"), "sent", NOW, EVERYTHING_OPEN)
    assert (other.event, other.state.node) == ("restart", "main")
    assert "press 4" in " ".join(other.paragraphs)  # the offers given still hold
    assert other.paragraphs[0] == "If you are in danger, hang up and call nine nine nine."
    none = engine.after_text(tiny, State(VOICE, "tiny", "main"), "sent", NOW)
    assert (none.event, none.state.node) == ("restart", "main")


def test_sms_parts_are_named_pages_and_phone_parts_steps(guide):
    by_text = _catalogue(guide, SMS)
    by_phone = _catalogue(guide, VOICE)
    assert "node 'steps', page 2" in by_text and "node 'steps', step 2" not in by_text
    assert "node 'steps', step 2" in by_phone and "node 'steps', page 2" not in by_phone


def test_a_script_with_a_line_but_no_texts_is_heard_open_and_closed(tmp_path):
    text = (FIXTURES / "handoffs.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if "action: text_me" not in line]
    text = "".join(lines)
    node = text[text.index("  text-me:\n") : text.index("  clicked:\n")]
    text = text.replace(node, "")[: text.index("\ntext_me:\n") - len(node)] + "\n"
    path = tmp_path / "line-only.yaml"
    path.write_text(text, encoding="utf-8")
    script = load_script(path)
    assert script.text_me is None and script.transfers
    replies = _catalogue(script, VOICE)
    assert "node 'main'" in replies and "node 'main' (lines closed)" in replies
    assert "press 4" in " ".join(replies["node 'main'"].paragraphs)


def test_without_a_danger_first_sentence_the_call_opens_without_one(tmp_path):
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    said = '  danger_first: {voice: "{label}, press {key}, at any time.", sms: ""}\n'
    assert said in text
    path = tmp_path / "no-danger-first.yaml"
    path.write_text(text.replace(said, '  danger_first: ""\n'), encoding="utf-8")
    script = load_script(path)
    opening = engine.start(script, VOICE, NOW).paragraphs
    assert opening[0] == "If you are in danger, hang up and call nine nine nine."
    assert opening[1] == "Welcome to the test line."
    assert engine.danger_first(script) is None
    with_it = engine.start(load_script(FIXTURES / "valid.yaml"), VOICE, NOW).paragraphs
    assert with_it[1] == "If you are in danger, press 9, at any time."
