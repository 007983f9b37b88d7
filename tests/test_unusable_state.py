"""A state in a URL or a cookie that cannot be used starts afresh, politely, and a cookie
is cleared: never "I didn't understand", never the fault reply. That includes every
state the app wrote before it sealed them (the dotted `1.voice.script.node...` strings
and Flask's signed session cookie), anything sealed with another key or for another
use, and anything sealed with values this version does not know."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from ivr.engine import State
from ivr.web import cookie, create_app
from ivr.web.sealed import MAX_TOKEN, Carried

from support import (
    CALLER,
    SECRET,
    Call,
    Texter,
    logged_events,
    logged_outcomes,
    opened_cookie,
    plant_cookie,
    production_env,
    signed_post,
)

GUIDE_ID = "link-claiming-intimate-photo"
DANGER_LINE = "If you are in immediate danger, hang up now and call nine nine nine."
WELCOME = "Some first steps:\n\nIf you are in immediate danger, call 999."
SORRY = ("didn't understand", "isn't one of the choices", "went wrong")
CONVERSATION = "0123456789abcdef"
MAIN = State("voice", GUIDE_ID, "main")
CLICKED_BY_TEXT = State("sms", GUIDE_ID, "clicked")


def other_key_app():
    return create_app(production_env(SECRET_KEY=SECRET[::-1]))


def flip(token: str) -> str:
    """The token with one character changed in the middle of its ciphertext."""
    middle = len(token) // 2
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


def voice_tokens(app) -> dict[str, str]:
    sealer = app.extensions["ivr"].sealer
    return {
        "old dotted state": f"1.voice.{GUIDE_ID}.main.0.0..0",
        "old dotted state, odd digit": f"1.voice.{GUIDE_ID}.main.0.٣..0",
        "not a state": "not-a-state",
        "empty": "",
        "another key's": other_key_app().extensions["ivr"].sealer.seal(Carried(MAIN), "voice"),
        "the cookie's": sealer.seal(Carried(CLICKED_BY_TEXT, conversation=CONVERSATION), "sms"),
        "an SMS state": sealer.seal(Carried(CLICKED_BY_TEXT), "voice"),
        "tampered": flip(sealer.seal(Carried(MAIN), "voice")),
        "cut short": sealer.seal(Carried(MAIN), "voice")[:-6],
        "too long": "A" * (MAX_TOKEN + 1),
        "a name unknown": sealer.seal_values({**MAIN.as_fields(), "mood": "low"}, "voice"),
        "a later inner version": sealer.seal_values(MAIN.as_fields(), "voice", inner=b"\x02"),
        "a node id unheard of": sealer.seal_values({**MAIN.as_fields(), "node": "Main!"}, "voice"),
        "a transfer id unheard of": sealer.seal_values({**MAIN.as_fields(), "via": "+44"}, "voice"),
        "only the retry flag": sealer.seal(Carried(retry=True), "voice"),
        "no values": sealer.seal_values({}, "voice"),
        "a list": sealer.seal_values([1, 2], "voice"),
    }


# Why each is dropped, as the `state_unusable` log line says (ivr.web.sealed.REASONS).
VOICE_REASONS = {
    "old dotted state": "shape",
    "old dotted state, odd digit": "shape",
    "not a state": "shape",
    "empty": "shape",
    "another key's": "key",
    "the cookie's": "use",
    "an SMS state": "content",
    "tampered": "key",
    "cut short": ("key", "shape"),  # shape when the cut leaves a length base64 never has
    "too long": "shape",
    "a name unknown": "content",
    "a later inner version": "version",
    "a node id unheard of": "content",
    "a transfer id unheard of": "content",
    "only the retry flag": "content",
    "no values": "content",
    "a list": "content",
}


def dropped(err: str) -> list[dict]:
    return [line for line in logged_events(err) if line["event"] == "state_unusable"]


def reason_is(line: dict, expected: str | tuple) -> bool:
    return line["reason"] in (expected if isinstance(expected, tuple) else (expected,))


@pytest.mark.parametrize("name", list(voice_tokens(create_app(production_env()))))
def test_a_call_url_with_a_state_that_cannot_be_used_starts_the_call_afresh(name, capfd):
    app = create_app(production_env())
    token = voice_tokens(app)[name]
    call = Call(app.test_client())
    call.start()
    heard = call._post(f"/voice/next?s={quote(token)}", call.params(Digits="1"))
    assert heard.says[0] == DANGER_LINE
    assert not any(sorry in heard.text for sorry in SORRY)
    err = capfd.readouterr().err
    assert logged_outcomes(err) == ["start", "start"]
    # Failing clearly: one line says why, in one word, and holds nothing the token did.
    (line,) = dropped(err)
    assert line["level"] == "WARNING" and line["channel"] == "voice"
    assert reason_is(line, VOICE_REASONS[name]), line
    assert set(line) == {"time", "level", "logger", "event", "channel", "reason"}


def test_every_kind_of_unusable_url_has_its_expected_reason():
    assert VOICE_REASONS.keys() == voice_tokens(create_app(production_env())).keys()


def test_a_key_rotated_without_its_fallback_is_logged_as_the_key_on_every_turn(capfd):
    """The operator's case: SECRET_KEY changed and the old one not kept as a fallback.
    Calls and texts in progress start again, and the log says why, turn by turn."""
    before = create_app(production_env())
    after = create_app(production_env(SECRET_KEY=SECRET[::-1]))
    call = Call(before.test_client())
    call.start()
    url = call._action()
    texter = Texter(before)
    texter.send("hi")
    carried = texter.client.get_cookie(cookie.NAME).value
    capfd.readouterr()
    moved = Call(after.test_client())
    assert moved._post(url, call.params(Digits="1")).says[0] == DANGER_LINE
    moved_texter = Texter(after)
    plant_cookie(after, moved_texter, carried)
    assert moved_texter.send("1").startswith(WELCOME)
    lines = dropped(capfd.readouterr().err)
    assert [(line["channel"], line["reason"]) for line in lines] == [
        ("voice", "key"),
        ("sms", "key"),
    ]
    # With the old key as a fallback, nothing is dropped and nothing is logged.
    kept = create_app(production_env(SECRET_KEY=SECRET[::-1], SECRET_KEY_FALLBACKS=SECRET))
    assert Call(kept.test_client())._post(url, call.params(Digits="1")).says[0] != DANGER_LINE
    assert dropped(capfd.readouterr().err) == []


def test_a_first_turn_and_a_usable_state_log_no_drop(app, capfd):
    call = Call(app.test_client())
    call.start()
    call.press("1")
    texter = Texter(app)
    texter.send("hi")
    texter.send("1")
    err = capfd.readouterr().err
    assert logged_outcomes(err) and dropped(err) == []


def old_flask_cookie(saved: dict) -> str:
    """The cookie the app wrote before it sealed its state: Flask's signed session."""
    old = Flask("before")
    old.secret_key = SECRET
    return SecureCookieSessionInterface().get_signing_serializer(old).dumps(saved)


