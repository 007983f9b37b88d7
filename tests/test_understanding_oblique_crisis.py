"""Crisis said without a listed danger word is danger (issue 19, round nine), on both
channels: finality said quietly (affairs sorted, the last time, "by the time you read
this"), God asked to take one, violence going on or a blackmailer nearby, means named
plainly (a hosepipe in the car, charcoal in a closed room, poison swallowed, a belt in
the woods), and crisis words of other languages in an English text. The everyday
sentences that share their words are not. Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

CRISIS = [
    # finality said quietly
    "spent the weekend sorting out my affairs",
    "got my affairs sorted now so nobody has to",
    "by the time anyone reads this i'll be gone",
    "by the time you see this it will be too late",
    "this is the last text i'll ever send",
    "i'm going to meet my maker tonight",
    "cuddled my little boy for the last time tonight",
    "tell my dad it wasn't his fault, none of it",
    "left my bank passwords with my brother just in case",
    # God asked to take one
    "i keep asking god to take me in my sleep",
    "please god take me tonight",
    "all i want is to join my grandad in heaven",
    # violence going on, a blackmailer nearby, threats to someone close
    "my dad keeps punching me",
    "he pushed me down the stairs again",
    "she's locked me in the box room",
    "hiding in the bathroom from my husband",
    "someone's broken into the flat, i can hear them",
    "they said my little sister will get hurt if i don't pay",
    "the guy who sent the video is outside in a car",
    "someone's been watching my house every night",
    "i'm going to stab him to death",
    "he's got a weapon",
    "too scared to move, he's downstairs",
    "send the police, he's here",
    # means named plainly
    "sat in the car with the hosepipe",
    "taped a hose to the exhaust",
    "lit a disposable bbq in the bedroom",
    "drank some weedkiller",
    "took rat poison an hour ago",
    "out in the woods with a rope",
    # other languages in an English text
    "sorry my english, quiero morir",
    "je veux mourir, i can't",
    "nie chce zyc anymore",
    "honestly yaar marna chahta hoon",
]
EVERYDAY = [
    "sorting out my affairs before we move to spain",
    "by the time you read this i'll be on the plane",
    "this is the last text i'll send before my exam, wish me luck",
    "said goodbye to my old car for the last time",
    "tell him it wasn't his fault the match got cancelled",
    "sent my sister my bank details so she can pay me back",
    "god please let the bus be on time",
    "my nan is with grandad in heaven now, we miss them",
    "my toddler keeps climbing on me",
    "he pushed the pram down the hill to the park",
    "hiding the presents from my husband till christmas",
    "the guy who sent the parcel is outside in a van, brb",
    "they said the match will get cancelled if it rains",
    "washing the car with the hosepipe",
    "lit the bbq in the garden",
    "put weedkiller on the patio",
    "got a new rope swing for the woods",
    "my spanish teacher says quiero is the first verb we learn",
    "watched the police drama last night",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", CRISIS)
def test_crisis_said_without_a_listed_word_is_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_the_everyday_sentences_sharing_their_words_are_not(guide, channel, text):
    assert not for_script(guide, channel).read(text, "main").danger, text
