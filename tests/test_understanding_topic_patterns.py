"""Topics asked the plain ways people ask them (issue 19, round nine: topic patterns in the
en-GB lexicon, phrases with {slots} and ... gaps, as danger patterns are written): what can
wait, what to do first, how to get it taken down, whether to pay or reply, clicked said as
what the page was given. Each is read on both channels, at the main menu and in the steps;
danger still ranks above every topic; everyday messages built from the same words stay
what they were. Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.explain import explain
from ivr.understanding.meaning import for_script

pytestmark = pytest.mark.domain

PLACES = [("sms", "main"), ("sms", "steps"), ("voice", "main"), ("voice", "steps")]

ASKED = {
    "can_wait": [
        "does all of this have to be sorted tonight",
        "do i really need to do everything today",
        "must i report it right now",
        "what can i do at the weekend instead",
        "can the police bit be done next week",
        "which of these can be put on hold",
        "what's less pressing",
        "do i have to track down who sent it tonight",
        "should i be googling my name for the pictures right now",
        "is it alright if i deal with the rest on monday",
        "which bits arent pressing",
        "is any of it not time critical",
    ],
    "steps": [
        "where on earth do i start",
        "where should i even begin",
        "what is the very first thing i should do",
        "what's the first move",
        "what shall i do",
        "what do i honestly do now",
        "how am i supposed to handle all this",
        "how do i tackle this",
        "whats the best thing i can do right now",
        "give me a plan",
        "can you talk me through it all",
        "whats the right thing to do here",
        "is there a procedure for this, what is the procedure",
    ],
    "dont": [
        "should i keep replying to them",
        "is it ok to text the scammer",
        "would it help to argue with him",
        "should i just hand them the cash",
        "can i open it to see if it's really me",
        "is it safe to tap the link",
        "what are the donts",
        "what things mustn't i do",
        "should i ring them and plead",
        "do i have to pay them now",
        "should i just give them what they want",
        "should i accept the deal",
    ],
    "support": [
        "how can i have the pictures taken down",
        "who can i go to with this",
        "who sorts this kind of thing out",
        "is there a number i can phone",
        "can i ring 101 about it",
        "how do i stop them spreading it",
        "who gets images removed",
        "who deals with this sort of thing",
        "where can i go for help with this",
        "can ceop do anything",
    ],
    "clicked_link": [
        "i put my bank details into the page",
        "i typed my phone number and password in",
        "i gave it my login details",
        "i entered a code it asked for",
        "i let it download an app",
        "ive been on the page they linked",
        "my finger slipped onto the link",
        "it loaded a site and i signed in",
        # round nine, second set
        "i went to the web address they sent",
        "i accessed the page in the text",
        "i gave it permission to access my camera",
        "i did tap it, sorry",
    ],
}

# The same words in everyday messages: no topic at all (the sorry sentence, then choices).
EVERYDAY = [
    "do i have to bring a bottle tonight",
    "ill do the washing at the weekend",
    "where do i park",
    "what shall i have for tea",
    "how do i turn the oven on",
    "my thumb hurts",
    "who can pick the kids up",
    "is there a number for the taxi",
    "take the bins down",
    "i typed it on my laptop",
    "i gave my mum a lift",
    "can i open a window",
]

# A topic beside danger: danger first, always.
DANGER = [
    "what can wait, i want to kill myself tonight",
    "where do i even start, i just want to die",
    "should i keep replying to them, he says he will stab me",
    "i gave it my password and now i want to end it all",
]


@pytest.mark.parametrize("role,text", [(r, t) for r, ts in ASKED.items() for t in ts])
def test_a_topic_asked_plainly_reads_as_that_topic(guide, role, text):
    node = guide.roles[role]
    for channel, here in PLACES:
        reading = for_script(guide, channel).read(text, here)
        assert not reading.danger, (text, channel, here)
        assert reading.top is not None and reading.top.target == node, (
            text,
            channel,
            here,
            reading.top,
        )


@pytest.mark.parametrize("text", EVERYDAY)
def test_the_same_words_in_everyday_messages_are_no_topic(guide, text):
    topics = {guide.roles[r] for r in ("clicked_link", "steps", "dont", "can_wait", "support")}
    for channel, here in PLACES:
        reading = for_script(guide, channel).read(text, here)
        assert not reading.danger and not reading.child, (text, channel)
        assert not topics & {m.target for m in reading.meanings}, (text, channel, reading)


@pytest.mark.parametrize("text", DANGER)
def test_danger_ranks_above_a_topic_pattern(guide, text):
    for channel, here in PLACES:
        reading = for_script(guide, channel).read(text, here)
        assert reading.danger and reading.top.target == guide.roles["danger"], (text, channel)


@pytest.mark.parametrize(
    "text",
    [
        "what should i never do",  # a negation inside: not "what should i do"
        "what can i not leave till later",
    ],
)
def test_a_topic_pattern_is_not_read_across_a_negation(guide, text):
    for channel, here in PLACES:
        reading = for_script(guide, channel).read(text, here)
        assert reading.top is None or reading.top.target not in (
            guide.roles["steps"],
            guide.roles["can_wait"],
        ), (text, channel)


def test_a_longer_pattern_at_the_same_start_beats_a_shorter_phrase(guide):
    # "what can i do" is a steps phrase; "what can i do ... tomorrow" asks what can wait
    reading = for_script(guide, "sms").read("what can i do tomorrow instead", "main")
    assert reading.top.target == guide.roles["can_wait"]
    # a phrase that starts later keeps its own rank: paying is what not to do
    reading = for_script(guide, "sms").read("do i have to pay them tonight", "main")
    assert reading.top.target == guide.roles["dont"]


def test_ivr_understand_names_the_topic_pattern(guide):
    said = "\n".join(explain(for_script(guide, "sms"), "where on earth do i start", "main"))
    assert "Topic pattern:" in said and "node 'steps'" in said, said


# What this line is, asked plainly: the about node by text, what can wait (with the
# reassurance) by phone. Words of the script's ABOUT and WAIT options.
ABOUT = [
    "is this service confidential?",
    "is it free to text you",
    "are my messages stored anywhere",
    "who am i actually talking to",
    "are you the police or what",
]


@pytest.mark.parametrize("text", ABOUT)
def test_what_this_line_is_asked_plainly(guide, text):
    for channel, here in PLACES:
        reading = for_script(guide, channel).read(text, here)
        wanted = "about" if channel == "sms" else guide.roles["can_wait"]
        assert reading.top is not None and reading.top.target == wanted, (text, channel)
