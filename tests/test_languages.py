"""Languages in the script format: translations beside the source, each language's voice,
words, pronunciations and SMS encoding, and the script as it speaks each language."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ivr import engine, gsm7, languages
from ivr.engine import State, typed
from ivr.errors import ScriptError
from ivr.loader import load_script, parse_script
from ivr.script import SMS, UCS2, VOICE, Text

from support import FIXTURES

pytestmark = pytest.mark.domain

BILINGUAL = FIXTURES / "languages" / "bilingual.yaml"
NOW = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def bilingual():
    return load_script(BILINGUAL)


@pytest.fixture(scope="module")
def welsh(bilingual):
    return languages.version(bilingual, "cy-GB")


def test_a_script_without_languages_is_its_own_version_in_any_language():
    guide = load_script(FIXTURES / "valid.yaml")
    assert guide.languages == {}
    for tag in ("", "en-GB", "cy-GB", "fr-FR"):
        assert languages.version(guide, tag) is guide


def test_the_fingerprint_is_the_sha256_of_the_three_channels_words():
    text = Text("Spoken words.", "Texted words.")
    said = "Spoken words.\n\x1eTexted words.\n\x1eTexted words."  # WhatsApp: the SMS words
    assert languages.fingerprint(text) == hashlib.sha256(said.encode()).hexdigest()[:8]
    assert languages.fingerprint(Text("a", "b")) != languages.fingerprint(Text("ab", ""))


def test_a_version_speaks_the_language_with_its_voice_and_the_same_flow(bilingual, welsh):
    assert welsh.language == "cy-GB" and welsh.translated_from == "en-GB"
    assert (welsh.voice.name, welsh.voice.language, welsh.voice.speech) == (
        "Polly.Gwyneth",
        "cy-GB",
        False,
    )
    assert welsh.voice.wait_seconds == bilingual.voice.wait_seconds  # left to the source
    assert welsh.voice.key_names == {"*": "seren", "#": "hash"}  # from the cy-GB lexicon
    assert welsh.id == bilingual.id and list(welsh.nodes) == list(bilingual.nodes)
    assert welsh.nodes["young"].text.sms.startswith("Dywedwch wrth oedolyn")
    assert welsh.phrase("danger_line", VOICE).startswith("Os ydych chi mewn perygl")
    assert welsh.sms_encoding == UCS2 and bilingual.sms_encoding == "gsm7"
    assert languages.version(bilingual, "cy-GB") is welsh  # built once


def test_an_options_words_are_the_languages_and_the_sources_still_count(welsh):
    clicked = welsh.main.options[0]
    assert clicked.keyword == "CLICIO"
    assert "CLICKED" in clicked.synonyms and "i clicked" in clicked.synonyms
    assert welsh.next_control.keyword == "NESAF" and "NEXT" in welsh.next_control.synonyms
    repeat = welsh.globals[2]  # gives no Welsh keyword: the source's is shown
    assert repeat.keyword == "REPEAT" and repeat.label.voice == "i glywed hyn eto"


def test_the_phrases_left_to_the_lexicon_are_the_languages_own(bilingual, welsh):
    assert "not_understood" in bilingual.from_lexicon
    assert welsh.phrase("not_understood", SMS).startswith("Sori, wnes i ddim deall")
    assert "0808 164 0123" in welsh.phrase("automated", VOICE)  # the Welsh Language Line


def test_welsh_numbers_are_said_in_welsh_digit_by_digit(welsh):
    spoken = " ".join(engine.start(welsh, VOICE, NOW).paragraphs)
    assert "naw naw naw" in spoken and "nine" not in spoken
    state = State(VOICE, welsh.id, welsh.main.id)
    answer = engine.advance(welsh, state, engine.pressed("9"), NOW)
    said = " ".join(answer.paragraphs)
    assert answer.state.node == "danger"
    assert "un un chwech, un dau tri" in said  # 116 123
    assert "dim wyth dim wyth, un chwech pedwar, dim un dau tri" in said  # 0808 164 0123


def test_a_welsh_text_reply_fits_four_ucs2_parts(welsh):
    state = State(SMS, welsh.id, welsh.main.id)
    for word in ("CLICIO", "IFANC", "PERYGL", "CAMAU", "nonsens", "NESAF"):
        reply = engine.advance(welsh, state, typed(word), NOW)
        assert gsm7.segments(reply.text) <= 4, (word, reply.text)
        state = reply.state


def test_ucs2_pages_are_cut_to_201_characters_and_gsm7_ones_to_459(bilingual, welsh):
    # Counted as Twilio sends them: a Welsh page with a letter GSM-7 lacks goes in UCS-2
    # (67 a part); a Welsh page without one goes in GSM-7 (153 a part), as English does.
    said = "\n".join(
        f"- Cam {i}: peidiwch â chlicio'r ddolen, a chadwch gofnod." for i in range(40)
    )
    plain = said.replace("â", "a")  # not Welsh spelling: only a text with no â in it
    cases = ((welsh, said, gsm7.units, 67), (welsh, plain, gsm7.septets, 153))
    for script, words, size, part in (*cases, (bilingual, plain, gsm7.septets, 153)):
        node = script.nodes["young"]
        long = replace(node, text=Text(said, words))
        pages = engine.sms_pages(script, long)
        assert len(pages) > 2
        assert all(size("\n\n".join(page)) <= 3 * part for page in pages)
        longest = max(size("\n\n".join(page)) for page in pages)
        assert longest > (part if part == 67 else 3 * 67)  # not cut needlessly short


def _broken(old: str, new: str) -> str:
    text = BILINGUAL.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            'cy-GB: {text: Croeso i\'r llinell brawf., from: "23dbc821"}',
            "cy-GB: {text: Croeso i'r llinell brawf., from: 12345678}",  # YAML: a number
            ["not a fingerprint of eight hex digits in quotes"],
        ),
        (
            "cy-GB: {text: Croeso i'r llinell brawf.",
            "cy-GB: {text: Croeso i'r llinell brawf., play: http://example.org/a.mp3",
            ["https:// address of a recording"],
        ),
        (
            '    cy-GB: {voice: "Hwyl fawr.',
            '    cy-GB: {sms: "Hwyl fawr.',
            ["in cy-GB, has no voice version"],
        ),
        (
            "    status: draft\n",
            "    status: checked\n",
            ["one of draft, reviewed"],
        ),
        (
            "    sms_encoding: ucs2\n",
            "    sms_encoding: utf8\n",
            ["one of gsm7, ucs2"],
        ),
    ],
    ids=["from-unquoted", "play-http", "channel-missing", "status", "encoding"],
)
def test_a_translation_in_the_wrong_shape_is_a_problem_naming_its_line(old, new, words):
    with pytest.raises(ScriptError) as raised:
        parse_script(_broken(old, new), "bilingual.yaml")
    text = "\n".join(map(str, raised.value.problems))
    assert all(w in text for w in words), text


def test_a_language_whose_lexicon_lacks_a_phrase_left_to_it_is_refused():
    text = _broken("    name: Cymraeg\n", "    name: Cymraeg\n").replace("cy-GB", "gd-GB")
    with pytest.raises(ScriptError) as raised:
        parse_script(text, "gaelic.yaml")
    text = "\n".join(map(str, raised.value.problems))
    assert "the language 'gd-GB' has no lexicon that says it" in text
    assert "with a gd-GB version" in text


def test_a_version_of_a_text_in_the_source_language_is_not_a_declared_language():
    english = (
        "  en-GB: {name: English, status: reviewed, voice: {name: Polly.Amy, language: en-GB}}"
    )
    text = _broken("languages:\n  cy-GB:", f"languages:\n{english}\n  cy-GB:")
    with pytest.raises(ScriptError) as raised:
        parse_script(text, "bilingual.yaml")
    (problem,) = raised.value.problems
    assert "names 'en-GB', the script's own (source) language" in str(problem)
