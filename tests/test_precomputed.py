"""What a script's replies are worked out once and remembered, then served to every turn,
must be byte for byte what building them afresh gives: at every position of every
script (each node, step or page, re-prompt, opening and goodbye, with lines open and
closed), as engine replies and as the TwiML Twilio receives."""

from __future__ import annotations

import string

import pytest

from ivr import engine
from ivr.channels import sms, voice
from ivr.lint import lint
from ivr.loader import load_script
from ivr.script import CHANNELS, SMS, VOICE
from ivr.turns import Turn

from support import FIXTURES, SCRIPTS, opened_url

SCRIPT_FILES = [*SCRIPTS, FIXTURES / "valid.yaml", FIXTURES / "handoffs.yaml"]


@pytest.fixture(params=SCRIPT_FILES, ids=lambda p: p.name)
def script(request):
    loaded = load_script(request.param)
    lint(loaded)  # as at start-up: the linter's walk fills the memo
    return loaded


def _fresh(script, channel):
    """Every reply, each built from nothing: the memo is emptied before each one."""
    replies = engine.every_reply(script, channel)
    while True:
        engine.forget(script)
        try:
            yield next(replies)
        except StopIteration:
            return


@pytest.mark.parametrize("channel", CHANNELS)
def test_remembered_replies_are_the_replies_built_afresh(script, channel):
    fresh = list(_fresh(script, channel))
    list(engine.every_reply(script, channel))  # fill the memo
    remembered = list(engine.every_reply(script, channel))
    assert len(fresh) > 5
    assert [what for what, _ in remembered] == [what for what, _ in fresh]
    for (what, kept), (_, built) in zip(remembered, fresh, strict=True):
        assert kept == built, what


def _plain(state) -> str:
    """A state written out plainly: these tests compare TwiML, not sealing."""
    return ".".join(map(str, state.as_fields().values()))


def _url(state, **query):
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"/voice/next?s={_plain(state)}{extra}"


def test_voice_twiml_from_a_remembered_reply_is_the_twiml_built_afresh(script):
    replies = [reply for _, reply in engine.every_reply(script, VOICE)]
    for reply in replies * 2:  # the first pass remembers, the second is served from it
        kept = voice.twiml(script, reply, _url, caller_id="+447700900999")
        built = voice.render(script, reply, _url, caller_id="+447700900999")
        assert kept == built
        assert reply.ends or reply.dial or _url(reply.state) in kept


def test_a_sealed_url_is_served_from_the_remembered_reply(script):
    """Every character of a sealed token (URL-safe base64: "-" and "_" too) needs no
    escaping, so a turn with one is served from the remembered reply, not rebuilt
    (sealing must not cost a turn its remembered TwiML)."""
    replies = [r for _, r in engine.every_reply(script, VOICE) if not r.ends and not r.dial]
    alphabet = string.ascii_letters + string.digits + "-_"

    def sealed_like(state, **query):
        return f"/voice/next?s=AQ{alphabet}{len(state.node)}"

    voice._templates.cache_clear()
    for reply in replies:
        kept = voice.twiml(script, reply, sealed_like)
        assert kept == voice.render(script, reply, sealed_like)
        assert sealed_like(reply.state) in kept
    assert len(voice._templates(script)) == len({(r.paragraphs, r.choices) for r in replies})


def test_a_url_that_needs_escaping_is_rendered_afresh_and_escaped(script):
    _, reply = next(engine.every_reply(script, VOICE))

    def odd(state, **query):
        return f"/voice/next?s={_plain(state)}&script={script.id}"

    kept = voice.twiml(script, reply, odd)
    assert kept == voice.render(script, reply, odd)
    assert "&amp;script=" in kept


def test_sms_twiml_from_a_remembered_reply_is_the_twiml_built_afresh(script):
    replies = [reply for _, reply in engine.every_reply(script, SMS)]
    for reply in replies * 2:
        assert sms.twiml(Turn(reply, reply.state, reply.event)) == sms.render(reply.text)
    assert sms.twiml(Turn(None, None, "opted-out")) == sms.render(None)


@pytest.mark.parametrize("prefix", ["", "/helpline"])
def test_the_state_url_is_what_url_for_builds(app, prefix):
    from flask import url_for

    from ivr.web.voice import state_url

    script = app.extensions["ivr"].library.default
    states = [reply.state for _, reply in engine.every_reply(script, VOICE)]
    base = f"http://localhost{prefix}"
    with app.test_request_context("/voice", base_url=base, method="POST"):
        for state in states:
            url = state_url(state)
            token = url.removeprefix(f"{prefix}/voice/next?s=")
            assert url == url_for("voice.next_turn", s=token) and token != url
            assert opened_url(app, url).state == state
        via = state_url(states[0], via="rph")
        assert via == url_for("voice.next_turn", s=via.split("?s=")[1])
        assert (opened_url(app, via).state, opened_url(app, via).via) == (states[0], "rph")
