"""POST /voice and /voice/next, called exactly as Twilio calls them (signed, with its
parameter names), with the TwiML read back the way Twilio reads it."""

from __future__ import annotations

import dataclasses
from urllib.parse import urljoin, urlsplit

import pytest
from freezegun import freeze_time

from ivr.engine import State
from ivr.web import create_app

from support import (
    FIXTURES,
    Call,
    opened_url,
    production_env,
    read_voice,
    sealed_url,
    signed_post,
    url_state,
)

DANGER_LINE = "If you are in immediate danger, hang up now and call nine nine nine."
GOODBYE_NUMBERS = ("nine nine nine", "one one six, one two three")


def test_the_first_words_of_every_call_are_the_999_line(client):
    heard = Call(client).start()
    assert heard.says[0] == DANGER_LINE
    assert heard.says[1] == "If you are in danger or can't cope, press 9, at any time."
    assert "First: do not click the link or engage with the sender." in heard.text
    assert "If you already clicked the link, press 1." in heard.text
    assert "If you are under 18, or were under 18 in the image, press 2." in heard.text
    assert "For the steps to take now, and everything else, press 3." in heard.text
    assert "If you are in danger or can't cope, press 9." in heard.text
    more = Call(client)
    more.start()
    heard = more.press("3")
    for menu in ("steps to take now", "what not to do", "what can wait", "support and reporting"):
        assert menu in heard.text


def test_the_menu_is_a_gather_with_the_speech_inside_then_a_redirect(client):
    heard = Call(client).start()
    gather = heard.xml.find("Gather")
    assert heard.gather["input"] == "dtmf speech"
    assert heard.gather["numDigits"] == "1"
    assert heard.gather["language"] == "en-GB"
    assert heard.gather["finishOnKey"] == ""
    # A generic short-utterance model, and whole seconds (never "auto" with a model).
    assert heard.gather["speechModel"] == "experimental_utterances"
    assert heard.gather["speechTimeout"] == "3"
    assert "enhanced" not in heard.gather
    assert heard.gather["method"] == "POST"
    hints = heard.gather["hints"].split(", ")
    assert "clicked the link" in hints
    # The words of a crisis are hints too, so the recogniser writes them rightly.
    assert {"suicide", "kill myself", "self harm", "overdose", "in danger"} <= set(hints)
    assert len(hints) <= 100 and all(len(h) <= 100 for h in hints)
    # The Say verbs are inside the Gather, so a key press interrupts them...
    assert [say.text for say in gather.findall("Say")] == heard.says
    assert all(say.get("voice") == "Polly.Amy-Neural" for say in gather.iter("Say"))
    assert all(say.get("language") == "en-GB" for say in gather.iter("Say"))
    # ...and the Redirect after it catches silence, carrying the same position.
    children = [child.tag for child in heard.xml]
    assert children == ["Gather", "Redirect"]
    assert heard.redirect == heard.gather["action"]


def test_where_the_caller_is_travels_in_the_url(client):
    heard = Call(client).start()
    state = url_state(client.application, heard.gather["action"])
    assert (state.channel, state.node) == ("voice", "main")
    assert "From" not in heard.gather["action"] and "447700" not in heard.gather["action"]


REACH_BY_KEY = [
    ("1", "If you already clicked the link, treat it as a security incident."),
    ("2", "use child-specific routes, and do it promptly"),
    ("9", "If you feel at immediate risk of harm, hang up now and call nine nine nine."),
    ("3", "For the steps to take now, press 1. For what not to do, press 2."),
]


@pytest.mark.parametrize(("key", "words"), REACH_BY_KEY)
def test_branches_by_key(client, key, words):
    call = Call(client)
    call.start()
    assert words in call.press(key).text


REACH_BY_SPEECH = [
    ("I clicked the link.", "treat it as a security incident"),
    ("Under eighteen.", "use child-specific routes"),
    ("Danger.", "If you feel at immediate risk of harm"),
    ("I can't cope", "If you feel at immediate risk of harm"),
    ("Next.", None),  # nothing to go next from on a menu: it says so, then the choices
]


@pytest.mark.parametrize(("speech", "words"), REACH_BY_SPEECH)
def test_branches_by_speech(client, speech, words):
    call = Call(client)
    call.start()
    heard = call.say(speech)
    if words is None:
        assert heard.says[0] == "That was all of it."
        assert heard.says[1].startswith("If you already clicked the link, press 1.")
    else:
        assert words in heard.text


