""" "Text me these steps", against a real local HTTP server standing in for Twilio's API.

The app reaches the stand-in through IVR_TWILIO_API_URL, so every request is made by the
texts_api package's own REST client and the tests see exactly what Twilio would receive.
The limit store is tested in-process and against a real Redis-protocol server
(fakeredis's TCP server), shared by two instances of the app.
"""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from freezegun import freeze_time

from ivr.web import create_app

from support import ACCOUNT, CALLER, FIXTURES, HELPLINE, TOKEN, Call, MessagesApi, production_env

SCRIPT = FIXTURES / "handoffs.yaml"
BODY = "Some first steps: 1. Stop and block. 2. Save a record. If you are in danger, call 999."
WARNING = "The text will show on this phone, and its first words may show on the lock screen."
OFFER = "To get these steps by text, press 5."
SERVICE = "MG" + "4" * 32
MONDAY = "2026-06-15 09:30:00"


def make_app(texts_api: MessagesApi, **env: str):
    settings = {
        "IVR_SCRIPTS": str(SCRIPT),
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "IVR_TWILIO_API_URL": texts_api.url,
        "IVR_TEXT_TIMEOUT_SECONDS": "1",
        **env,
    }
    return create_app(production_env(**settings))


def ask_for_text(client, caller: str = CALLER) -> Call:
    call = Call(client, caller=caller)
    call.start()
    warned = call.press("5")
    assert warned.says[0] == WARNING
    assert "To send it, press 1." in warned.text
    call.press("1")
    return call


@freeze_time(MONDAY)
def test_a_caller_who_confirms_gets_one_text_of_the_steps_once(texts_api):
    client = make_app(texts_api).test_client()
    call = Call(client)
    assert OFFER in call.start().text
    call.press("5")
    heard = call.press("1")
    assert heard.says[0] == "I've sent the text."
    assert "If you clicked, press 1." in heard.text and heard.gather  # the call goes on
    (sent,) = texts_api.seen
    assert sent.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert sent.form == {"To": CALLER, "From": HELPLINE, "Body": BODY}
    assert sent.auth == f"{ACCOUNT}:{TOKEN}"
    call.press("5")
    again = call.press("1")
    assert again.says[0] == "The text has already been sent on this call."
    assert len(texts_api.seen) == 1


@freeze_time(MONDAY)
def test_going_back_from_the_warning_sends_nothing(texts_api):
    client = make_app(texts_api).test_client()
    call = Call(client)
    call.start()
    call.press("5")
    back = call.press("2")
    assert "If you clicked, press 1." in back.text
    assert texts_api.seen == []


def test_one_text_per_number_per_day_even_across_calls(texts_api):
    with freeze_time(MONDAY) as clock:
        client = make_app(texts_api).test_client()
        ask_for_text(client)
        second = ask_for_text(client)  # a new call, caller ID the same (it may be spoofed)
        assert second.heard.says[0] == "A text already went to this number today."
        assert len(texts_api.seen) == 1
        other = ask_for_text(client, caller="+447700900456")
        assert other.heard.says[0] == "I've sent the text."
        clock.tick(timedelta(hours=23, minutes=59))
        assert ask_for_text(client).heard.says[0] == "A text already went to this number today."
        clock.tick(timedelta(minutes=2))
        assert ask_for_text(client).heard.says[0] == "I've sent the text."
    assert [s.form["To"] for s in texts_api.seen] == [CALLER, "+447700900456", CALLER]


@freeze_time(MONDAY)
@pytest.mark.parametrize(
    ("caller", "said"),
    [
        ("anonymous", "Your number is hidden, so I can't send a text."),
        ("+266696687", "Your number is hidden, so I can't send a text."),  # Twilio's "anonymous"
        ("", "Your number is hidden, so I can't send a text."),
        ("07700900123", "Your number is hidden, so I can't send a text."),  # not E.164
        ("Restricted", "Your number is hidden, so I can't send a text."),
        ("client:browser", "Your number is hidden, so I can't send a text."),
        ("+442079460000", "Texts can only go to a UK mobile."),  # a London landline
        ("+447000000000", "Texts can only go to a UK mobile."),  # 070: a personal number
        ("+447640123456", "Texts can only go to a UK mobile."),  # 076: a pager
        ("+33612345678", "Texts can only go to a UK mobile."),  # a French mobile
    ],
)
def test_withheld_unknown_and_landline_callers_are_told_why_and_nothing_is_sent(
    texts_api, caller, said
):
    client = make_app(texts_api).test_client()
    call = ask_for_text(client, caller=caller)
    assert call.heard.says[0] == said
    assert call.heard.gather is not None
    assert texts_api.seen == []


