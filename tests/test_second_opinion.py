"""The second opinion on danger (ivr/understanding/second_opinion.py): a statistical
reader that only adds danger where the rules found none, with weights that are what
training on the shipped corpus makes, never edited by hand and never learnt from a
sealed file.
"""

from __future__ import annotations

import re

import pytest

from ivr.loader import load_script
from ivr.understanding import second_opinion
from ivr.understanding.explain import explain
from ivr.understanding.findings import OPINION, WEAK
from ivr.understanding.meaning import Understanding, for_script, lexicon_for
from understanding_trial import phrase_file, train
from understanding_trial.conversations import CHANNEL, CONTEXTS, Helpline, quiet_app

from support import GUIDE

# Our own lines, written for this test: crisis said with no phrase, pattern or word of
# the lexicon (at the time of writing), and everyday lines near them.
UNRULED_CRISIS = [
    "i think tonight is my last night",
    "i want all of this to be over for good",
    "everything feels pointless and i want out",
    "i dont see myself being around after christmas",
    "i have decided this is the end of the road for me",
]
EVERYDAY = [
    "i think tonight is my last night in the flat before we move",
    "my phone is dead again",
    "i want to cancel my order",
    "the film was so sad i cried all night",
    "i'm tired of this weather",
    "we are at the end of the road, turn left at the pub",
]


@pytest.fixture(scope="module")
def script():
    return load_script(GUIDE)


@pytest.fixture(scope="module")
def rules_alone(script):
    return {c: Understanding(script, lexicon_for(script), c, opinion=False) for c in CHANNELS}


CHANNELS = ("sms", "voice")


def test_the_shipped_weights_are_what_training_on_the_shipped_corpus_makes():
    text, _, threshold = train.make()
    shipped = second_opinion.path_for("en-GB").read_text(encoding="utf-8")
    assert shipped == text, (
        "ivr/understanding/lexicons/en-GB.danger-weights.tsv is not what training makes from "
        "the corpus and the development files: run `python3 dev.py train` and commit it."
    )
    assert f"threshold\t{threshold}\n" in shipped


@pytest.mark.parametrize("name", sorted(train.NEVER))
def test_training_refuses_the_blind_files_before_opening_them(tmp_path, name):
    path = tmp_path / name  # not even created: refused by name
    with pytest.raises(train.SealedFileError, match="blind"):
        train.read_examples([path])
    assert not any(p.name in train.NEVER for p in train.TRAINING)


def test_training_refuses_a_file_whose_header_says_sealed(tmp_path):
    path = tmp_path / "en-GB-9.txt"
    path.write_text("# Held out.\n# SEALED: measured only.\n\ndanger\tsomething\n", "utf-8")
    with pytest.raises(train.SealedFileError, match="SEALED"):
        train.read_examples([path])
    open_file = tmp_path / "en-GB-8.txt"
    open_file.write_text("# Held out, no longer sealed.\ndanger\tI want to die\n", "utf-8")
    assert len(train.read_examples([open_file])[open_file]) == 1


def test_reader_only_lines_are_learnt_from_but_never_a_left_out_file(tmp_path):
    """tests/corpus/en-GB.reader-only.txt holds our own lines the whole reading gets wrong:
    chosen for that, so its rates say nothing of new text and must not set the threshold."""
    only = next(p for p in train.TRAINING if p.name in train.LEARN_ONLY)
    corpus = {line.phrase for line in phrase_file.read(train.TRAINING[0])}
    assert not corpus & {line.phrase for line in phrase_file.read(only)}
    files = {name: tmp_path / name for name in ("en-GB-8.txt", next(iter(train.LEARN_ONLY)))}
    files["en-GB-8.txt"].write_text("danger\tI want to die\nnot-danger\tmy tea\n", "utf-8")
    files[next(iter(train.LEARN_ONLY))].write_text("danger\tI want to die now\n", "utf-8")
    folds = train.cross_validate(train.read_examples(files.values()))
    assert list(folds) == [files["en-GB-8.txt"]]


