"""The shipped guide in English and Welsh: which languages a line offers, the language
choice by phone, the language a text is written in, switching, crisis words in either
language, and the Welsh routes (ivr.opening, ivr.library, ivr.understanding).

Domain tests over the real shipped script; the webhooks are in test_languages_web.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ivr import gsm7
from ivr.engine import Outcome
from ivr.errors import ConfigError
from ivr.library import Library
from ivr.loader import load_script
from ivr.script import LANGUAGE_CHOICE
from ivr.turns import call_turn, text_turn

from support import FIXTURES, GUIDE

pytestmark = pytest.mark.domain

NOW = datetime(2026, 12, 7, 20, 30, tzinfo=UTC)  # a Monday evening: the Welsh line is open
WELSH_LINE = "0808 164 0123"
SPOKEN_WELSH_LINE = "dim wyth dim wyth, un chwech pedwar, dim un dau tri"


@pytest.fixture(scope="module")
def guide():
    return load_script(GUIDE)


@pytest.fixture(scope="module")
def both(guide):
    """The line as development offers it: English, then the Welsh draft."""
    return Library([guide], drafts=True)


@pytest.fixture(scope="module")
def welsh_first(guide):
    return Library([guide], languages=("cy-GB", "en-GB"))


# -- Which languages are offered ---------------------------------------------------------


def test_the_shipped_welsh_is_a_draft_so_production_offers_english_alone(guide):
    assert guide.languages["cy-GB"].status == "draft"
    library = Library([guide])  # production: drafts are not offered
    assert library.languages == ("en-GB",)
    assert library.left_out == ("cy-GB",)
    assert call_turn(library, None, NOW).state.node == guide.main.id  # no language choice


def test_development_offers_the_draft_and_the_operator_can_name_it(both, welsh_first):
    assert both.languages == ("en-GB", "cy-GB") and both.left_out == ()
    assert welsh_first.languages == ("cy-GB", "en-GB") and welsh_first.left_out == ()


def test_a_language_a_script_does_not_speak_is_refused_with_the_fix(guide):
    with pytest.raises(ConfigError, match=r"IVR_LANGUAGES names fr-FR.*Declare fr-FR"):
        Library([guide], languages=("en-GB", "fr-FR"))
    plain = load_script(FIXTURES / "valid.yaml")
    with pytest.raises(ConfigError, match="does not speak it"):
        Library([plain], languages=("cy-GB",))


# -- By phone ----------------------------------------------------------------------------


def test_a_call_hears_danger_in_each_language_then_one_key_each_welsh_first(welsh_first):
    reply = call_turn(welsh_first, None, NOW)
    assert reply.state.node == LANGUAGE_CHOICE
    said = list(zip(reply.languages, reply.paragraphs, strict=True))
    assert said[0] == (
        "cy-GB",
        "Os ydych chi mewn perygl uniongyrchol, rhowch y ffôn i lawr nawr a ffoniwch naw naw naw.",
    )
    assert said[1][0] == "cy-GB" and "pwyswch 9" in said[1][1]
    assert said[2] == (
        "en-GB",
        "If you are in immediate danger, hang up now and call nine nine nine.",
    )
    assert said[3][0] == "en-GB" and "press 9" in said[3][1]
    assert said[4:] == [("cy-GB", "Am Gymraeg, pwyswch 1."), ("en-GB", "For English, press 2.")]
    assert {c.key for c in reply.choices} >= {"1", "2", "9"}


def test_the_danger_key_works_at_the_language_choice_in_the_first_language(welsh_first, both):
    for library, words in ((welsh_first, "ffoniwch naw naw naw"), (both, "call nine nine nine")):
        start = call_turn(library, None, NOW)
        reply = call_turn(library, start.state, NOW, digits="9")
        assert reply.state.node == "danger"
        assert words in reply.paragraphs[0]


def test_choosing_welsh_gives_the_welsh_welcome_keys_only_and_keeps_the_language(welsh_first):
    start = call_turn(welsh_first, None, NOW)
    reply = call_turn(welsh_first, start.state, NOW, digits="1")
    assert reply.event == Outcome.LANGUAGE
    assert reply.state.language == "cy-GB"
    assert reply.paragraphs[0].startswith("Dim ond botymau'r ffôn")  # keys only, said once
    assert reply.paragraphs[1].startswith("Mae'r llinell hon yn rhoi camau cyntaf")
    assert "danger" not in " ".join(reply.paragraphs)  # the danger line is not said again
    clicked = call_turn(welsh_first, reply.state, NOW, digits="1")
    assert clicked.state.language == "cy-GB"
    assert clicked.paragraphs[0].startswith("Os ydych chi wedi clicio'r ddolen yn barod")


def test_choosing_english_is_the_source_language_in_the_state(welsh_first):
    start = call_turn(welsh_first, None, NOW)
    reply = call_turn(welsh_first, start.state, NOW, digits="2")
    assert reply.state.language == ""
    assert reply.paragraphs[0].startswith("This line gives first steps")


def test_a_welsh_call_in_danger_gets_the_welsh_language_line_with_its_hours(welsh_first, guide):
    start = call_turn(welsh_first, None, NOW)
    welsh = call_turn(welsh_first, start.state, NOW, digits="1")
    danger = call_turn(welsh_first, welsh.state, NOW, digits="9")
    said = " ".join(danger.paragraphs)
    assert danger.state.node == guide.roles["danger"] and danger.state.language == "cy-GB"
    assert SPOKEN_WELSH_LINE in said and "7 y nos ac 11 y nos" in said
    assert "un un chwech, un dau tri" in said  # Samaritans, 116 123, at any time


# -- By text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "language", "start"),
    [
        ("helo, dw i wedi clicio ar y ddolen", "cy-GB", "Os ydych chi wedi clicio'r ddolen"),
        ("shwmae", "cy-GB", "Peidiwch ag agor y ddolen"),
        ("hi, I clicked the link", "", "If you already clicked the link"),
        ("hello", "", "Do not click the link"),
    ],
)
def test_a_first_text_is_answered_in_the_language_it_is_written_in(both, body, language, start):
    turn = text_turn(both, None, body, NOW)
    assert turn.state.language == language
    assert start in turn.reply.text


def test_the_welcome_says_in_one_line_that_the_other_language_is_there(both):
    english = text_turn(both, None, "hello", NOW).reply.text
    welsh = text_turn(both, None, "helo", NOW).reply.text
    assert "Yn Gymraeg? Atebwch CYMRAEG." in english
    assert "In English? Reply ENGLISH." in welsh
    for text in (english, welsh):
        assert gsm7.segments(text) <= 4 and not gsm7.not_gsm7(text)


def test_cymraeg_and_english_switch_language_at_any_point(both):
    first = text_turn(both, None, "hello", NOW)
    steps = text_turn(both, first.state, "3", NOW)
    assert steps.state.node == "steps"
    welsh = text_turn(both, steps.state, "CYMRAEG", NOW)
    assert welsh.event == Outcome.LANGUAGE
    assert (welsh.state.node, welsh.state.language) == ("steps", "cy-GB")
    assert "Stopiwch y sgwrs a blociwch" in welsh.reply.text
    more = text_turn(both, welsh.state, "nesaf", NOW)  # Welsh words work in Welsh
    assert more.state.language == "cy-GB" and more.state.step == 1
    back = text_turn(both, more.state, "english", NOW)
    assert (back.state.node, back.state.language) == ("steps", "")
    assert "Stop the interaction and block" in back.reply.text


@pytest.mark.parametrize(
    ("opening", "crisis", "reply_starts"),
    [
        ("helo", "I want to kill myself", "Os ydych chi'n teimlo mewn perygl"),
        ("helo", "dw i eisiau marw", "Os ydych chi'n teimlo mewn perygl"),
        ("hello", "dw i ddim eisiau byw", "If you feel at immediate risk of harm"),
        ("hello", "I want to die", "If you feel at immediate risk of harm"),
    ],
)
def test_crisis_words_in_either_language_reach_danger_in_the_conversations_language(
    both, guide, opening, crisis, reply_starts
):
    first = text_turn(both, None, opening, NOW)
    turn = text_turn(both, first.state, crisis, NOW)
    assert turn.state.node == guide.roles["danger"]
    assert turn.state.language == first.state.language
    assert reply_starts in turn.reply.text


def test_a_welsh_texter_in_danger_gets_999_samaritans_and_the_welsh_line(both, guide):
    turn = text_turn(both, None, "dw i eisiau lladd fy hun", NOW)
    assert turn.state.node == guide.roles["danger"] and turn.state.language == "cy-GB"
    text = turn.reply.text
    assert text.index("999") < text.index("116 123") < text.index(WELSH_LINE)
    assert "7pm-11pm" in text


def test_a_first_text_with_no_words_of_either_language_gets_the_first_offered(welsh_first):
    turn = text_turn(welsh_first, None, "?", NOW)
    assert turn.state.language == "cy-GB"  # the operator put Welsh first
    assert "In English? Reply ENGLISH." in turn.reply.text


def test_a_one_language_line_is_unchanged_by_languages(guide):
    english_only = Library([guide], languages=("en-GB",))
    assert text_turn(english_only, None, "CYMRAEG", NOW).state.language == ""
    reply = call_turn(english_only, None, NOW)
    assert reply.languages == () and reply.state.node == guide.main.id
    assert call_turn(english_only, reply.state, NOW, digits="1").state.language == ""


def test_a_key_at_the_language_choice_that_is_not_offered_asks_again(welsh_first):
    start = call_turn(welsh_first, None, NOW)
    again = call_turn(welsh_first, start.state, NOW, digits="7")
    assert again.state.node == LANGUAGE_CHOICE and again.event == Outcome.WRONG
    assert again.paragraphs[-2:] == ("Am Gymraeg, pwyswch 1.", "For English, press 2.")


def test_a_reprompt_at_the_language_choice_is_in_the_first_language_and_its_voice(welsh_first):
    start = call_turn(welsh_first, None, NOW)
    again = call_turn(welsh_first, start.state, NOW, digits="7")
    assert again.paragraphs[0] == "Mae'n ddrwg gen i, dydy hynny ddim yn un o'r dewisiadau."
    assert again.languages[0] == "cy-GB"
