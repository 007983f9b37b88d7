"""Putting a caller through in opening hours: offered when open, a <Dial> that shows the
helpline's own number, and every way that call can end. Time is moved with freezegun at
the web layer; the app reads the clock as it does in production.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from freezegun import freeze_time

from ivr.web import create_app

from support import FIXTURES, HELPLINE, Call, opened_url, production_env

SCRIPT = FIXTURES / "handoffs.yaml"
OFFER = "To be put through to the test line now, press 4."
CLOSED = "The test line is open Monday to Friday, 10am to 4pm."
MONDAY_OPEN = "2026-06-15 09:30:00"  # UTC: 10:30 in London (BST)


@pytest.fixture
def client():
    return create_app(production_env(IVR_SCRIPTS=str(SCRIPT))).test_client()


def _dial(heard):
    dial = heard.xml.find("Dial")
    assert dial is not None, heard.text
    return dial


@pytest.mark.parametrize(
    ("utc", "open_"),
    [
        ("2026-06-15 08:59:00", False),  # Monday 09:59 BST: a minute before opening
        ("2026-06-15 09:00:00", True),  # 10:00 BST
        ("2026-06-15 14:59:00", True),  # 15:59 BST: a minute before closing
        ("2026-06-15 15:00:00", False),  # 16:00 BST
        ("2026-06-15 15:05:00", False),  # 16:05 BST
        ("2026-12-07 09:59:00", False),  # Monday 09:59 GMT
        ("2026-12-07 10:00:00", True),
        ("2026-12-07 16:01:00", False),  # a minute after closing
        ("2026-06-13 09:30:00", False),  # Saturday
        ("2026-06-14 09:30:00", False),  # Sunday
        ("2026-12-25 10:30:00", False),  # Christmas Day, a Friday
        ("2026-12-28 10:30:00", False),  # the substitute Boxing Day, a Monday
        # last Sunday of March: the Friday before is GMT, the Monday after BST
        ("2026-03-27 09:30:00", False),  # 09:30 GMT
        ("2026-03-27 10:00:00", True),
        ("2026-03-30 09:00:00", True),  # 10:00 BST
        ("2026-03-30 08:59:00", False),
        # last Sunday of October: the Friday before is BST, the Monday after GMT
        ("2026-10-23 14:59:00", True),  # 15:59 BST
        ("2026-10-23 15:00:00", False),
        ("2026-10-26 09:00:00", False),  # 09:00 GMT
        ("2026-10-26 15:59:00", True),  # 15:59 GMT
    ],
)
def test_the_transfer_is_offered_only_while_the_line_is_open(client, utc, open_):
    with freeze_time(utc):
        heard = Call(client).start()
    assert (OFFER in heard.text) is open_
    assert (CLOSED in heard.text) is not open_
    if not open_:
        assert "01632 960000" not in heard.text  # spoken digit by digit, never as a quantity
        assert "zero one six three two, nine six zero zero zero zero" in heard.text


@freeze_time(MONDAY_OPEN)
def test_when_open_the_call_is_put_through_showing_the_helplines_own_number(client):
    call = Call(client)
    call.start()
    put_through = call.press("4")
    assert put_through.says == ["Putting you through now."]
    dial = _dial(put_through)
    assert dial.text.strip() == "+441632960000"
    assert dial.get("callerId") == HELPLINE  # the number called, never the caller's
    assert dial.get("timeout") == "20"
    assert dial.get("method") == "POST"
    action = urlsplit(dial.get("action"))
    assert action.path == "/voice/next"
    assert list(parse_qs(action.query)) == ["s"]  # the transfer's id is sealed with the state
    assert opened_url(client.application, dial.get("action")).via == "line"
    assert put_through.gather is None and not put_through.hangup


@freeze_time(MONDAY_OPEN)
@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled", "", "new-status"])
def test_a_call_nobody_answered_comes_back_with_words_and_the_menu(client, status):
    call = Call(client)
    call.start()
    dial = _dial(call.press("4"))
    back = call._post(urljoin("/voice", dial.get("action")), call.params(DialCallStatus=status))
    assert back.says[0] == "They couldn't answer just now. You can try again later."
    assert OFFER in back.text  # still open: they can try again
    assert back.gather is not None and not back.hangup  # never silence, never a hang-up
    assert back.redirect


@freeze_time(MONDAY_OPEN)
@pytest.mark.parametrize("status", ["completed", "answered"])
def test_after_a_call_that_was_answered_a_short_goodbye_with_999_and_samaritans(client, status):
    call = Call(client)
    call.start()
    dial = _dial(call.press("4"))
    back = call._post(urljoin("/voice", dial.get("action")), call.params(DialCallStatus=status))
    assert "nine nine nine" in back.text
    assert "one one six, one two three" in back.text
    assert back.hangup and back.gather is None


def test_a_call_that_comes_back_after_closing_hears_when_to_call(client):
    with freeze_time("2026-06-15 14:59:30"):  # 15:59:30 BST
        call = Call(client)
        call.start()
        dial = _dial(call.press("4"))
    with freeze_time("2026-06-15 15:00:30"):
        back = call._post(
            urljoin("/voice", dial.get("action")), call.params(DialCallStatus="no-answer")
        )
    assert back.says[0].startswith("They couldn't answer just now.")
    assert OFFER not in back.text and CLOSED in back.text


@freeze_time("2026-06-13 09:30:00")  # Saturday
def test_when_closed_the_key_and_the_words_do_not_put_a_call_through(client):
    call = Call(client)
    call.start()
    pressed = call.press("4")
    assert pressed.xml.find("Dial") is None
    assert pressed.says[0] == "Sorry, that isn't one of the choices."
    spoken = call.say("connect")
    assert spoken.xml.find("Dial") is None


@freeze_time(MONDAY_OPEN)
def test_words_put_the_call_through_when_open(client):
    call = Call(client)
    call.start()
    assert _dial(call.say("I'd like to talk to someone")).text.strip() == "+441632960000"


@freeze_time(MONDAY_OPEN)
def test_the_step_that_names_the_line_offers_it_while_it_is_read(client):
    call = Call(client)
    call.start()
    call.press("3")  # the steps
    second = call.press("1")
    assert "Save a record, and call the test line." in second.text
    assert "To be put through to the test line now, press 2." in second.text
    assert _dial(call.press("2")).get("callerId") == HELPLINE
    third = call._post(
        urljoin("/voice", call.heard.xml.find("Dial").get("action")),
        call.params(DialCallStatus="busy"),
    )
    assert "Save a record, and call the test line." in third.text  # back where they were


@freeze_time(MONDAY_OPEN)
@pytest.mark.parametrize("called", ["client:browser", "", "sip:helpline@example.org"])
def test_no_transfer_where_the_helplines_number_cannot_be_shown(client, called):
    # Without a number of our own to show, Twilio would show the caller's: never that.
    call = Call(client)
    heard = call._post("/voice", call.params("ringing", To=called, Called=called))
    assert OFFER not in heard.text
    assert heard.xml.find("Dial") is None
