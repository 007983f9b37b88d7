"""Issue 19's reading rules, each on its own and both sides of it: disguised spellings,
idioms, clear denials of danger, and what `findings` reports of each step.

Pure domain and fast (marker `domain`); the same rules through both webhooks are in the
phrase corpus (tests/corpus/en-GB.txt, tests/test_corpus.py).
"""

from __future__ import annotations

import pytest

from ivr.understanding.disguises import Disguises
from ivr.understanding.explain import explain
from ivr.understanding.meaning import for_script
from ivr.understanding.negation import Denial
from ivr.understanding.tokens import tokenise

pytestmark = pytest.mark.domain

DISGUISES = Disguises(
    [
        "kill",
        "myself",
        "suicide",
        "die",
        "selfharm",
        "overdose",
        "unalive",
        "tablets",
        "stab",
        "slit",
    ],
    {"dye": "die", "sue a side": "suicide"},
    {"od'd": "overdosed"},
    ["my", "it"],
)


@pytest.mark.parametrize(
    ("text", "read", "rule"),
    [
        ("k!ll myself", "kill myself", "symbols"),
        ("su1c1de", "suicide", "symbols"),  # "1" is i here
        ("$uicide", "suicide", "symbols"),
        ("0verd0se", "overdose", "symbols"),
        ("s*icide", "suicide", "symbols"),  # an asterisk for one letter
        ("d!e", "die", "symbols"),
        ("i od'd", "i overdosed", "clipped"),
        ("i want to die!", "i want to die!", None),  # punctuation, not a disguise
        ("£50 or $20", "£50 or $20", None),  # prices stay prices
        ("b4 l8r gr8", "b4 l8r gr8", None),  # text-speak that is not a danger word
        ("i wanna di3", "i wanna die", "symbols"),  # a digit as the last letter
        ("mp3 and a4 paper", "mp3 and a4 paper", None),  # no danger word ends that way
        ("s***", "s***", None),  # more than one danger word fits (stab, slit): left alone
        ("st**", "stab", "symbols"),
        ("****", "****", None),  # no letter at all: never a word
        ("tablet", "tablet", None),
    ],
)
def test_symbols_digits_and_clipped_forms_are_undone_into_danger_words_only(text, read, rule):
    undone, changes = DISGUISES.undo_text(text)
    assert tokenise(undone).text == tokenise(read).text
    assert [c.rule for c in changes] == ([rule] if rule else [])


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("s u i c i d e", "suicide"),
        ("k i l l myself", "kill myself"),
        ("k i l l m y s e l f", "kill myself"),  # two danger words, typed apart
        ("sui cide", "suicide"),  # one word cut in two
        ("diiiie", "die"),
        ("killlll myself", "kill myself"),
        ("i want to dye", "i want to die"),  # what a recogniser writes for "die"
        ("i want to dye my hair", "i want to dye my hair"),  # "dye" with an object is dye
        ("sue a side", "suicide"),
        ("a b c", "a b c"),  # letters that make no danger word stay
        ("i am ok", "i am ok"),
        ("sooo tired", "sooo tired"),
    ],
)
def test_spaced_stretched_and_misheard_words_are_undone_into_danger_words_only(text, read):
    tokens, _ = DISGUISES.undo_words(tokenise(text))
    assert tokens.text == read
    assert len(tokens.words) == len(tokens.clauses)


DENIAL = Denial(["not", "dont", "never", "no intention of"], ["yet", "tonight", "but sometimes"])


@pytest.mark.parametrize(
    ("text", "phrase", "denied"),
    [
        ("im not suicidal", "suicidal", "not"),
        ("i dont want to die", "want to die", "dont"),
        ("im not at all suicidal", "suicidal", "not"),  # small words between
        ("im not going to kill myself", "kill myself", "not"),
        ("i have no intention of hurting myself", "hurting myself", "no intention of"),
        ("not really feeling at all suicidal", "suicidal", None),  # too far
        ("i dont think ill kill myself", "kill myself", None),  # not a denial of it
        ("im not going to kill myself yet", "kill myself", None),  # hedged
        ("im not going to kill myself tonight", "kill myself", None),
        ("i dont want to die but sometimes", "want to die", None),
        ("no, i want to die", "want to die", None),  # another clause
        ("i want to die", "want to die", None),
    ],
)
def test_only_a_clear_denial_right_before_danger_counts(text, phrase, denied):
    tokens = tokenise(text)
    start = tokens.text.split().index(phrase.split()[0])
    assert DENIAL.denies(tokens, start, start + len(phrase.split())) == denied


