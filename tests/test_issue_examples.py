"""Every example of the understanding issue, on both channels, through the real webhooks:
tried as a new user would, at the main menu, mid-conversation, and as a first text."""

from __future__ import annotations

import pytest

from support import Call, Texter

DANGER_VOICE = "If you feel at immediate risk of harm, hang up now and call nine nine nine."
DANGER_SMS = "If you feel at immediate risk of harm, call 999."
SAMARITANS_SMS = "call Samaritans free on 116 123"
CHILDLINE_SMS = "Childline: 0800 1111"
UNDER_18_SMS = "use child-specific routes promptly"
CLICKED_SMS = "If you already clicked the link, treat it as a security incident"
SORRY_SMS = "Sorry, I didn't understand that. This is an automated line and nobody reads"
SORRY_VOICE = "Sorry, I didn't understand that. This is an automated line, and nobody hears"
PERSON_SMS = "This is an automated line, not a person, and nobody reads these texts."

DANGER_WORDS = [
    "I don't want to live",
    "I don't feel safe",
    "I don't think I can cope",
    "I want to die",
    "kill myself",
    "suicide",
    "self harm",
    "end it all",
    "please help",
    "nine nine nine",
    "999!!!",
    "I can't go on",
    "I'm not suicidal",
    "I don't want to die",
    "I took 20 paracetamol",
    "💊💊",
    "800mg",
]
# Where a conversation can be when the words come: the main menu, a step, a later page.
PLACES = [[], ["STEPS"], ["STEPS", "NEXT"], ["CLICKED"], ["UNDER18"]]


@pytest.mark.parametrize("words", DANGER_WORDS)
def test_danger_words_reach_the_danger_answer_from_a_first_text_and_anywhere(app, words):
    assert Texter(app).send(words).count(DANGER_SMS) == 1  # a first text is read
    for path in PLACES:
        texter = Texter(app)
        texter.send("hi")
        for step in path:
            texter.send(step)
        reply = texter.send(words)
        assert DANGER_SMS in reply and SAMARITANS_SMS in reply, (path, reply)


@pytest.mark.parametrize("words", DANGER_WORDS)
def test_danger_words_reach_the_danger_answer_by_phone_from_a_menu_and_a_step(client, words):
    for path in ([], ["3"], ["3", "1"], ["1"]):
        call = Call(client)
        call.start()
        for key in path:
            call.press(key)
        assert call.say(words).says[0].startswith(DANGER_VOICE), path


@pytest.mark.parametrize(
    "words", ["I'm 14", "i am 15", "my son is 15", "I was 16 in the photo", "fourteen", "age 16"]
)
def test_children_reach_the_under_18_answer(app, client, words):
    texter = Texter(app)
    texter.send("hi")
    assert UNDER_18_SMS in texter.send(words)
    call = Call(client)
    call.start()
    assert "use child-specific routes" in call.say(words).text


def test_a_15_year_old_who_clicked_gets_under_18_first_and_is_offered_the_clicked_advice(
    app, client
):
    long_text = (
        "hi um I'm 15 and someone sent me a link saying it was pictures of me and "
        "I clicked it before I thought, I don't know what to do"
    )
    texter = Texter(app)
    reply = texter.send(long_text)
    assert reply.startswith("Some first steps:\n\nIf you are in immediate danger, call 999.")
    assert UNDER_18_SMS in reply
    offer = "You also mentioned something else: if you already clicked the link, reply CLICKED."
    # The under-18 answer fills its four segments, so the offer comes with the next part.
    assert offer in reply or offer in texter.send("1")
    assert CLICKED_SMS in texter.send("CLICKED")
    call = Call(client)
    call.start()
    heard = call.say(long_text)
    # Keys 1 and 2 are the under-18 answer's own (the steps; the adult routes): the next free.
    offer = "You also mentioned something else. If you already clicked the link, press 3."
    assert offer in heard.says
    assert "treat it as a security incident" in call.press("3").text


