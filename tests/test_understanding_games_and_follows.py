"""Everyday deaths in a video game, being followed on social media, small appliances that
die, a danger sign and an "emergency" of running out of something are not danger (issue
19, round eight: idioms in the en-GB lexicon), on both channels; the same danger words
anywhere else still are. Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

EVERYDAY = [
    "i keep dying on the last level, so annoying",
    "my character died in the first round again",
    "got killed in the lobby before it even started",
    "my sim died in a kitchen fire lol",
    "ive died in elden ring about fifty times tonight",
    "my guy keeps dying, that level is impossible",
    "some lad from work is following me on instagram",
    "a girl from my class followed me on tiktok",
    "hes following me on snapchat now, weird",
    "my straighteners died halfway through doing my hair",
    "the hairdryer has died, can i borrow yours",
    "i died a little inside when the teacher read it out",
    "the sign on the fence says danger high voltage",
    "theres a danger sign by the wet floor",
    "emergency, were out of loo roll",
    "sos need coffee",
]
STILL_DANGER = [
    "i keep dying inside and i want to die for real",
    "hes following me home",
    "my character died and honestly i want to kill myself",
    "someone followed me from the station and hes outside",
    "i died in the game and i want to be dead too",
    "i died a little inside and now i want to die",
    "emergency, hes got a knife",
    "sos im in danger",
    "im in danger, theres a man at the door",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_a_game_death_or_a_follow_is_everyday(guide, channel, text):
    reading = for_script(guide, channel).read(text, "main")
    assert not reading.danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", STILL_DANGER)
def test_the_danger_words_beside_them_are_still_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text
