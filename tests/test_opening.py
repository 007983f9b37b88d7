"""The opening over a library (ivr.opening): danger line, (language,) guide choice, then
the chosen guide's main menu, as tables of inputs and what comes back. Uses the shipped
guide and the test fixture guide (tests/fixtures/guides/account-link, not a real guide).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ivr import engine, opening
from ivr.engine import SILENT, State, pressed, said, typed
from ivr.library import Library
from ivr.loader import load_script
from ivr.script import GUIDE_CHOICE, LANGUAGE_CHOICE, SMS, VOICE, Text

from support import FIXTURES, NOW, SCRIPTS

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

ACCOUNT = FIXTURES / "guides" / "account-link.yaml"
DANGER_VOICE = "If you are in immediate danger, hang up now and call nine nine nine."
DANGER_SMS = "If you are in immediate danger, call 999."


@pytest.fixture(scope="module")
def account():
    return load_script(ACCOUNT)


@pytest.fixture(scope="module")
def two(guide, account):
    return Library([guide, account])


def key(channel, k):
    return pressed(k) if channel == VOICE else typed(k)


def walk(library, channel, *inputs, given=None):
    reply = opening.start(library, channel, NOW, given=given)
    replies = [reply]
    for step in inputs:
        reply = opening.advance(library, reply.state, step, NOW, timedelta(minutes=30))
        replies.append(reply)
    return replies


# -- one guide: no opening at all --------------------------------------------------------

ONE_GUIDE_INPUTS = [pressed("1"), said("I'm 15"), SILENT, pressed("0"), pressed("9"), typed("x")]


@pytest.mark.parametrize("path", [*SCRIPTS, FIXTURES / "valid.yaml", ACCOUNT], ids=lambda p: p.stem)
@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_with_one_guide_every_reply_is_the_engines_own(path, channel):
    script = load_script(path)
    library = Library([script])
    assert opening.steps(library) == ()
    mine, theirs = opening.start(library, channel, NOW), engine.start(script, channel, NOW)
    assert mine == theirs
    for given in ONE_GUIDE_INPUTS:
        if channel == SMS and given.kind != "typed":
            continue
        mine = opening.advance(library, mine.state, given, NOW)
        theirs = engine.advance(script, theirs.state, given, NOW)
        assert mine == theirs


def test_a_script_without_a_label_is_served_but_not_offered(guide, tiny):
    library = Library([guide, tiny])
    assert library.offered == (guide,) and not library.choosing
    assert opening.start(library, VOICE, NOW) == engine.start(guide, VOICE, NOW)
    # reached by its own webhook URL (?script=tiny), as before libraries
    assert opening.start(library, VOICE, NOW, guide=tiny) == engine.start(tiny, VOICE, NOW)


# -- the order of a call -------------------------------------------------------------------


def test_a_call_hears_the_danger_line_then_the_guide_choice(two):
    reply = opening.start(two, VOICE, NOW)
    assert reply.paragraphs == (
        DANGER_VOICE,
        "If you are in danger or can't cope, press 9, at any time.",
        "Which of these is closest to what happened?",
        "If you got a link claiming to be a photo of you, press 1. "
        "If a message says your account will be locked, press 2.",
        "If you are in danger or can't cope, press 9. To hear this again, press star.",
    )
    assert reply.state == State(VOICE, "link-claiming-intimate-photo", GUIDE_CHOICE, at=NOW_AT)
    assert [c.key for c in reply.choices] == ["1", "2", "9", "0", "*"]


NOW_AT = int(NOW.timestamp())


def test_a_first_text_that_names_no_guide_gets_the_choices_in_one_message(two):
    reply = opening.start(two, SMS, NOW, given=typed("hello"))
    assert reply.text == (
        "Some first steps:\n\n"
        f"{DANGER_SMS}\n\n"
        "Which of these is closest to what happened?\n\n"
        "Reply with a number or word:\n"
        "1 - a link claiming to be a photo of you (PHOTO)\n"
        "2 - if a message says your account will be locked (ACCOUNT)\n"
        "9 - if you're in danger or can't cope (DANGER)"
    )


@pytest.mark.parametrize("channel", [VOICE, SMS])
@pytest.mark.parametrize(("choice", "chosen"), [("1", "link-claiming-intimate-photo"),
                                                ("2", "account-link")])  # fmt: skip
def test_choosing_a_guide_starts_it_without_the_danger_line_again(two, channel, choice, chosen):
    _, reply = walk(two, channel, key(channel, choice))
    script = two.get(chosen)
    assert reply.state.script == chosen and reply.state.node == "main"
    assert reply.event == "guide"
    said = "\n".join(reply.paragraphs)
    assert "999" not in said and "nine nine nine" not in said  # said once, at the start
    welcome = engine.start(script, channel, NOW).paragraphs
    assert reply.paragraphs[0 if channel == VOICE else 1] == welcome[2]  # the welcome
    assert "something else happened" in said.lower()  # the way back, said last


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_the_danger_key_works_at_the_guide_choice(two, channel):
    _, reply = walk(two, channel, key(channel, "9"))
    assert reply.state.node == "danger" and reply.state.script == two.default.id


@pytest.mark.parametrize(
    ("channel", "words"),
    [(SMS, "I want to kill myself"), (VOICE, "I can't go on"), (SMS, "DANGER"),
     (SMS, "account locked and I want to die")],
)  # fmt: skip
def test_crisis_words_at_the_guide_choice_reach_the_danger_answer(two, channel, words):
    given = typed(words) if channel == SMS else said(words)
    _, reply = walk(two, channel, given)
    assert reply.state.node == "danger"


def test_a_wrong_key_at_the_guide_choice_is_told_and_offered_the_choices_again(two):
    _, reply = walk(two, VOICE, pressed("5"))
    assert reply.paragraphs[0] == "Sorry, that isn't one of the choices."
    assert reply.state.node == GUIDE_CHOICE and reply.event == "wrong"
    assert "press 2" in reply.paragraphs[1]


def test_silence_at_the_guide_choice_reprompts_then_says_goodbye_with_999(two):
    replies = walk(two, VOICE, SILENT, SILENT, SILENT)
    assert [r.event for r in replies[1:]] == ["silence", "silence", "goodbye"]
    assert replies[1].state.retries == 1 and "press 1" in " ".join(replies[1].paragraphs)
    assert replies[-1].ends and "nine nine nine" in replies[-1].paragraphs[0]
    assert "one one six, one two three" in replies[-1].paragraphs[0]


CHOSEN_BY_WORDS = [("the account one", "account-link"), ("PHOTO", "link-claiming-intimate-photo")]


@pytest.mark.parametrize(("words", "chosen"), CHOSEN_BY_WORDS)
def test_a_guide_is_chosen_by_its_keyword_or_words(two, words, chosen):
    _, reply = walk(two, SMS, typed(words))
    assert reply.state.script == chosen and reply.state.node == "main"


def test_words_that_mean_nothing_at_the_choice_get_a_sentence_then_the_choices(two):
    _, reply = walk(two, SMS, typed("bananas"))
    assert reply.text.startswith("Sorry, I didn't understand that.")
    assert "2 - if a message says your account will be locked (ACCOUNT)" in reply.text


# -- a first text --------------------------------------------------------------------------

FIRST_TEXTS = [
    # (first text, guide it reaches, node)
    ("my account says it will be locked", "account-link", "main"),
    ("someone sent me a nude photo of me link", "link-claiming-intimate-photo", "main"),
    ("I'm scared, they say it's a photo of me and I clicked it", "link-claiming-intimate-photo",
     "clicked"),
    ("hello", "link-claiming-intimate-photo", GUIDE_CHOICE),
    ("I want to end it all, my account is locked", "link-claiming-intimate-photo", "danger"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "script", "node"), FIRST_TEXTS)
def test_a_first_text_is_routed_to_the_guide_its_words_name_and_crisis_wins(
    two, text, script, node
):
    reply = opening.start(two, SMS, NOW, given=typed(text))
    assert (reply.state.script, reply.state.node) == (script, node)
    assert reply.text.startswith("Some first steps:")  # discreet on a lock screen
    if node != "danger":  # 999 before anything else, in the guide's own words
        assert two.get(script).phrase("danger_line", SMS) in reply.text


def test_a_first_text_naming_two_guides_alike_gets_the_choice(guide, account):
    both = replace(account, guide=replace(account.guide, words=("photo of me",)))
    reply = opening.start(Library([guide, both]), SMS, NOW, given=typed("photo of me"))
    assert reply.state.node == GUIDE_CHOICE


# -- back to the guide choice ------------------------------------------------------------


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_guides_goes_back_to_the_choice_from_anywhere(two, channel):
    words = said("other guides") if channel == VOICE else typed("GUIDES")
    replies = walk(two, channel, key(channel, "1"), key(channel, "3"), words)
    assert replies[2].state.node != "main"  # somewhere inside the guide
    back = replies[-1]
    assert back.state.node == GUIDE_CHOICE and back.event == "guides"
    assert back.state.script == two.default.id
    assert "Which of these is closest to what happened?" in "\n".join(back.paragraphs)
    chosen = opening.advance(two, back.state, key(channel, "2"), NOW)
    assert chosen.state.script == "account-link"


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_the_main_menu_key_at_a_guides_main_menu_goes_back_to_the_choice(two, channel):
    replies = walk(two, channel, key(channel, "2"), key(channel, "0"))
    assert replies[-1].state.node == GUIDE_CHOICE
    # below the main menu the same key still goes to the guide's own main menu
    replies = walk(two, channel, key(channel, "2"), key(channel, "1"), key(channel, "0"))
    assert replies[-1].state.node == "main" and replies[-1].state.script == "account-link"


def test_a_crisis_said_with_guides_goes_to_the_danger_answer(two):
    replies = walk(two, SMS, typed("2"), typed("other guides, I want to die"))
    assert replies[-1].state.node == "danger"


def test_the_way_back_is_said_at_a_guides_main_menu_and_is_a_choice(two):
    _, reply = walk(two, VOICE, pressed("1"))
    assert reply.paragraphs[-1] == "If something else happened, press 0."
    back = [c for c in reply.choices if c.key == "0"]
    assert len(back) == 1 and back[0].target == GUIDE_CHOICE and back[0].keyword == "GUIDES"
    _, texted = walk(two, SMS, typed("2"))
    assert texted.text.endswith("\n0 - something else happened (GUIDES)")


def test_the_way_back_gives_way_where_a_text_would_run_past_four_segments(two):
    """The shipped guide's texted main menu fills four segments: after a picture, the
    picture note gives way to the way back, as it does to an answer."""
    reply = opening.start(two, SMS, NOW, media=True, given=typed("a photo of me"))
    assert reply.text.endswith("0 - something else happened (GUIDES)")
    assert "Pictures and files can't be viewed here." not in reply.text


def test_a_crisis_first_text_with_a_picture_gets_999_before_the_picture_note(two):
    """Several guides: the opening's danger answer keeps the engine's order."""
    text = opening.start(two, SMS, NOW, media=True, given=typed("i want to die")).text
    assert text.index("call 999") < text.index("116 123")
    assert text.index("116 123") < text.index("Pictures and files can't be viewed here.")


def test_an_idle_texter_starts_again_at_the_choice(two):
    first = opening.start(two, SMS, NOW, given=typed("2"))
    inside = opening.advance(two, first.state, typed("2"), NOW)
    later = NOW + timedelta(hours=1)
    again = opening.advance(two, inside.state, typed("hi"), later, timedelta(minutes=30))
    assert again.event == "expired" and again.state.node == GUIDE_CHOICE


@pytest.mark.parametrize("node", ["_languages", "gone"])
def test_a_state_at_a_point_no_longer_offered_starts_afresh(two, node):
    state = State(SMS, two.default.id, node, at=NOW_AT)
    reply = opening.advance(two, state, typed("1"), NOW)
    assert reply.event == "restart" and reply.state.node == GUIDE_CHOICE


def test_a_webhook_asking_for_one_guide_starts_in_it(two, account):
    reply = opening.start(two, VOICE, NOW, guide=account)
    assert reply.paragraphs[0] == "If you are in immediate danger call nine nine nine."
    assert reply.state.script == "account-link"
    assert reply.paragraphs[-1] == "If something else happened, press 0."


# -- the language step's place (the languages issue fills it in) --------------------------


@pytest.fixture
def two_languages(guide, account):
    """The two guides, with a language choice offered before them: a test fixture for the
    step the languages issue builds (ivr.opening.language_step)."""
    library = Library([guide, account])
    items = (
        opening.Item("1", "ENGLISH", Text("for English", "English"), ("english",), "en-GB"),
        opening.Item("2", "CYMRAEG", Text("am Gymraeg", "Cymraeg"), ("cymraeg",), "cy-GB"),
    )
    question = Text("Which language?", "Which language?")
    library.language_step = opening.Step(LANGUAGE_CHOICE, question, items, "language")
    return library


def test_the_language_choice_comes_after_the_danger_line_and_before_the_guides(two_languages):
    assert [s.node for s in opening.steps(two_languages)] == [LANGUAGE_CHOICE, GUIDE_CHOICE]
    reply = opening.start(two_languages, VOICE, NOW)
    assert reply.paragraphs[:3] == (
        DANGER_VOICE,
        "If you are in danger or can't cope, press 9, at any time.",
        "Which language?",
    )
    assert reply.paragraphs[3] == "For English, press 1. Am Gymraeg, press 2."
    assert reply.state.node == LANGUAGE_CHOICE


@pytest.mark.parametrize("channel", [VOICE, SMS])
def test_the_danger_key_works_at_the_language_choice(two_languages, channel):
    _, reply = walk(two_languages, channel, key(channel, "9"))
    assert reply.state.node == "danger"
