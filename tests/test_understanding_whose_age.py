"""Round seven's small reading rules (issue 19), each with both sides of it, on both
channels: an adult's school words (long ago, or beside an own adult age) are not a child;
"this is about me" sets other people's ages aside; a capital I typed for an l
("kiII myseIf") is undone into the danger word. All lines are our own.
"""

from __future__ import annotations

import pytest

from ivr.understanding.explain import explain
from ivr.understanding.findings import OPINION
from ivr.understanding.meaning import for_script

pytestmark = pytest.mark.domain

CHANNELS = ("sms", "voice")


def _readings(guide, text):
    return [for_script(guide, channel).read(text, None) for channel in CHANNELS]


@pytest.mark.parametrize(
    "text",
    [
        "did my A levels back in 1998 and now someone is threatening me",
        "I finished sixth form years ago",
        "I'm 34 and doing my A levels at night college",
        "im 42, sat my GCSEs ages ago",
        "i am 27 and retaking my gcse maths",
    ],
)
def test_an_adults_school_words_are_not_a_child(guide, text):
    assert not any(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "I'm doing my A levels",
        "the photo is from years ago when I was doing my GCSEs",  # a child in the image
        "I'm 34 and my daughter is doing her GCSEs, they sent her the link",
        "I'm 16 and doing my A levels",
        "my son finished sixth form years ago but he is 17",
    ],
)
def test_school_words_of_a_child_or_from_the_image_stay_a_child(guide, text):
    assert all(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "my sister is 14 but this is about me",
        "I've got kids aged 9 and 13, this is about me not them",
        "she's 15 but it's about me, I'm 30",
        "my son is 12. this is for me though, they have my pics",
    ],
)
def test_this_is_about_me_sets_other_peoples_ages_aside(guide, text):
    assert not any(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "this is about me, I'm 15",
        "my son is 14 and this is about him",
        "its about me, i was 16 in the photo",
        "my sister is 14",
    ],
)
def test_an_own_young_age_or_no_about_me_stays_a_child(guide, text):
    assert all(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize("text", ["kiII myseIf", "I want to kiII myseIf", "i wanna kiIl myseIf"])
def test_a_capital_i_typed_for_an_l_is_undone_into_danger(guide, text):
    for channel in CHANNELS:
        reader = for_script(guide, channel)
        found = reader.findings(text, None)
        assert reader.read(text, None).danger, (text, channel)
        assert any(c.rule == "capital I for l" for c in found.changes), found.changes
        assert not any(h.kind == OPINION for h in found.danger)  # the rules read it now
    said = "\n".join(explain(for_script(guide, "sms"), text, None))
    assert "capital I for l: 'kiI" in said


@pytest.mark.parametrize(
    "text", ["Ill be late tonight", "booked a table at McIntosh's", "I'm ILL", "new iPhone", "Bill"]
)
def test_capital_is_that_are_no_disguise_stay_as_typed(guide, text):
    for channel in CHANNELS:
        found = for_script(guide, channel).findings(text, None)
        assert not any(c.rule == "capital I for l" for c in found.changes), (text, found.changes)
        assert not for_script(guide, channel).read(text, None).danger


# Round eight: more ways of saying "this is about me", and a school year or a school said
# by someone who works there (all our own lines).
@pytest.mark.parametrize(
    "text",
    [
        "my boy is 15 but its me theyre threatening",
        "ive a daughter of 13, the pics are of me",
        "my stepson is 16 and its me who got the message",
        "my niece is 12, the photo is of me not her",
        "im a year 8 teacher",
        "I teach year 10 science and they have sent me this",
        "I work in a primary school as a TA and the link came to me",
        "im a form tutor at a secondary school",
    ],
)
def test_whose_photo_it_is_and_who_works_in_a_school(guide, text):
    assert not any(r.child for r in _readings(guide, text)), text


@pytest.mark.parametrize(
    "text",
    [
        "my son is 15 and theyre threatening him",
        "the photo is of my daughter, shes 14",
        "im in year 10 and my teacher told me to text this",
        "its me who found out, my daughter is 14 and they sent her the link",
        "I'm a teacher and a pupil of mine, 14, got this message",
    ],
)
def test_a_child_spoken_of_stays_a_child(guide, text):
    assert all(r.child for r in _readings(guide, text)), text
