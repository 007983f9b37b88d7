"""One number serving two guides, through the real signed webhooks, on both channels: the
guide choice after the danger line, a first text routed by its words, GUIDES (and the
main-menu key) going back to the choice, and the log lines naming the guide.

The second guide is a test fixture (tests/fixtures/guides/account-link: not a real guide).
"""

from __future__ import annotations

import json

import pytest

from ivr.web import create_app

from support import FIXTURES, GUIDE, Call, Texter, production_env

ACCOUNT = FIXTURES / "guides" / "account-link.yaml"
DANGER_SPOKEN = "If you are in immediate danger, hang up now and call nine nine nine."


@pytest.fixture
def app():
    return create_app(production_env(IVR_SCRIPTS=f"{GUIDE},{ACCOUNT}"))


def webhook_lines(err: str) -> list[dict]:
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "webhook"]


def test_healthz_names_both_guides(app):
    scripts = app.test_client().get("/healthz").get_json()["scripts"]
    assert scripts == ["account-link", "link-claiming-intimate-photo"]


def test_a_call_hears_danger_then_chooses_a_guide_then_goes_back_and_chooses_again(app):
    call = Call(app.test_client())
    heard = call.start()
    assert heard.says[:3] == [
        DANGER_SPOKEN,
        "If you are in danger or can't cope, press 9, at any time.",
        "Which of these is closest to what happened?",
    ]
    assert "If a message says your account will be locked, press 2." in heard.says[3]
    assert heard.gather["numDigits"] == "1"
    heard = call.press("2")
    assert heard.says[0] == "Do not follow the link or reply."
    assert heard.says[-1] == "If something else happened, press 0."
    assert not any("nine nine nine" in said for said in heard.says)  # said once, first
    assert call.press("1").says[0].startswith("If you already followed the link")
    assert call.press("0").says[0].startswith("If you already followed the link, press 1.")
    heard = call.press("0")  # at the account guide's main menu: back to the choice
    assert heard.says[0] == "Which of these is closest to what happened?"
    heard = call.press("1")
    assert heard.says[0].startswith("This line gives first steps after a link")
    heard = call.say("other guides")  # the words work from anywhere
    assert heard.says[0] == "Which of these is closest to what happened?"
    assert call.press("9").says[0].startswith("If you feel at immediate risk of harm")


def test_silence_at_the_choice_reprompts_then_ends_with_999_and_samaritans(app):
    call = Call(app.test_client())
    call.start()
    assert "press 2" in " ".join(call.silence().says)
    call.silence()
    goodbye = call.silence()
    assert goodbye.hangup and "nine nine nine" in goodbye.says[0]
    assert "one one six, one two three" in goodbye.says[0]


def test_texts_choose_by_number_or_keyword_and_guides_goes_back(app):
    texter = Texter(app)
    welcome = texter.send("hi")
    assert welcome.startswith("Some first steps:\n\nIf you are in immediate danger, call 999.")
    assert "2 - if a message says your account will be locked (ACCOUNT)" in welcome
    main = texter.send("ACCOUNT")
    assert main.splitlines()[2].startswith("Do not follow the link or reply. Check the account")
    assert main.endswith("0 - something else happened (GUIDES)")
    assert "3." in texter.send("3")  # the account guide's steps
    again = texter.send("guides")
    assert "Which of these is closest to what happened?" in again
    assert "3 - the steps to take now (STEPS)" in texter.send("1")  # the photo guide now


@pytest.mark.parametrize(
    ("first", "starts"),
    [
        ("my account says it will be locked today", "Do not follow the link or reply."),
        ("a photo of me", "Do not click the link or engage"),
        ("hello?", "Which of these is closest to what happened?"),
    ],
)
def test_a_first_text_is_answered_from_the_guide_its_words_name(app, first, starts):
    reply = Texter(app).send(first)
    assert reply.startswith("Some first steps:\n\nIf you are in immediate danger")
    assert "call 999." in reply.split("\n\n")[1] and starts in reply


def test_crisis_words_in_a_first_text_win_over_a_guides_words(app):
    reply = Texter(app).send("my account is locked and I want to kill myself")
    assert reply.startswith("Some first steps:\n\nIf you feel at immediate risk of harm, call 999")


def test_a_number_configured_for_one_guide_starts_in_it(app):
    heard = Call(app.test_client()).start("/voice?script=account-link")
    assert heard.says[0] == "If you are in immediate danger call nine nine nine."
    assert heard.says[2] == "Do not follow the link or reply."
    texter = Texter(app)
    assert "Do not follow the link" in texter.send("hello", url="/sms?script=account-link")


def test_the_log_lines_name_the_guide_each_turn_is_in(app, capfd):
    capfd.readouterr()
    call = Call(app.test_client())
    call.start()
    call.press("2")
    call.press("0")
    lines = webhook_lines(capfd.readouterr().err)
    assert [(line["script"], line["node"], line["outcome"]) for line in lines] == [
        ("link-claiming-intimate-photo", "_guides", "start"),
        ("account-link", "main", "guide"),
        ("link-claiming-intimate-photo", "_guides", "guides"),
    ]