def _read(guide, text, channel="sms"):
    reading = for_script(guide, channel).read(text, "main")
    return [m.target for m in reading.meanings], reading.danger, reading.denied


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize(
    ("text", "targets", "danger", "denied"),
    [
        # danger denied beside a need: no danger answer, the need, and `denied`
        ("I'm not in danger, I just want it taken down", ["support"], False, True),
        ("im not suicidal, what should i do", ["steps"], False, True),
        ("I don't want to die, I just need to know what not to do", ["dont"], False, True),
        # denied with nothing else asked, or hedged, or only part of it denied: danger
        ("I'm not suicidal", ["danger"], True, False),
        ("I'm not suicidal yet, what should I do", ["danger", "steps"], True, False),
        ("I'm not in danger but he said he'll hurt me, what do I do",
         ["danger", "steps"], True, False),
        # idioms hide their danger word; the word itself stays danger
        ("my battery is dying", [], False, False),
        ("I'd die of embarrassment if my mum saw", [], False, False),
        ("my boss would kill me haha", [], False, False),
        ("I want to die", ["danger"], True, False),
        ("I opened it on my tablet", ["clicked"], False, False),
        ("I took 20 tablets", ["danger"], True, False),
    ],
)  # fmt: skip
def test_denials_and_idioms_change_the_reading_on_both_channels(
    guide, channel, text, targets, danger, denied
):
    assert _read(guide, text, channel) == (targets, danger, denied)


def test_findings_say_which_step_decided(guide):
    reader = for_script(guide, "sms")
    found = reader.findings("i want to k!ll myslef", "main")
    assert [(c.written, c.read, c.rule) for c in found.changes] == [("k!ll", "kill", "symbols")]
    assert found.fixes == [("myslef", "myself")]
    assert {(h.kind, h.what) for h in found.danger} >= {("phrase", "kill myself")}
    idiom = reader.findings("my battery is dying", "main")
    assert idiom.idioms and idiom.danger == []
    denied = reader.findings("im not suicidal, what should i do", "main")
    assert [(h.what, h.denied) for h in denied.danger] == [("suicidal", "not")]
    assert [(t.phrase, t.cancelled) for t in denied.topics] == [("what should i do", False)]
    assert reader.findings("im 15", "main").child == "an age under 18"


SPOKEN = Disguises(
    ["kill", "myself", "suicide", "suicidal", "want", "to", "die", "end", "my", "life"],
    {},
    {},
    ["my"],
    phrases=["kill myself", "want to die", "end my life"],
)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("im thinking about sooey side", "im thinking about suicide"),
        ("i feel sue icidal", "i feel suicidal"),  # suicidal as it sounds, in two words
        ("im soo i cidal", "im suicidal"),  # in three
        ("feeling sewer cidal", "feeling suicidal"),
        ("killmyself", "kill myself"),  # a danger phrase typed without its spaces
        ("wanttodie", "want to die"),
        ("sue said so", "sue said so"),  # no "oo" sound after the s: a name and a verb
        ("so i side with her", "so i side with her"),
        ("im sure its fine", "im sure its fine"),
        ("the soup is salty", "the soup is salty"),
        ("sometimes", "sometimes"),  # not a danger phrase run together
    ],
)
def test_what_suicide_sounds_like_and_run_together_phrases_are_undone(text, read):
    tokens, _ = SPOKEN.undo_words(tokenise(text))
    assert tokens.text == read
    assert len(tokens.words) == len(tokens.clauses)


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize(
    ("text", "danger"),
    [
        ("paracetamol", True),  # a medicine as the whole message is a sign in itself
        ("took 30 paracetamol", True),
        ("i took like thirty of my antidepressants", True),
        ("swallowed all my tablets", True),
        ("ive got the pills ready", True),
        ("mixed my pills with wine", True),
        ("need to take my tablets with food", False),  # my own, with food: routine
        ("did you take your tablets this morning", False),  # your own: routine too
        ("hes taken all his tablets", True),  # an amount is a sign, whoever owns them
        ("shopping list: milk, paracetamol, bin bags", False),
        ("take two tablets every four hours", False),  # a dose, not an amount
        ("dentist said take ibuprofen for the swelling", False),
        ("ibuprofen half price this week", False),
    ],
)
def test_a_medicine_named_alone_is_danger_only_beside_a_sign(guide, channel, text, danger):
    reading = for_script(guide, channel).read(text, "main")
    assert reading.danger is danger, text


