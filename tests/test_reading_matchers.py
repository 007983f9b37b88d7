"""The reading pipeline's fast matchers find exactly what the plain word-by-word ones do.

Reading a message is tuned for speed (docs/performance.md): tokens by byte tables, phrase
tables and danger patterns by Aho-Corasick automata, typos set aside by set operations,
ages read only near numbers. Each is held here against the plain way of doing the same
thing, written as simply as it can be, on the lexicon's and scripts' real tables and on
thousands of seeded messages: the corpus, the held-out set, and mixtures of lexicon
phrases and everyday words with typos, numbers, negations and punctuation. So a
lexicon or rule change that the fast way does not carry shows up here.
"""

from __future__ import annotations

import random
import re
import unicodedata
from functools import cache

import pytest

from benchmarks.reply_walk import corpus_lines, lexicon_phrases, mixed
from ivr import understanding
from ivr.keywords import NUMBER_WORDS, normalise
from ivr.loader import load_script
from ivr.understanding.patterns import GAP_WORDS
from ivr.understanding.phrases import Phrases, Search, spaced
from ivr.understanding.tokens import Tokens, tokenise

from support import FIXTURES, SCRIPTS


@pytest.fixture(scope="module")
def messages() -> list[str]:
    rng = random.Random(23)
    phrases = lexicon_phrases()
    made = [mixed(rng, phrases) for _ in range(1500)]
    odd = ["", " ", "...", "1", "one", "Im 15!!", "café 💊💊 800mg", "I’m NOT ok", "a\nb,c;d"]
    return [*corpus_lines(), *made, *odd]


READ = [*SCRIPTS, FIXTURES / "valid.yaml"]  # the shipped scripts, and the tests' own


@cache
def read_with(path):
    return understanding.for_script(load_script(path), "sms")


@pytest.fixture(scope="module", params=READ, ids=lambda p: p.name)
def reader(request):
    return read_with(request.param)


# -- the plain ways --------------------------------------------------------------------


def plain_tokens(text: str) -> Tokens:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’‘`´]", "", text).lower()
    words, clauses = [], []
    for clause, part in enumerate(re.split(r"[.,;:!?\n]+", text)):
        for raw in re.findall(r"[a-z0-9]+|[^\x00-\x7f]", part):
            if raw.isascii():
                word = NUMBER_WORDS.get(raw, raw)
            elif unicodedata.category(raw) == "So":
                word = f"u{ord(raw):x}"
            else:
                word = ""
            if word:
                words.append(word)
                clauses.append(clause)
    return Tokens(tuple(words), tuple(clauses))


def plain_normal(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’‘`]", "", text))
    return " ".join(NUMBER_WORDS.get(w, w) for w in text.split())


