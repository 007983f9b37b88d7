"""Understanding at its edges, as tables: how far a typo may be from a word, how far a
negation reaches, how long a danger pattern's gap is, and which need comes first when a
message names several. Each boundary has a row on both sides of it.

Pure domain, with the shipped lexicon and guide (marker `domain`: `python3 dev.py mutate`
runs these).
"""

from __future__ import annotations

from functools import cache

import pytest

from ivr.loader import load_script
from ivr.understanding import inflection, lexicon_file, meaning, typos
from ivr.understanding import lexicon as lexicons
from ivr.understanding.ages import Ages
from ivr.understanding.meaning import Understanding, for_script, lexicon_for
from ivr.understanding.negation import Negation
from ivr.understanding.patterns import Patterns
from ivr.understanding.tokens import tokenise
from ivr.understanding.typos import Corrector

from support import FIXTURES, SCRIPTS

pytestmark = pytest.mark.domain


# -- typos: edit distance and what counts as close ---------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "limit", "distance"),
    [
        ("", "", 2, 0),
        ("", "abc", 3, 3),
        ("abc", "", 3, 3),
        ("steps", "steps", 1, 0),
        ("a", "b", 1, 1),
        ("steps", "stepz", 1, 1),  # a letter changed
        ("steps", "step", 1, 1),  # a letter missing
        ("step", "steps", 1, 1),  # a letter added
        ("ba", "ab", 1, 1),  # two letters swapped at the start
        ("bacd", "abcd", 1, 1),
        ("abdc", "abcd", 1, 1),  # and at the end
        ("stpes", "steps", 1, 1),
        ("clikced", "clicked", 1, 1),
        ("ca", "abc", 3, 3),  # a swapped pair is not edited again (optimal alignment)
        ("kitten", "sitting", 3, 3),
        ("emrgencyx", "emergency", 2, 2),
        ("aaa", "a", 2, 2),
        ("abc", "abcde", 1, 2),  # lengths too far apart: just past the limit
        ("abcdef", "ab", 2, 3),
        ("xyz", "abc", 3, 3),
    ],
)
def test_edit_distance_counts_changes_gaps_and_swaps(a, b, limit, distance):
    assert typos._distance(a, b, limit) == distance


@pytest.mark.parametrize(
    ("word", "target", "close"),
    [
        ("undr", "under", True),  # four letters: only a letter missing
        ("unde", "under", True),
        ("undr", "abcde", False),  # five letters, but not this word plus one
        ("undr", "undra", True),
        ("coop", "cope", False),  # four letters: a changed letter is not forgiven
        ("undr", "undrxy", False),
        ("stpes", "steps", True),  # one edit below eight letters
        ("tepsx", "steps", False),  # two edits below eight letters
        ("clikcedx", "clicked", False),
        ("eportedx", "reported", True),  # two edits from eight letters
        ("emrgencyx", "emergency", True),
        ("abcdefgh", "abcdexyz", False),  # three edits: never
    ],
)
def test_a_word_is_close_to_a_target_within_its_lengths_limit(word, target, close):
    assert typos._close(word, target) is close


def _corrector() -> Corrector:
    targets = {"steps": {"steps"}, "reported": {"support"}, "under": {"young"}}
    return Corrector({w: frozenset(m) for w, m in targets.items()}, known=[])


@pytest.mark.parametrize(
    ("word", "read"),
    [
        ("stepz", "steps"),
        ("tepsx", "tepsx"),  # shares "teps" with "steps", but is two edits away
        ("eportedx", "reported"),  # the same two edits in a word of eight letters
        ("undr", "under"),
        ("und", "und"),
    ],
)
def test_two_edits_are_forgiven_only_in_long_words(word, read):
    assert _corrector().correct(word) == read


# -- inflection: every tense of a danger phrase ------------------------------------------


@pytest.mark.parametrize(
    ("word", "found"),
    [
        ("end", "end ends ending ended"),
        ("cope", "cope copes coping coped"),  # a silent e goes before -ing
        ("tie", "tie ties tying tied"),
        ("cry", "cry cries crying cried"),  # a consonant and y
        ("dry", "dry dries drying dried"),
        ("play", "play plays playing played"),  # a vowel and y
        ("wash", "wash washes washing washed"),
        ("fix", "fix fixes fixing fixed"),
        ("buzz", "buzz buzzes buzzing buzzed"),
        ("miss", "miss misses missing missed"),  # -ss is not a plural
        ("stop", "stop stops stopping stopped"),  # short and closed: the last letter doubles
        ("slap", "slap slaps slapping slapped"),
        ("hug", "hug hugs hugging hugged"),
        ("yap", "yap yaps yapping yapped"),
        ("aim", "aim aims aiming aimed"),  # a vowel first: nothing doubles
        ("seat", "seat seats seating seated"),  # two vowels
        ("open", "open opens opening opened"),
        ("visit", "visit visits visiting visited"),  # longer than four letters
        ("snow", "snow snows snowing snowed"),  # w never doubles
        ("take", "take takes taking took taken"),  # an irregular family
        ("took", "take takes taking took taken"),
        ("myself", "myself"),  # words that never take an ending
        ("999", "999"),
        ("ab", "ab"),
        ("café", "café"),
        ("ending", "ending"),  # already inflected, or a plural: as written
        ("ended", "ended"),
        ("pills", "pills"),
    ],
)
def test_a_word_takes_the_regular_english_endings(word, found):
    assert inflection.word_forms(word) == tuple(found.split())


