"""The understanding layer on its own: each rule, both sides of it, as tables.

Pure domain and fast (no web), so a mutation tester can select these (marker `domain`).
"""

from __future__ import annotations

import pytest

from ivr.phrasebook import LEXICON_PHRASES
from ivr.script import GO
from ivr.understanding import PERSON, Meaning, Reading, lexicon_file
from ivr.understanding import lexicon as lexicons
from ivr.understanding.ages import Ages
from ivr.understanding.meaning import for_script
from ivr.understanding.negation import Negation
from ivr.understanding.phrases import Phrases
from ivr.understanding.tokens import tokenise
from ivr.understanding.typos import Corrector

pytestmark = pytest.mark.domain

# -- tokens ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Can't COPE!!", "cant cope"),
        ("I’m fifteen", "im 15"),
        ("nine, nine, nine", "9 9 9"),
        ("café naïve", "cafe naive"),
        ("💊💊", "u1f48a u1f48a"),
        ("⚰️", "u26b0"),
        ("👍🏽", "u1f44d"),  # the skin tone is dropped
        ("", ""),
        ("?!...", ""),
    ],
)
def test_tokens_take_one_normal_form(text, words):
    assert tokenise(text).text == words


def test_clauses_end_at_punctuation_and_line_breaks():
    tokens = tokenise("no, I clicked it.\nthen what")
    assert tokens.words == ("no", "i", "clicked", "it", "then", "what")
    assert tokens.clauses == (0, 1, 1, 1, 2, 2)


# -- negation ----------------------------------------------------------------------------

NEGATION = Negation(["not", "dont", "didnt", "never", "no longer"], ["know", "but"], reach=4)


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("i didnt click it", "click", True),
        ("i never clicked", "clicked", True),
        ("i dont really think i clicked", "clicked", True),  # four words back
        ("dont i a b c clicked", "clicked", False),  # five words back: out of reach
        ("i dont know what to do", "what", False),  # "know" ends its reach
        ("i didnt but clicked", "clicked", False),
        ("no, i clicked it", "clicked", False),  # another clause
        ("i clicked it", "clicked", False),
        ("i no longer pay", "pay", True),  # a negation of two words
        ("no pay", "pay", False),  # "no" alone is not one
        ("clicked", "clicked", False),  # nothing before it
    ],
)
def test_a_negation_reaches_a_few_words_forward_within_its_clause(text, word, negated):
    tokens = tokenise(text)
    assert NEGATION.before(tokens, tokens.words.index(word)) is negated


@pytest.mark.parametrize(
    ("text", "only"), [("dont", True), ("do not", True), ("not", True), ("dont pay", False)]
)
def test_a_phrase_made_only_of_negations_is_known(text, only):
    assert NEGATION.is_negation(text) is only


# -- ages --------------------------------------------------------------------------------

AGES = Ages(["son", "daughter", "he", "she", "friend"])


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("im 14", True),
        ("im 17", True),
        ("im 18", False),
        ("i am 25", False),
        ("im 4", False),  # too small to be an age here
        ("im 5", True),
        ("im only 15", True),
        ("age 16", True),
        ("aged 18", False),
        ("15 years old", True),
        ("15yo", True),
        ("30 years old", False),
        ("i was 16 in the photo", True),
        ("i was 15 minutes late", False),
        ("when i was 17", True),
        ("my son is 15", True),
        ("my son is 19", False),
        ("hes 13", True),
        ("my friends 16", True),
        ("im turning 18", True),
        ("im turning 19", False),
        ("year 9", True),
        ("year 14", True),
        ("year 15", False),
        ("y11", True),
        ("s3", True),
        ("s7", False),
        ("14", True),
        ("17 yrs", True),
        ("18", False),
        ("9", False),
        ("the year 2020", False),
        ("", False),
    ],
)
def test_ages_under_18_are_children_and_18_and_over_are_not(text, child):
    assert AGES.child(text) is child


