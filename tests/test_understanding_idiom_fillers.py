"""An everyday idiom with a filler between its words ("my phone is literally dying",
"my mum would so actually kill me", an emoji, "rn", "lol") is still the idiom (issue 19,
round nine: `idiom_fillers` in the en-GB lexicon), on both channels; danger said of
oneself beside the same fillers is still danger. Every line is our own, written for this
test."""

from __future__ import annotations

import pytest

from ivr.understanding.lexicon_file import load
from ivr.understanding.meaning import for_script

EVERYDAY = [
    "lol my phone is literally dying rn",
    "my phone is actually dying so ill text you later",
    "omg my laptop is like literally dying",
    "ugh the kettle has just died",
    "my airpods are basically dead 🙃",
    "my phone is 😩 dying, charger anyone",
    "my mum would so actually kill me if she saw this room",
    "this commute is honestly literally killing me",
    "my feet are actually killing me in these heels",
    "i nearly literally died laughing at that video",
    "i would die of actual embarrassment",
    "my character just literally died on the last level again",
    "the car battery is completely dead ffs",
]
STILL_DANGER = [
    "i am literally dying inside and want to end it",
    "lol my phone is dying but honestly i want to kill myself",
    "my phone is literally dying and so am i, i want to die",
    "im literally going to kill myself rn",
    "i just want to die like literally",
    "i am so actually done with living",
    "my mum would literally kill me so i'll end it first",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_an_idiom_with_fillers_between_its_words_is_everyday(guide, channel, text):
    reading = for_script(guide, channel).read(text, "main")
    assert not reading.danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", STILL_DANGER)
def test_danger_beside_the_same_fillers_is_still_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text


def test_explain_names_the_idiom_read_past_its_fillers(guide):
    findings = for_script(guide, "sms").findings("lol my phone is literally dying rn", "main")
    start, end, idiom = findings.idioms[0]
    assert idiom == "{device} is dying"
    assert findings.tokens.words[start:end] == ("my", "phone", "is", "literally", "dying")


def test_no_filler_is_a_danger_word():
    lexicon = load("en-GB")
    fillers = set(lexicon.words("idiom_fillers"))
    assert fillers, "the en-GB lexicon lists the fillers an idiom may skip"
    danger = {
        *lexicon.words("danger.words"),
        *lexicon.words("danger.distress"),
        *lexicon.words("danger.emoji"),
    }
    assert not fillers & danger
