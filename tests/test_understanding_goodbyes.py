"""A goodbye sent by someone close, with words between (issue 19, round eight: patterns in
the en-GB lexicon), is danger on both channels; goodbyes of the ordinary kind are not.
Every line is our own, written for this test."""

from __future__ import annotations

import pytest

from ivr.understanding.meaning import for_script

DANGER = [
    "my boyfriend just sent me a goodbye text",
    "my sister sent me a goodbye voice note and now her phones off",
    "my best mate is sending me goodbye messages",
    "my son keeps texting me goodbye messages",
    "my flatmate just posted a goodbye",
]
EVERYDAY = [
    "my boyfriend just sent me a goodbye kiss emoji before his flight",
    "my sister sent me a goodbye card for my leaving do",
    "my mate is sending me pictures of his holiday",
    "my son keeps texting me about his tea",
]


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", DANGER)
def test_a_goodbye_sent_by_someone_close_is_danger(guide, channel, text):
    assert for_script(guide, channel).read(text, "main").danger, text


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("text", EVERYDAY)
def test_an_ordinary_goodbye_is_not(guide, channel, text):
    assert not for_script(guide, channel).read(text, "main").danger, text
