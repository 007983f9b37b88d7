"""GSM-7: what a text costs in segments, and typographic characters made plain."""

from __future__ import annotations

import pytest

from ivr import gsm7

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
