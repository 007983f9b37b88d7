"""Keywords: what people type or say in its plain form, the key a message is, and the
keywords Twilio answers itself."""

from __future__ import annotations

import pytest

from ivr.keywords import as_key, normalise, reserved_word

pytestmark = pytest.mark.domain  # fast and pure: `python3 dev.py mutate` runs these


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