def test_only_the_first_word_that_inflects_takes_endings():
    assert inflection.forms("i want to die") == {
        "i want to die",
        "i wants to die",
        "i wanting to die",
        "i wanted to die",
    }
    assert inflection.forms("not 999") == {"not 999"}
    assert inflection.forms("") == frozenset()


# -- negation ----------------------------------------------------------------------------


def _negation() -> Negation:
    # Built in each test, not at import, so a mutation tester's changes reach it.
    lexicon = lexicon_file.load("en-GB")
    return Negation(lexicon.words("negation.words"), lexicon.words("negation.breaks"))


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("no longer clicked", "clicked", True),  # a two-word negation opening the message
        ("i no longer clicked", "clicked", True),
        ("longer clicked", "clicked", False),  # half of it is not a negation
        ("no longer a b c clicked", "clicked", True),  # ending four words back
        ("a b c d e no longer clicked", "clicked", True),
        ("a clicked didnt", "clicked", False),  # a negation after the phrase
        ("i didnt clicked", "clicked", True),
        ("didnt clicked", "clicked", True),
        ("didnt a b c clicked", "clicked", True),  # four words back: in reach
        ("didnt a b c d clicked", "clicked", False),  # five: out of reach
        ("didnt, clicked", "clicked", False),
        ("i cant understand clicked", "clicked", False),
    ],
)
def test_the_shipped_negations_reach_four_words_within_a_clause(text, word, negated):
    tokens = tokenise(text)
    assert _negation().before(tokens, tokens.words.index(word)) is negated


def test_a_negation_at_the_last_word_or_past_the_end_negates_nothing():
    tokens = tokenise("i didnt")
    assert _negation().before(tokens, 2) is True  # a phrase starting just after "didnt"
    assert _negation().before(tokens, 3) is False
    assert _negation().before(tokens, 0) is False
    assert _negation().before(tokenise("no, didnt"), 2) is True  # in the last word's clause


# -- danger patterns: slots and gaps -------------------------------------------------------


@cache  # built once: each test only reads it
def _patterns() -> Patterns:
    lexicon = lexicon_file.load("en-GB")
    return Patterns(lexicon.words(lexicons.PATTERNS), lexicon.slots())


@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("he said hurt me", True),  # "{someone} {threat} ... {harm} {victim}", no gap
        ("he said he will hurt my family", True),
        ("he said a b c d hurt me", True),  # a gap of four words
        ("he said a b c d e hurt me", False),  # five is too many
        ("he said he will hurt", False),  # every step is needed
        ("he said a b", False),  # the gap runs off the end
        ("he said", False),
        ("said hurt me", False),
        ("they said they will find my kids", True),
        ("im going to end it", True),  # "{intent} {ending}"
        ("im going to ending it", True),  # slot phrases in every tense
        ("going to", False),
        ("im on the bridge", True),  # "{at} {place}"
        ("took all my pills", True),  # "{took} {amount} {meds}"
        ("took all my", False),
        ("whats the point in living", True),
        ("whats the point", False),
        ("goodbye everyone", True),
        ("goodbye", False),
        ("hurt me he said nothing", False),  # a gap looks only forward
    ],
)
def test_danger_patterns_fill_their_slots_and_bound_their_gaps(text, danger):
    assert _patterns().within(tokenise(text).words) is danger


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("help now", True),
        ("help me now", True),
        ("help a b c d now", True),  # the last word of the message, four words on
        ("help a b c d e now", False),
        ("help me", False),
        ("now help", False),
    ],
)
def test_a_gap_can_reach_the_last_word(text, found):
    assert Patterns(["help ... now"], {}).within(tuple(text.split())) is found


# -- ranking: the most urgent need first ---------------------------------------------------


def _meanings(guide, text, here="main", channel="sms"):
    return [(m.kind, m.target) for m in for_script(guide, channel).read(text, here).meanings]


