"""A lexicon file as `ivr validate` reads it: what each mistake in it is called, on which
line, with which fix; and the phrases a language gives its scripts, with their lines.

Pure domain (marker `domain`); each file is real YAML written to a temporary folder.
"""

from __future__ import annotations

import pytest

from ivr.phrasebook import LEXICON_PHRASES
from ivr.script import Text
from ivr.understanding.lexicon import LexiconError
from ivr.understanding.lexicon_file import parse, read

pytestmark = pytest.mark.domain

SHAPE_FIX = "Each list is written 'source: where it came from' and 'phrases: [...]'"


def _problems(tmp_path, text: str | bytes):
    path = tmp_path / "xx-XX.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as raised:
        read(path)
    return path, raised.value.problems


def test_a_lexicon_that_is_not_utf8_says_so_on_line_1(tmp_path):
    path, (problem,) = _problems(tmp_path, b"language: xx\n\xff\xfe phrases\n")
    assert (problem.path, problem.line, problem.code) == (str(path), 1, "V101")
    assert problem.message.startswith("The lexicon cannot be read (")
    assert problem.fix == "Save it as UTF-8 text."


@pytest.mark.parametrize(
    ("text", "line", "message", "fix"),
    [
        (
            "language: xx\nphrases: [a, b]\n",
            None,  # (named on line 1 for now: the section's own line is not passed down)
            "The lexicon's phrases should be a mapping of phrase names.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nphrases:\n  no_more: fine\n  colour: blue\n",
            4,
            "The lexicon has a phrase 'colour' no script uses.",
            f"Use: {', '.join(LEXICON_PHRASES)}.",
        ),
        (
            "language: xx\nphrases:\n  no_more: [1, 2]\n",
            3,
            "The lexicon's phrase 'no_more' should be words, or voice: and sms:.",
            "Write it as the script's phrases are written (docs/script-format.md).",
        ),
        (
            "language: xx\nphrases:\n  no_more: {voice: Said.}\n",
            3,
            "The lexicon's phrase 'no_more' should be words, or voice: and sms:.",
            "Write it as the script's phrases are written (docs/script-format.md).",
        ),
    ],
)
def test_each_mistake_in_the_phrases_is_named_on_its_line_with_its_fix(
    tmp_path, text, line, message, fix
):
    path, problems = _problems(tmp_path, text)
    assert [(p.path, p.code, p.message) for p in problems] == [(str(path), "V101", message)]
    assert line is None or problems[0].line == line
    assert problems[0].fix.startswith(fix)


def test_the_phrases_a_language_gives_keep_their_words_and_lines(tmp_path):
    path = tmp_path / "xx-XX.yaml"
    path.write_text(
        "language: xx-XX\n"
        "phrases:\n"
        "  no_more: '  That was all.  '\n"
        "  also: {voice: 'Said, press {key}.', sms: 'Typed, reply {keyword}.'}\n",
        encoding="utf-8",
    )
    lexicon = read(path)
    assert (lexicon.path, lexicon.language) == (str(path), "xx-XX")
    assert lexicon.phrases["no_more"] == Text("That was all.", "That was all.", 3)
    assert lexicon.phrases["also"] == Text("Said, press {key}.", "Typed, reply {keyword}.", 4)


@pytest.mark.parametrize(
    ("text", "line", "code", "message", "fix"),
    [
        (
            "language: xx\ndanger: [a]\n",
            2,
            "V101",
            "'danger' should be a mapping of lists.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nperson: [a]\n",
            2,
            "V101",
            "The list 'person' should have a source and phrases.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nperson:\n  phrases: [a human]\n",
            2,
            "V102",
            "The list 'person' does not say where its words came from.",
            "Add 'source:' with the study, guidance or team that gave them.",
        ),
        (
            "language: xx\nperson:\n  source: ''\n  phrases: [a human]\n",
            3,
            "V102",
            "The list 'person' does not say where its words came from.",
            "Add 'source:' with the study, guidance or team that gave them.",
        ),
        (
            "language: xx\nperson:\n  source: us\n  phrases: a human\n",
            4,
            "V101",
            "The list 'person' has no phrases list.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nperson:\n  source: us\n",
            2,
            "V101",
            "The list 'person' has no phrases list.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nperson:\n  source: us\n  phrases:\n    - a human\n    - '!!'\n",
            6,
            "V101",
            "The list 'person' has '!!', which is not a phrase with words in it.",
            "Write each phrase as words, in quotes if it is a number or yes/no.",
        ),
        (
            "language: xx\nperson:\n  source: us\n  phrases: [a human]\n  note: hi\n",
            5,
            "V101",
            "The list 'person' has a key 'note' that the format does not know.",
            "Remove it, or use a key the format knows: source, phrases.",
        ),
        (
            "language: xx\ndanger:\n  word: {source: us, phrases: [die]}\n",
            3,
            "V101",
            "'danger' has a list 'word' that the format does not know.",
            "Did you mean 'words'? Rename it, or remove it.",
        ),
        (
            "language: xx\nslots: [a]\n",
            2,
            "V101",
            "'slots' should be a mapping of slot names to lists.",
            SHAPE_FIX,
        ),
        (
            "language: xx\nslots:\n  Bad Name: {source: us, phrases: [x]}\n",
            3,
            "V101",
            "The slot name 'Bad Name' is not one word of small letters, digits and _.",
            "Rename it, for example 'intent' or 'harm_verb', and use it as {intent}.",
        ),
    ],
)
def test_each_mistake_in_a_list_is_named_on_its_line_with_its_code_and_fix(
    tmp_path, text, line, code, message, fix
):
    path, problems = _problems(tmp_path, text)
    assert [(p.path, p.line, p.code, p.message) for p in problems] == [
        (str(path), line, code, message)
    ]
    assert problems[0].fix.startswith(fix)


