"""The linter on WhatsApp: one message each (C001), menus to tap within the Content API's
limits (C002, C101), WhatsApp's formatting (C003), and the first words of every WhatsApp
message as discreet as SMS's (D101, reading WhatsApp's own parts)."""

from __future__ import annotations

import pytest
from test_whatsapp_format import YOUNG
from test_whatsapp_format import changed as written

from ivr.errors import INFO, WARNING
from ivr.lint import check

from support import FIXTURES

pytestmark = pytest.mark.domain

CLICKED_LABEL = "label: if you clicked, target: clicked}"


def changed(tmp_path, *changes: tuple[str, str]):
    """The valid fixture with each (old, new) replaced once, checked by the linter."""
    return check(written(tmp_path, *changes))


def test_a_whatsapp_reply_longer_than_one_message_is_an_error(tmp_path):
    long = "Word " * 340  # one paragraph of 1,700 characters: no part can hold it
    report = changed(tmp_path, (YOUNG, f"    text: {{text: Tell., whatsapp: '{long}'}}"))
    (found,) = [p for p in report.errors if p.code == "C001"]
    assert found.node == "young"
    assert "The WhatsApp reply for node 'young' has 1801 characters" in found.message
    assert "one message carries 1600" in found.message
    assert [p.code for p in report.errors] == ["C001"]  # SMS's words are still short


def test_a_long_whatsapp_answer_goes_in_parts_cut_between_paragraphs(tmp_path):
    paragraph = "Word " * 150
    long = "\\n\\n".join([paragraph.strip()] * 4)  # four paragraphs of 749 characters
    report = changed(tmp_path, (YOUNG, f'    text: {{text: Tell., whatsapp: "{long}"}}'))
    assert not [p for p in report.problems if p.code == "C001"]


def test_a_label_too_long_to_tap_is_warned_once_and_named(tmp_path):
    longer = 'label: {text: if you clicked, whatsapp: "If you already clicked on it"}'
    longer += ", target: clicked}"
    report = changed(tmp_path, (CLICKED_LABEL, longer))
    assert report.ok
    (found,) = report.warnings
    assert (found.code, found.node, found.severity) == ("C002", "main", WARNING)
    assert "the label 'If you already clicked on it' has 28 characters" in found.message
    assert "and list items hold 24" in found.message


def test_markdown_whatsapp_does_not_show_is_warned(tmp_path):
    report = changed(tmp_path, (YOUNG, "    text: {text: Tell., whatsapp: '**Tell** someone.'}"))
    (found,) = report.warnings
    assert found.code == "C003" and "'**'" in found.message


@pytest.mark.parametrize(
    ("words", "warned"),
    [
        ("*Tell* a _trusted_ adult.", False),
        ("*Tell a trusted adult.", True),
        ("Tell a trusted adult: https://www.samaritans.org/a_b_c", False),
    ],
)
def test_a_formatting_marker_must_open_and_close(tmp_path, words, warned):
    report = changed(tmp_path, (YOUNG, f"    text: {{text: Tell., whatsapp: '{words}'}}"))
    assert [p.code for p in report.warnings] == (["C003"] if warned else [])


def test_each_point_says_how_whatsapp_shows_its_menu(tiny):
    report = check(FIXTURES / "valid.yaml")
    menus = [p.message for p in report.problems if p.code == "C101"]
    assert all(p.severity == INFO for p in report.problems if p.code == "C101")
    assert "WhatsApp: node 'main' shows a list to tap (4 choices)." in menus
    assert "WhatsApp: node 'clicked' shows buttons to tap (3 choices)." in menus


def test_whatsapp_words_of_their_own_are_held_to_discretion_too(tmp_path):
    words = "    text: {text: Tell an adult., whatsapp: 'About the nude photo: tell.'}"
    report = changed(tmp_path, (YOUNG, words))
    (found,) = report.errors
    assert found.code == "D101"
    assert "of node 'young' on WhatsApp" in found.message
    assert "'nude', 'photo'" in found.message


def test_sms_labels_too_long_to_tap_are_information_once(tmp_path):
    longer = "label: if you already clicked on the link, target: clicked}"
    report = changed(tmp_path, (CLICKED_LABEL, longer))
    assert report.ok and report.warnings == []  # numbered menus work: nothing to warn of
    (found,) = [p for p in report.problems if p.code == "C102"]
    assert (found.node, found.severity) == ("main", INFO)
    assert "'if you already clicked on the link' has 34 characters" in found.message