def test_the_fast_score_is_the_sum_of_every_ngrams_weight():
    reader = second_opinion.load("en-GB")
    for words in [
        ("i", "want", "to", "die"),
        ("unaliving", "overdosin", "zzzzzz", "i"),  # never learnt: their stems weigh
        ("my", "battery", "is", "dying", "dying"),  # counted each time
        ("x",),
        ("end", "it"),  # a pair, in a short message
        ("end", "it") + ("and",) * second_opinion.PAIRS_UP_TO,  # no pairs: too long
    ]:
        expected = reader.bias + sum(
            reader.weights.get(f, 0.0) for f in second_opinion.features(words)
        )
        assert reader.score(words) == pytest.approx(expected, abs=1e-9)
    assert reader.pairs.get(("end", "it")), "the pair is learnt, so the cut-off is tested"


def test_it_only_adds_danger_where_the_rules_found_none(script, rules_alone):
    """Over the tuned corpus and every development file, on both channels: wherever the
    rules alone answer danger the line still does, and the second opinion decides only
    where they found no danger (a weak call for help aside)."""
    added = 0
    for path in train.TRAINING:
        for line in phrase_file.read(path):
            for channel in CHANNELS:
                alone = rules_alone[channel].read(line.phrase, None)
                found = for_script(script, channel).findings(line.phrase, None)
                both = found.reading(*_meanings(script, channel))
                assert both.danger or not alone.danger, (path, line.phrase, channel)
                if any(h.kind == OPINION for h in found.danger):
                    assert all(h.kind in (OPINION, WEAK) for h in found.danger), line.phrase
                    added += 1
    assert added > 0  # it does decide somewhere


def _meanings(script, channel):
    reader = for_script(script, channel)
    return reader.danger_meaning, reader.child_meaning


def test_danger_the_rules_miss_reaches_the_danger_answer_through_both_webhooks(script, rules_alone):
    helpline = Helpline(quiet_app({"IVR_SCRIPTS": str(GUIDE)}), script)
    caught = [
        phrase
        for phrase in UNRULED_CRISIS
        if not any(rules_alone[c].read(phrase, None).danger for c in CHANNELS)
        and all(for_script(script, c).read(phrase, None).danger for c in CHANNELS)
    ]
    assert caught, "none of UNRULED_CRISIS is caught by the second opinion alone any more"
    for phrase in caught:
        seen = helpline.replies(phrase)
        assert [seen[c].place for c in CONTEXTS] == ["danger"] * len(CONTEXTS), phrase
        assert all("999" in seen[c].text for c in CONTEXTS if CHANNEL[c] == "sms")


@pytest.mark.parametrize("phrase", EVERYDAY)
def test_everyday_lines_near_them_stay_everyday(script, phrase):
    for channel in CHANNELS:
        assert not for_script(script, channel).read(phrase, None).danger, (phrase, channel)


def test_ivr_understand_names_the_second_opinion_with_its_score_threshold_and_ngrams(script):
    reader = for_script(script, "sms")
    phrase = next(p for p in UNRULED_CRISIS if reader.read(p, None).danger)
    lines = explain(reader, phrase, None)
    said = "\n".join(lines)
    assert "second opinion (statistical reader, rules found none)" in said
    assert f"threshold {reader.second_opinion.threshold:.2f}" in said
    assert re.search(r"weighed most: (word|stem|pair) '[a-z ]+' \+\d", said), said
    # below its threshold it is still shown, as not danger
    quiet = "\n".join(explain(reader, "my phone is dead again", None))
    assert "Second opinion (statistical reader): not danger, score" in quiet
    # where the rules found danger it is not asked, so not shown
    assert "econd opinion" not in "\n".join(explain(reader, "I want to die", None))


def test_a_hand_broken_weights_file_is_a_sentence_naming_the_line():
    with pytest.raises(ValueError, match=r"line 2: .*python3 dev.py train"):
        second_opinion.parse("bias\t-1\nw\tdie\tmuch\nthreshold\t1\n", "x.tsv")
    with pytest.raises(ValueError, match="no threshold line"):
        second_opinion.parse("bias\t-1\n", "x.tsv")


def test_a_language_without_weights_has_no_second_opinion():
    assert second_opinion.load("cy-GB") is None
