"""Danger words in everyday use are not danger (issue 19, round nine), on both channels:
a medicine taken one at a time or as prescribed, a knife, rope, bleach, razor, blade or
gun named beside what it is used for, and violence said as a joke with a laugh beside it.
The same words said of oneself in earnest, or with a sign of harm, are still danger.
Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

MEDICINE = [
    "popped an ibuprofen before the match",
    "took a nurofen earlier, feeling better now",
    "took a couple of nurofen, my back is aching",
    "had one paracetamol and went to bed",
    "the doctor upped my sertraline to 100mg and it's helping",
    "my gp prescribed 20mg of citalopram, is that a normal starting dose",
    "the pharmacist said 500mg twice a day",
]
MEANS = [
    "this knife's so blunt i can't get through the carrots",
    "dice the onion with your smallest knife",
    "dad's got the big knife out for the roast",
    "the knives go in the cutlery drawer, left side",
    "can't get this parcel open without a knife",
    "put some bleach in with the whites",
    "got a new razor for my legs",
    "the blade on the lawnmower needs sharpening",
    "the rope on the boat snapped in the storm",
    "the kids want nerf guns for christmas",
]
JOKES = [
    "I'm going to kill my brother lol he ate my chips",
    "i'll kill him if he eats my leftovers again lol",
    "your voice note killed me 😂",
    "kill me now its only tuesday haha",
    "im going to murder my flatmate if she uses my milk again lmao",
    "this film is killing me 🤣",
]
STILL_DANGER = [
    "i took 30 paracetamol",
    "took an overdose of paracetamol",
    "i took a whole box of ibuprofen",
    "the doctor gave me 100mg tablets and i took them all",
    "i have a knife and i want to cut myself",
    "he has a knife and hes outside my house",
    "i've got the rope ready, tonight's the night",
    "i keep the razor for my wrists",
    "i'll just kill myself then lol",
    "he said he'll kill me lol im so scared",
    "i want to die lol",
    "kill me now, i mean it, i cant do this anymore",
    "i'm going to kill him, he's hurt my sister for the last time",
]


def _danger(guide, channel, text):
    return for_script(guide, channel).read(text, "main").danger


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", MEDICINE)
def test_a_medicine_taken_one_at_a_time_or_as_prescribed_is_everyday(guide, channel, text):
    assert not _danger(guide, channel, text), text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", MEANS)
def test_a_means_named_beside_its_everyday_use_is_everyday(guide, channel, text):
    assert not _danger(guide, channel, text), text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", JOKES)
def test_violence_said_with_a_laugh_is_a_joke(guide, channel, text):
    assert not _danger(guide, channel, text), text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", STILL_DANGER)
def test_the_same_words_in_earnest_or_with_a_sign_of_harm_are_still_danger(guide, channel, text):
    assert _danger(guide, channel, text), text


def test_explain_names_the_joke_and_the_everyday_use(guide):
    joke = for_script(guide, "sms").findings("i'll kill him if he eats my leftovers again lol")
    assert joke.joke == "lol"
    knife = for_script(guide, "sms").findings("dice the onion with your smallest knife")
    assert knife.in_use == ["knife"]
