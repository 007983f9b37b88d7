"""Logs follow a conversation without saying whose it is or what was said."""

from __future__ import annotations

import json
import logging

from ivr.web.logs import PrivateFormatter

from support import HELPLINE, Call, Texter

CALLER = "+447700900555"
TEXTER = "+447700900777"
SPOKEN = "I clicked the link, this is Jo Bloggs"
TYPED = "Hi it is Sam Jones, my other phone is 07700 900321"


def private_bits() -> list[str]:
    bits = [CALLER, CALLER.lstrip("+"), TEXTER, TEXTER.lstrip("+"), HELPLINE, "07700 900321"]
    return [*bits, "Jo Bloggs", "Sam Jones", "I clicked the link", "my other phone"]


def test_a_logged_conversation_holds_no_number_text_or_speech(app, capfd):
    call = Call(app.test_client(), caller=CALLER)
    call.start()
    call.say(SPOKEN)
    call.press("1")
    call.silence()
    call.say("under eighteen")
    texter = Texter(app, sender=TEXTER)
    for body in (TYPED, "1", "DANGER", "STOP"):
        texter.send(body)
    out, err = capfd.readouterr()
    logged = out + err
    for private in private_bits():
        assert private not in logged, private
    lines = [json.loads(line.split(" ivr ", 1)[1]) for line in err.splitlines()
             if '"event": "webhook"' in line]  # fmt: skip
    assert len(lines) == 9  # one per webhook
    voice = [line for line in lines if line["channel"] == "voice"]
    sms = [line for line in lines if line["channel"] == "sms"]
    assert [v["outcome"] for v in voice] == ["start", "chose", "chose", "silence", "chose"]
    assert [s["outcome"] for s in sms] == ["start", "chose", "chose", "opted-out"]
    # One keyed hash per conversation, the same on every line of it, and not the number.
    assert len({v["conversation"] for v in voice}) == 1
    assert len({s["conversation"] for s in sms}) == 1
    assert voice[0]["conversation"] != sms[0]["conversation"]
    assert all(set(line) == {"event", "channel", "conversation", "script", "node", "outcome",
                             "ms"} for line in lines)  # fmt: skip


def test_a_fault_is_logged_with_its_traceback_but_nothing_private(app, capfd):
    library = app.extensions["ivr"].library
    library.scripts.clear()  # the state in the cookie now names no script: a real KeyError path
    library.default = None
    texter = Texter(app, sender=TEXTER)
    reply = texter.send(TYPED)
    assert "116 123" in reply
    err = capfd.readouterr().err
    assert "Traceback" in err and '"outcome": "fault"' in err
    for private in private_bits():
        assert private not in err


def test_private_values_are_blanked_even_if_code_logs_them_by_mistake(app):
    formatter = PrivateFormatter("%(message)s")
    form = {"From": TEXTER, "To": HELPLINE, "Body": TYPED, "SpeechResult": SPOKEN}
    with app.test_request_context("/sms", method="POST", data=form):
        record = logging.LogRecord("ivr", logging.INFO, __file__, 1, "got %s from %s (%s) %s",
                                   (TYPED, TEXTER, TEXTER.lstrip("+"), SPOKEN), None)  # fmt: skip
        text = formatter.format(record)
    assert text == "got [private] from [private] ([private]) [private]"
