"""The first script carries the whole seed guide, and the numbers a caller needs.

Each row is a piece of the seed guide (shared/seed/link-claiming-intimate-photo.txt)
that must reach a texter, in the seed's own words, and the spoken numbers a caller
must hear. Walking every node proves nothing was dropped on either channel.
"""

from __future__ import annotations

import re

import pytest

from ivr import engine
from ivr.script import SMS, VOICE

from support import NOW

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

SEED = [
    # short answer
    "Do not click the link or engage with the sender.",
    "Save a minimal record of what happened",
    # what not to do: all five
    'Don\'t click, preview, or "just check" the link',
    "Don't pay, send gift cards, or bargain",
    "Don't delete everything in a panic",
    'Don\'t forward the link or image to friends "to confirm"',
    "Don't post about it publicly with identifying details",
    # what to do now: all seven steps
    "Stop the interaction and block.",
    "Record the essentials (without opening the link).",
    "If you already clicked the link, treat it as a security incident.",
    "change those passwords from a different trusted device",
    "2-step verification",
    "Report it in-app, and use UK takedown support (even if you're not sure it's real).",
    "It does not stop sharing everywhere",
    "Revenge Porn Helpline",
    "Use UK reporting routes if there are threats, demands or ongoing harassment.",
    "Keep it simple: stop contact, don't pay, preserve evidence.",
    "use child-specific routes",
    "Tell a trusted adult.",
    "CEOP Safety Centre",
    "Report Remove",
    "Get support for the shock and spiral right now.",
    "NHS 111 and choose the mental health option",
    "Samaritans on 116 123",
    # what can wait
    "whether to make a full statement, pursue a case, or confront anyone",
    "You do not need to identify who did it today.",
    "You do not need to search the internet for the image right now",
    # reassurance, scope note, important note
    "can cause instant panic, nausea and shame",
    "slowing down and using the right support routes is a strong first move",
    "These are first steps only",
    "may need tailored help",
    "This is general information, not legal or medical advice.",
    # additional resources: every link
    "https://www.reportfraud.police.uk/sextortion/",
    "https://www.police.uk/advice/advice-and-information/online-safety/online-safety/"
    "intimate-image-abuse-revenge-porn/what-you-can-do-reporting-it-to-us/",
    "https://revengepornhelpline.org.uk/",
    "https://stopncii.org/",
    "https://stopncii.org/faq/?lang=en-gb",
    "https://www.ceop.police.uk/Safety-Centre/",
    "https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/"
    "report-remove/",
    "https://www.iwf.org.uk/our-technology/report-remove/",
]

# From UK-ROUTES.md: what a caller must be able to write down, as the voice says it.
SPOKEN_NUMBERS = [
    "nine nine nine",  # 999
    "one one six, one two three",  # Samaritans
    "zero three four five, six zero zero zero, four five nine",  # Revenge Porn Helpline
    "zero three zero zero, one two three, two zero four zero",  # Report Fraud
    "zero eight zero zero, one one one one",  # Childline
    "zero eight zero eight, eight zero eight, eight zero zero zero",  # Lifeline (NI)
    "eight five two five eight",  # Shout
    "one zero one",  # police non-emergency
]


def everything(script, channel):
    return "\n".join(
        "\n".join(reply.paragraphs) for _, reply in engine.every_reply(script, channel)
    )


@pytest.mark.parametrize("words", SEED)
def test_the_seed_guide_reaches_texters_in_its_own_words(guide, words):
    texted = " ".join(everything(guide, SMS).split())
    assert " ".join(words.split()) in texted


@pytest.mark.parametrize("number", SPOKEN_NUMBERS)
def test_callers_hear_each_number_digit_by_digit(guide, number):
    assert number in everything(guide, VOICE)


def test_no_number_is_spoken_as_a_quantity(guide):
    spoken = everything(guide, VOICE)
    assert "hundred" not in spoken and "thousand" not in spoken
    assert re.findall(r"\d{3,}", spoken) == []  # every long number is read digit by digit


def test_the_revenge_porn_helpline_hours_are_given_with_the_number(guide):
    more = engine.advance(guide, engine.start(guide, VOICE, NOW).state, engine.pressed("3"), NOW)
    support = engine.advance(guide, more.state, engine.pressed("4"), NOW)
    said = " ".join(support.paragraphs)
    assert "Monday to Friday, 10am to 4pm, except bank holidays" in said


def test_the_main_menu_offers_the_three_safety_branches_by_key(guide):
    keys = {c.target: c.key for c in engine.start(guide, VOICE, NOW).choices}
    assert keys["clicked"] == "1" and keys["under-18"] == "2" and keys["danger"] == "9"
