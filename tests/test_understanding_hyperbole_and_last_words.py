"""Hyperbole of heat, aches, moods and someone close "dying" of shock is everyday; a last
ever call, a goodbye to the world, being out of everyone's hair, not worth saving, a
hose through the car window and asking how long drowning takes are danger (issue 19,
round nine), on both channels. Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

EVERYDAY = [
    "honestly dying in this heat, the office has no air con",
    "my calves are dying after that hike",
    "my nan would die if she heard me swear",
    "the vibe died the minute he turned the music off",
    "the mood died when the bill came",
    "died to a skeleton in minecraft again",
    "saying goodbye to the old house today, the new owners get the keys tomorrow",
]
CRISIS = [
    "this is my last ever phone call, i wanted it to be you",
    "goodbye to the world and everyone in it",
    "saying goodbye to the world tonight",
    "i'll be out of everybody's hair by the morning",
    "i'm not worth saving, please don't try",
    "i've fed a hose through the car window",
    "how long does it take to drown",
    "sat in the garage on my own with a rope",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_hyperbole_is_everyday(guide, channel, text):
    assert not for_script(guide, channel).read(text, "main").danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", CRISIS)
def test_last_words_and_means_are_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text
