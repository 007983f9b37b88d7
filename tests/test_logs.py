"""Logs: one JSON object a line, true to what happened, and nothing a person sent."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

from freezegun import freeze_time
from werkzeug.serving import make_server

from ivr.web import create_app, logs
from ivr.web.logs import log

from support import (
    HELPLINE,
    NOW,
    Call,
    Texter,
    cookie_state,
    opened_cookie,
    production_env,
    url_state,
)

CALLER = "+447700900555"
TEXTER = "+447700900777"
SPOKEN = "I clicked the link, this is Jo Bloggs"
TYPED = "Hi it is Sam Jones, my other phone is 07700 900321"
WEBHOOK_FIELDS = {"time", "level", "logger", "event", "channel", "script", "node", "outcome",
                  "conversation", "ms"}  # fmt: skip
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def private_bits() -> list[str]:
    bits = [CALLER, CALLER.lstrip("+"), TEXTER, TEXTER.lstrip("+"), HELPLINE, "07700 900321"]
    return [*bits, "Jo Bloggs", "Sam Jones", "I clicked the link", "my other phone"]


def lines_of(err: str) -> list[dict]:
    """Every line the app wrote; each must be one JSON object with a time inside it."""
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    for line in lines:
        assert TIME.fullmatch(line["time"]), line
        assert {"level", "logger", "event"} <= set(line)
    return lines


def webhooks(err: str) -> list[dict]:
    return [line for line in lines_of(err) if line["event"] == "webhook"]


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
    lines = webhooks(err)
    assert len(lines) == 9  # one per webhook
    assert all(set(line) == WEBHOOK_FIELDS for line in lines)
    assert {(line["level"], line["logger"]) for line in lines} == {("INFO", "ivr")}
    voice = [line for line in lines if line["channel"] == "voice"]
    sms = [line for line in lines if line["channel"] == "sms"]
    assert [v["outcome"] for v in voice] == ["start", "chose", "chose", "silence", "chose"]
    assert [s["outcome"] for s in sms] == ["start", "chose", "chose", "opted-out"]
    assert [s["node"] for s in sms] == ["main", "clicked", "danger", None]
    # One id per conversation, the same on every line of it.
    assert len({v["conversation"] for v in voice}) == 1
    assert len({s["conversation"] for s in sms}) == 1
    assert voice[0]["conversation"] != sms[0]["conversation"]


def test_texting_and_saying_field_names_punctuation_and_node_ids_leaves_lines_true(
    app, guide, capfd
):
    """Nothing a person sends reaches a line: each still parses, with the values it should."""
    crafted = [*WEBHOOK_FIELDS, "webhook", "sms", "voice", guide.id, "chose", "start", "INFO",
               '", "', '"}', "{", "}", ":", ",", '\\"', "\\", "\n", '"node": "x"', "null",
               "[private]", "[value]", *guide.nodes]  # fmt: skip
    sms_expected, voice_expected = [], []
    for text in crafted:
        texter = Texter(app, sender=TEXTER)
        texter.send("hi")
        conversation = _conversation(app, texter)
        texter.send(text)
        if texter.client.get_cookie("ivr_sms") is None:  # START: Twilio answers, state forgotten
            sms_expected.append((None, conversation))
        else:
            node = cookie_state(app, texter).node
            sms_expected.append((node, _conversation(app, texter)))
        call = Call(app.test_client(), caller=CALLER)
        call.start()
        heard = call.say(text)
        action = heard.gather["action"] if heard.gather else heard.redirect
        voice_expected.append(url_state(app, action).node)
    lines = webhooks(capfd.readouterr().err)
    assert len(lines) == 4 * len(crafted)
    assert all(set(line) == WEBHOOK_FIELDS for line in lines)
    assert all(line["script"] == guide.id for line in lines)
    sms = [line for line in lines if line["channel"] == "sms"]
    voice = [line for line in lines if line["channel"] == "voice"]
    assert [(s["node"], s["conversation"]) for s in sms[1::2]] == sms_expected
    assert [v["node"] for v in voice[1::2]] == voice_expected


def test_an_sms_conversation_id_is_random_and_new_for_each_conversation():
    app = create_app(production_env(IVR_SMS_IDLE_MINUTES="5"))
    with freeze_time(NOW) as clock:
        first = Texter(app, sender=TEXTER)
        again = Texter(app, sender=TEXTER)  # the same number, another phone's cookie jar
        ids = []
        for texter in (first, again):
            texter.send("hi")
            ids.append(_conversation(app, texter))
        first.send("1")
        assert _conversation(app, first) == ids[0]  # kept for the conversation's life
        clock.tick(timedelta(minutes=6))
        first.send("1")  # the idle restart: a new conversation
        ids.append(_conversation(app, first))
        first.send("STOP")
        assert first.client.get_cookie("ivr_sms") is None  # forgotten with the state
        first.send("hi")
        ids.append(_conversation(app, first))
    assert len(set(ids)) == len(ids) == 4  # never the same id for the same number
    for conversation in ids:
        assert re.fullmatch(r"[0-9a-f]{16}", conversation)
        assert "7700900777" not in conversation


def _conversation(app, texter: Texter) -> str:
    return opened_cookie(app, texter).conversation


def test_a_fault_is_logged_with_frames_and_a_scrubbed_message_only(app, capfd):
    library = app.extensions["ivr"].library
    library.scripts.clear()  # the state in the cookie now names no script: a real fault path
    library.default = None
    texter = Texter(app, sender=TEXTER)
    reply = texter.send(TYPED)
    assert "116 123" in reply
    lines = lines_of(capfd.readouterr().err)
    fault = [line for line in lines if "traceback" in line]
    assert len(fault) == 1 and fault[0]["level"] == "ERROR"
    assert fault[0]["error"] == "AttributeError"
    assert any("ivr/web/sms.py" in frame for frame in fault[0]["traceback"])
    assert [line["outcome"] for line in lines if line["event"] == "webhook"] == ["fault"]
    for private in private_bits():
        assert private not in json.dumps(lines)


def test_request_values_in_an_exception_message_are_scrubbed_and_locals_never_logged(app, capfd):
    form = {"From": TEXTER, "To": HELPLINE, "Body": TYPED, "SpeechResult": SPOKEN}
    with app.test_request_context("/sms", method="POST", data=form):
        secret_local = f"{TEXTER} wrote {TYPED}"  # noqa: F841 - a local that must not be logged
        try:
            try:
                raise KeyError(TYPED.upper())
            except KeyError as first:
                raise ValueError(f"could not answer {TEXTER} who said {SPOKEN!r}") from first
        except ValueError:
            log.exception("answering failed for %s", TEXTER)
    (line,) = lines_of(capfd.readouterr().err)
    assert line["event"] == "message" and line["message"] == "answering failed for %s"
    assert line["error"] == "ValueError"
    assert line["error_message"] == "could not answer [value] who said '[value]'"
    assert line["traceback"][-1] == "ValueError: could not answer [value] who said '[value]'"
    assert "KeyError: '[value]'" in line["traceback"]  # the cause, scrubbed whatever its case
    for private in [*private_bits(), "wrote", "secret_local"]:
        assert private not in json.dumps(line)


def test_a_stray_log_call_logs_its_format_string_and_never_its_arguments(app, capfd):
    log.warning("got %s from %s", TYPED, TEXTER)
    logging.getLogger("ivr").info("plain words")
    first, second = lines_of(capfd.readouterr().err)
    assert first["message"] == "got %s from %s" and first["level"] == "WARNING"
    assert second["message"] == "plain words"


@contextlib.contextmanager
def app_handler_only():
    """The app's logger as it is in production: setup()'s handler alone. (pytest attaches
    its capture handler to every logger that does not propagate, in each test phase.)"""
    kept = list(log.handlers)
    log.handlers[:] = [h for h in kept if isinstance(h.formatter, logs.JsonFormatter)]
    try:
        yield
    finally:
        log.handlers[:] = kept


def test_a_line_is_the_same_written_straight_or_through_a_listener_attached_later(app, capfd):
    """event() writes its line straight to stderr while setup()'s handler is the only one;
    once anything else is attached, the line goes through logging, so the other handler
    sees it too, and the line on stderr is the same to the byte."""
    fields = {"channel": "sms", "node": "danger", "outcome": "chose", "ms": 1.5, "n": None}
    heard: list[logging.LogRecord] = []
    listener = logging.Handler()
    listener.emit = heard.append
    with app_handler_only(), freeze_time("2026-11-24 21:30:00.123456"):
        logs.event("webhook", **fields)
        log.addHandler(listener)
        try:
            logs.event("webhook", **fields)
            logs.event("below", logging.DEBUG, **fields)  # under the level: nowhere
        finally:
            log.removeHandler(listener)
        logs.event("refused", logging.WARNING, path="/sms")
    straight, through, refused = capfd.readouterr().err.splitlines()
    assert straight == through
    assert json.loads(straight) == {
        "time": "2026-11-24T21:30:00.123Z", "level": "INFO", "logger": "ivr",
        "event": "webhook", **fields,
    }  # fmt: skip
    assert [record.getMessage() for record in heard] == ["webhook"]
    assert json.loads(refused)["level"] == "WARNING"


def test_a_line_the_time_moves_under_gets_each_second_right():
    """The text of each second is kept between lines: a new second must replace it."""
    line = logs.JsonFormatter()
    times = ["2026-11-24 23:59:59.999", "2026-11-25 00:00:00.000", "2026-11-25 00:00:01.500"]
    written = []
    for moment in times:
        with freeze_time(moment):
            record = log.makeRecord("ivr", logging.INFO, "", 0, "tick", (), None)
            written.append(json.loads(line.format(record))["time"])
    assert written == ["2026-11-24T23:59:59.999Z", "2026-11-25T00:00:00.000Z",
                       "2026-11-25T00:00:01.500Z"]  # fmt: skip


def _logged_error(app, capfd, form: dict, message: str) -> dict:
    with app.test_request_context("/sms", method="POST", data=form):
        try:
            raise ValueError(message)
        except ValueError:
            log.exception("answering failed")
    (line,) = lines_of(capfd.readouterr().err)
    return line


def test_a_short_request_value_is_replaced_only_where_it_stands_whole(app, capfd):
    """Finding 3: every value, even "0" or "hi", was blanked inside words ("w[value]le")."""
    form = {"Body": "hi", "NumMedia": "0", "Digits": "1", "From": TEXTER}
    message = "while decoding 10 items, hi was at 0 (see 01 and hi-fi)"
    line = _logged_error(app, capfd, form, message)
    assert line["error_message"] == (
        "while decoding 10 items, [value] was at [value] (see 01 and [value]-fi)"
    )
    assert line["traceback"][-1] == f"ValueError: {line['error_message']}"


def test_a_message_quoting_a_value_cut_short_or_run_into_a_word_is_withheld(app, capfd):
    """A value the message holds but not whole (Python cuts a long literal at 200
    characters; a number run into letters) would slip past a whole-value match."""
    long_body = f"{TYPED} " * 10
    with app.test_request_context("/sms", method="POST", data={"Body": long_body}):
        try:
            int(long_body)  # "invalid literal for int() with base 10: '<200 characters>"
        except ValueError:
            log.exception("answering failed")
    with app.test_request_context("/sms", method="POST", data={"From": TEXTER}):
        try:
            raise KeyError(f"caller{TEXTER.lstrip('+')}x")
        except KeyError:
            log.exception("answering failed")
    lines = lines_of(capfd.readouterr().err)
    assert [line["error_message"] for line in lines] == [logs.WITHHELD, logs.WITHHELD]
    assert [line["traceback"][-1] for line in lines] == [
        f"ValueError: {logs.WITHHELD}",
        f"KeyError: {logs.WITHHELD}",
    ]
    for private in private_bits():
        assert private not in json.dumps(lines)


def test_a_whatsapp_address_its_bare_number_or_the_senders_name_never_reach_a_line(app, capfd):
    """WhatsApp's From is `whatsapp:+44...`, with WaId (the digits) and ProfileName beside
    it: an exception quoting the whole address, or the digits (WaId) whole, is scrubbed;
    one quoting a piece of the address or the name is withheld."""
    form = {"From": f"whatsapp:{TEXTER}", "To": f"whatsapp:{HELPLINE}", "Body": "hi",
            "WaId": TEXTER.lstrip("+"), "ProfileName": "Sam Jones"}  # fmt: skip
    said = {
        f"no place for whatsapp:{TEXTER}": "no place for [value]",
        f"no place for {TEXTER}": "no place for +[value]",
        f"sender {TEXTER.lstrip('+')}x": logs.WITHHELD,
        f"sender +{TEXTER[1:8]}": logs.WITHHELD,
        "for Sam Jone": logs.WITHHELD,
    }
    for quoted, logged in said.items():
        line = _logged_error(app, capfd, form, quoted)
        assert line["error_message"] == logged, quoted
        for private in [*private_bits(), "Sam Jone"]:
            assert private not in json.dumps(line)


def test_a_message_with_nothing_of_the_request_in_it_is_kept_as_it_is(app, capfd):
    form = {"Body": TYPED, "From": TEXTER, "NumMedia": "0"}
    message = "'NoneType' object has no attribute 'node' (line 12)"
    assert _logged_error(app, capfd, form, message)["error_message"] == message


def test_a_fault_outside_the_request_logs_no_message_it_cannot_check(capfd):
    """A teardown hook fails after Flask has let the request go: the message is checked
    against the request it failed in, and withheld where there is none."""
    app = create_app(production_env())

    def broken(_error):
        raise ValueError(f"teardown saw {TYPED}")

    app.teardown_request(broken)
    texter = Texter(app, sender=TEXTER)
    texter.send(TYPED)
    lines = lines_of(capfd.readouterr().err)
    (failed,) = [line for line in lines if line.get("error") == "ValueError"]
    assert failed["error_message"] == "teardown saw [value]"
    record = log.makeRecord("ivr", logging.ERROR, "", 0, "failed", (), None)
    record.ivr_request = None  # what FaultsAsTwiml passes when no request was made
    try:
        raise ValueError(f"saw {TYPED}")
    except ValueError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    assert json.loads(logs.JsonFormatter().format(record))["error_message"] == logs.WITHHELD


def test_the_development_servers_lines_are_json_with_no_query_or_client(capfd):
    """`flask run` (python3 dev.py run): werkzeug's request lines in the app's shape,
    without the query string, the client's address or anything else a request sent."""
    app = create_app({"IVR_DEVELOPMENT": "1"})
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with urllib.request.urlopen(f"{base}/healthz?From=%2B447700900777", timeout=10) as ok:
            ok.read()
        form = urlencode({"From": TEXTER, "Body": TYPED}).encode()
        with urllib.request.urlopen(f"{base}/sms?c={TEXTER}", form, timeout=10) as texted:
            texted.read()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    err = capfd.readouterr().err
    access = [line for line in lines_of(err) if line["event"] == "access"]
    assert [(a["logger"], a["method"], a["path"], a["status"]) for a in access] == [
        ("werkzeug", "GET", "/healthz", 200),
        ("werkzeug", "POST", "/sms", 200),
    ]
    for private in [*private_bits(), "127.0.0.1 -"]:
        assert private not in err, private