def test_a_medicine_without_a_sign_is_explained(guide):
    lines = explain(for_script(guide, "sms"), "remember my blood pressure tablets", "main")
    assert any("Medicine named with no sign of harm" in line for line in lines), lines


SLIPS = Disguises(
    ["die", "jump", "want", "to"],
    {},
    {},
    ["my"],
    short_words=["die", "jump", "kms"],
    intent_ends=["to", "wanna", "gonna"],
)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("i want to dei", "i want to die"),  # two letters swapped, right after an intent
        ("wanna ide tonight", "wanna die tonight"),
        ("gonna jmup", "gonna jump"),
        ("i want to diee", "i want to die"),  # a letter doubled
        ("dei", "dei"),  # no intent before it: left alone
        ("the dei report", "the dei report"),
        ("i want to do it", "i want to do it"),  # two letters: never a slip
    ],
)
def test_a_short_slip_is_read_as_a_danger_word_only_after_an_intent(text, read):
    tokens, changes = SLIPS.undo_words(tokenise(text))
    assert tokens.text == read
    assert all(c.rule == "slip after an intent" for c in changes)
    assert SLIPS.could_change(tokenise(text).words) or not changes


@pytest.mark.parametrize("channel", ["sms", "voice"])
@pytest.mark.parametrize(
    ("text", "danger"),
    [
        # "I can't go on": enduring, negated or doubted, with a horizon
        ("i honestly cant take much more of this", True),
        ("dont know how much longer i can keep going", True),
        ("i wont be around for much longer", True),
        ("made my mind up, i wont be here after tonight", True),
        ("i dont think ill make it through the night", True),
        ("not gonna make it to the weekend", True),
        ("why bother staying alive", True),
        ("im nothing but a weight on my family", True),
        ("cant take any more days off this month", False),
        ("cant make it to friday", False),
        ("i cant go on the school trip", False),
        ("i cant stand it any longer, the neighbours are so loud", False),
        # a means readied or researched, a high place, someone else in crisis
        ("the belt is already round the bannister", True),
        ("been googling how many it takes", True),
        ("on the top floor of the car park looking down", True),
        ("my sons taken something", True),
        ("my friend isnt breathing", True),
        ("googled how to jump start a car", False),
        ("shes taken something for her headache", False),
        ("my son took the car", False),
        # threats to someone close, hiding at home, a call for help with strong fear
        ("now theyre threatening my daughter", True),
        ("hiding in the bathroom, hes in the flat", True),
        ("please help me im so scared", True),
        ("i promised my kids a day out", False),
        # everyday things that die, knives of the kitchen, family coming round
        ("the kettles died, need a new one", False),
        ("can you pass the bread knife", False),
        ("my mums coming round at 6", False),
        ("my last call of the day is at five", False),
        ("he cut himself shaving", False),
        ("sick of living out of boxes", False),
        ("theres someone at the door, can you get it", False),
        ("bye everyone, see you soon", False),
        ("terrified of flying", False),
        ("im sick of living with this pain", True),
        ("i cut myself on purpose", True),
        ("i keep staring at the pills", True),
        ("he punched me", True),
        ("my friends texted me a goodbye", True),
        ("ive had enough of being alive", True),
        ("she beat me at chess again", False),
        ("that film choked me up", False),
        ("ive had enough of being on hold", False),
    ],
)  # fmt: skip
def test_round_five_rules_read_crisis_and_leave_everyday_lines(guide, channel, text, danger):
    assert for_script(guide, channel).read(text, "main").danger is danger


def test_round_five_rules_say_which_line_decided(guide):
    lines = explain(for_script(guide, "sms"), "i want to dei", "main")
    assert "  slip after an intent: 'dei' read as 'die'" in lines
    said = "\n".join(explain(for_script(guide, "sms"), "i cant take much more of this", "main"))
    assert "{cant} {endure} {horizon}" in said
    kettle = "\n".join(explain(for_script(guide, "sms"), "the kettle has died", "main"))
    assert "Idiom, so not danger" in kettle