# -- typos -------------------------------------------------------------------------------

CORRECTOR = Corrector(
    {
        "clicked": frozenset({"clicked"}),
        "click": frozenset({"clicked", "dont"}),
        "steps": frozenset({"steps"}),
        "emergency": frozenset({"danger"}),
        "under": frozenset({"young"}),
        "later": frozenset({"wait"}),
        "cope": frozenset({"danger"}),
        "pays": frozenset({"dont"}),
        "pats": frozenset({"other"}),
    },
    known=["hope", "late"],
)


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("clickd", "clicked"),  # shares a meaning with "click", the most specific wins
        ("stpes", "steps"),  # two letters swapped
        ("emergancy", "emergency"),  # a letter changed
        ("emrgencyx", "emergency"),  # two edits, in a long word
        ("clikcedx", "clikcedx"),  # two edits in a shorter one: not forgiven
        ("undr", "under"),  # four letters: a letter missing
        ("unde", "under"),
        ("coop", "coop"),  # four letters: a changed letter is not forgiven
        ("hope", "hope"),  # a known word is never corrected
        ("late", "late"),
        ("laters", "later"),
        ("pags", "pags"),  # as close to two meanings: left alone
        ("stp", "stp"),  # three letters: never
        ("st3ps", "st3ps"),  # digits: never
        ("steps", "steps"),
        ("xxxxxx", "xxxxxx"),
    ],
)
def test_small_typos_are_forgiven_and_never_across_meanings(word, read):
    assert CORRECTOR.correct(word) == read


# -- the lexicon -------------------------------------------------------------------------


def test_the_shipped_lexicon_has_every_list_with_a_source():
    lexicon = lexicon_file.load("en-GB")
    for name in lexicons.LISTS:
        assert lexicon.get(name).source.strip(), name
        assert lexicon.words(name), name
    assert set(lexicon.phrases) == set(LEXICON_PHRASES)


def test_a_language_without_a_lexicon_has_empty_lists():
    lexicon = lexicon_file.load("xx-XX")
    assert lexicon.words("danger.words") == () and dict(lexicon.phrases) == {}


@pytest.mark.parametrize(
    ("data", "message", "code"),
    [
        ([], "should be a YAML mapping", "V101"),
        ({"colours": {}}, "a section 'colours' that the format does not know", "V101"),
        ({"danger": []}, "'danger' should be a mapping", "V101"),
        ({"danger": {"lots": {}}}, "a list 'lots' that the format does not know", "V101"),
        ({"person": ["a"]}, "should have a source and phrases", "V101"),
        ({"person": {"source": "s"}}, "has no phrases list", "V101"),
        ({"person": {"source": "s", "phrases": [5]}}, "not a phrase with words", "V101"),
        ({"person": {"source": "s", "phrases": ["!!"]}}, "not a phrase with words", "V101"),
        ({"person": {"phrases": ["a human"]}}, "does not say where", "V102"),
    ],
)
def test_a_lexicon_in_the_wrong_shape_is_reported_with_its_rule(data, message, code):
    _, problems = lexicon_file.parse(data, "x.yaml")
    assert [p.code for p in problems] == [code]
    assert message in problems[0].message and problems[0].fix


def test_a_scripts_words_are_added_to_its_languages():
    own, problems = lexicon_file.parse(
        {"topics": {"support": {"source": "s", "phrases": ["grass them up"]}}}, "x.yaml"
    )
    merged = lexicon_file.load("en-GB").extended(own)
    assert not problems
    assert "grass them up" in merged.words("topics.support")
    assert "police" in merged.words("topics.support")
    assert merged.words("danger.words") == lexicon_file.load("en-GB").words("danger.words")


# -- meanings ----------------------------------------------------------------------------


def _read(guide, text, channel="sms", here="main"):
    return [(m.kind, m.target) for m in for_script(guide, channel).read(text, here).meanings]


