"""More of the classes en-GB-6.txt showed once unsealed (issue 19, round nine), learnt as
classes, never as its lines, on both channels: a thing (not a person, not a pain) that
"is killing me", a delivery at the door, knives and danger in everyday phrases; and
crisis said as walking into water, logging off life, waking up disappointed, no reason to
carry on, a note for the police, someone threatening to end their life, whole
prescriptions taken, threats quoted from a blackmailer or made to someone else. Every
line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

EVERYDAY = [
    "the Eurovision voting is killing me",
    "Spurs are killing me this year",
    "my credit card bill is killing me",
    "this Friday is trying to kill me, three meetings after lunch",
    "the suspense of the final is killing me",
    "someone's knocking, must be my Deliveroo",
    "he's at the door, it's the Amazon man with my parcel",
    "can't cut the carrots, this knife is useless",
    "my uncle is going under the knife for his knee",
    "the knife skills class at college was fun",
    "i'd die for a lie-in tomorrow",
    "in danger of being late again, the bus hasn't come",
    "i take vitamin d tablets every morning",
]
CRISIS = [
    "he is killing me, he won't stop hitting me",
    "the guilt is killing me and i want it to end",
    "my ex is trying to kill me",
    "walked into the canal, it's so cold",
    "logging off life, bye all",
    "woke up again and i'm disappointed i woke up",
    "there's no reason to keep going now",
    "left a note for the police in the car",
    "my brother is threatening to jump",
    "my flatmate has taken her whole prescription",
    "he says he'll come to your house tonight if i don't pay, that's what he wrote",
    "they know where your kids go to school, the message said",
    "i'll put him in hospital when i find him",
    "i'm outside his house with a baseball bat",
    "don't try to talk me out of it",
    "i've already taken them, it's done",
    "booked a travelodge so no one finds me",
    "my kids deserve a better mum than me, i'm done",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_voices_are_not_danger(guide, channel, text):
    assert not for_script(guide, channel).read(text, "main").danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", CRISIS)
def test_crisis_in_these_voices_is_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text
