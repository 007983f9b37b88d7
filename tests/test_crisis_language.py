"""Crisis language in every tense and shape, through the real webhooks on both channels.

Every line of tests/corpus/en-GB-crisis.txt (phrasings written before the lexicon's
inflection and danger patterns existed) reaches its answer: danger lines the danger
answer as a first text, from the main menu by text and by phone; the others never the
danger answer, and by text the answer of their topic (or the sorry sentence for "none").
Then the pure parts: inflected forms, the pattern language, and its errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr.understanding import inflection, patterns
from ivr.understanding.lexicon import LexiconError, read
from ivr.web import create_app

from support import TESTS, Call, Texter, production_env

CORPUS = TESTS / "corpus" / "en-GB-crisis.txt"
DANGER_SMS = "If you feel at immediate risk of harm, call 999."
DANGER_VOICE = "If you feel at immediate risk of harm, hang up now and call nine nine nine."
SORRY_SMS = "Sorry, I didn't understand that."
# The keyword that opens each answer, to compare a phrase's reply with.
KEYWORDS = {
    "steps": "STEPS",
    "dont": "DONT",
    "can_wait": "WAIT",
    "support": "SUPPORT",
    "clicked_link": "CLICKED",
    "under_18": "UNDER18",
    "about": "ABOUT",
}


def _lines(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            answer, words = line.split("\t")
            rows.append((answer, words))
    return rows


LINES = _lines(CORPUS)
DANGER = [words for answer, words in LINES if answer == "danger"]
OTHERS = [(answer, words) for answer, words in LINES if answer != "danger"]


@pytest.fixture(scope="module")
def served():
    return create_app(production_env())


def _from_main_menu(app, words: str) -> str:
    texter = Texter(app)
    texter.send("hi")
    return texter.send(words)


def _heard(app, words: str) -> str:
    call = Call(app.test_client())
    call.start()
    return call.say(words).says[0]


def test_the_corpus_covers_the_classes_it_claims():
    assert len(DANGER) >= 150 and len(OTHERS) >= 60
    assert len(set(DANGER)) == len(DANGER) and len({w for _, w in OTHERS}) == len(OTHERS)


@pytest.mark.parametrize("words", DANGER)
def test_crisis_language_reaches_the_danger_answer_on_both_channels(served, words):
    assert DANGER_SMS in Texter(served).send(words)
    assert DANGER_SMS in _from_main_menu(served, words)
    assert _heard(served, words).startswith(DANGER_VOICE)


@pytest.mark.parametrize(("answer", "words"), OTHERS, ids=[w for _, w in OTHERS])
def test_hard_non_danger_lines_are_never_danger_and_reach_their_answer(served, answer, words):
    reply = _from_main_menu(served, words)
    assert DANGER_SMS not in reply
    assert DANGER_VOICE not in _heard(served, words)
    if answer == "none":
        assert reply.startswith(SORRY_SMS), reply
    else:
        expected = _from_main_menu(served, KEYWORDS[answer])
        assert reply[:60] == expected[:60], reply


def test_each_danger_phrase_is_heard_in_every_tense():
    assert {"end it", "ending it", "ended it", "ends it"} <= inflection.forms("end it")
    assert {"took pills", "taking pills", "taken pills"} <= inflection.forms("took pills")
    assert "self harming" in inflection.forms("self harm")
    assert inflection.forms("not 999") == {"not 999"}  # words that take no ending stay


def test_a_pattern_expands_its_slots_with_their_tenses_and_bounded_gaps():
    slots = {"who": ["he", "they"], "harm": ["hurt"], "victim": ["me", "my family"]}
    said = patterns.Patterns([patterns.normal("{who} said ... {harm} {victim}")], slots)
    assert said.within(tuple(["they", "said", "theyll", "hurt", "my", "family"]))
    assert said.within(tuple(["oh", "he", "said", "he", "is", "going", "to", "hurt", "me"]))
    assert said.within(tuple(["he", "said", "hurting", "me"]))  # the slot's phrases in every tense
    assert not said.within(
        tuple(["he", "said", "one", "two", "three", "four", "five", "hurt", "me"])
    )  # bounded
    assert not said.within(tuple(["they", "said", "they", "will", "post", "my", "photos"]))
    assert not said.within(tuple(["he", "said", "he", "will", "hurt"]))  # every step is needed


def test_a_pattern_naming_a_missing_slot_is_reported_with_file_line_and_fix(tmp_path):
    path = tmp_path / "en-GB.yaml"
    path.write_text(
        "language: en-GB\n"
        "danger:\n"
        "  patterns:\n"
        "    source: the team\n"
        "    phrases:\n"
        '      - "{intent} {ending}"\n'
        "slots:\n"
        "  intent:\n"
        "    source: the team\n"
        "    phrases: [want to]\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError) as raised:
        read(path)
    (problem,) = raised.value.problems
    text = str(problem)
    assert text.startswith(f"{path}, line 6: V140 ") and "{ending}" in text
    assert "slots:" in problem.fix
