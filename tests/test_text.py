"""The small text helpers: GSM-7, spoken forms, and normalising what people type."""

from __future__ import annotations

import pytest

from ivr import gsm7
from ivr.matching import as_key, normalise, reserved_word
from ivr.spoken import speak

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

SEGMENTS = [
    ("", 1),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("€" * 80, 1),  # extension characters cost two septets
    ("€" * 81, 2),
    ("a" * 152 + "€" + "a" * 10, 2),  # an escape pair is never split across segments
    ("a" * 459, 3),
    ("a" * 460, 4),
    ("€" + "a" * 305, 3),  # 307 septets: the pair and 151 letters fill the first segment
    ("a" * 305 + "€", 3),  # 307 septets, the pair at the very end: it moves on
    ("’" + "a" * 69, 1),  # one non-GSM character: UCS-2, 70 per segment
    ("’" + "a" * 70, 2),
]


@pytest.mark.parametrize(("text", "count"), SEGMENTS)
def test_segments(text, count):
    assert gsm7.segments(text) == count


def test_typographic_characters_become_plain_gsm7():
    text = "Don’t “just check” – it’s risky…"
    assert gsm7.plain(text) == "Don't \"just check\" - it's risky..."
    assert gsm7.not_gsm7(gsm7.plain(text)) == []
    assert gsm7.not_gsm7("ok 🙂 ok ✓") == ["🙂", "✓"]


SPOKEN = [
    ("Call 999 now.", "Call nine nine nine now."),
    ("Samaritans on 116 123.", "Samaritans on one one six, one two three."),
    ("0345 6000 459", "zero three four five, six zero zero zero, four five nine"),
    ("under 18 and step 2", "under 18 and step 2"),
    ("See revengepornhelpline.org.uk.", "See revenge porn helpline dot org dot U K."),
    ("Visit example.org/help.", "Visit example dot org slash help."),
    ("Line one\nline two", "Line one line two"),
    # Three digits in all, grouped or not, make a number said digit by digit; fewer, or
    # digits inside a word or after a dot, stay as written.
    ("Press 1 2 3.", "Press one, two, three."),
    ("Keys 1 2, then 12 3.", "Keys 1 2, then one two, three."),
    ("Text 12 34x or 5 67.", "Text 12 34x or five, six seven."),
    ("Version 1.234 and B12345", "Version 1.234 and B12345"),
    ("Ring 999.", "Ring nine nine nine."),
]


@pytest.mark.parametrize(("written", "spoken"), SPOKEN)
def test_spoken_forms(written, spoken):
    assert (
        speak(written, {"revengepornhelpline.org.uk": "revenge porn helpline dot org dot U K"})
        == spoken
    )


@pytest.mark.parametrize(
    ("typed", "normal"),
    [("I'm UNDER eighteen!", "im under 18"), ("  can't   cope ", "cant cope"),
     ("Café?", "cafe"), ("", "")],
)  # fmt: skip
def test_normalise(typed, normal):
    assert normalise(typed) == normal


@pytest.mark.parametrize(
    ("typed", "key"),
    [("1", "1"), (" 2. ", "2"), ("one", "1"), ("Press 3", "3"), ("option four", "4"),
     ("*", "*"), ("#", "#"), ("12", None), ("1 clicked", None), ("clicked", None),
     # a key with the punctuation a hurried text adds after it, never before it
     ("*.", "*"), (" #! ", "#"), ("*)", "*"), (".*", None), ("*X", None)],
)  # fmt: skip
def test_as_key(typed, key):
    assert as_key(typed) == key


@pytest.mark.parametrize(
    ("body", "word"),
    [("STOP", "stop"), (" stop ", "stop"), ("Unsubscribe", "unsubscribe"), ("START", "start"),
     ("help", "help"), ("please stop", None), ("stop.", None), ("stopped", None)],
)  # fmt: skip
def test_only_an_exact_twilio_keyword_counts(body, word):
    assert reserved_word(body) == word