def sms_cookies(app) -> dict[str, str]:
    sealer = app.extensions["ivr"].sealer
    clicked = CLICKED_BY_TEXT.as_fields()
    return {
        "old Flask cookie": old_flask_cookie(
            {"s": f"1.sms.{GUIDE_ID}.clicked.0.0..0", "c": CONVERSATION}
        ),
        "old Flask cookie, extra field": old_flask_cookie({"s": "x", "c": 7, "extra": "kept?"}),
        "not signed at all": "tampered.value.here",
        "another key's": other_key_app()
        .extensions["ivr"]
        .sealer.seal(Carried(CLICKED_BY_TEXT, conversation=CONVERSATION), "sms"),
        "a URL's": sealer.seal(Carried(State("voice", GUIDE_ID, "clicked")), "voice"),
        "a voice state": sealer.seal(
            Carried(State("voice", GUIDE_ID, "clicked"), conversation=CONVERSATION), "sms"
        ),
        "no conversation id": sealer.seal(Carried(CLICKED_BY_TEXT), "sms"),
        "a number as conversation id": sealer.seal_values(
            {**clicked, "conversation": CALLER}, "sms"
        ),
        "words as conversation id": sealer.seal_values(
            {**clicked, "conversation": "I want to die"}, "sms"
        ),
        "a longer conversation id": sealer.seal_values(
            {**clicked, "conversation": CONVERSATION * 2}, "sms"
        ),
        "an extra field": sealer.seal_values(
            {**clicked, "conversation": CONVERSATION, "extra": "kept?"}, "sms"
        ),
        "a voice field": sealer.seal_values(
            {**clicked, "conversation": CONVERSATION, "via": "line"}, "sms"
        ),
        "a script no longer served": sealer.seal_values(
            {**clicked, "script": "no-such-script", "conversation": CONVERSATION}, "sms"
        ),
        "tampered": flip(sealer.seal(Carried(CLICKED_BY_TEXT, conversation=CONVERSATION), "sms")),
        "oversized": sealer.seal_values(
            {**clicked, "conversation": CONVERSATION, "extra": "x" * 400}, "sms"
        ),
    }


