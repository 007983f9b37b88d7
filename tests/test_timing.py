"""Spoken time: how long a prompt takes, when each key is heard, and the limits.

The numbers are worked out by hand from the words (160 a minute) and the 1 s pauses the
voice channel plays between paragraphs, so a change to either shows up here.
"""

from __future__ import annotations

import pytest

from ivr import engine, timing
from ivr.channels import voice
from ivr.emergency import is_emergency_number
from ivr.lint import check
from ivr.loader import parse_script
from ivr.script import VOICE

from support import FIXTURES, NOW, SCRIPTS

pytestmark = pytest.mark.domain  # fast and pure: no web layer


def test_words_at_the_rate_plus_one_pause_between_paragraphs():
    assert timing.seconds(["one two three four"], 160) == pytest.approx(1.5)
    assert timing.seconds(["one two", "three four", ""], 160) == pytest.approx(1.5 + 1)
    assert timing.seconds(["one two three four"], 120) == pytest.approx(2.0)


def test_the_pause_counted_is_the_pause_the_voice_channel_plays():
    assert voice.PAUSE_SECONDS is timing.PAUSE_SECONDS


def test_a_key_counts_as_heard_when_its_sentence_ends(tiny):
    opening = engine.start(tiny, VOICE, NOW)
    heard = timing.heard(tiny, opening)
    # "If you are in danger, hang up and call nine nine nine." 12 words, a pause, then
    # "If you are in danger, press 9, at any time." 10 words: 22 words and one pause.
    assert (heard[0].key, heard[0].target) == ("9", "danger")
    assert heard[0].seconds == pytest.approx(22 * 60 / 160 + 1)
    assert timing.danger_heard_at(tiny, opening) == heard[0].seconds
    assert [h.key for h in heard] == ["9", "1", "2", "3", "9", "*"]
    assert timing.keys_announced(tiny, opening) == ["9", "1", "2", "3", "*"]
    assert timing.length(tiny, opening) == pytest.approx(heard[-1].seconds)


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_heard_and_length_from_one_reading_agree_with_each_asked_alone(path):
    script = check(path).script
    replies = [reply for _, reply in engine.every_reply(script, VOICE)]
    assert len(replies) > 50
    for reply in replies:
        heard, length = timing.heard_and_length(script, reply)
        assert heard == timing.heard(script, reply)
        assert length == timing.length(script, reply)
        said = [p for p in reply.paragraphs if p.strip()]
        words = sum(len(p.split()) for p in said)
        rate = script.limits.words_per_minute
        assert length == words * 60 / rate + timing.PAUSE_SECONDS * max(len(said) - 1, 0)


def said_by(script, reply, words: str) -> float | None:
    """When `words` (already in spoken form) have first been said in a reply, or None if
    never: timed as ivr.timing times a reply, for the checks below."""
    rate = script.limits.words_per_minute
    start = 0.0
    for paragraph in reply.paragraphs:
        at = paragraph.find(words)
        if at >= 0:
            return start + len(paragraph[: at + len(words)].split()) * 60 / rate
        start += len(paragraph.split()) * 60 / rate + timing.PAUSE_SECONDS
    return None


def test_said_by_finds_words_in_the_spoken_form(tiny):
    danger = engine.advance(tiny, engine.start(tiny, VOICE, NOW).state, engine.pressed("9"), NOW)
    at = said_by(tiny, danger, "one one six, one two three")
    # "Call nine nine nine now. For someone to talk to, call Samaritans on one one six,
    # one two three." 19 words.
    assert at == pytest.approx(19 * 60 / 160)
    assert said_by(tiny, danger, "not said at all") is None


def test_a_slower_voice_makes_every_time_longer(tiny):
    slow = (
        (FIXTURES / "valid.yaml")
        .read_text()
        .replace("max_retries: 2\n", "max_retries: 2\nlimits:\n  words_per_minute: 120\n")
    )
    script = parse_script(slow, "slow.yaml")
    opening = engine.start(script, VOICE, NOW)
    assert timing.danger_heard_at(script, opening) == pytest.approx(22 * 60 / 120 + 1)


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        ("words_per_minute: 200", "words_per_minute is 200, looser than"),
        ("danger_heard_within: 20", "danger_heard_within is 20, looser than"),
        ("keys_per_menu: seven", "keys_per_menu should be a whole number"),
        ("opening_in: 30", "field 'opening_in'"),
    ],
)
def test_a_script_may_not_loosen_or_misspell_a_limit(tmp_path, limits, words):
    path = tmp_path / "loose.yaml"
    text = (FIXTURES / "valid.yaml").read_text()
    path.write_text(text.replace("max_retries: 2\n", f"max_retries: 2\nlimits:\n  {limits}\n"))
    report = check(path)
    assert any(words in str(p) and "Fix:" in str(p) for p in report.errors), report.errors


def test_a_script_may_tighten_a_limit_and_is_held_to_it(tmp_path):
    path = tmp_path / "tight.yaml"
    text = (FIXTURES / "valid.yaml").read_text()
    tight = "max_retries: 2\nlimits:\n  keys_per_menu: 4\n"
    path.write_text(text.replace("max_retries: 2\n", tight))
    report = check(path)
    assert any("announces 5 keys" in str(p) and "at most 4" in str(p) for p in report.errors)


# -- the shipped script, measured --------------------------------------------------------


def test_the_shipped_opening_says_the_danger_key_early_and_ends_in_time(guide):
    opening = engine.start(guide, VOICE, NOW)
    assert timing.danger_heard_at(guide, opening) <= 15
    assert timing.length(guide, opening) <= 45
    assert opening.paragraphs[0].startswith("If you are in immediate danger")
    assert opening.paragraphs[1] == "If you are in danger or can't cope, press 9, at any time."


def test_every_shipped_spoken_menu_announces_at_most_six_keys(guide):
    for what, reply in engine.every_reply(guide, VOICE):
        assert len(timing.keys_announced(guide, reply)) <= 6, what


def test_the_shipped_danger_answer_gives_samaritans_within_30_seconds(guide):
    main = engine.start(guide, VOICE, NOW)
    danger = engine.advance(guide, main.state, engine.pressed("9"), NOW)
    assert danger.paragraphs[0].startswith("If you feel at immediate risk of harm, hang up now")
    assert (
        said_by(guide, danger, "nine nine nine")
        < said_by(guide, danger, "one one six, one two three")
        <= 30
    )


# -- emergency numbers -------------------------------------------------------------------

EMERGENCY = ["999", "112", "911", "18000", "+44 999", "0044 999", "+44 (0) 999", "44 999",
             "9-9-9", "+44 18000", "18001 999", "+1 911", "001 911", "+33 112",
             " 1 1 2 "]  # fmt: skip
ORDINARY = ["+44 345 600 0459", "0345 6000 459", "116 123", "+44 116 123", "0800 1111",
            "101", "111", "", "not a number"]  # fmt: skip


@pytest.mark.parametrize("number", EMERGENCY)
def test_emergency_numbers_in_any_form_are_recognised(number):
    assert is_emergency_number(number)


@pytest.mark.parametrize("number", ORDINARY)
def test_ordinary_numbers_are_not_emergency_numbers(number):
    assert not is_emergency_number(number)