def test_a_child_in_danger_gets_childline_beside_samaritans(app, client):
    reply = Texter(app).send("im 14 and i want to kill myself")
    assert reply.index(SAMARITANS_SMS) < reply.index(CHILDLINE_SMS)
    call = Call(client)
    call.start()
    spoken = call.say("I'm fourteen and I want to die").text
    assert "Samaritans" in spoken and "Childline free on zero eight zero zero" in spoken


@pytest.mark.parametrize(
    ("words", "not_there"),
    [("I didn't click it", CLICKED_SMS), ("I'm not under 18", UNDER_18_SMS)],
)
def test_negation_cancels_topic_words(app, words, not_there):
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send(words)
    assert not_there not in reply and reply.startswith(SORRY_SMS)


@pytest.mark.parametrize("words", ["what not to do", "don't pay", "DONT", "should I pay them?"])
def test_what_not_to_do_is_not_danger(app, words):
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send(words)
    assert reply.startswith("Do not do these things:") and DANGER_SMS not in reply


def test_the_step_words_go_on_but_i_cant_go_on_is_danger(client):
    call = Call(client)
    call.start()
    call.say("steps")
    assert call.say("go on").says[0].startswith("Step 2 of 7.")
    assert call.say("I can't go on").says[0].startswith(DANGER_VOICE)


@pytest.mark.parametrize(
    "words", ["are you a real person", "is this a bot", "I want to talk to someone"]
)
def test_asking_for_a_person_gets_the_automated_line_answer_on_purpose(app, client, words):
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send(words)
    assert reply.startswith(PERSON_SMS)
    assert "Reply with a number or word:" in reply
    call = Call(client)
    call.start()
    assert call.say(words).says[0].startswith("This is an automated line, not a person")


@pytest.mark.parametrize("words", ["ok", "thanks", "blah blah", "🙂"])
def test_never_a_bare_list(app, client, words):
    texter = Texter(app)
    texter.send("hi")
    assert texter.send(words).startswith(SORRY_SMS)
    call = Call(client)
    call.start()
    assert call.say(words).says[0].startswith(SORRY_VOICE)


def test_what_is_sextortion_gets_an_answer(app):
    texter = Texter(app)
    texter.send("hi")
    assert "These threats are often designed to rush you" in texter.send("what is sextortion")


def test_next_after_the_last_part_says_that_was_all_of_it(app):
    texter = Texter(app)
    texter.send("hi")
    texter.send("UNDER18")
    last = texter.send("NEXT")
    assert "1 - for more (NEXT)" not in last
    reply = texter.send("NEXT")
    assert reply.startswith("That was all of it.")


def test_by_phone_someone_who_keeps_talking_is_never_hung_up_on(client):
    call = Call(client)
    call.start()
    for words in ["hello?", "what", "I don't understand", "hmm", "purple", "ok", "erm"]:
        heard = call.say(words)
        assert heard.gather is not None and not heard.hangup
        assert heard.says[0].startswith(SORRY_VOICE)
    for _ in range(2):
        assert call.silence().gather is not None
    goodbye = call.silence()
    assert goodbye.hangup and "haven't heard a choice" not in goodbye.text
    assert "nine nine nine" in goodbye.text and "one one six, one two three" in goodbye.text


def test_by_text_a_number_means_only_what_the_reply_just_shown_offers(app):
    texter = Texter(app)
    texter.send("hi")
    part = texter.send("UNDER18")
    assert "1 - for more (NEXT)" in part
    following = texter.send("1")
    assert "Report Remove: https:" in following  # the next part, not the clicked advice
    assert CLICKED_SMS not in following


def test_opt_in_words_get_no_reply_and_keep_the_conversation(app):
    texter = Texter(app)
    texter.send("hi")
    texter.send("STEPS")
    assert texter.send("START") is None
    assert texter.send("NEXT").startswith("3. ")  # still in the steps, not the welcome