@pytest.mark.parametrize(
    ("text", "meanings"),
    [
        ("I'm 15 and I clicked it", [("go", "under-18"), ("go", "clicked")]),
        ("i clicked it and im 15 and i want to die", [
            ("go", "danger"), ("go", "under-18"), ("go", "clicked")]),
        ("should I click it", [("go", "dont")]),  # the phrase that starts first wins
        ("I don't know what to do", [("go", "steps")]),
        ("I didn't click it", []),
        ("dont", [("go", "dont")]),
        ("I don't want to live", [("go", "danger")]),  # never "what not to do"
        ("please help", [("go", "danger")]),
        ("please help me report it", [("go", "support")]),  # weak danger gives way
        ("is it safe", []),
        ("it's not safe", [("go", "danger")]),
        ("I don't feel safe", [("go", "danger")]),  # danger only when negated
        ("I feel safe", []),
        ("I took 800 mg", [("go", "danger")]),  # a dose, written apart
        ("800mg", [("go", "danger")]),
        ("mg", []),
        ("800 miles", []),
        ("I'm a teenager", [("go", "under-18")]),
        ("are you a bot", [("person", None)]),
        ("next", [("next", None)]),
        ("go back", [("go", "main")]),
        ("x" * 5000, []),
    ],
)  # fmt: skip
def test_meanings_come_most_urgent_first(guide, text, meanings):
    assert _read(guide, text) == meanings


def test_a_phone_only_option_means_nothing_by_text(guide):
    assert _read(guide, "everything else", "voice") == [("go", "more")]
    assert _read(guide, "everything else", "sms") == []


def test_reading_stops_after_the_longest_text_a_person_could_send(guide):
    reader = for_script(guide, "sms")
    assert reader.read("ok " * 500 + "suicide").meanings == ()
    assert reader.read("ok " * 300 + "suicide").danger


# -- phrase tables -----------------------------------------------------------------------

TABLE = Phrases(["click", "should i click", "i clicked", "clicked the link", "pay", "dont pay"])


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("should i click it", [(0, "should i click")]),  # the longest at the leftmost start
        ("i clicked the link", [(0, "i clicked")]),  # leftmost first, then no overlap
        ("you clicked the link", [(1, "clicked the link")]),
        ("dont pay or pay", [(0, "dont pay"), (3, "pay")]),
        ("should i", []),  # a phrase is found whole or not at all
        ("paying", []),  # whole words only
        ("", []),
    ],
)
def test_phrases_are_found_leftmost_then_longest_without_overlaps(text, found):
    words = tuple(text.split())
    assert list(TABLE.find(words)) == found
    assert TABLE.within(words) is bool(found)


def test_a_reading_knows_a_child_from_an_age_and_from_words(guide):
    reader = for_script(guide, "sms")
    assert reader.read("im 14").child and reader.read("I'm a teenager").child
    assert not reader.read("im 40").child and not reader.read("I clicked").child
    assert reader.read("I want to die").danger and not reader.read("I clicked").danger


@pytest.mark.parametrize(
    ("meanings", "also"),
    [
        ([Meaning(GO, "danger", 0), Meaning(GO, "under-18", 1)], "under-18"),
        ([Meaning(GO, "clicked", 10), Meaning(GO, "clicked", 10)], None),  # the same need
        ([Meaning(GO, "clicked", 10), Meaning(GO, "main", 1000)], None),  # a control
        ([Meaning(GO, "clicked", 10), Meaning("next", None, 1001)], None),
        ([Meaning(GO, "clicked", 10), Meaning(PERSON, None, 900)], None),
        ([Meaning(GO, "clicked", 10)], None),
    ],
)
def test_the_second_need_offered_is_another_node_never_a_control(meanings, also):
    reading = Reading(tuple(meanings))
    assert (reading.also.target if reading.also else None) == also
    assert reading.top == meanings[0]
    assert Reading(()).top is None
