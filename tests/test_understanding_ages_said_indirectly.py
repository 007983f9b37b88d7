"""Ages said indirectly (issue 19, round nine), each with both sides of it, on both channels:
an age at the start with what follows ("15 and terrified"), said of us ("we're both 14"),
of the image ("me at 15"), by a birthday ("my 15th birthday"); school years and exams
across the four nations, a curfew, pocket money, CAMHS, a children's home, a team of
under-15s, someone who works with young people about one of them. And adults are not
children: school words beside an adult's own age or said of long ago, a qualification
held ("an A level in maths", "a level 3 apprentice"), a year of a course, school years
that are not the writer's own where "this is about me", numbers that are counts. Every
line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

from support import Call, Texter

pytestmark = pytest.mark.domain

PLACES = [("sms", "main"), ("sms", "steps"), ("voice", "main"), ("voice", "steps")]

CHILD = [
    "15 and terrified, what do i do",
    "13 and they want money off me",
    "we're both 14 and he sent it to everyone",
    "we are 15, me and my boyfriend",
    "its a pic of me at 15",
    "the video is of me at 16, im 21 now",
    "it was my 14th birthday on saturday",
    "just 13 if that matters",
    "im in primary 7",
    "im in p6 and a boy sent me this",
    "revising for my gcses and this happened",
    "my sats are next week",
    "i have to be home for my curfew",
    "i only get pocket money, i cant pay him",
    "my camhs worker told me to text this",
    "i live in a childrens home",
    "i coach an under 15s team and one of the players got this",
    "i'm a youth worker and one of my young people is being blackmailed",
    "our lad is 14 and hes been sent one of these",
    "my little boy got a message like this",
    "my lass is 15 and she is in bits",
    "first year of high school and someone has my pics",
    "im in form 3",
    "i cant even drive yet, im not old enough",
]

ADULT = [
    "I'm 19 and in year 13 because i repeated a year",
    "im 18 and still in sixth form",
    "i'm a level 3 apprentice electrician",
    "I've got an A level in maths and a degree",
    "sat my gcses in 2008 and this is about an ex",
    "i'm a mature student in year 2",
    "i help run a year 9 club at the youth centre, it's me they've got photos of",
    "im 30 and my brother is 15, the message was sent to me",
    "i'm dad to a 13 year old but this is my photo",
    "im 10 pints deep and this message came through",
    "we've been married 16 years and he has found out",
    "i'm 12 floors up in the office",
    "25 and scared, what do i do",
    "im a size 14 and they described me",
]


def _readings(guide, text):
    return [for_script(guide, channel).read(text, here) for channel, here in PLACES]


@pytest.mark.parametrize("text", CHILD)
def test_an_age_said_indirectly_is_a_child(guide, text):
    assert all(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize("text", ADULT)
def test_an_adult_is_not_taken_for_a_child(guide, text):
    assert not any(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize("text", ["15 and dont know what to do", "im in p6 and a boy sent me this"])
def test_the_under_18_reply_to_an_age_said_indirectly_offers_the_adult_routes(app, client, text):
    """A reading can be wrong: the answer to an indirect age still offers the adult routes,
    as a first text and spoken at the main menu."""
    reply = Texter(app).send(text)
    assert "18 or over? Reply SUPPORT." in reply, reply
    call = Call(client)
    call.start()
    heard = call.say(text)
    assert "If you are 18 or over, for the routes for adults, press 2." in heard.text, heard.text