def test_danger_is_one_key_away_from_every_menu_and_step(client):
    paths = (["1"], ["2"], ["3"], ["3", "1"], ["3", "1", "1"], ["3", "2"], ["3", "3"], ["3", "4"])
    for path in (*paths, ["3", "3", "3"]):
        call = Call(client)
        call.start()
        for key in path:
            call.press(key)
        assert "If you are in danger or can't cope, press 9." in call.heard.text
        assert "If you feel at immediate risk of harm" in call.press("9").text


def test_star_repeats_and_zero_returns_to_the_main_menu(client):
    call = Call(client)
    call.start()
    step_two = call.press("3") and call.press("1") and call.press("1")
    assert call.press("*").says == step_two.says
    assert "If you already clicked the link, press 1." in call.press("0").text
    menu = call.heard.says
    assert call.say("repeat that").says == menu


def test_steps_are_read_one_at_a_time(client):
    call = Call(client)
    call.start()
    call.press("3")
    heard = call.press("1")
    assert heard.says[:2] == [
        "Here is what to do now, one step at a time.",
        "Step 1 of 7. Stop the interaction and block. Don't reply further. Block the account, "
        "number or email on the platform where they contacted you.",
    ]
    assert "Step 2" not in heard.text
    assert heard.says[2] == "For the next step, press 1."
    for number in range(2, 8):
        heard = call.press("1")
        assert heard.says[0].startswith(f"Step {number} of 7.")
    assert "To go on, press 1." in heard.text
    assert "If you already clicked the link, press 1." in call.press("1").text


NOT_UNDERSTOOD = (
    "Sorry, I didn't understand that. This is an automated line, and nobody hears this call. "
    "For someone to talk to, call Samaritans free on one one six, one two three, any time."
)


@pytest.mark.parametrize(
    ("how", "given", "sorry"),
    [
        ("press", "8", "Sorry, that isn't one of the choices."),  # no such key
        ("say", "purple elephants", NOT_UNDERSTOOD),  # the automated line answer
    ],
)
def test_a_wrong_key_or_words_that_match_nothing_get_a_sentence_then_the_menu_again(
    client, how, given, sorry
):
    call = Call(client)
    call.start()
    heard = getattr(call, how)(given)
    assert heard.says[0] == sorry
    assert heard.says[1].startswith("If you already clicked the link, press 1.")
    assert heard.gather is not None


def test_silence_re_prompts_twice_then_a_goodbye_with_999_and_samaritans_then_hangup(client):
    call = Call(client)
    call.start()
    for _ in range(2):
        heard = call.silence()
        assert heard.gather is not None
        assert heard.says[0].startswith("If you already clicked the link, press 1.")
    heard = call.silence()
    assert heard.gather is None and heard.hangup
    assert [child.tag for child in heard.xml] == ["Say", "Hangup"]
    assert all(number in heard.text for number in GOODBYE_NUMBERS)


# Out of the Revenge Porn Helpline's hours, so no transfer is offered: a transfer ends in a
# Dial, not a Gather (tests/test_transfer.py walks those). In its hours this walk failed.
@freeze_time("2026-12-05 20:00:00")  # a Saturday evening
def test_the_call_never_ends_in_silence_and_every_reachable_response_leads_on(client):
    """Walk the whole menu by keys, speech and silence from every position reached."""
    inputs = [("press", k) for k in "0123456789*#"]
    words = (
        "I clicked the link",
        "under eighteen",
        "danger",
        "menu",
        "repeat",
        "next",
        "gibberish",
    )
    inputs += [("say", w) for w in words]
    inputs += [("silence", None)]
    first = Call(client).start()
    todo = [first.gather["action"]]
    app = client.application
    seen = {position(app, todo[0])}
    while todo:
        url = todo.pop()
        for how, value in inputs:
            call = Call(client)
            call.heard = dataclasses.replace(first, gather={"action": url}, redirect=url)
            heard = call.silence() if how == "silence" else getattr(call, how)(value)
            assert heard.says and all(s.strip() for s in heard.says)  # something is said
            if heard.hangup:
                assert all(n in heard.text for n in GOODBYE_NUMBERS)
                continue
            assert heard.gather is not None and heard.redirect == heard.gather["action"]
            if position(app, heard.gather["action"]) not in seen:
                seen.add(position(app, heard.gather["action"]))
                todo.append(heard.gather["action"])
    reached = {node for node, _, _ in seen}
    assert reached == {"main", "clicked", "under-18", "danger", "steps", "dont", "can-wait",
                       "support", "about", "more"}  # fmt: skip


