"""Spoken forms: numbers said digit by digit, and web addresses as a script says them."""

from __future__ import annotations

import pytest

from ivr.spoken import speak

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these

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
