"""The shipped script's hand-offs: the Revenge Porn Helpline in its opening hours, on the
second-level menu, in the support answer and at step 4, never on the under-18 path; and
the text of the steps. Played as Twilio would, with the clock moved by freezegun.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from freezegun import freeze_time

from ivr.web import create_app

from support import ACCOUNT, CALLER, HELPLINE, Call, production_env

RPH = "+443456000459"
OFFER = "To be put through to the Revenge Porn Helpline now, press"
CLOSED = "The Revenge Porn Helpline is closed now. It is open Monday to Friday, 10am to 4pm"
MONDAY_1030 = "2026-06-15 09:30:00"  # UTC; 10:30 in London (BST)


@pytest.fixture
def client(app):
    return app.test_client()


def _second_level(client) -> Call:
    call = Call(client)
    call.start()
    call.press("3")  # "for the steps to take now, and everything else"
    return call


@freeze_time(MONDAY_1030)
def test_on_a_monday_at_1030_a_caller_is_offered_the_helpline_and_put_through(client):
    call = _second_level(client)
    assert f"{OFFER} 5." in call.heard.text
    put_through = call.press("5")
    dial = put_through.xml.find("Dial")
    assert dial is not None and dial.text.strip() == RPH
    assert dial.get("callerId") == HELPLINE


@pytest.mark.parametrize(
    "utc",
    [
        "2026-06-15 15:05:00",  # Monday 16:05 BST
        "2026-06-13 09:30:00",  # Saturday 10:30
        "2026-12-25 10:30:00",  # Christmas Day 10:30 GMT
        "2027-03-29 09:30:00",  # Easter Monday 10:30 BST
    ],
)
def test_when_closed_a_caller_is_not_put_through_and_hears_when_to_call(client, utc):
    with freeze_time(utc):
        call = _second_level(client)
        assert OFFER not in call.heard.text
        assert CLOSED in call.heard.text
        assert "zero three four five, six zero zero zero, four five nine" in call.heard.text
        assert call.press("5").says[0] == "Sorry, that isn't one of the choices."


@freeze_time(MONDAY_1030)
def test_the_support_answer_and_step_4_offer_it_while_open(client):
    call = _second_level(client)
    support = call.press("4")
    assert f"{OFFER} 3." in support.text
    assert call.press("3").xml.find("Dial").text.strip() == RPH
    steps = _second_level(client)
    steps.press("1")
    for _ in range(3):
        heard = steps.press("1")
    assert "Revenge Porn Helpline on zero three four five" in heard.text  # step 4
    assert f"{OFFER} 2." in heard.text
    assert steps.press("2").xml.find("Dial").text.strip() == RPH


@freeze_time(MONDAY_1030)
def test_never_offered_on_the_under_18_path(client):
    call = Call(client)
    call.start()
    young = call.press("2")
    assert "Revenge Porn Helpline" not in young.text
    for key in "123456789":
        if key in "90":
            continue
        heard = Call(client)
        heard.start()
        heard.press("2")
        assert heard.press(key).xml.find("Dial") is None


def test_the_hours_in_the_script_agree_with_what_callers_are_told(guide):
    transfer = guide.transfers["revenge-porn-helpline"]
    hours = transfer.hours
    assert hours.zone == "Europe/London"
    assert sorted(hours.weekly) == [0, 1, 2, 3, 4]
    for periods in hours.weekly.values():
        assert [(p.start, p.end) for p in periods] == [(time(10), time(16))]
    assert date(2026, 12, 25) in hours.closed and date(2027, 12, 28) in hours.closed
    assert "gov.uk/bank-holidays" in hours.closed_source
    # (test_guide.py's table checks the support answer gives these hours on both channels.)
    assert "Monday to Friday, 10am to 4pm, except bank holidays" in transfer.closed.voice
    assert transfer.adults_only


def test_the_text_of_the_steps_carries_the_short_answer_999_the_seven_steps_and_links(guide):
    message = guide.text_me.message
    assert len(message) <= 1600
    assert "call 999" in message[:100]
    assert "don't click the link or engage with the sender" in message
    for number in range(1, 8):
        assert f"\n{number}. " in message
    for link in guide.links:
        assert link in message, link


@freeze_time(MONDAY_1030)
def test_a_caller_asking_for_the_text_gets_one_request_with_their_number_and_the_steps(
    texts_api, guide
):
    env = production_env(TWILIO_ACCOUNT_SID=ACCOUNT, IVR_TWILIO_API_URL=texts_api.url)
    call = Call(create_app(env).test_client())
    call.start()
    call.press("3")
    first_step = call.press("1")
    assert "To get these steps by text, press 2." in first_step.text
    warning = call.press("2")
    assert "The text will show on this phone" in warning.text
    assert "To send it, press 1." in warning.text
    sent = call.press("1")
    assert sent.says[0] == "I've sent the text to this phone. It may take a minute to arrive."
    assert [s.form for s in texts_api.seen] == [
        {"To": CALLER, "From": HELPLINE, "Body": guide.text_me.message}
    ]


@freeze_time(MONDAY_1030)
def test_a_withheld_caller_is_told_why_not(texts_api):
    env = production_env(TWILIO_ACCOUNT_SID=ACCOUNT, IVR_TWILIO_API_URL=texts_api.url)
    call = Call(create_app(env).test_client(), caller="anonymous")
    call.start()
    call.press("3")
    call.press("1")
    call.press("2")
    told = call.press("1")
    assert told.says[0] == "Your number is withheld or unknown, so I can't send you a text."
    assert texts_api.seen == []


@freeze_time(MONDAY_1030)
def test_the_second_level_stays_within_six_keys_and_0_still_goes_back(client):
    call = _second_level(client)
    assert "For the main menu, press 0." not in call.heard.text  # quiet: ["0"]
    assert "If you are in danger or can't cope, press 9." in call.heard.text
    back = call.press("0")
    assert "If you already clicked the link, press 1." in back.text


@pytest.mark.parametrize(
    "words", ["I want to talk to someone", "can I speak to a person", "is anyone there"]
)
def test_asking_for_a_person_while_open_offers_the_helpline(client, words):
    with freeze_time(MONDAY_1030):
        call = Call(client)
        call.start()
        heard = call.say(words)
        assert "This is an automated line, not a person" in heard.text
        assert f"{OFFER} 5." in heard.text
        assert call.press("5").xml.find("Dial").text.strip() == RPH


@pytest.mark.parametrize("utc", ["2026-06-13 09:30:00", "2026-06-15 15:05:00"])
def test_asking_for_a_person_while_closed_says_who_to_call_and_does_not_offer_it(client, utc):
    with freeze_time(utc):
        call = Call(client)
        call.start()
        heard = call.say("I want to talk to someone")
    assert "This is an automated line, not a person" in heard.text
    assert "one one six, one two three" in heard.text  # Samaritans, any time
    assert OFFER not in heard.text


@freeze_time(MONDAY_1030)
def test_asking_for_a_person_on_the_under_18_route_is_not_offered_the_adults_line(client):
    call = Call(client)
    call.start()
    call.press("2")
    heard = call.say("I want to talk to someone")
    assert "This is an automated line, not a person" in heard.text
    assert "Revenge Porn Helpline" not in heard.text
