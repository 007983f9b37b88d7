"""A WhatsApp message's turn (ivr.turns.text_turn, domain only): the opt-out words, which
Twilio answers on WhatsApp only where it says so in OptOutType, taps, and voice notes."""

from __future__ import annotations

import pytest

from ivr import engine
from ivr.library import Library
from ivr.loader import load_script
from ivr.outcomes import Outcome
from ivr.script import GO, SMS, WHATSAPP
from ivr.turns import text_turn

from support import GUIDE, NOW

pytestmark = pytest.mark.domain


@pytest.fixture(scope="module")
def library():
    return Library([load_script(GUIDE)])


@pytest.mark.parametrize("word", ["STOP", "stop", " Unsubscribe ", "QUIT", "optout"])
def test_a_stop_twilio_did_not_classify_is_confirmed_by_the_line(library, word):
    turn = text_turn(library, None, word, NOW, channel=WHATSAPP)
    assert turn.event == Outcome.OPTED_OUT and turn.state is None
    said = turn.reply.text
    assert said.startswith("You won't get any more messages from this line")
    assert "999" in said and "116 123" in said
    assert not turn.reply.choices  # nothing to choose: the conversation is forgotten


def test_a_stop_twilio_answered_gets_nothing_more_from_the_line(library):
    turn = text_turn(library, None, "arret", NOW, channel=WHATSAPP, opt_out_type="STOP")
    assert (turn.reply, turn.state, turn.event) == (None, None, Outcome.OPTED_OUT)


def test_start_is_a_word_like_any_other_unless_twilio_classified_it(library):
    plain = text_turn(library, None, "START", NOW, channel=WHATSAPP)
    assert plain.reply is not None and plain.event != Outcome.OPTED_IN
    classified = text_turn(library, None, "START", NOW, channel=WHATSAPP, opt_out_type="START")
    assert (classified.reply, classified.event) == (None, Outcome.OPTED_IN)
    by_sms = text_turn(library, None, "START", NOW, channel=SMS)
    assert (by_sms.reply, by_sms.event) == (None, Outcome.OPTED_IN)


def test_stop_in_a_sentence_is_read_not_obeyed(library):
    turn = text_turn(library, None, "I want it to stop, I can't cope", NOW, channel=WHATSAPP)
    assert turn.state.node == library.default.roles["danger"]


def test_a_tap_is_what_counts_not_the_label_twilio_sends_as_the_body(library):
    first = text_turn(library, None, "hi", NOW, channel=WHATSAPP)
    # The body of a tap is the button's label; "Stop" here must not opt anyone out.
    tap = engine.tapped(GO, "under-18")
    turn = text_turn(library, first.state, "Stop", NOW, channel=WHATSAPP, tapped=tap)
    assert turn.state.node == "under-18" and turn.event == Outcome.CHOSE


def test_a_voice_note_is_answered_in_its_own_words_then_the_choices(library):
    turn = text_turn(library, None, "", NOW, channel=WHATSAPP, has_voice=True)
    said = turn.reply.text
    assert library.default.phrase("voice_note", WHATSAPP) in said
    assert "999" in said and "Pictures and files" not in said
    assert turn.reply.choices
