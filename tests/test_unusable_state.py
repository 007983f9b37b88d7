"""A state in a URL or a cookie that cannot be used starts afresh, and is cleared: never
the fault reply. Only ASCII digits count as digits (`²` and `③` pass str.isdigit)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from ivr.engine import State
from ivr.web.sms import STATE_KEY
from ivr.web.webhook import CONVERSATION_KEY

from support import ODD_DIGITS, Call, Texter

GUIDE_ID = "link-claiming-intimate-photo"
WELCOME = "Some first steps:\n\nIf you are in immediate danger, call 999."


@pytest.mark.parametrize(
    "state", [*(f"1.voice.{GUIDE_ID}.main.0.{d}..0" for d in ODD_DIGITS), "not-a-state"]
)
def test_a_call_url_with_a_state_that_cannot_be_read_starts_the_call_afresh(client, state):
    call = Call(client)
    call.start()
    url = f"/voice/next?s={quote(state)}"  # as Twilio sends it
    heard = call._post(url, call.params(Digits="1"))
    assert heard.says[0] == "If you are in immediate danger, hang up now and call nine nine nine."
    assert "went wrong" not in heard.text


def plant(app, texter: Texter, saved: dict | str) -> None:
    """Give the texter's phone a cookie signed with the app's key, as if the app had set it
    (a string: a cookie the app never signed, planted as it is)."""
    value = saved
    if isinstance(saved, dict):
        value = app.session_interface.get_signing_serializer(app).dumps(saved)
    texter.client.set_cookie("ivr_sms", value)


def saved(app, texter: Texter) -> dict:
    cookie = texter.client.get_cookie("ivr_sms")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


UNUSABLE = [
    {STATE_KEY: f"1.sms.{GUIDE_ID}.main.{d}.0..0", CONVERSATION_KEY: "0123456789abcdef"}
    for d in ODD_DIGITS
] + [
    {STATE_KEY: f"1.voice.{GUIDE_ID}.main.0.0..0"},  # another channel's state
    {STATE_KEY: "1.sms.no-such-script.main.0.0..0"},
    {STATE_KEY: ["not", "a", "string"], CONVERSATION_KEY: 7, "extra": "kept?"},
    {STATE_KEY: "9.sms.x"},
    "tampered.value.here",  # not signed with the app's key
]


@pytest.mark.parametrize("cookie", UNUSABLE)
@pytest.mark.parametrize(("body", "starts"), [("1", WELCOME), ("HELP", WELCOME), ("STOP", None)])
def test_a_texter_whose_cookie_cannot_be_used_starts_afresh_and_it_is_cleared(
    app, cookie, body, starts
):
    texter = Texter(app)
    plant(app, texter, cookie)
    reply = texter.send(body)
    if starts is None:
        assert reply is None  # STOP: Twilio answers; the cookie is forgotten
        assert texter.client.get_cookie("ivr_sms") is None
        return
    assert reply.startswith(starts) and "went wrong" not in reply
    now = saved(app, texter)
    assert set(now) == {STATE_KEY, CONVERSATION_KEY}  # nothing left of the old cookie
    assert State.loads(now[STATE_KEY]).node == "main"
    if isinstance(cookie, dict):
        assert now[CONVERSATION_KEY] != cookie.get(CONVERSATION_KEY)  # a new conversation
    assert texter.send("1").startswith("If you already clicked the link")  # and it goes on