@pytest.mark.parametrize(
    ("text", "meanings"),
    [
        ("im on the bridge", [("go", "danger")]),  # a pattern alone is danger
        ("I'm 15 and he said he will hurt me", [("go", "danger"), ("go", "under-18")]),
        ("should I pay, I'm 14", [("go", "under-18"), ("go", "dont")]),
        # the roles in the script's order: clicked_link, under_18, steps, dont, ...
        ("what are the steps, I clicked the link", [("go", "clicked"), ("go", "steps")]),
        ("should I pay them, how do I report it", [("go", "dont"), ("go", "support")]),
        ("are you a real person, I clicked it", [("go", "clicked"), ("person", None)]),
        ("next, main menu", [("go", "main"), ("next", None)]),
        ("I'm no longer paying", []),  # a negation of two words cancels a topic
        ("main menu, are you a real person", [("person", None), ("go", "main")]),
        ("I didn't click it, I'm 15", [("go", "under-18")]),
        ("I'm 18 and I clicked it", [("go", "clicked")]),
        ("I'm 17 and I clicked it", [("go", "under-18"), ("go", "clicked")]),
    ],
)
def test_meanings_rank_danger_then_under_18_then_roles_then_person_then_controls(
    guide, text, meanings
):
    assert _meanings(guide, text) == meanings


@pytest.mark.parametrize(
    ("text", "danger", "child"),
    [
        ("please help", True, False),  # a weak call for help, alone: danger
        ("please help, I clicked it", False, False),  # beside another need: that need
        ("please help, I'm 15", False, True),
        ("I took 800mg", True, False),
        ("I took 800", False, False),
        ("8mg", True, False),
        ("800 mg", True, False),
        ("800 kg", False, False),
        ("I don't feel safe", True, False),
        ("I feel safe", False, False),
    ],
)
def test_danger_and_child_flags_follow_the_words(guide, text, danger, child):
    reading = for_script(guide, "sms").read(text, "main")
    assert (reading.danger, reading.child) == (danger, child)
    assert (("go", "danger") in _meanings(guide, text)) is danger


# -- the lexicon a script extends --------------------------------------------------------


def test_a_scripts_lexicon_keeps_the_languages_names_sources_and_phrases():
    own, _ = lexicon_file.parse({"person": {"source": "ours", "phrases": ["real human"]}}, "x.yaml")
    language = lexicon_file.load("en-GB")
    merged = language.extended(own)
    assert (merged.path, merged.language) == (language.path, "en-GB")
    assert dict(merged.phrases) == dict(language.phrases) != {}
    listed = merged.get("person")
    assert listed.name == "person" and listed.source == language.get("person").source
    assert listed.phrases[-1] == "real human" and len(listed.phrases) > 1


# -- a script's own words ------------------------------------------------------------------


def test_a_word_leading_to_two_places_counts_only_where_each_is_offered():
    # 'emergency' is the danger global's word and, on the main menu only, also clicked's.
    script = load_script(FIXTURES / "warned" / "word-in-two-places.yaml")
    reader = for_script(script, "sms")
    assert [m.target for m in reader.read("emergency", "main").meanings] == ["danger", "clicked"]
    assert [m.target for m in reader.read("emergency", "young").meanings] == ["danger"]


def test_a_scripts_own_danger_words_are_heard_in_every_tense(tmp_path):
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    path = tmp_path / "own-words.yaml"
    path.write_text(text.replace("[emergency, not safe]", "[emergency, not safe, go under]"))
    reader = for_script(load_script(path), "sms")
    for said in ("I will go under", "I went under", "going under tonight"):
        reading = reader.read(said, "main")
        assert reading.danger and reading.top.target == "danger", said


def test_a_language_without_a_lexicon_finds_no_dose(tiny):
    reader = Understanding(tiny, lexicon_file.load("xx-XX"), "sms")
    assert not reader.read("I took 800mg").danger
    assert not reader.read("I took 800").danger
    assert reader.read("emergency").top.target == "danger"  # the script's own words still count


def test_a_scripts_own_lexicon_adds_to_its_languages(tmp_path):
    own = (
        "lexicon:\n"
        "  topics:\n"
        "    clicked_link:\n"
        "      source: Our callers' own words.\n"
        "      phrases: [fell for the thingy]\n"
    )
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    path = tmp_path / "own-lexicon.yaml"
    path.write_text(text.replace("\nnodes:\n", "\n" + own + "nodes:\n"), encoding="utf-8")
    reader = for_script(load_script(path), "sms")
    assert reader.read("I fell for the thingy", "main").top.target == "clicked"
    assert reader.read("I clicked the link", "main").top.target == "clicked"  # still the language's
    assert (
        for_script(load_script(FIXTURES / "valid.yaml"), "sms")
        .read("I fell for the thingy", "main")
        .meanings
        == ()
    )


