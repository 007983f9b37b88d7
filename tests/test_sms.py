"""POST /sms, texted exactly as Twilio posts it: signed, with its parameter names, and
with cookies kept per sender the way Twilio keeps them per From/To pair."""

from __future__ import annotations

import dataclasses
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from freezegun import freeze_time

from ivr import gsm7
from ivr.web import create_app

from support import CALLER, NOW, Texter, cookie_state, opened_cookie, production_env

WELCOME_START = "Some first steps:\n\nIf you are in immediate danger, call 999."


def test_a_first_message_that_means_nothing_gets_the_welcome(app):
    for first in ("hi", "1", "ok", "thanks", "", "asdfghjkl"):
        reply = Texter(app).send(first)
        assert reply.startswith(WELCOME_START), first
        assert "Do not click the link or engage with the sender." in reply
        assert "1 - if you already clicked the link (CLICKED)" in reply
        assert "2 - if you're under 18, or were at the time (UNDER18)" in reply
        assert "9 - if you're in danger or can't cope (DANGER)" in reply


def test_the_first_line_is_discreet_on_a_lock_screen(app):
    first_line = Texter(app).send("hi").splitlines()[0]
    assert first_line == "Some first steps:"


def test_a_number_answers_the_last_menu_shown(app):
    texter = Texter(app)
    texter.send("hi")
    clicked = texter.send("1")
    assert "change those passwords from a different trusted device" in clicked
    assert "1 - all the steps to take now (STEPS)" in clicked
    steps = texter.send("1")  # the clicked-link menu's 1, not the main menu's
    assert steps.startswith("What to do now:")


@pytest.mark.parametrize(
    "words", ["DANGER", "danger", " Danger! ", "I can't cope", "emergency", "9", "help me"]
)
def test_danger_works_mid_conversation(app, words):
    texter = Texter(app)
    texter.send("hi")
    texter.send("3")
    texter.send("NEXT")
    reply = texter.send(words)
    assert reply.startswith("If you feel at immediate risk of harm, call 999.")
    assert "Samaritans free on 116 123" in reply


@pytest.mark.parametrize(
    ("words", "start"),
    [
        ("CLICKED", "If you already clicked the link"),
        ("clicked!!", "If you already clicked the link"),
        ("i clicked the link", "If you already clicked the link"),
        ("Under18", "If you're under 18"),
        ("under 18", "If you're under 18"),
        ("STEPS", "What to do now:"),
        ("dont", "Do not do these things:"),
        ("WAIT", "What can wait:"),
        ("support", "Report threats or demands"),
        ("menu", "Reply with a number or word:"),
    ],
)
def test_keywords_work_from_anywhere_whatever_the_case_or_punctuation(app, words, start):
    texter = Texter(app)
    texter.send("hi")
    texter.send("5")  # somewhere else first
    assert texter.send(words).startswith(start)


def test_long_answers_come_in_parts_with_next_or_more(app):
    texter = Texter(app)
    texter.send("hi")
    part = texter.send("STEPS")
    parts = [part]
    while "1 - for more (NEXT)" in part:
        part = texter.send(("MORE", "next", "1")[len(parts) % 3])
        parts.append(part)
    assert len(parts) == 7
    assert all(gsm7.segments(p) <= 4 for p in parts)
    assert "7. Get support for the shock and spiral right now." in parts[-1]


@pytest.mark.parametrize(
    "word", ["STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
             "OPTOUT", "START", "UNSTOP", "YES"],
)  # fmt: skip
def test_stop_and_start_words_get_an_empty_response(app, word):
    texter = Texter(app)
    texter.send("hi")
    assert texter.send(word) is None


def test_twilio_advanced_opt_out_classification_is_respected(app):
    texter = Texter(app)
    texter.send("hi")
    assert texter.send("arret", OptOutType="STOP") is None


def test_after_stop_the_next_text_starts_afresh(app):
    texter = Texter(app)
    texter.send("hi")
    texter.send("1")
    texter.send("STOP")
    assert texter.send("1").startswith(WELCOME_START)


@pytest.mark.parametrize("word", ["HELP", "help", "INFO"])
def test_help_and_info_get_the_welcome(app, word):
    texter = Texter(app)
    texter.send("hi")
    texter.send("1")
    assert texter.send(word).startswith(WELCOME_START)


@pytest.mark.parametrize("body", ["", "🙂🙂🙂", "asdfghjkl", "x" * 1600, "?!?!", "1234567"])
def test_anything_else_gets_the_menu_never_an_error(app, body):
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send(body)
    sorry, choices = reply.split("\n\n")
    assert sorry == (
        "Sorry, I didn't understand that. This is an automated line and nobody reads these "
        "texts. For someone to talk to, call Samaritans free on 116 123, any time."
    )
    assert choices.startswith("Reply with a number or word:")
    assert "1 - if you already clicked the link (CLICKED)" in choices


class _CountingServer(ThreadingHTTPServer):
    hits = 0


class _Counter(BaseHTTPRequestHandler):
    def do_GET(self):  # the name http.server calls
        self.server.hits += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def media_server():
    """A real server where the picture 'lives', to prove nobody fetches it."""
    server = _CountingServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_picture_is_never_fetched_and_the_reply_says_so(app, media_server, capfd):
    texter = Texter(app)
    url = f"http://127.0.0.1:{media_server.server_port}/Accounts/AC/Messages/MM/Media/ME1"
    picture = {"NumMedia": "1", "MediaUrl0": url, "MediaContentType0": "image/jpeg"}
    first = texter.send("", **picture)
    assert first.startswith("Some first steps:\n\nPictures and files can't be viewed here.")
    assert "call 999" in first and "1 - if you already clicked the link" in first
    later = texter.send("is this real?", **picture)
    assert later.startswith("Pictures and files can't be viewed here.")
    assert media_server.hits == 0
    assert url not in capfd.readouterr().err