@freeze_time(MONDAY)
def test_the_isle_of_man_mobile_range_gets_a_text(texts_api):
    client = make_app(texts_api).test_client()
    assert ask_for_text(client, caller="+447624123456").heard.says[0] == "I've sent the text."


@freeze_time(MONDAY)
def test_a_twilio_error_is_told_and_the_call_goes_on_and_can_try_again(texts_api):
    client = make_app(texts_api).test_client()
    texts_api.status = 400
    call = ask_for_text(client)
    assert call.heard.says[0] == "Sorry, the text could not be sent just now."
    assert call.heard.gather is not None and not call.heard.hangup
    texts_api.status = 201
    call.press("5")
    assert call.press("1").says[0] == "I've sent the text."  # a failure does not use up the day
    assert len(texts_api.seen) == 2


@freeze_time(MONDAY)
def test_a_slow_api_times_out_in_about_a_second_and_is_told(texts_api):
    client = make_app(texts_api).test_client()
    texts_api.delay = 6
    started = time.perf_counter()
    call = ask_for_text(client)
    took = time.perf_counter() - started
    assert call.heard.says[0] == "Sorry, the text could not be sent just now."
    assert took < 5  # a read timeout of 1 s (with room for a busy machine), not the 6 s wait
    assert len(texts_api.seen) == 1


@freeze_time(MONDAY)
def test_an_api_that_cannot_be_reached_is_a_failure_told_to_the_caller(texts_api):
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    client = make_app(texts_api, IVR_TWILIO_API_URL=closed).test_client()
    assert ask_for_text(client).heard.says[0] == "Sorry, the text could not be sent just now."


@freeze_time(MONDAY)
def test_a_messaging_service_can_be_the_sender(texts_api):
    client = make_app(texts_api, IVR_TEXT_FROM=SERVICE).test_client()
    ask_for_text(client)
    assert texts_api.seen[0].form == {"To": CALLER, "MessagingServiceSid": SERVICE, "Body": BODY}


@freeze_time(MONDAY)
def test_an_api_key_is_used_when_set(texts_api):
    key, secret = "SK" + "6" * 32, "api-secret"
    client = make_app(texts_api, TWILIO_API_KEY=key, TWILIO_API_SECRET=secret).test_client()
    ask_for_text(client)
    assert texts_api.seen[0].auth == f"{key}:{secret}"


@freeze_time(MONDAY)
def test_without_credentials_the_option_is_not_offered_and_start_up_says_so_once(capsys):
    app = create_app(production_env(IVR_SCRIPTS=str(SCRIPT)))
    logged = capsys.readouterr().err
    assert logged.count("'Text me these steps' is off") == 1
    assert "TWILIO_ACCOUNT_SID is not set" in logged
    call = Call(app.test_client())
    assert OFFER not in call.start().text
    assert call.press("5").says[0] == "Sorry, that isn't one of the choices."
    assert "Text me" not in capsys.readouterr().err  # said once, at start-up only


@freeze_time(MONDAY)
def test_the_callers_number_never_reaches_the_logs(texts_api, capsys):
    client = make_app(texts_api).test_client()
    ask_for_text(client)
    texts_api.status = 400
    ask_for_text(client, caller="+447700900456")
    logged = capsys.readouterr().err
    assert '"event": "text_not_sent"' in logged  # the failure is logged ...
    assert '"twilio_code": 21610' in logged
    for number in (CALLER, CALLER[1:], "7700900123", "7700900456"):
        assert number not in logged  # ... and the number is not


@freeze_time(MONDAY)
def test_with_redis_the_limit_holds_across_instances_and_keeps_no_number(texts_api, redis_url):
    import redis

    first = make_app(texts_api, REDIS_URL=redis_url).test_client()
    second = make_app(texts_api, REDIS_URL=redis_url).test_client()  # another instance
    assert ask_for_text(first).heard.says[0] == "I've sent the text."
    assert ask_for_text(second).heard.says[0] == "A text already went to this number today."
    assert len(texts_api.seen) == 1
    store = redis.Redis.from_url(redis_url)
    keys = sorted(k.decode() for k in store.keys("*"))
    assert len(keys) == 2  # this number's day, and this call's text
    for key in keys:
        assert key.startswith("ivr:text:")
        assert "7700900123" not in key
        assert 0 < store.ttl(key) <= 24 * 60 * 60
    number_key = next(k for k in keys if k.startswith("ivr:text:number:"))
    assert store.ttl(number_key) > 23 * 60 * 60


@freeze_time(MONDAY)
def test_a_redis_that_cannot_be_reached_sends_nothing(texts_api):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    client = make_app(texts_api, REDIS_URL=closed).test_client()
    assert ask_for_text(client).heard.says[0] == "Sorry, the text could not be sent just now."
    assert texts_api.seen == []