def test_an_options_own_word_beats_the_languages_at_its_node(tmp_path):
    # "i clicked" is the lexicon's (clicked, anywhere), the main menu's (clicked) and, on
    # the under-18 node only, an option to the steps.
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    young = '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n  danger:\n'
    mine = (
        '      - {key: "1", keyword: STEPS, label: for the steps, target: steps}\n'
        '      - {key: "2", keyword: OPENED, synonyms: [i clicked], label: if you opened it, '
        "target: steps}\n"
        "  danger:\n"
    )
    path = tmp_path / "own-word.yaml"
    path.write_text(text.replace(young, mine), encoding="utf-8")
    reader = for_script(load_script(path), "sms")
    assert reader.read("i clicked", "young").top.target == "steps"
    assert reader.read("i clicked", "main").top.target == "clicked"
    assert reader.read("i clicked", "danger").top.target == "clicked"  # the lexicon's


def test_roles_outrank_other_nodes_whatever_the_order_of_the_nodes(tmp_path):
    # The steps node is a role here and written before the clicked node: the roles'
    # order (clicked_link before steps) still decides, not the order of the nodes.
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    steps = text[text.index("  steps:\n    text:") :]
    text = text.replace(steps, "").replace("  clicked:\n", steps + "  clicked:\n")
    text = text.replace("  under_18: young\n", "  under_18: young\n  steps: steps\n")
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    script = load_script(path)
    assert list(script.nodes).index("steps") < list(script.nodes).index("clicked")
    ranked = for_script(script, "sms").read("STEPS, i clicked", "main")
    assert [m.target for m in ranked.meanings] == ["clicked", "steps"]


def test_a_negation_still_counts_in_a_message_cut_at_its_longest(guide):
    words = "I didn't click it. " + "ok " * 450
    assert for_script(guide, "sms").read(words, "main").meanings == ()


def test_on_the_phone_the_controls_come_main_menu_then_next_then_repeat(guide):
    reading = for_script(guide, "voice").read("say that again, next, main menu", "main")
    assert [m.kind for m in reading.meanings] == ["go", "next", "repeat"]
    assert reading.meanings[0].target == "main" and reading.top.is_control


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("10", True),  # a message that is only an age: from 10
        ("9", False),
        ("year 1", True),  # school years from Year 1
        ("year 0", False),
        ("hes 13", True),
        ("she was 12", True),
        ("theyre 16", True),
        ("my son is 15", True),
        ("my son is 18", False),
        ("my sons 14", True),
    ],
)
def test_the_shipped_relations_and_pronouns_tell_a_childs_age(text, child):
    ages = Ages(lexicon_file.load("en-GB").words("relations"))  # built here, not at import
    assert ages.child(text) is child


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize("path", [*SCRIPTS, FIXTURES / "valid.yaml"], ids=lambda p: p.name)
def test_a_corrector_shared_among_scripts_corrects_as_one_built_afresh(path, channel):
    """A script's typo corrector is built from pieces its language's scripts share (one
    Lexicon, the words that are never typos, the corrector itself for the same words:
    vocabulary.py). Built the plain way instead, for this script alone and with each
    meaning written out as text, it corrects every target word, with its middle letter left
    out, and with its first two letters swapped, the same."""
    script = load_script(path)
    reader = for_script(script, channel)
    lexicon = lexicon_for(script)
    entries, danger_words = meaning._entries(script, lexicon, channel, reader.danger_meaning)
    targets: dict[str, set[str]] = {}
    for word in danger_words:
        for token in word.split():
            targets.setdefault(token, set()).add("danger")
    for word, found in entries.items():
        for token in word.split():
            targets.setdefault(token, set()).update(repr(e.meaning) for e in found)
    inflected = {f for w in danger_words for f in inflection.forms(w)}
    slots = lexicon.slots()
    plain = Corrector(
        {w: frozenset(m) for w, m in targets.items()},
        known={
            *(t for name in lexicons.LISTS if name not in lexicons.MEANING_LISTS
              for p in lexicon.words(name) for t in p.split()),
            *(t for p in inflected for t in p.split()),
            *(t for slot in slots.values() for p in slot for f in inflection.forms(p)
              for t in f.split()),
        },
        careful=frozenset({"danger"}),
    )  # fmt: skip
    # each target word, with its middle letter left out, and its first two swapped
    probes = {v for w in targets for v in (w, w[: len(w) // 2] + w[len(w) // 2 + 1 :])}
    probes |= {w[1] + w[0] + w[2:] for w in targets if len(w) > 1}
    read = {p: reader.typos.correct(p) for p in sorted(probes)}
    assert sum(p != to for p, to in read.items()) > 100  # the probes reach corrections
    assert read == {p: plain.correct(p) for p in sorted(probes)}