@pytest.mark.parametrize("first", [True, False])
def test_a_crisis_text_with_a_picture_gets_999_before_the_picture_note(app, first):
    texter = Texter(app)
    if not first:
        texter.send("hi")
    picture = {
        "NumMedia": "1",
        "MediaUrl0": "https://api.twilio.com/x",
        "MediaContentType0": "image/png",
    }
    reply = texter.send("i want to die", **picture)
    assert reply.startswith("Some first steps:\n\nIf you feel" if first else "If you feel")
    assert reply.index("call 999") < reply.index("Pictures and files can't be viewed here.")
    assert reply.index("116 123") < reply.index("Pictures and files can't be viewed here.")


@pytest.mark.parametrize(
    ("idle_minutes", "pauses"),
    [
        # the default limit (30 minutes): after three hours, a number is not an old answer
        (None, [(timedelta(hours=3), "2", WELCOME_START)]),
        # a limit set by IVR_SMS_IDLE_MINUTES: a short pause keeps the place, a longer not
        ("5", [(timedelta(minutes=4), "1", "What to do now:"),
               (timedelta(minutes=6), "1", WELCOME_START)]),
    ],
)  # fmt: skip
def test_after_the_idle_limit_a_number_gets_the_welcome_not_an_old_answer(idle_minutes, pauses):
    settings = {} if idle_minutes is None else {"IVR_SMS_IDLE_MINUTES": idle_minutes}
    texter = Texter(create_app(production_env(**settings)))
    with freeze_time(NOW) as clock:
        texter.send("hi")
        texter.send("1")
        for pause, text, starts in pauses:
            clock.tick(pause)
            assert texter.send(text).startswith(starts), pause


def test_the_cookie_holds_only_ids_and_a_timestamp(app):
    texter = Texter(app)
    texter.send("hi")
    texter.send("I clicked the link, my number is 07700 900123")
    cookie = texter.client.get_cookie("ivr_sms")
    assert cookie is not None
    carried = opened_cookie(app, texter)
    assert re.fullmatch(r"[0-9a-f]{16}", carried.conversation)  # random, see test_logs
    assert (carried.via, carried.retry) == ("", False)
    state = carried.state
    assert (state.channel, state.node, state.also) == ("sms", "clicked", "")
    inside = repr(carried)
    for private in (CALLER, CALLER.lstrip("+"), "900123", "clicked the link", "number"):
        assert private not in inside and private not in cookie.value


def test_each_sender_has_their_own_conversation(app):
    alice, bob = Texter(app, "+447700900001"), Texter(app, "+447700900002")
    alice.send("hi")
    bob.send("hi")
    alice.send("1")
    assert bob.send("1").startswith("If you already clicked the link")  # main menu's 1


def test_every_reply_the_script_can_produce_is_gsm7_and_at_most_4_segments(app, guide):
    """Walk every position a texter can reach with every word and number that works,
    through the web layer, and check each reply as the network will count it."""
    words = ["hi", "NEXT", "MENU", "0", "9", "junk", "HELP"]
    words += [str(k) for k in range(1, 8)]
    words += [o.keyword for node in guide.nodes.values() for o in node.options]
    texter = Texter(app)
    replies = {texter.send("hi")}
    todo = [texter.client.get_cookie("ivr_sms").value]
    seen = set()
    while todo:
        cookie = todo.pop()
        for word in dict.fromkeys(words):
            texter.client.set_cookie("ivr_sms", cookie)
            replies.add(texter.send(word))
            after = texter.client.get_cookie("ivr_sms").value
            state = cookie_state(app, texter)
            place = (state.node, state.step, state.also)
            if place not in seen:
                seen.add(place)
                todo.append(after)
    phone_only = {"more", "text-me"}  # the phone's second level, and the text's warning
    assert {node for node, _, _ in seen} == set(guide.nodes) - phone_only
    for reply in replies:
        assert gsm7.not_gsm7(reply) == [], reply
        assert gsm7.segments(reply) <= 4, reply


def test_a_fault_still_replies_with_999_and_samaritans(app):
    library = app.extensions["ivr"].library
    script = library.default
    main = script.main
    broken = dataclasses.replace(main.options[0], target="vanished")
    nodes = {**script.nodes, "main": dataclasses.replace(main, options=(broken,))}
    library.scripts[script.id] = library.default = dataclasses.replace(script, nodes=nodes)
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send("1")
    assert "call 999" in reply and "116 123" in reply


def test_the_sms_fallback_url_replies_with_the_numbers(app):
    reply = Texter(app).send("anything", url="/sms/fallback")
    assert "call 999" in reply and "116 123" in reply


def test_the_under_18_answer_offers_the_adult_routes_in_one_word(app):
    """An age can be read wrongly ("I'm 16 stone"): the first under-18 text says how to
    reach the adult routes, and that one word does."""
    texter = Texter(app)
    reply = texter.send("im 15 and i clicked it")
    assert "18 or over? Reply SUPPORT." in reply
    assert texter.send("SUPPORT").startswith("Report threats or demands")