def plain_table(phrases: list[str]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for p in sorted((tuple(p.split()) for p in phrases), key=len, reverse=True):
        table.setdefault(p[0], []).append(p)
    return table


def plain_find(table: dict, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """Leftmost, then longest, no overlaps: word by word."""
    found, i = [], 0
    while i < len(words):
        for candidate in table.get(words[i], ()):
            if words[i : i + len(candidate)] == candidate:
                found.append((i, " ".join(candidate)))
                i += len(candidate)
                break
        else:
            i += 1
    return found


def plain_pattern_ends(steps, k, words, i) -> set[int]:
    """Where the steps can end when they match from word i: every choice and every gap
    length tried."""
    if k == len(steps):
        return {i}
    step = steps[k]
    if step is None:
        gaps = range(i, min(i + GAP_WORDS, len(words) - 1) + 1)
        return set().union(*(plain_pattern_ends(steps, k + 1, words, j) for j in gaps))
    alone, longer = step.get(words[i], (False, {})) if i < len(words) else (False, {})
    choices = [*([(words[i],)] if alone else []), *(c for cs in longer.values() for c in cs)]
    return set().union(
        *(
            plain_pattern_ends(steps, k + 1, words, i + len(c))
            for c in choices
            if words[i : i + len(c)] == c
        )
    )


def plain_pattern_at(steps, k, words, i) -> bool:
    return bool(plain_pattern_ends(steps, k, words, i))


def plain_doses(units, words) -> list[tuple[int, int]]:
    found = []
    for i, word in enumerate(words):
        # digits, then a unit ("800mg"): what is left after one or more leading digits
        digits = next((k for k, c in enumerate(word) if not c.isdecimal()), len(word))
        if any(word[k:] in units for k in range(1, digits + 1)):
            found.append((i, i + 1))
        elif word.isdigit() and i + 1 < len(words) and words[i + 1] in units:
            found.append((i, i + 2))
    return found


# -- the same results ------------------------------------------------------------------


def test_tokens_and_normal_forms_are_the_plain_ones(messages):
    for text in messages:
        assert tokenise(text) == plain_tokens(text), text
        assert normalise(text) == plain_normal(text), text


def test_every_phrase_table_finds_what_a_word_by_word_search_finds(reader, messages):
    names = ("danger", "when_negated", "safe_said", "weak", "topics")
    tables = {name: getattr(reader, name) for name in names}
    plain = {name: plain_table(table.phrases) for name, table in tables.items()}
    for text in messages:
        words = reader.typos.correct_all(tokenise(text).words)
        together = reader.search(spaced(words))  # as a reading does: every table at once
        for name, table in tables.items():
            found = together.find(table)
            assert found == plain_find(plain[name], words), (name, text)
            assert together.within(table) == bool(found)
            assert table.find(words) == found  # the table searched alone


def test_each_table_s_finds_are_by_start_then_longest(reader, messages):
    """`Found.find` reads a table's finds in one order: by the word each starts at, and at
    one start the longest first. The Search puts them so from the order the automaton
    reports them in (by where each ends); this holds it for every table of whole words
    (the suspects' letters held down stand inside words, and are only asked `within`)."""
    names = ("danger", "when_negated", "safe_said", "weak", "topics", "patterns", "idioms")
    tables = [getattr(reader, name) for name in names]
    for text in messages:
        found = reader.search(spaced(tokenise(text).words))
        for table in tables:
            order = [(word, -end) for _, word, end in found.hits(table)]
            assert order == sorted(order), text


def test_a_phrase_two_tables_share_is_found_for_each():
    """A Search numbers each table's keys apart, a key two tables share given twice: the
    automaton must report every copy, or one table would miss it."""
    first, second = Phrases(["clicked", "i clicked"]), Phrases(["clicked", "clicked the link"])
    found = Search([first, second])(spaced(("i", "clicked", "the", "link")))
    assert {first.phrases[k] for k, _, _ in found.hits(first)} == {"clicked", "i clicked"}
    assert {second.phrases[k] for k, _, _ in found.hits(second)} == {
        "clicked",
        "clicked the link",
    }
    assert found.find(first) == [(0, "i clicked")]
    assert found.find(second) == [(1, "clicked the link")]


@pytest.mark.parametrize("kind", ["patterns", "idioms"])
def test_patterns_match_where_every_choice_and_gap_tried_matches(reader, messages, kind):
    patterns = getattr(reader, kind)
    for text in messages[::4]:
        words = reader.typos.correct_all(tokenise(text).words)
        plain = {
            (i, rule): ends
            for rule, steps in enumerate(patterns._rules)
            for i in range(len(words))
            if (ends := plain_pattern_ends(steps, 0, words, i))
        }
        found = reader.search(spaced(words))
        assert patterns.within(words, found) == bool(plain), text
        assert patterns.within(words) == bool(plain), text
        where = patterns.find(words, found)
        assert where == patterns.find(words)  # searched alone: the same
        assert [(i, rule) for i, _, rule in where] == [
            (i, patterns._written[rule]) for i, rule in sorted(plain)
        ], text
        for (i, rule), (_start, end, _) in zip(sorted(plain), where, strict=True):
            assert end in plain[i, rule], text


def test_what_an_idiom_hides_is_what_a_search_without_its_words_finds(reader, messages):
    """findings: the danger steps read a message as if its idioms' words were not there."""
    names = ("danger", "when_negated", "safe_said", "weak")
    plain = {name: plain_table(getattr(reader, name).phrases) for name in names}
    rng = random.Random(19)
    for text in messages[::3]:
        words = reader.typos.correct_all(tokenise(text).words)
        if not words:
            continue
        hidden = set(rng.sample(range(len(words)), k=min(len(words), rng.choice((1, 2, 5)))))
        blanked = tuple("_" if i in hidden else w for i, w in enumerate(words))
        found = reader.search(spaced(words)).hiding(hidden)
        for name in names:
            assert found.find(getattr(reader, name)) == plain_find(plain[name], blanked), text
        patterns = reader.patterns
        assert patterns.find(blanked, found) == patterns.find(blanked), text
        # A reading asks with the words before they were hidden (a set that holds more)
        assert patterns.find(blanked, found, set(words)) == patterns.find(blanked), text


def test_disguises_are_looked_for_word_by_word_only_where_one_could_be(reader, messages):
    """disguises.could_change: a message it lets through untouched is one that every
    rule, applied word by word, leaves as it is."""
    disguises = reader.disguises
    spelled = ["s u i c i d e", "over dose tonight", "um I I want to diiie", "sue a side"]
    for text in [*messages, *spelled]:
        tokens = tokenise(disguises.undo_text(text)[0])
        undone, changes = disguises.undo_words_plain(tokens)
        if not disguises.could_change(tokens.words):
            assert (undone, changes) == (tokens, []), text
        assert disguises.undo_words(tokens) == (undone, changes), text
        # as a reading asks: from the one search of every table, the suspects among them
        found = reader.search(spaced(tokens.words))
        alone = disguises.could_change(tokens.words)
        assert disguises.could_change(tokens.words, found) == alone, text
        assert disguises.undo_words(tokens, found) == (undone, changes), text
        # and with the set of the words the reading makes once for every step
        present = set(tokens.words)
        assert disguises.could_change(tokens.words, found, present) == alone, text
        assert disguises.undo_words(tokens, found, present) == (undone, changes), text


def test_typos_are_corrected_as_word_by_word(reader, messages):
    for text in messages:
        words = tokenise(text).words
        one_by_one = tuple(map(reader.typos.correct, words))
        assert reader.typos.correct_all(words) == one_by_one, text
        assert reader.typos.correct_all(words, set(words)) == one_by_one, text


def test_doses_and_ages_are_found_as_in_the_whole_text(reader, messages):
    for text in messages:
        words = reader.typos.correct_all(tokenise(text).words)
        said = " ".join(words)
        if reader.dose is not None:
            plain = plain_doses(reader.units, words)
            assert (reader.dose.search(spaced(words)) is not None) == bool(plain), text
            assert reader.doses(spaced(words)) == plain, text
        assert reader.ages.child_rule(said) == reader.ages.child_near(said, None), text


def test_every_age_rule_needs_a_number(messages):
    """Why a message without a digit is not read rule by rule (ages.Ages.child). The rules
    are a language's: each set the scripts read with is held once (scripts of one
    language share one Ages, and the words here are untouched by their typo tables)."""
    for ages in {id(r.ages): r.ages for r in map(read_with, READ)}.values():
        _every_age_rule_needs_a_number(ages, messages)


def _every_age_rule_needs_a_number(ages, messages):
    for text in messages:
        words = tokenise(text).words
        said = " ".join(w for w in words if not any(c.isdigit() for c in w))
        assert not ages.child_near(said, None), text
