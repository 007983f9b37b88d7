"""The phrase corpus (tests/corpus/en-GB.txt), every phrase through the real webhooks.

Each phrase is sent from the main menu by text (/sms) and as speech (/voice), and where
the person ends up is read from what Twilio would carry back: the SMS cookie's state and
the voice Gather's action URL. Danger recall must be 100%, and no other phrase may land
on danger or on another topic; "none" and "person" must say a sentence before the choices.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from freezegun import freeze_time

from ivr.engine import SMS_GAP

from support import TESTS, Call, Texter, cookie_state, url_state

CORPUS = TESTS / "corpus" / "en-GB.txt"
SORRY = "Sorry, I didn't understand that."
PERSON = "This is an automated line, not a person"
# By phone the reassurance comes with what can wait (the phone's shorter menus), so a
# phrase that reaches the reassurance node by text reaches what can wait by phone.
ON_THE_PHONE = {"about": "can_wait"}


def corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            expected, _, phrase = line.partition("\t")
            assert phrase, f"{path.name}, line {number}: write the answer, a tab, the phrase"
            rows.append((expected, phrase))
    return rows


PHRASES = corpus()


def test_the_corpus_is_large_and_varied():
    answers = [expected for expected, _ in PHRASES]
    assert len(PHRASES) >= 300
    assert len({phrase for _, phrase in PHRASES}) == len(PHRASES), "a phrase is listed twice"
    for answer in ("danger", "under_18", "clicked_link", "steps", "dont", "can_wait"):
        assert answers.count(answer) >= 5, answer
    assert answers.count("danger") >= 100
    assert answers.count("none") >= 30
    # ordinary messages grown as seriously as crisis ones (issue 19)
    assert len(answers) - answers.count("danger") >= answers.count("danger")
    assert answers.count("not-danger") >= 300


def _answer(guide, node: str, first: str) -> str:
    """The corpus name of where a reply left someone."""
    if node == guide.main.id:
        return "person" if first.startswith(PERSON) else "none" if first.startswith(SORRY) else node
    roles = {target: role for role, target in guide.roles.items()}
    return roles.get(node, node)


def wrong(guide, expected: str, node: str, paragraphs, channel: str) -> str | None:
    """What is wrong with a reply for the corpus answer `expected`, or None.

    Besides a place, an answer may be `not-danger` (anything but danger or under 18),
    `adult` (anything but under 18) or `negated-danger:ROLE` (the crisis numbers in the
    first paragraph, then ROLE's answer), as in the held-out file."""
    kind, _, role = expected.partition(":")
    first = paragraphs[0] if paragraphs else ""
    if kind == NEGATED:
        # the denial's crisis line may come after the picture note, never after the answer
        first = next((p for p in paragraphs if _CRISIS[channel][0] in p), "")
        expected = role
    if channel == "voice":
        expected = ON_THE_PHONE.get(expected, expected)
    got = _answer(guide, node, paragraphs[0] if paragraphs else "")
    if kind == "not-danger":
        return None if got not in ("danger", "under_18") else got
    if kind == "adult":
        return None if got != "under_18" else got
    if kind == NEGATED:
        numbers = all(n in first for n in _CRISIS[channel]) and node != guide.roles["danger"]
        got = got if numbers else f"{got}, no crisis line first"
        if expected == "person" and numbers and any(p.startswith(PERSON) for p in paragraphs):
            got = "person"
    return None if got == expected else got


NEGATED = "negated-danger"
_CRISIS = {"sms": ("999", "116 123"), "voice": ("nine nine nine", "one one six, one two three")}


def _texted(app, texter: Texter, phrase: str) -> tuple[str, list[str]]:
    reply = texter.send(phrase)
    return cookie_state(app, texter).node, reply.split(SMS_GAP)


def _spoken(call: Call, phrase: str) -> tuple[str, list[str]]:
    heard = call.say(phrase)
    return url_state(call.client.application, heard.gather["action"]).node, heard.says


# Out of the Revenge Porn Helpline's hours: in them, asking for a person is put through
# (a transfer, tested in test_transfer.py), not answered at the node the corpus names.
@freeze_time("2026-12-05 20:00:00")  # a Saturday evening
@pytest.mark.parametrize("channel", ["sms", "voice"])
def test_every_phrase_reaches_its_answer_from_the_main_menu(app, guide, channel):
    misses = []
    for expected, phrase in PHRASES:
        if channel == "sms":
            texter = Texter(app)
            texter.send("hi")
            node, paragraphs = _texted(app, texter, phrase)
        else:
            call = Call(app.test_client())
            call.start()
            node, paragraphs = _spoken(call, phrase)
        got = wrong(guide, expected, node, paragraphs, channel)
        if got is not None:
            misses.append(f"{expected:>12} <- {got:<12} {phrase!r}")
    assert not misses, f"{len(misses)} of {len(PHRASES)} phrases on {channel}:\n" + "\n".join(
        misses
    )


def test_danger_recall_is_total_as_a_first_text_too(app, guide):
    missed = []
    for expected, phrase in PHRASES:
        if expected == "danger":
            texter = Texter(app)
            node, reply = _texted(app, texter, phrase)
            if node != guide.roles["danger"] or "call 999" not in SMS_GAP.join(reply):
                missed.append(phrase)
    assert not missed, f"danger missed as a first text: {missed}"


def test_no_other_phrase_is_taken_for_danger_as_a_first_text(app, guide):
    taken = []
    for expected, phrase in PHRASES:
        if expected != "danger":
            node, _ = _texted(app, Texter(app), phrase)
            if node == guide.roles["danger"]:
                taken.append(phrase)
    assert not taken, f"taken for danger: {taken}"
