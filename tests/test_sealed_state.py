"""The sealed state format (ivr/web/sealed.py): versioned, opened only by this app's keys,
for the use it was sealed for, and kept open across a key rotation."""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ivr import engine
from ivr.engine import State
from ivr.engine import state as state_module
from ivr.errors import ConfigError
from ivr.script import SMS, VOICE
from ivr.web import create_app
from ivr.web.sealed import HKDF_INFO, INNER, MAX_TOKEN, OUTER, Carried, Sealer

from support import SECRET, Call, Texter, opened_cookie, plant_cookie, production_env, url_state

OLD, NEW = SECRET, "a-newer-secret-key-fedcba9876543210"


def raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_every_state_a_script_reaches_opens_as_it_was_sealed(guide, channel):
    sealer = Sealer([SECRET])
    extras = {"conversation": "0123456789abcdef"} if channel == SMS else {"via": "line"}
    states = {reply.state for _, reply in engine.every_reply(guide, channel)}
    assert len(states) > 15
    lengths = set()
    for state in states:
        for at in (0, 1_790_000_000):
            carried = Carried(dataclasses.replace(state, at=at), **extras)
            token = sealer.seal(carried, channel)
            assert sealer.open(token, channel) == carried
            lengths.add(len(token))
            assert raw(token)[:1] == OUTER  # the outer version, in clear
    # Padded: one length for every place, so a token's length does not tell where.
    (length,) = lengths
    assert length < MAX_TOKEN * 2 // 3


def test_a_token_sealed_before_padding_still_opens(guide):
    """Tokens from before the padding (the same format, no spaces) open as they were."""
    sealer = Sealer([SECRET])
    carried = Carried(State(SMS, guide.id, "clicked", at=1_790_000_000), conversation="0" * 16)
    cipher = AESGCM(HKDF(hashes.SHA256(), 32, None, HKDF_INFO).derive(SECRET.encode()))
    nonce = b"\x07" * 12
    values = {**carried.state.as_fields(), "conversation": carried.conversation}
    plain = INNER + json.dumps(values, separators=(",", ":")).encode()
    sealed = OUTER + nonce + cipher.encrypt(nonce, plain, OUTER + b"sms")
    unpadded = base64.urlsafe_b64encode(sealed).rstrip(b"=").decode()
    assert len(unpadded) < len(sealer.seal(carried, SMS))
    assert sealer.open(unpadded, SMS) == carried


def test_the_same_state_sealed_twice_gives_two_tokens(guide):
    """A random nonce each time: a log reader cannot even tell two turns at one place."""
    sealer = Sealer([SECRET])
    carried = Carried(State(VOICE, guide.id, "danger"))
    tokens = {sealer.seal(carried, VOICE) for _ in range(50)}
    assert len(tokens) == 50


def test_a_token_opens_only_for_the_use_it_was_sealed_for(guide):
    sealer = Sealer([SECRET])
    sms = Carried(State(SMS, guide.id, "main"), conversation="0123456789abcdef")
    voice = Carried(State(VOICE, guide.id, "main"))
    assert sealer.open(sealer.seal(sms, SMS), VOICE) is None
    assert sealer.open(sealer.seal(voice, VOICE), SMS) is None
    assert sealer.open(sealer.seal(voice, VOICE), "whatsapp") is None


def test_a_field_left_out_opens_at_its_default(guide):
    """How a field added later reads in a token sealed before it: at its default."""
    sealer = Sealer([SECRET])
    token = sealer.seal_values({"channel": "voice", "script": guide.id, "node": "steps"}, VOICE)
    assert sealer.open(token, VOICE) == Carried(State(VOICE, guide.id, "steps", 0, 0, "", 0, ""))


def test_every_field_of_a_state_is_checked_when_it_comes_back():
    """A field added to State without its check would be refused at every turn."""
    names = {field.name for field in dataclasses.fields(State)}
    assert names == set(state_module._CHECKS)
    everything = State("sms", "s", "n", 1, 1, "a", 1, "cy")
    assert set(everything.as_fields()) == names


@pytest.mark.parametrize("token", [None, 7, "", "=", "A", "AAAA", "ab.cd", "a b", "é" * 40])
def test_anything_else_opens_as_nothing(token):
    assert Sealer([SECRET]).open(token, VOICE) is None


# -- rotating SECRET_KEY ------------------------------------------------------------------


def test_a_call_and_a_text_go_on_across_a_key_rotation(guide):
    before = create_app(production_env(SECRET_KEY=OLD))
    after = create_app(production_env(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=f"{OLD}"))
    call = Call(before.test_client())
    call.start()
    call.press("1")  # clicked the link
    texter = Texter(before)
    texter.send("hi")
    texter.send("1")
    conversation = opened_cookie(before, texter).conversation
    # The next turns reach instances with the new key (the URL and cookie as they were).
    call.client = after.test_client()
    heard = call.press("1")  # the next step: the call went on, not afresh
    assert url_state(after, heard.gather["action"]).node == "steps"  # 1 at "clicked"
    assert "immediate danger, hang up" not in heard.says[0]
    moved = Texter(after)
    moved.client.set_cookie("ivr_sms", texter.client.get_cookie("ivr_sms").value)
    assert not moved.send("NEXT").startswith("Some first steps")
    assert opened_cookie(after, moved).conversation == conversation
    # What the new key seals, the old one cannot open: the new key is the one sealing.
    assert (
        before.extensions["ivr"].sealer.open(heard.gather["action"].split("?s=")[1], VOICE) is None
    )


def test_a_key_no_longer_listed_starts_afresh_politely(guide):
    before = create_app(production_env(SECRET_KEY=OLD))
    after = create_app(production_env(SECRET_KEY=NEW))
    texter = Texter(before)
    texter.send("hi")
    texter.send("1")
    moved = Texter(after)
    plant_cookie(after, moved, texter.client.get_cookie("ivr_sms").value)
    assert moved.send("1").startswith("Some first steps")


@pytest.mark.parametrize("fallbacks", ["short", f"{OLD},short", " , ,tiny"])
def test_a_fallback_key_too_short_is_refused_at_start(fallbacks):
    with pytest.raises(
        ConfigError,
        match="SECRET_KEY_FALLBACKS is too short: use at least 16 random characters in each key",
    ):
        create_app(production_env(SECRET_KEY_FALLBACKS=fallbacks))


def test_fallbacks_are_read_newest_first_and_blank_ones_ignored():
    app = create_app(production_env(SECRET_KEY_FALLBACKS=f" {NEW} , ,{OLD[::-1]} "))
    assert app.extensions["ivr"].settings.secret_key_fallbacks == (NEW, OLD[::-1])