SMS_REASONS = {
    "old Flask cookie": "shape",
    "old Flask cookie, extra field": "shape",
    "not signed at all": "shape",
    "another key's": "key",
    "a URL's": "use",
    "a voice state": "content",
    "no conversation id": "content",
    "a number as conversation id": "content",
    "words as conversation id": "content",
    "a longer conversation id": "content",
    "an extra field": "content",
    "a voice field": "content",
    "a script no longer served": "guide",
    "tampered": "key",
    "oversized": "shape",
}


@pytest.mark.parametrize("name", list(sms_cookies(create_app(production_env()))))
@pytest.mark.parametrize(("body", "starts"), [("1", WELCOME), ("HELP", WELCOME), ("STOP", None)])
def test_a_texter_whose_cookie_cannot_be_used_starts_afresh_and_it_is_cleared(
    name, body, starts, capfd
):
    app = create_app(production_env())
    planted = sms_cookies(app)[name]
    texter = Texter(app)
    plant_cookie(app, texter, planted)
    response = signed_post(texter.client, "/sms", texter.params(body))
    set_cookies = response.headers.getlist("Set-Cookie")
    assert len(set_cookies) == 1  # the old cookie is always replaced or deleted
    logged = [json.loads(line) for line in capfd.readouterr().err.splitlines()]
    (line,) = [line for line in logged if line.get("event") == "webhook"]
    if starts is None:
        assert "Message" not in response.get_data(as_text=True)  # STOP: Twilio answers
        assert set_cookies[0].startswith(f"{cookie.NAME}=;")  # deleted
        assert texter.client.get_cookie(cookie.NAME) is None
    else:
        text = response.get_data(as_text=True)
        assert WELCOME.split("\n")[0] in text and not any(sorry in text for sorry in SORRY)
        now = opened_cookie(app, texter)
        assert now.state.node == "main" and now.conversation != CONVERSATION
        fresh = Texter(app)
        fresh.send("hi")
        size = len(fresh.client.get_cookie(cookie.NAME).value)
        assert len(texter.client.get_cookie(cookie.NAME).value) == size  # nothing carried over
        assert texter.send("1").startswith("If you already clicked the link")  # it goes on
    (drop,) = [line for line in logged if line.get("event") == "state_unusable"]
    assert drop["channel"] == "sms" and drop["reason"] == SMS_REASONS[name], drop
    # Whatever the cookie held, the log line's id is a fresh random one.
    assert re.fullmatch(r"[0-9a-f]{16}", line["conversation"])
    assert line["conversation"] != CONVERSATION
    for private in (CALLER, CALLER.lstrip("+"), "want to die", "kept?", "extra"):
        assert private not in json.dumps(logged)


def test_every_kind_of_unusable_cookie_has_its_expected_reason():
    assert SMS_REASONS.keys() == sms_cookies(create_app(production_env())).keys()


def test_a_text_whose_answer_fails_clears_the_cookie_so_the_next_starts_afresh(app, capfd):
    """A fault inside the view: the state the text came with may be its cause, so it is
    not kept, and the next text starts afresh rather than meeting the same fault."""
    library = app.extensions["ivr"].library
    scripts, default = dict(library.scripts), library.default
    texter = Texter(app)
    texter.send("hi")
    before = opened_cookie(app, texter).conversation
    library.scripts.clear()  # the cookie's state now names no script, and there is no default
    library.default = None
    response = signed_post(texter.client, "/sms", texter.params("1"))
    assert "116 123" in response.get_data(as_text=True)  # the fault reply
    (set_cookie,) = response.headers.getlist("Set-Cookie")
    assert set_cookie.startswith(f"{cookie.NAME}=;")
    assert texter.client.get_cookie(cookie.NAME) is None
    library.scripts.update(scripts)
    library.default = default
    assert texter.send("1").startswith(WELCOME)
    assert opened_cookie(app, texter).conversation != before
    assert logged_outcomes(capfd.readouterr().err)[-2:] == ["fault", "start"]


def test_an_oversized_cookie_is_refused_unread(app):
    """Past MAX_TOKEN characters the cookie is not even decoded, sealed by the app or not."""
    sealer = app.extensions["ivr"].sealer
    big = sealer.seal_values(
        {**CLICKED_BY_TEXT.as_fields(), "conversation": CONVERSATION, "also": "a" * 500}, "sms"
    )
    assert len(big) > MAX_TOKEN and sealer.open(big, "sms") is None
    texter = Texter(app)
    plant_cookie(app, texter, big)
    assert texter.send("1").startswith(WELCOME)


def test_a_conversation_goes_on_with_the_cookie_it_was_given(app):
    """The other side of the rules above: the app's own cookie is used as it is."""
    texter = Texter(app)
    plant_cookie(app, texter, Carried(CLICKED_BY_TEXT, conversation=CONVERSATION))
    assert not texter.send("1").startswith(WELCOME)
    assert opened_cookie(app, texter).conversation == CONVERSATION