def test_a_list_a_lexicon_lacks_is_empty_under_its_own_name(tmp_path):
    path = tmp_path / "xx-XX.yaml"
    path.write_text("language: xx-XX\n", encoding="utf-8")
    missing = read(path).get("danger.words")
    assert (missing.name, missing.source, missing.phrases) == ("danger.words", "", ())


SLOT = "language: xx\nslots:\n  intent: {source: us, phrases: [want to]}\n"
PATTERNS = SLOT + "danger:\n  patterns:\n    source: us\n    phrases: [%s]\n"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- a\n- b\n", [(1, "V101", "The lexicon should be a YAML mapping of lists.")]),
        (
            "language: xx\ncolours: {source: us, phrases: [red]}\n",
            [(2, "V101", "The lexicon has a section 'colours' that the format does not know.")],
        ),
        (
            "language: xx\ndanger:\n  colour: {source: us, phrases: [red]}\n",
            [(3, "V101", "'danger' has a list 'colour' that the format does not know.")],
        ),
        (
            PATTERNS % "'{intnt} {zzz} die'",
            [(7, "V140", "The danger pattern '{intnt} {zzz} die' uses the slot {intnt}, which "
                         "the lexicon has no phrases for (did you mean {intent}?).")],
        ),
        (
            PATTERNS % "'{zzz} die', '... die', 'die ...', 'want ... ... die', 'want ... die'",
            [(7, "V140", "The danger pattern '{zzz} die' uses the slot {zzz}, which the "
                         "lexicon has no phrases for."),
             (7, "V140", "The danger pattern '... die' starts or ends with '...', which needs "
                         "words on both sides."),
             (7, "V140", "The danger pattern 'die ...' starts or ends with '...', which needs "
                         "words on both sides."),
             (7, "V140", "The danger pattern 'want ... ... die' has two '...' side by side, "
                         "which is one '...'.")],
        ),
    ],
)  # fmt: skip
def test_each_mistake_in_a_lexicon_file_is_named_exactly_on_its_line(tmp_path, text, found):
    path, problems = _problems(tmp_path, text)
    assert [(p.line, p.code, p.message) for p in problems] == found
    assert all(p.path == str(path) and p.node is None and p.fix for p in problems)


def test_a_lexicon_without_a_language_reads_as_none_given(tmp_path):
    path = tmp_path / "xx-XX.yaml"
    path.write_text("person: {source: us, phrases: [a human]}\n", encoding="utf-8")
    lexicon = read(path)
    assert (lexicon.path, lexicon.language) == (str(path), "")


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (["a"], ["The script's lexicon should be a YAML mapping of lists."]),
        (
            {"language": "xx", "phrases": {}},
            [
                "The script's lexicon has a section 'language' that the format does not know.",
                "The script's lexicon has a section 'phrases' that the format does not know.",
            ],
        ),
        # A script's patterns may use its language's slots: lint checks them, not parse.
        ({"danger": {"patterns": {"source": "us", "phrases": ["{zzz} die"]}}}, []),
    ],
)
def test_a_scripts_lexicon_section_is_named_as_the_scripts_at_its_line(data, found):
    lexicon, problems = parse(data, "s.yaml", line=88)
    assert [p.message for p in problems] == found
    assert all((p.path, p.line, p.code) == ("s.yaml", 88, "V101") for p in problems)
    assert (lexicon.path, lexicon.language) == ("s.yaml", "")