def position(app, url: str) -> tuple[str, int, int]:
    """Where a URL puts the caller (node, step, retries), ignoring the time it was made."""
    state = url_state(app, url)
    return state.node, state.step, state.retries


def test_numbers_are_spoken_digit_by_digit(client):
    call = Call(client)
    call.start()
    call.press("3")
    heard = call.press("4")
    assert "zero three four five, six zero zero zero, four five nine" in heard.text
    assert "revenge porn helpline dot org dot U K" in heard.text
    assert len(heard.says) >= 3  # paragraphs are separate Says, with pauses between
    assert heard.xml.find("Gather").find("Pause") is not None


def test_a_fault_still_answers_with_999_and_samaritans_and_one_fresh_start(app, client):
    """A script changed under a running app, so an option now leads nowhere: the engine
    fails, and the caller still hears the numbers they need, never Twilio's error."""
    library = app.extensions["ivr"].library
    script = library.default
    main = script.main
    broken_option = dataclasses.replace(main.options[0], target="vanished")
    broken_main = dataclasses.replace(main, options=(broken_option, *main.options[1:]))
    library.scripts[script.id] = dataclasses.replace(
        script, nodes={**script.nodes, "main": broken_main}
    )
    library.default = library.scripts[script.id]
    call = Call(client)
    call.start()
    heard = call.press("1")
    assert all(number in heard.text for number in GOODBYE_NUMBERS)
    assert heard.redirect is not None and not heard.hangup
    assert urlsplit(heard.redirect).path == "/voice" and "fault" not in heard.redirect
    assert opened_url(app, heard.redirect).retry  # the flag is sealed, not written out
    retry = call._post(urljoin("/voice/next", heard.redirect), call.params())
    assert retry.says[0] == DANGER_LINE  # a fresh start works
    # If the fresh start itself fails, a second fault in a row ends the call politely.
    library.scripts[script.id] = library.default = dataclasses.replace(script, nodes={})
    second = call._post(urljoin("/voice/next", heard.redirect), call.params())
    assert second.hangup and all(number in second.text for number in GOODBYE_NUMBERS)
    # ...while a fault elsewhere in the call gets its one fresh start again.
    other = call._post(sealed_url(app, State("voice", script.id, "main")), call.params(Digits="1"))
    assert other.redirect is not None and not other.hangup


def test_the_fallback_url_answers_with_the_numbers(client):
    response = signed_post(client, "/voice/fallback", Call(client).params())
    heard = read_voice(response)
    assert all(number in heard.text for number in GOODBYE_NUMBERS)


def test_a_dial_option_connects_and_comes_back_to_the_menu(tmp_path):
    text = (
        (FIXTURES / "valid.yaml")
        .read_text()
        .replace(
            '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n  young:',
            '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n'
            '      - {key: "2", keyword: TALK, label: to talk to someone, dial: "+443456000459"}\n'
            "  young:",
        )
    )
    path = tmp_path / "dial.yaml"
    path.write_text(text)
    app = create_app(production_env(IVR_SCRIPTS=str(path)))
    call = Call(app.test_client())
    call.start()
    call.press("1")
    dialled = call.press("2")
    dial = dialled.xml.find("Dial")
    assert dial is not None and dial.text == "+443456000459"
    back = call._post(
        urljoin("/voice", dial.get("action")), call.params(DialCallStatus="completed")
    )
    assert back.says[0] == "Change your passwords from another device."


def test_pressing_danger_again_at_the_danger_node_repeats_it_never_says_sorry(client):
    call = Call(client)
    call.start()
    first = call.press("9")
    again = call.press("9")
    assert again.says == first.says
    assert "Sorry" not in again.text


def test_the_under_18_answer_offers_the_adult_routes_on_one_key(client):
    call = Call(client)
    call.start()
    heard = call.press("2")  # under 18
    assert "If you are 18 or over, for the routes for adults, press 2." in heard.text
    assert call.press("2").says[0].startswith("To report threats, demands")
