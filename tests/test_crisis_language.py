"""Crisis language in every tense and shape: inflected forms, the danger-pattern language
and its errors. The held-out crisis phrasings themselves are in the phrase corpus
(tests/corpus/en-GB.txt), run through both webhooks by tests/test_corpus.py.
"""

from __future__ import annotations

import pytest

from ivr.understanding import inflection, patterns
from ivr.understanding.lexicon import LexiconError
from ivr.understanding.lexicon_file import read
from ivr.understanding.tokens import tokenise

from support import Texter


def test_each_danger_phrase_is_heard_in_every_tense():
    assert {"end it", "ending it", "ended it", "ends it"} <= inflection.forms("end it")
    assert {"took pills", "taking pills", "taken pills"} <= inflection.forms("took pills")
    assert "self harming" in inflection.forms("self harm")
    assert inflection.forms("not 999") == {"not 999"}  # words that take no ending stay


def test_a_pattern_expands_its_slots_with_their_tenses_and_bounded_gaps():
    slots = {"who": ["he", "they"], "harm": ["hurt"], "victim": ["me", "my family"]}
    said = patterns.Patterns([patterns.normal("{who} said ... {harm} {victim}")], slots)

    def heard(text: str) -> bool:
        return said.within(tokenise(text).words)

    assert heard("They said they'll hurt my family")
    assert heard("oh he said he is going to hurt me")
    assert heard("he said hurting me")  # the slot's phrases in every tense
    assert not heard("he said one two three four five hurt me")  # the gap is bounded
    assert not heard("they said they will post my photos")
    assert not heard("he said he will hurt")  # every step is needed


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


def test_distress_beside_a_topic_question_is_danger_and_still_offers_the_topic(app):
    texter = Texter(app)
    texter.send("hi")
    reply = texter.send("I'm terrified, should I pay them?")
    assert "If you feel at immediate risk of harm, call 999." in reply
    assert "You also mentioned something else: what not to do, reply DONT." in reply
